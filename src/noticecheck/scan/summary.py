"""What a scan means to a reader: key checks per school, run totals, and changes between runs.

The dashboard, the CSV/JSONL exports and `noticecheck report --since` all
show the same facts; this module computes them once from stored records
(`store.RunData`) so the formats cannot disagree. No I/O.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from noticecheck.pairing import pair
from noticecheck.scan.status import SCHOOL_STATUSES
from noticecheck.scan.store import NoticeRecord, RunData, SchoolRecord



@dataclass(frozen=True)
class KeyCheck:
    """One column of the schools table: passes when none of `rules` fired.

    `rules` lists every id (and old alias) whose finding means this check
    failed, so renaming a rule keeps the column working.
    """

    id: str
    label: str
    help: str
    rules: tuple[str, ...]


KEY_CHECKS: tuple[KeyCheck, ...] = (
    KeyCheck("current_law", "Current law (not DPA 1998)", "Does not cite the repealed Data Protection Act 1998.",
             ("outdated-dpa-1998", "outdated-dpa-name")),
    KeyCheck("uk_gdpr", "Says UK GDPR", "Refers to the UK GDPR rather than only the EU GDPR.",
             ("outdated-eu-gdpr",)),
    KeyCheck("retention", "How long data is kept", "Says how long data is kept, or names a retention schedule.",
             ("retention-missing", "retention-period-missing")),
    KeyCheck("dpo", "Names a DPO", "Names the data protection officer and how to contact them.",
             ("dpo-missing", "dpo-if-applicable")),
    KeyCheck("ico_complaint", "Complain to the ICO", "Tells people they can complain to the Information Commissioner.",
             ("ico-complaint-missing",)),
    KeyCheck("complaints_route", "Complain to the school", "Explains how to complain to the school itself.",
             ("complaints-route-missing",)),
    KeyCheck("npd", "National Pupil Database", "Explains the National Pupil Database (pupil notices).",
             ("npd-missing",)),
    KeyCheck("youth_support", "Youth support (13+)", "Explains sharing with youth support services (pupils 13+).",
             ("youth-support-missing",)),
)


def key_check_passes(check: KeyCheck, notices: tuple[NoticeRecord, ...] | list[NoticeRecord]) -> bool | None:
    """True/False over the checked notices given; None when none of them was checked."""
    checked = [n for n in notices if n.status == "checked"]
    if not checked:
        return None
    return not any(f.rule in check.rules for n in checked for f in n.findings)


def yes_no(value: bool | None) -> str:
    return {True: "yes", False: "no", None: ""}[value]


def audiences(school: SchoolRecord) -> list[str]:
    seen: list[str] = []
    for n in school.notices:
        label = n.audience or "unknown"
        if n.status == "checked" and label not in seen:
            seen.append(label)
    return seen


@dataclass(frozen=True)
class RunTotals:
    schools: int
    by_status: dict[str, int]  # every status, in SCHOOL_STATUSES order, zeros included
    notices: int
    notices_checked: int
    by_rule: list[tuple[str, str, int]]  # (rule, title, schools affected), most common first
    compliant_schools: int  # checked, and no error-level finding in any notice


def run_totals(data: RunData) -> RunTotals:
    by_status = {s: 0 for s in SCHOOL_STATUSES}
    rule_schools: Counter[str] = Counter()
    titles: dict[str, str] = {}
    notices = checked = compliant = 0
    for school in data.schools:
        by_status[school.status] = by_status.get(school.status, 0) + 1
        notices += len(school.notices)
        checked += sum(1 for n in school.notices if n.status == "checked")
        rules_here = set()
        for n in school.notices:
            for f in n.findings:
                rules_here.add(f.rule)
                titles.setdefault(f.rule, f.title or f.rule)
        rule_schools.update(rules_here)
        if school.status == "checked" and school.errors == 0:
            compliant += 1
    by_rule = sorted(((r, titles[r], c) for r, c in rule_schools.items()), key=lambda t: (-t[2], t[0]))
    return RunTotals(
        schools=len(data.schools), by_status=by_status, notices=notices, notices_checked=checked,
        by_rule=by_rule, compliant_schools=compliant,
    )


# -- changes between two runs ----------------------------------------------


@dataclass(frozen=True)
class ChangeItem:
    """A rule firing for one audience's notice at one school."""

    rule: str
    title: str
    audience: str
    severity: str


@dataclass(frozen=True)
class SchoolChange:
    key: str
    name: str
    old_status: str | None  # None: the school was not in the older run
    new_status: str | None  # None: the school is not in the newer run
    fixed: tuple[ChangeItem, ...]
    new: tuple[ChangeItem, ...]
    stayed: tuple[ChangeItem, ...]

    @property
    def status_changed(self) -> bool:
        return self.old_status != self.new_status

    @property
    def changed(self) -> bool:
        return self.status_changed or bool(self.fixed or self.new)


@dataclass(frozen=True)
class RunComparison:
    old_run: int
    new_run: int
    schools: tuple[SchoolChange, ...]

    @property
    def changed(self) -> tuple[SchoolChange, ...]:
        return tuple(s for s in self.schools if s.changed)

    def totals(self) -> dict[str, int]:
        return {
            "schools_changed": len(self.changed),
            "status_changes": sum(1 for s in self.schools if s.status_changed),
            "fixed": sum(len(s.fixed) for s in self.schools),
            "new": sum(len(s.new) for s in self.schools),
            "stayed": sum(len(s.stayed) for s in self.schools),
        }


def _items(school: SchoolRecord | None) -> dict[tuple[str, str], ChangeItem]:
    # A finding is "the same" across runs when the same rule fires for the
    # same audience's notice at the same school. Quotes and line numbers move
    # when a notice is edited, and URLs change when a file is re-uploaded, so
    # neither is part of the identity.
    items: dict[tuple[str, str], ChangeItem] = {}
    if school is None:
        return items
    for n in school.notices:
        audience = n.audience or "unknown"
        for f in n.findings:
            key = (audience, f.rule)
            old = items.get(key)
            if old is None or _rank(f.severity) > _rank(old.severity):
                items[key] = ChangeItem(rule=f.rule, title=f.title or f.rule, audience=audience, severity=f.severity)
    return items


def _rank(severity: str) -> int:
    return {"error": 3, "warning": 2, "info": 1}.get(severity, 0)


def compare_runs(old: RunData, new: RunData) -> RunComparison:
    """Per school: findings fixed, new and unchanged, and any status change."""
    old_by_key = {s.key: s for s in old.schools}
    new_by_key = {s.key: s for s in new.schools}
    order = [s.key for s in new.schools] + [s.key for s in old.schools if s.key not in new_by_key]
    changes = []
    for key in order:
        before, after = old_by_key.get(key), new_by_key.get(key)
        a, b = _items(before), _items(after)
        # A finding is "fixed" or "new" only when the notices were checked in
        # both scans: a site that went offline has not fixed anything, and one
        # that came back online has not made its old gaps new.
        comparable = before is not None and after is not None and before.status == after.status == "checked"
        matched = pair(list(a.values()), list(b.values()), key=lambda item: (item.audience, item.rule))
        changes.append(
            SchoolChange(
                key=key,
                name=(after or before).name,
                old_status=before.status if before else None,
                new_status=after.status if after else None,
                fixed=tuple(sorted(matched.gone, key=_order)) if comparable else (),
                new=tuple(sorted(matched.added, key=_order)) if comparable else (),
                stayed=tuple(sorted((item for _, item in matched.kept), key=_order)),
            )
        )
    return RunComparison(old_run=old.run.id, new_run=new.run.id, schools=tuple(changes))


def _order(item: ChangeItem) -> tuple:
    return (-_rank(item.severity), item.audience, item.rule)


def comparison_to_json(comparison: RunComparison) -> dict:
    """The comparison as plain JSON data (used by `report --format json`)."""

    def items(xs: tuple[ChangeItem, ...]) -> list[dict]:
        return [{"rule": i.rule, "title": i.title, "audience": i.audience, "severity": i.severity} for i in xs]

    return {
        "old_run": comparison.old_run,
        "new_run": comparison.new_run,
        "totals": comparison.totals(),
        "schools": [
            {
                "key": s.key,
                "name": s.name,
                "old_status": s.old_status,
                "new_status": s.new_status,
                "fixed": items(s.fixed),
                "new": items(s.new),
                "stayed": items(s.stayed),
            }
            for s in comparison.schools
            if s.changed
        ],
    }
