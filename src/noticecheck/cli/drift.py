"""`noticecheck drift`: compare schools' notices with their trust's template, part by part (thin: parse, call, print).

Each NOTICE is checked with the same rules as `noticecheck check`, then
compared with TEMPLATE (drift.py): which parts match, changed, were dropped
or added, and which of the notice's findings come from the template.
Exit status: 0 compared, 2 bad usage or an unreadable input.
"""

from __future__ import annotations

import json

import click

from noticecheck.cli.options import context_options, fail, open_gate, rule_options


@click.command()
@click.argument("template")
@click.argument("notices", nargs=-1, required=True)
@rule_options
@context_options
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--find-template", is_flag=True,
              help="No template is known: take TEMPLATE as one more notice and find the one most of the notices copied.")
def drift(template, notices, fmt, find_template, **gate_options):
    """Compare each NOTICE with the trust's TEMPLATE: parts kept, changed, dropped, added, and whose gaps are whose."""
    from noticecheck.controls import one_line, printable
    from noticecheck.drift import drift as compare, likely_template

    gate = open_gate([template, *notices], **gate_options)
    results = {}
    for path in dict.fromkeys((template, *notices)):
        outcome = gate.check_path(path)
        if not outcome.checked:
            fail(f"{one_line(path)}: cannot read it: {printable(outcome.result.error or '')}")
        results[path] = outcome
    found = None
    if find_template:
        found = likely_template({path: outcome.result.outline for path, outcome in results.items()})
        if found is None:
            fail("these notices are not mostly copies of one notice, so there is no template to find "
                 "(it takes three notices or more, most of them sharing most sentences)")
        template, notices = found.name, tuple(p for p in results if p != found.name)
    base = results[template]
    drifts = [
        compare(template, base.result.outline, base.findings, path, results[path].result.outline, results[path].findings)
        for path in notices
    ]
    if fmt == "json":
        payload = {"template": template, "found": found is not None, "notices": [d.to_json() for d in drifts]}
        if found is not None:
            payload["copies"], payload["others"] = list(found.copies), list(found.others)
        click.echo(json.dumps(payload, indent=2, ensure_ascii=False))
        return
    if found is not None:
        differ = f"; not copies of it: {', '.join(map(one_line, found.others))}" if found.others else ""
        click.echo(f"Template found: {one_line(template)} (copied by {len(found.copies)} of the {len(notices)} others{differ})")
    # file names, headings and sentences come from strangers: shown with control characters escaped
    click.echo(printable(text_report(drifts)))


def text_report(drifts) -> str:
    """What a trust's DPO reads: per notice, the parts that moved away from the template, then whose gaps are whose."""
    from noticecheck.drift import sentence_diff_lines, severity_name

    lines: list[str] = []
    for d in drifts:
        counts = ", ".join(f"{d.count(s)} {s}" for s in ("match", "changed", "dropped", "added"))
        lines.append(f"{d.notice}: {counts} (keeps {d.kept_share:.0%} of the template's sentences)")
        for part in d.parts:
            if part.state == "match":
                continue
            renamed = f" (now headed {part.copy_heading!r})" if part.copy_heading else ""
            lines.append(f"  {part.state:8s} {part.heading or '(opening text)'}{renamed}")
            if part.state == "changed":
                lines += [f"      {line}" for line in sentence_diff_lines(part)]
        for label, items in (("from the template", d.inherited), ("this notice's own", d.own)):
            if items:
                shown = ", ".join(f"{f.rule} ({severity_name(f)})" for f in items)
                lines.append(f"  gaps {label}: {shown}")
        if d.fixed:
            lines.append(f"  template gaps fixed here: {', '.join(f.rule for f in d.fixed)}")
    return "\n".join(lines)
