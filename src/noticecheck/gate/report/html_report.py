"""`--format html`: one self-contained page (inline CSS, no scripts, no external assets) to attach or e-mail.

Rendered with jinja2 and autoescape on: every quote and message comes from
documents we do not control, and a page that runs their `<script>` would
be an attack on whoever opens the report. The template lives here as a
string so the page needs nothing but this module.
"""

from __future__ import annotations

import functools

from noticecheck import __version__
from noticecheck.gate.report.formats import Report, display_path, fixed_lines, summary_line

TEMPLATE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>noticecheck report</title>
<style>
body { font: 15px/1.5 system-ui, sans-serif; margin: 2rem auto; max-width: 72rem; padding: 0 1rem; color: #1b1b1b; }
h1 { font-size: 1.6rem; } h2 { font-size: 1.2rem; margin-top: 2rem; border-bottom: 1px solid #ccc; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; }
th, td { text-align: left; vertical-align: top; padding: .35rem .5rem; border-bottom: 1px solid #e3e3e3; }
th { background: #f3f3f3; }
.error { color: #a4001d; font-weight: 600; } .warning { color: #8a5300; font-weight: 600; } .info { color: #005a9e; }
.verdict-fail { color: #a4001d; } .verdict-pass { color: #1e6b2b; }
blockquote { margin: .2rem 0; padding-left: .6rem; border-left: 3px solid #ccc; color: #444; }
.fix { color: #1e4620; } .muted { color: #666; font-size: .9em; }
ul.sections { columns: 2; list-style: none; padding: 0; } .present::before { content: "✓ "; color: #1e6b2b; }
.absent::before { content: "✗ "; color: #a4001d; }
</style>
</head>
<body>
<h1>noticecheck report</h1>
<p class="{{ 'verdict-fail' if failing else 'verdict-pass' }}"><strong>{{ 'Fails' if failing else 'Passes' }}</strong>
(fail on {{ report.fail_on }}): {{ summary }}</p>
<table>
<thead><tr><th>Document</th><th>Errors</th><th>Warnings</th><th>Info</th><th>Set aside</th></tr></thead>
<tbody>
{% for doc in documents %}<tr><td><a href="#doc-{{ loop.index }}">{{ doc.name }}</a></td>
{% if doc.checked %}<td>{{ doc.counts.error }}</td><td>{{ doc.counts.warning }}</td><td>{{ doc.counts.info }}</td><td>{{ doc.aside or '' }}</td>
{% else %}<td colspan="4" class="error">unreadable</td>{% endif %}</tr>
{% endfor %}</tbody>
</table>
{% if report.baseline is not none %}<p class="muted">Baseline {{ report.baseline }}: {{ known }} known finding(s) are not shown.</p>
{% if fixed %}<p>Fixed since the baseline:</p><ul>{% for line in fixed %}<li>{{ line }}</li>{% endfor %}</ul>{% endif %}{% endif %}
{% for doc in documents %}
<h2 id="doc-{{ loop.index }}">{{ doc.name }}</h2>
{% if not doc.checked %}<p class="error">Unreadable: {{ doc.error }}</p>
{% else %}
<p class="muted">{{ doc.context }}</p>{% if doc.incomplete %}
<p class="warning">Note: {{ doc.incomplete }}; findings about missing parts are reported one level lower.</p>{% endif %}
<ul class="sections">{% for label, present in doc.sections %}<li class="{{ 'present' if present else 'absent' }}">{{ label }}</li>{% endfor %}</ul>
{% if doc.findings %}
<table>
<thead><tr><th>Severity</th><th>Rule</th><th>Line</th><th>Finding</th></tr></thead>
<tbody>
{% for f in doc.findings %}<tr>
<td class="{{ f.severity.label }}">{{ f.severity.label }}</td>
<td><a href="{{ f.source_link }}">{{ f.rule }}</a></td>
<td>{{ f.line }}</td>
<td>{{ f.message }}{% if f.note %}<div class="muted">Reported one level lower: {{ f.note }}.</div>{% endif %}<blockquote>{{ f.quote }}</blockquote><div class="fix">Fix: {{ f.fix }}</div>
{% if f.section %}<div class="muted">Section: {{ f.section }}</div>{% endif %}</td>
</tr>
{% endfor %}</tbody>
</table>
{% else %}<p>No findings.</p>{% endif %}
{% if doc.suppressed %}<p class="muted">{{ doc.suppressed }} finding(s) suppressed by comments in the document.</p>{% endif %}
{% endif %}
{% endfor %}
<p class="muted">noticecheck {{ version }}</p>
</body>
</html>
"""


@functools.lru_cache(maxsize=1)
def _template():
    import jinja2

    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined, keep_trailing_newline=True)
    return env.from_string(TEMPLATE)


def _context_line(result) -> str:
    ctx = result.context
    if ctx is None:
        return ""
    ages = f"ages {ctx.age_low}-{ctx.age_high}" if ctx.age_low is not None else "ages unknown"
    return (
        f"Audience: {ctx.audience or 'unknown'}; {ages}; school type: {ctx.school_type or 'unknown'}; "
        f"jurisdiction: {ctx.jurisdiction or 'unknown'}; judged as of {ctx.as_of.isoformat()}"
    )


def render(report: Report) -> str:
    documents = []
    for outcome in report.outcomes:
        counts = {"error": 0, "warning": 0, "info": 0}
        for f in outcome.findings:
            counts[f.severity.label] += 1
        documents.append(
            {
                "name": display_path(outcome.source, report.root),
                "checked": outcome.checked,
                "error": outcome.result.error,
                "counts": counts,
                "aside": len(outcome.suppressed) + len(outcome.baselined),
                "suppressed": len(outcome.suppressed),
                "context": _context_line(outcome.result),
                "incomplete": outcome.result.incomplete.note if outcome.result.incomplete else None,
                "sections": [(s.label or n, s.present) for n, s in outcome.result.sections.items()],
                "findings": outcome.findings,
            }
        )
    failing = any(report.fails(f) for o in report.outcomes for f in o.findings) or any(not o.checked for o in report.outcomes)
    return _template().render(
        report=report,
        documents=documents,
        failing=failing,
        summary=summary_line(report),
        known=report.known_count,
        fixed=fixed_lines(report),
        version=__version__,
    )
