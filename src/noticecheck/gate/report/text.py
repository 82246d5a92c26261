"""The default human-readable report, for a school business manager or DPO at a terminal.

For each document: what it is (audience, context), the sections found with
the heading or first words that evidence each, then the findings grouped by
severity, each with its rule id, message, the quoted sentence (or where
something missing should go) and the wording that would fix it.

rich lays the report out for a terminal (wrapping, colour). A file or a pipe
gets it unwrapped and uncoloured, which `_PlainConsole` writes without
importing rich (a tenth of a one-file check's time went on rich): it writes
exactly what rich would export, and gives up (`_NotPlain`, rich then renders)
on any string whose text rich would change: control characters and tabs,
backslashes, emoji codes such as ":smile:", a rule title rich would measure or
truncate. tests/test_report_text_plain.py compares both writers.
"""

from __future__ import annotations

from collections.abc import Sequence

from noticecheck.media import describe_line
from noticecheck.model import DocumentResult, Severity
from noticecheck.precompiled import regex

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


def print_document(console, result: DocumentResult, *, show_sections: bool = True) -> None:
    """`console`: rich's Console or a _PlainConsole (each brings its own markup escape and Text)."""
    escape, RichText = _kit(console)  # noqa: N806 - rich's class, or the plain stand-in
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


def print_summary(console, results: Sequence[DocumentResult]) -> None:
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
    if width is None and not color:
        plain = _plain_render(results, show_sections=show_sections, summary=summary)
        if plain is not None:
            return plain
    return _rich_render(results, width=width, color=color, show_sections=show_sections, summary=summary)


def _plain_render(results: Sequence[DocumentResult], *, show_sections: bool, summary: bool) -> str | None:
    """The unwrapped, uncoloured report written without rich; None where rich would write some text otherwise."""
    plain = _PlainConsole()
    try:
        for result in results:
            print_document(plain, result, show_sections=show_sections)
        if summary:
            print_summary(plain, results)
    except _NotPlain:
        return None
    return "".join(plain.out)


def _rich_render(
    results: Sequence[DocumentResult], *, width: int | None, color: bool, show_sections: bool, summary: bool
) -> str:
    from rich.console import Console

    console = Console(record=True, width=width or 100, force_terminal=color, color_system="standard" if color else None,
                      file=_Null(), soft_wrap=width is None)
    for result in results:
        print_document(console, result, show_sections=show_sections)
    if summary:
        print_summary(console, results)
    return console.export_text(styles=color)


def _kit(console) -> tuple:
    if isinstance(console, _PlainConsole):
        return console.escape, _PlainText
    from rich.markup import escape
    from rich.text import Text

    return escape, Text


_RULE_WIDTH = 100  # rich's rules without a terminal (render: width or 100)
_TAG = regex(r"\[[a-z/][a-z ]*\]")  # the markup this module writes itself: [bold], [bold red], [/]
# What rich's markup reads as an emoji code (rich/_emoji_replace.py); replaced only when the name is an emoji's.
_EMOJI_CODE = regex(r"(:(\S*?)(?:(?:\-)(emoji|text))?:)")
_OPEN, _CLOSE = "\x00", "\x01"  # around escaped text inside markup; never in it (escape refuses non-printables)
_SPLIT = regex(f"[{_OPEN}{_CLOSE}]")


class _NotPlain(Exception):
    """A string the plain writer cannot show to come out as rich would write it."""


def _printable(text: str) -> str:
    if not text.isprintable():  # control characters, tabs, line breaks: rich strips or expands them
        raise _NotPlain
    return text


class _PlainText:
    """Stands in for rich.text.Text (plain text, appended to) where no styles are kept."""

    def __init__(self, text: str = "", style: str | None = None):
        self.plain = _printable(text)

    def append(self, text: str, style: str | None = None) -> None:
        self.plain += _printable(text)


class _PlainConsole:
    """The report as rich's Console(record=True, width=100, soft_wrap=True, no colour) exports it as
    text, for the strings this module prints: markup tags dropped, nothing wrapped, each print a line."""

    def __init__(self) -> None:
        self.out: list[str] = []

    @staticmethod
    def escape(text: str) -> str:
        if "\\" in text:
            raise _NotPlain  # rich's escaping of backslashes before tags is not worth repeating here
        return _OPEN + _printable(text) + _CLOSE

    def print(self, item, style: str | None = None) -> None:
        self.out += [item.plain if isinstance(item, _PlainText) else self._text(item), "\n"]

    def rule(self, title: str = "") -> None:
        width = _RULE_WIDTH
        if not title:
            self.out += ["─" * width, "\n"]
            return
        shown = self._text(title)
        if not shown.isascii() or len(shown) > width - 4:
            raise _NotPlain  # rich measures wide characters in cells and shortens long titles
        side = (width - len(shown)) // 2
        left = "─" * (side - 1)
        right = "─" * min(side + 1, width - len(left) - len(shown))
        self.out += [f"{left} {shown} {right}"[:width].ljust(width), "\n"]

    @staticmethod
    def _text(markup: str) -> str:
        """The text of markup made here: tags dropped; each run of text between tags is where rich
        looks for emoji codes, so a run holding one of them is left to rich."""
        runs, run = [], []
        for i, part in enumerate(_SPLIT.split(markup)):
            if i % 2:  # escaped text: taken as it is
                run.append(part)
                continue
            at = 0
            for tag in _TAG.finditer(part):
                run.append(part[at : tag.start()])
                runs.append("".join(run))
                run, at = [], tag.end()
            run.append(part[at:])
        runs.append("".join(run))
        for text in runs:
            if ":" in text and any(True for _ in _EMOJI_CODE.finditer(text)):
                from rich._emoji_codes import EMOJI

                if any(m.group(2).lower() in EMOJI for m in _EMOJI_CODE.finditer(text)):
                    raise _NotPlain
        return "".join(runs)


class _Null:
    def write(self, _s: str) -> int:
        return 0

    def flush(self) -> None:
        pass
