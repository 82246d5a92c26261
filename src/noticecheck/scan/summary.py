"""What a scan means to a reader: key checks per school, run totals, and changes between runs.

The dashboard, the CSV/JSONL exports and `noticecheck report --since` all
show the same facts; this module computes them once from stored records
(`store.RunData`) so the formats cannot disagree. No I/O.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from noticecheck.pairing import pair
from noticecheck.scan.status import SCHOOL_STATUSES
from noticecheck.scan.store import NoticeRecord, RunData, RunInfo, SchoolRecord, StoredSchools



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
class Gap:
    """A rule that fired somewhere, at its highest severity seen, and how many schools it affects."""

    rule: str
    title: str
    severity: str
    schools: int


def rank_gaps(schools: Iterable[SchoolRecord]) -> list[Gap]:
    """The gaps of these schools, most serious first: by severity, then by schools affected, then rule id.

    A count alone put three suggestions above a missing DPO; an LA fixes
    problems before polishing, so severity leads.
    """
    rule_schools: Counter[str] = Counter()
    titles: dict[str, str] = {}
    severity: dict[str, str] = {}
    for school in schools:
        rules_here = set()
        for n in school.notices:
            for f in n.findings:
                rules_here.add(f.rule)
                titles.setdefault(f.rule, f.title or f.rule)
                if _rank(f.severity) > _rank(severity.get(f.rule, "")):
                    severity[f.rule] = f.severity
        rule_schools.update(rules_here)
    gaps = [Gap(r, titles[r], severity[r], c) for r, c in rule_schools.items()]
    return sorted(gaps, key=lambda g: (-_rank(g.severity), -g.schools, g.rule))


@dataclass(frozen=True)
class RunTotals:
    schools: int
    by_status: dict[str, int]  # every status, in SCHOOL_STATUSES order, zeros included
    notices: int
    notices_checked: int
    by_rule: list[Gap]  # most serious first (rank_gaps)
    compliant_schools: int  # checked, and no error-level finding in any notice


def run_totals(data: RunData) -> RunTotals:
    by_status = {s: 0 for s in SCHOOL_STATUSES}
    notices = checked = compliant = 0
    for school in data.schools:
        by_status[school.status] = by_status.get(school.status, 0) + 1
        notices += len(school.notices)
        checked += sum(1 for n in school.notices if n.status == "checked")
        if school.status == "checked" and school.errors == 0:
            compliant += 1
    return RunTotals(
        schools=len(data.schools), by_status=by_status, notices=notices, notices_checked=checked,
        by_rule=rank_gaps(data.schools), compliant_schools=compliant,
    )


def key_check_shares(schools: Iterable[SchoolRecord]) -> dict[str, float | None]:
    """Per key check, the share of the schools with a checked notice that pass it (None: none checked)."""
    schools = list(schools)
    shares: dict[str, float | None] = {}
    for check in KEY_CHECKS:
        results = [key_check_passes(check, s.notices) for s in schools]
        judged = [r for r in results if r is not None]
        shares[check.id] = sum(judged) / len(judged) if judged else None
    return shares


@dataclass(frozen=True)
class CheckTrend:
    """The share of schools passing one key check in each run, oldest first (None: nothing checked that run)."""

    check: KeyCheck
    points: tuple[tuple[int, float | None], ...]  # (run id, share)

    @property
    def now(self) -> float | None:
        return self.points[-1][1] if self.points else None

    @property
    def before(self) -> float | None:
        """The share in the run before this one, if there was one."""
        return self.points[-2][1] if len(self.points) > 1 else None


def check_trends(run_ids: Iterable[int], counts) -> list[CheckTrend]:
    """Every key check's share over `run_ids`; `counts(run_id)` is `Store.check_counts` for KEY_CHECKS."""
    per_run = [(run_id, counts(run_id)) for run_id in run_ids]
    trends = []
    for check in KEY_CHECKS:
        points = []
        for run_id, by_check in per_run:
            passing, judged = by_check.get(check.id, (0, 0))
            points.append((run_id, passing / judged if judged else None))
        trends.append(CheckTrend(check, tuple(points)))
    return trends


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
    """Two runs compared: the schools that changed, in full, and counts over every school compared.

    Only the changed schools are kept; any one school's change (changed or
    not: a school page shows what stayed) is worked out again when asked for
    (`change_for`), from the runs as `compare_runs` was given them, so a
    comparison of streamed runs holds no record per school."""

    old_run: int
    new_run: int
    changed: tuple[SchoolChange, ...]  # in the newer run's order, then schools only the older run holds
    compared: int  # schools compared (in both runs, or in either when the runs cover the same list)
    counts: dict[str, int]  # fixed, new, stayed, status_changes over every school compared
    # Runs over different school lists (another LA, another file) are compared only on the
    # schools both hold; `left_out` counts the schools in just one of them.
    shared_only: bool = False
    left_out: int = 0
    lookup: Callable[..., SchoolChange | None] | None = field(default=None, compare=False, repr=False)

    @property
    def note(self) -> str:
        """What a reader must know before trusting the comparison ("" when the runs cover the same schools)."""
        if not self.shared_only:
            return ""
        return (
            f"Scans {self.old_run} and {self.new_run} cover different school lists; only the "
            f"{self.compared} schools in both are compared ({self.left_out} in only one scan are left out)."
        )

    def change_for(self, key: str, school: SchoolRecord | None = None) -> SchoolChange | None:
        """One school's change (None: not compared); `school`, the newer run's record, saves reading it again."""
        return self.lookup(key, school) if self.lookup is not None else None

    def get(self, key: str) -> SchoolChange | None:
        """`change_for` by key alone, as the pages' templates look a school up."""
        return self.change_for(key)

    def totals(self) -> dict[str, int]:
        return {"schools_changed": len(self.changed), **self.counts}


def _items(school: SchoolRecord | None, shared: dict | None = None) -> dict[tuple[str, str], ChangeItem]:
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
                item = ChangeItem(rule=f.rule, title=f.title or f.rule, audience=audience, severity=f.severity)
                # one object per distinct item across a comparison: every school keeps its items
                items[key] = item if shared is None else shared.setdefault(item, item)
    return items


def _rank(severity: str) -> int:
    return {"error": 3, "warning": 2, "info": 1}.get(severity, 0)


class IncomparableRuns(ValueError):
    """Two runs share no school, so "what changed" has no meaning."""


def same_school_list(old: RunInfo, new: RunInfo) -> bool:
    """Whether two runs scanned the same list: the same LA (or, with no LA, the same file) and the same trust filter."""

    def fold(value) -> str:
        return " ".join(str(value or "").split()).casefold()

    if fold(old.options.get("trust")) != fold(new.options.get("trust")):
        return False
    if old.la or new.la:
        return fold(old.la) == fold(new.la)
    return old.source == new.source


def compare_runs(old: RunData, new: RunData) -> RunComparison:
    """Per school: findings fixed, new and unchanged, and any status change.

    Runs over different school lists (a Kent run and a Hertfordshire run)
    are compared on the schools both hold, and the comparison says so;
    with no school in common, IncomparableRuns is raised. The two runs are
    walked side by side in key order, keeping the changed schools and counts
    over all of them, never both runs' schools; the changes are listed in the
    newer run's order, then the schools only the older run holds.
    """
    shared_only = not same_school_list(old.run, new.run)
    left_out = compared = 0
    counts = {"status_changes": 0, "fixed": 0, "new": 0, "stayed": 0}
    changed: list[SchoolChange] = []
    shared: dict[ChangeItem, ChangeItem] = {}
    for key, before, after in _side_by_side(_by_key(old.schools), _by_key(new.schools)):
        if shared_only and (before is None or after is None):
            left_out += 1
            continue
        change = _school_change(key, before, after, shared)
        compared += 1
        counts["status_changes"] += change.status_changed
        for which in ("fixed", "new", "stayed"):
            counts[which] += len(getattr(change, which))
        if change.changed:
            changed.append(change)
    if shared_only and not compared:
        raise IncomparableRuns(
            f"scan {old.run.id} ({_list_name(old.run)}) and scan {new.run.id} ({_list_name(new.run)}) "
            f"have no school in common, so there is nothing to compare"
        )
    new_order, old_order = _name_order(new.schools), _name_order(old.schools)
    changed.sort(key=lambda c: (0, new_order(c.key, c.name)) if c.new_status is not None else (1, old_order(c.key, c.name)))

    old_school, new_school = _finder(old.schools), _finder(new.schools)

    def lookup(key: str, school: SchoolRecord | None = None) -> SchoolChange | None:
        before, after = old_school(key), school or new_school(key)
        if (before is None and after is None) or (shared_only and (before is None or after is None)):
            return None
        return _school_change(key, before, after, {})

    return RunComparison(
        old_run=old.run.id, new_run=new.run.id, changed=tuple(changed), compared=compared, counts=counts,
        shared_only=shared_only, left_out=left_out, lookup=lookup,
    )


# SQLite's NOCASE folds ASCII letters only, then compares code points: the stored runs' name order.
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def _name_order(schools) -> Callable[[str, str], tuple]:
    """A sort key (school key, name) -> position in the schools' own order: worked out from the name
    when they are stored (read ORDER BY name COLLATE NOCASE, key), else their position in memory."""
    if isinstance(schools, StoredSchools):
        return lambda key, name: (name.translate(_ASCII_LOWER), key)
    position = {s.key: i for i, s in enumerate(schools)}
    return lambda key, name: (position[key],)


def _finder(schools) -> Callable[[str], SchoolRecord | None]:
    """Key -> school: read from the database when stored, else picked from memory."""
    if isinstance(schools, StoredSchools):
        return schools.get
    return {s.key: s for s in schools}.get


def _school_change(key: str, before: SchoolRecord | None, after: SchoolRecord | None, shared: dict) -> SchoolChange:
    a, b = _items(before, shared), _items(after, shared)
    # A finding is "fixed" or "new" only when the notices were checked in
    # both scans: a site that went offline has not fixed anything, and one
    # that came back online has not made its old gaps new.
    comparable = before is not None and after is not None and before.status == after.status == "checked"
    matched = pair(list(a.values()), list(b.values()), key=lambda item: (item.audience, item.rule))
    return SchoolChange(
        key=key,
        name=(after or before).name,
        old_status=before.status if before else None,
        new_status=after.status if after else None,
        fixed=tuple(sorted(matched.gone, key=_order)) if comparable else (),
        new=tuple(sorted(matched.added, key=_order)) if comparable else (),
        stayed=tuple(sorted((item for _, item in matched.kept), key=_order)),
    )


def _by_key(schools) -> Iterator[SchoolRecord]:
    """Schools in key order: read so from the database when stored, else sorted."""
    if isinstance(schools, StoredSchools):
        return schools.by_key()
    return iter(sorted(schools, key=lambda s: s.key))


def _side_by_side(old: Iterator[SchoolRecord], new: Iterator[SchoolRecord]):
    """(key, old school or None, new school or None) for every key of two key-ordered walks."""
    a, b = next(old, None), next(new, None)
    while a is not None or b is not None:
        if b is None or (a is not None and a.key < b.key):
            yield a.key, a, None
            a = next(old, None)
        elif a is None or b.key < a.key:
            yield b.key, None, b
            b = next(new, None)
        else:
            yield a.key, a, b
            a, b = next(old, None), next(new, None)


def _list_name(run: RunInfo) -> str:
    return f"LA {run.la}" if run.la else f"school list {run.source}"


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
        "shared_only": comparison.shared_only,
        "left_out": comparison.left_out,
        "note": comparison.note,
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
            for s in comparison.changed
        ],
    }
