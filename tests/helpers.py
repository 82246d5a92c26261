"""Small shared helpers for the engine tests: check a text snippet the way the CLI would."""

from __future__ import annotations

from datetime import date

from noticecheck.api import CheckOptions, check_document
from noticecheck.model import Document, DocumentResult
from noticecheck.rulebook import default_rulebook

AS_OF = date(2026, 11, 24)


def check_snippet(text: str, filename: str = "notice.txt", **options) -> DocumentResult:
    options.setdefault("as_of", AS_OF)
    return check_document(Document(source=filename, data=text.encode("utf-8"), filename=filename), default_rulebook(),
                          CheckOptions(**options), today=date.today())


def rules_fired(result: DocumentResult) -> set[str]:
    return {f.rule for f in result.findings}


def present(result: DocumentResult) -> set[str]:
    return {name for name, s in result.sections.items() if s.present}


def school_record(key: str, status: str, *, notices=(), error=None, home_url=None, pages_visited=0, finished_at=None, **school):
    """A stored scan record for a school given by its register fields (name, urn, ages...)."""
    from noticecheck.fetch.registry import School
    from noticecheck.scan.store import SchoolRecord

    school.setdefault("urn", None)
    school.setdefault("website", None)
    return SchoolRecord(
        key=key, status=status, school=School(**school), notices=tuple(notices), error=error,
        home_url=home_url, pages_visited=pages_visited, finished_at=finished_at,
    )


def one_rule_pack(folder, check_lines: list[str], *, rule_id: str = "house-rule"):
    """A local authority's own pack of one rule in a new `folder`, its check given as YAML lines."""
    from pathlib import Path

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    lines = [
        "pack: house",
        "description: a local authority's own checks",
        "rules:",
        f"  - id: {rule_id}",
        "    title: A house rule",
        "    severity: warning",
        '    source: {title: UK GDPR Art 13, url: "https://www.legislation.gov.uk/eur/2016/679/article/13"}',
        '    applies_from: "2018-05-25"',
        "    check:",
        *("      " + line for line in check_lines),
        "    message: The house rule fired.",
        "    fix: Do what the house rule asks.",
        "    examples:",
        '      fail: ["We share data with the DfE."]',
        '      pass: ["The DfE keeps the National Pupil Database."]',
    ]
    (folder / "house.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder
