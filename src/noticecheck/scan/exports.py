"""A scan as spreadsheets (`schools.csv`, `trusts.csv`, `schools.xlsx`) and as JSON Lines (`results.jsonl`).

The CSV is for the LA officer who filters in Excel: one row per school and
notice (a school with no notice still gets one row), with a yes/no column
per key check. `trusts.csv` is one row per trust. The workbook holds the
same schools, the trusts and every finding, with the severity as the cell's
colour, for people who open it rather than script it. The JSONL is for
scripts: one line per school with its notices and every finding.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Mapping
from dataclasses import asdict
from pathlib import Path

from noticecheck.controls import csv_cell
from noticecheck.scan.status import STATUS_LABELS
from noticecheck.scan.summary import KEY_CHECKS, key_check_passes, yes_no
from noticecheck.scan.store import NoticeRecord, RunData, SchoolRecord
from noticecheck.scan.trusts import TrustTally

CSV_COLUMNS = (
    "urn", "name", "la", "trust", "phase", "type", "school_type", "status", "status_label", "error", "limits",
    "notice_url", "audience", "notice_status", "errors", "warnings",
    *(check.id for check in KEY_CHECKS),
)


def _csv_row(school: SchoolRecord, notice: NoticeRecord | None) -> dict[str, object]:
    row: dict[str, object] = {
        "urn": school.urn or "",
        "name": school.name,
        "la": school.la_name or "",
        "trust": school.trust or "",
        "phase": school.phase or "",
        "type": school.type_name or "",
        "school_type": school.school_type or "",
        "status": school.status,
        "status_label": STATUS_LABELS.get(school.status, school.status),
        "error": school.error or "",
        "limits": "; ".join(school.limits),
        "notice_url": notice.url if notice else "",
        "audience": (notice.audience or "unknown") if notice else "",
        "notice_status": notice.status if notice else "",
        "errors": notice.count("error") if notice else "",
        "warnings": notice.count("warning") if notice else "",
    }
    for check in KEY_CHECKS:
        row[check.id] = yes_no(key_check_passes(check, [notice] if notice else []))
    return row


def write_schools_csv(data: RunData, path: Path) -> Path:
    """Write one row per school and notice; returns the path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8-sig") as fh:  # BOM: Excel then reads UTF-8 names right
        writer = csv.DictWriter(fh, fieldnames=CSV_COLUMNS)
        writer.writeheader()
        for school in data.schools:
            for notice in school.notices or (None,):
                writer.writerow({k: csv_cell(v) for k, v in _csv_row(school, notice).items()})
    return path


def school_to_json(school: SchoolRecord, run_id: int) -> dict:
    """One school with its notices and findings, as one JSON Lines record."""
    return {
        "run": run_id,
        "key": school.key,
        "urn": school.urn,
        "name": school.name,
        "website": school.website,
        "la": school.la_name,
        "type": school.type_name,
        "school_type": school.school_type,
        "phase": school.phase,
        "age_range": [school.age_low, school.age_high] if school.age_low is not None else None,
        "trust": school.trust,
        "status": school.status,
        "error": school.error,
        "home_url": school.home_url,
        "pages_visited": school.pages_visited,
        "limits": list(school.limits),
        "finished_at": school.finished_at,
        "key_checks": {c.id: key_check_passes(c, school.notices) for c in KEY_CHECKS},
        "notices": [
            {
                "url": n.url,
                "final_url": n.final_url,
                "link_text": n.link_text,
                "audience": n.audience,
                "audience_source": n.audience_source,
                "status": n.status,
                "media_type": n.media_type,
                "sha256": n.sha256,
                "error_code": n.error_code,
                "error": n.error,
                "word_count": n.word_count,
                "sections": n.sections,
                "findings": [
                    asdict(f)
                    for f in n.findings
                ],
            }
            for n in school.notices
        ],
    }


def write_results_jsonl(data: RunData, path: Path) -> Path:
    """Write one JSON object per line, one line per school; returns the path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as fh:
        for school in data.schools:
            fh.write(json.dumps(school_to_json(school, data.run.id), ensure_ascii=False) + "\n")
    return path


# -- trusts -------------------------------------------------------------------

TRUST_COLUMNS = (
    "trust", "schools", "checked", "schools_with_errors", "errors", "warnings",
    *(f"{check.id}_passing" for check in KEY_CHECKS),
    "template", "template_gaps", "schools_with_template_gaps", "schools_with_own_gaps",
)


def trust_row(trust: TrustTally) -> dict[str, object]:
    """One trust as trusts.csv and the workbook's Trusts sheet show it; shares are 0 to 1, blank when nothing was checked."""
    row: dict[str, object] = {
        "trust": trust.name,
        "schools": trust.size,
        "checked": trust.checked,
        "schools_with_errors": trust.schools_with_errors,
        "errors": trust.errors,
        "warnings": trust.warnings,
    }
    for check in KEY_CHECKS:
        share = trust.key_checks.get(check.id)
        row[f"{check.id}_passing"] = "" if share is None else round(share, 3)
    compared = trust.template is not None
    row["template"] = (trust.template + (" (found)" if trust.found else "")) if compared else ""
    row["template_gaps"] = trust.template_gaps if compared else ""
    row["schools_with_template_gaps"] = trust.schools_inheriting if compared else ""
    row["schools_with_own_gaps"] = trust.schools_with_own if compared else ""
    return row


def write_trusts_csv(trusts: Iterable[TrustTally], path: Path) -> Path:
    """Write one row per trust; returns the path (written even with no trust, header only)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8-sig") as fh:
        writer = csv.DictWriter(fh, fieldnames=TRUST_COLUMNS)
        writer.writeheader()
        for trust in trusts:
            writer.writerow({k: csv_cell(v) for k, v in trust_row(trust).items()})
    return path


# -- the workbook ---------------------------------------------------------------

# Fill colours by severity (and a key check's pass/fail), light enough to read black text on.
SEVERITY_FILLS = {"error": "F4C7C3", "warning": "FCE8B2", "info": "D2E3FC"}
_CHECK_FILLS = {"yes": "D9EAD3", "no": "F4C7C3"}

SCHOOL_SHEET_COLUMNS = (
    "urn", "name", "la", "trust", "type", "phase", "status", "status_label", "notices", "errors", "warnings",
    *(check.id for check in KEY_CHECKS),
)
FINDING_SHEET_COLUMNS = (
    "urn", "school", "trust", "notice_url", "audience", "severity", "rule", "title", "message", "fix", "line", "origin",
)


def write_schools_xlsx(data: RunData, path: Path, trusts: Iterable[TrustTally] = (), origins: Mapping | None = None) -> Path:
    """Write schools.xlsx (sheets Schools, Trusts, Findings); returns the path.

    Each sheet has a frozen header row and filters; a finding's severity and a
    key check's yes/no are also the cell's colour. Written in openpyxl's
    write-only mode, row by row, so the workbook is never all in memory.
    `origin` says, for a trust school compared with its template, whether a
    finding comes from the template or is the school's own: `origins` (notice
    id, rule) -> "template" or "school", as `write_dashboard` gathered them.
    """
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font, PatternFill

    path.parent.mkdir(parents=True, exist_ok=True)
    book = Workbook(write_only=True)
    bold = Font(bold=True)
    fills = {name: PatternFill("solid", start_color=colour, end_color=colour)
             for name, colour in {**SEVERITY_FILLS, **_CHECK_FILLS}.items()}

    def sheet(title: str, columns: tuple[str, ...]):
        ws = book.create_sheet(title)
        ws.freeze_panes = "A2"  # must be set before the first row in write-only mode
        header = []
        for name in columns:
            cell = WriteOnlyCell(ws, value=name)
            cell.font = bold
            header.append(cell)
        ws.append(header)
        return ws

    def finish(ws, columns: tuple[str, ...], rows: int) -> None:
        from openpyxl.utils import get_column_letter

        ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{max(rows + 1, 1)}"

    def cells(ws, values: list[object]) -> list:
        return [WriteOnlyCell(ws, value=csv_cell(value)) for value in values]

    ws = sheet("Schools", SCHOOL_SHEET_COLUMNS)
    check_columns = {c.id for c in KEY_CHECKS}
    for school in data.schools:
        row = {
            "urn": school.urn or "", "name": school.name, "la": school.la_name or "", "trust": school.trust or "",
            "type": school.type_name or "", "phase": school.phase or "", "status": school.status,
            "status_label": STATUS_LABELS.get(school.status, school.status), "notices": len(school.notices),
            "errors": school.errors, "warnings": school.warnings,
        }
        for check in KEY_CHECKS:
            row[check.id] = yes_no(key_check_passes(check, school.notices))
        row_cells = cells(ws, [row[c] for c in SCHOOL_SHEET_COLUMNS])
        for cell, column in zip(row_cells, SCHOOL_SHEET_COLUMNS):
            if column in check_columns and cell.value in fills:
                cell.fill = fills[cell.value]
        ws.append(row_cells)
    finish(ws, SCHOOL_SHEET_COLUMNS, len(data.schools))

    ws = sheet("Trusts", TRUST_COLUMNS)
    count = 0
    for trust in trusts:
        row = trust_row(trust)
        ws.append(cells(ws, [row[c] for c in TRUST_COLUMNS]))
        count += 1
    finish(ws, TRUST_COLUMNS, count)

    origins = origins if origins is not None else {}
    ws = sheet("Findings", FINDING_SHEET_COLUMNS)
    count = 0
    for school in data.schools:
        for notice in school.notices:
            for f in sorted(notice.findings, key=lambda f: (-_RANK.get(f.severity, 0), f.rule)):
                values = [
                    school.urn or "", school.name, school.trust or "", notice.url, notice.audience or "unknown",
                    f.severity, f.rule, f.title or f.rule, f.message, f.fix, f.line,
                    origins.get((notice.id, f.rule), ""),
                ]
                row_cells = cells(ws, values)
                if f.severity in fills:
                    row_cells[FINDING_SHEET_COLUMNS.index("severity")].fill = fills[f.severity]
                ws.append(row_cells)
                count += 1
    finish(ws, FINDING_SHEET_COLUMNS, count)
    book.save(path)
    return path


_RANK = {"error": 3, "warning": 2, "info": 1}
