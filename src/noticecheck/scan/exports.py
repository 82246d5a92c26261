"""A scan as a spreadsheet (`schools.csv`) and as JSON Lines (`results.jsonl`).

The CSV is for the LA officer who filters in Excel: one row per school and
notice (a school with no notice still gets one row), with a yes/no column
per key check. The JSONL is for scripts: one line per school with its
notices and every finding.
"""

from __future__ import annotations

import csv
import json
from dataclasses import asdict
from pathlib import Path

from noticecheck.controls import csv_cell
from noticecheck.scan.status import STATUS_LABELS
from noticecheck.scan.summary import KEY_CHECKS, key_check_passes, yes_no
from noticecheck.scan.store import NoticeRecord, RunData, SchoolRecord

CSV_COLUMNS = (
    "urn", "name", "la", "phase", "type", "school_type", "status", "status_label", "error", "limits",
    "notice_url", "audience", "notice_status", "errors", "warnings",
    *(check.id for check in KEY_CHECKS),
)


def _csv_row(school: SchoolRecord, notice: NoticeRecord | None) -> dict[str, object]:
    row: dict[str, object] = {
        "urn": school.urn or "",
        "name": school.name,
        "la": school.la_name or "",
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
