"""`--format csv`: one row per finding, for a DPO's spreadsheet.

Columns: document, rule, severity, line, section, message, quote, fix,
source_link, note (why a finding was reported one level lower, e.g. the
text appears cut short). Quotes come from documents we do not control, so
control characters are dropped and a cell that a spreadsheet would run as a
formula (starting = + - @) gets a leading apostrophe (controls.csv_cell).
"""

from __future__ import annotations

import csv
import io

from noticecheck.controls import csv_cell
from noticecheck.gate.report.formats import Report, by_severity, finding_row

COLUMNS = ("document", "rule", "severity", "line", "section", "message", "quote", "fix", "source_link", "note")


def render(report: Report) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS)
    writer.writeheader()
    for outcome, f in by_severity(report):
        writer.writerow({k: csv_cell(v) for k, v in finding_row(outcome, f, report.root).items()})
    return buffer.getvalue()
