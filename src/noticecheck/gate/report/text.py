"""The default human-readable report, for a school business manager or DPO at a terminal.

For each document: what it is (audience, context), the sections found with
the heading or first words that evidence each, then the findings grouped by
severity, each with its rule id, message, the quoted sentence (or where
something missing should go) and the wording that would fix it.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Console
from rich.markup import escape
from rich.text import Text as RichText

from noticecheck.media import describe_line
from noticecheck.model import DocumentResult, Severity

_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}


def _context_line(result: DocumentResult) -> str:
    ctx = result.context
    if ctx is None:
        return ""
    parts = [f"audience: {ctx.audience or 'unknown'}"]
    if ctx.age_low is not None:
        parts.append(f"ages {ctx.age_low}-{ctx.age_high}")
    parts.append(f"school type: {ctx.school_type or 'unknown'}")
    parts.append(f"jurisdiction: {ctx.jurisdiction or 'unknown'}")
    parts.append(f"judged as of {ctx.as_of.isoformat()}")
    if ctx.detected:
        parts.append("(detected from the text: " + ", ".join(d.replace("_", " ") for d in ctx.detected) + ")")
    return "; ".join(parts)


def print_document(console: Console, result: DocumentResult, *, show_sections: bool = True) -> None:
    console.rule(f"[bold]{escape(result.source)}")
    if result.status != "checked":
        console.print(f"[bold red]unreadable[/]: {escape(result.error or '')}")
        return
    console.print(escape(_context_line(result)), style="dim")
    if result.incomplete is not None:
        console.print(f"note: {escape(result.incomplete.note)}; findings about missing parts are reported one level lower", style="yellow")
    if show_sections:
        console.print("\n[bold]Sections[/]")
        for name, section in result.sections.items():
            label = section.label or name
            if section.present:
                ev = section.evidence[0] if section.evidence else None
                where = f"{describe_line(ev.line, result.media_type, result.page_starts)}: {ev.quote}" if ev else ""
                line = RichText("  ✓ ", style="green")
                line.append(f"{label:<30}")
                line.append(where[:110], style="dim")
            else:
                line = RichText("  ✗ ", style="red")
                line.append(f"{label:<30}")
                line.append("not found", style="dim")
            console.print(line)
    if not result.findings:
        console.print("\n[green]No findings.[/]")
        return
    for severity in sorted(Severity, reverse=True):
        group = [f for f in result.findings if f.severity == severity]
        if not group:
            continue
        console.print(f"\n[{_STYLE[severity]}]{severity.label.upper()}S ({len(group)})[/]")
        for f in group:
            console.print(f"  [{_STYLE[severity]}]{f.rule}[/] {escape(f.message)}")
            where = "should go near" if f.kind == "missing" else "at"
            console.print(f"    {where} {escape(f.where)}: [italic]{escape(f.quote)}[/]", style="dim")
            console.print(f"    fix: {escape(f.fix)}")
            if f.note:
                console.print("    reported one level lower: the text appears incomplete", style="dim")
            console.print(f"    source: {escape(f.source_link)}", style="dim")


def print_summary(console: Console, results: Sequence[DocumentResult]) -> None:
    checked = [r for r in results if r.status == "checked"]
    unreadable = len(results) - len(checked)
    counts = {s: sum(1 for r in checked for f in r.findings if f.severity == s) for s in Severity}
    console.rule()
    console.print(
        f"{len(results)} document(s): {len(checked)} checked, {unreadable} unreadable; "
        f"{counts[Severity.ERROR]} error(s), {counts[Severity.WARNING]} warning(s), {counts[Severity.INFO]} info"
    )


def render(
    results: Sequence[DocumentResult], *, width: int | None = None, color: bool = False, show_sections: bool = True,
    summary: bool = True,
) -> str:
    """The whole report as a string. With `width` (a terminal's) lines wrap to it; without, nothing is
    hard-wrapped, so a file or a pipe gets URLs and quotes whole (rules are then 100 wide)."""
    console = Console(record=True, width=width or 100, force_terminal=color, color_system="standard" if color else None,
                      file=_Null(), soft_wrap=width is None)
    for result in results:
        print_document(console, result, show_sections=show_sections)
    if summary:
        print_summary(console, results)
    return console.export_text(styles=color)


class _Null:
    def write(self, _s: str) -> int:
        return 0

    def flush(self) -> None:
        pass
