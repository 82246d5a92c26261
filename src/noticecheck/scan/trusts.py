"""A scan seen by trust: each trust's schools, gaps and key checks, and how its schools drifted from its template.

A trust's DPO fixes the trust's template once rather than each school's copy,
so the roll-up says which gaps came from the template (inherited: fix once,
every copy is fixed) and which schools added gaps of their own. The template
is the one given with `scan --template TRUST=PATH`, else the notice most of
the trust's schools copied (`drift.likely_template`), else none.

Reads the run as `store.RunData` (the same records every report uses) and the
notices' outlines from the store one trust at a time, so a large LA's notice
text is never all in memory at once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from noticecheck.drift import COPY_SHARE, NoticeDrift, drift, likely_template
from noticecheck.scan.scratch import Scratch
from noticecheck.scan.store import NoticeRecord, RunData, SchoolRecord, TemplateRecord
from noticecheck.scan.summary import Gap, RunComparison, key_check_shares, rank_gaps

# Findings that count as gaps a DPO acts on; suggestions (info) are listed but not counted.
GAP_SEVERITIES = ("error", "warning")
# Pupils' and parents' notices are what a trust template is for; a staff notice is compared only with a staff template.
_PUPIL_AUDIENCES = ("pupils", "parents", None)


@dataclass(frozen=True)
class SchoolDrift:
    key: str
    name: str
    notice: NoticeRecord | None  # the notice compared (None: no checked notice to compare)
    drift: NoticeDrift | None
    is_template: bool = False  # this school's notice is the one found to be the template

    @property
    def follows(self) -> bool:
        """Whether the notice is a copy of the template at all (keeps most of its sentences)."""
        return self.drift is not None and self.drift.kept_share >= COPY_SHARE

    @property
    def inherited(self) -> tuple:
        return self.drift.inherited if self.follows else ()

    @property
    def own(self) -> tuple:
        if self.drift is None:
            return ()  # no checked notice, nothing compared
        # a school that wrote its own notice owns all of its gaps
        return self.drift.own if self.follows else self.drift.inherited + self.drift.own

    def gaps(self, which: str) -> tuple:
        return tuple(f for f in getattr(self, which) if f.severity in GAP_SEVERITIES)


@dataclass(frozen=True)
class TrustDrift:
    template: str  # the template's file, or the school whose notice was found to be it
    found: bool  # True: worked out from the schools' notices, not given
    findings: tuple  # the template's own findings
    schools: tuple[SchoolDrift, ...]

    @property
    def inherited_gaps(self) -> list[Gap]:
        """The template's gaps that copies still carry, most serious first, with how many schools carry each."""
        counts: dict[str, int] = {}
        for school in self.schools:
            for rule in {f.rule for f in school.gaps("inherited")}:
                counts[rule] = counts.get(rule, 0) + 1
        seen = {f.rule: f for f in self.findings}
        gaps = [Gap(rule, seen[rule].title or rule, seen[rule].severity, n) for rule, n in counts.items()]
        return sorted(gaps, key=lambda g: (-_RANK[g.severity], -g.schools, g.rule))

    def fix_for(self, rule: str) -> str:
        """How to fix one of the template's gaps (the rule's own advice)."""
        return next((f.fix for f in self.findings if f.rule == rule and f.fix), "")

    @property
    def schools_inheriting(self) -> int:
        return sum(1 for s in self.schools if s.gaps("inherited"))

    @property
    def schools_with_own(self) -> tuple[SchoolDrift, ...]:
        return tuple(s for s in self.schools if s.gaps("own"))

    def headline(self) -> str:
        """The trust page's first sentence: what fixing the template would do, and who has gaps of their own."""
        n, m, k = len(self.inherited_gaps), self.schools_inheriting, len(self.schools_with_own)
        first = (
            f"{_counted(n, 'gap')} {'comes' if n == 1 else 'come'} from the template and "
            f"{'affects' if n == 1 else 'affect'} {_counted(m, 'school')}"
            if n else "No gap comes from the template"
        )
        return f"{first}; {_counted(k, 'school')} {'has' if k == 1 else 'have'} gaps of {'its' if k == 1 else 'their'} own."


@dataclass(frozen=True)
class TrustSummary:
    """One row of trusts.csv and one trust page."""

    name: str
    schools: tuple[SchoolRecord, ...]
    gaps: list[Gap]
    key_checks: dict[str, float | None]  # share of its checked schools passing each key check
    fixed: int = 0  # findings fixed since the previous run (schools checked in both)
    new: int = 0
    drift: TrustDrift | None = None

    @property
    def size(self) -> int:
        return len(self.schools)

    @property
    def checked(self) -> int:
        return sum(1 for s in self.schools if s.status == "checked")

    @property
    def schools_with_errors(self) -> int:
        return sum(1 for s in self.schools if s.errors)

    @property
    def errors(self) -> int:
        return sum(s.errors for s in self.schools)

    @property
    def warnings(self) -> int:
        return sum(s.warnings for s in self.schools)


_RANK = {"error": 3, "warning": 2, "info": 1}


def _counted(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def trust_name_key(name: str) -> str:
    return " ".join(name.split()).casefold()


def _candidates(school: SchoolRecord, audience_ok: Callable[[str | None], bool]) -> list[NoticeRecord]:
    return [n for n in school.notices if n.status == "checked" and audience_ok(n.audience)]


def trust_drift(
    schools: Iterable[SchoolRecord],
    template: TemplateRecord | None,
    outlines: Callable[[list[int]], dict[int, tuple]],
) -> TrustDrift | None:
    """Drift of one trust's schools from its template (given, else found), or None when there is none to compare with."""
    schools = list(schools)
    ids = [n.id for s in schools for n in s.notices if n.status == "checked" and n.id is not None]
    parts = outlines(ids)
    found = False
    if template is not None:
        base_name, base_outline, base_findings = template.source, template.outline, template.findings
        candidates = {s.key: [n for n in _candidates(s, lambda a: True) if n.id in parts] for s in schools}
        template_key = None
    else:
        # One pupil notice per school (the longest): a staff notice is not a copy of the pupils' template.
        chosen = {}
        for s in schools:
            notices = [n for n in _candidates(s, lambda a: a in _PUPIL_AUDIENCES) if n.id in parts]
            if notices:
                chosen[s.key] = max(notices, key=lambda n: n.word_count)
        likely = likely_template({key: parts[n.id] for key, n in chosen.items()})
        if likely is None:
            return None
        found, template_key = True, likely.name
        base = chosen[template_key]
        base_name = next(s.name for s in schools if s.key == template_key)
        base_outline, base_findings = parts[base.id], base.findings
        candidates = {key: [n] for key, n in chosen.items()}
    rows = []
    for s in schools:
        best: tuple[NoticeRecord, NoticeDrift] | None = None
        for notice in candidates.get(s.key, ()):
            d = drift(base_name, base_outline, base_findings, notice.url, parts[notice.id], notice.findings)
            if best is None or d.kept_share > best[1].kept_share:
                best = (notice, d)
        notice, d = best if best else (None, None)
        rows.append(SchoolDrift(s.key, s.name, notice, d, is_template=s.key == template_key))
    return TrustDrift(base_name, found, tuple(base_findings), tuple(rows))


def trust_groups(schools: Iterable[SchoolRecord], scratch: Scratch) -> Iterator[tuple[str, str, list[str]]]:
    """Per trust: its `trust_name_key`, its name as first spelled and its schools' keys in the schools'
    order, trusts in the order they first appear; the keys wait in `scratch`, not in memory."""
    return scratch.group((trust_name_key(s.trust), s.trust, s.key) for s in schools if s.trust)


def iter_trusts(
    data: RunData,
    *,
    templates: dict[str, TemplateRecord] | None = None,
    outlines: Callable[[list[int]], dict[int, tuple]] | None = None,
    comparison: RunComparison | None = None,
    schools_of: Callable[[list[str]], Iterable[SchoolRecord]] | None = None,
) -> Iterator[TrustSummary]:
    """Every trust of the run, one at a time, in the order trusts first appear.

    The trusts' school keys wait in a scratch file (scan/scratch.py), not in
    memory; each trust's schools are read when its turn comes
    (`schools_of(keys)`, e.g. `Store.schools_by_keys`; by default picked from
    `data.schools`), so a consumer that lets each summary go holds one trust
    at a time.
    """
    if schools_of is None:
        by_key = {s.key: s for s in data.schools if s.trust}
        schools_of = lambda keys: [by_key[k] for k in keys]  # noqa: E731
    given = {trust_name_key(name): t for name, t in (templates or {}).items()}
    # only changed schools have fixed or new findings: the comparison's own list, no map of every school
    changes = {c.key: c for c in comparison.changed} if comparison else {}
    with Scratch() as scratch:
        yield from _summaries(trust_groups(data.schools, scratch), given, changes, schools_of, outlines)


def _summaries(groups, given, changes, schools_of, outlines) -> Iterator[TrustSummary]:
    for key, name, keys in groups:
        position = {k: i for i, k in enumerate(keys)}
        schools = sorted(schools_of(keys), key=lambda s: position[s.key])  # the run's order, whatever the reader's
        members = [changes[s.key] for s in schools if s.key in changes]
        yield TrustSummary(
            name=name,
            schools=tuple(schools),
            gaps=rank_gaps(schools),
            key_checks=key_check_shares(schools),
            fixed=sum(len(c.fixed) for c in members),
            new=sum(len(c.new) for c in members),
            drift=trust_drift(schools, given.get(key), outlines) if outlines is not None else None,
        )


def trust_order(trust) -> tuple:
    """Largest first, then by name: the order trusts are listed in (a TrustSummary or a TrustTally)."""
    return (-trust.size, trust.name.casefold())


def trust_summaries(
    data: RunData,
    *,
    templates: dict[str, TemplateRecord] | None = None,
    outlines: Callable[[list[int]], dict[int, tuple]] | None = None,
    comparison: RunComparison | None = None,
) -> list[TrustSummary]:
    """Every trust of the run, largest first; `outlines(document ids)` reads notice outlines (store.outlines)."""
    return sorted(iter_trusts(data, templates=templates, outlines=outlines, comparison=comparison), key=trust_order)


@dataclass(frozen=True)
class TrustTally:
    """What is kept of a trust once its page is written: its row in the index, trusts.csv and the
    workbook, not its schools (where their findings came from is `trust_origins`)."""

    name: str
    size: int
    checked: int
    schools_with_errors: int
    errors: int
    warnings: int
    key_checks: dict[str, float | None]
    template: str | None  # None: nothing to compare with
    found: bool
    template_gaps: int
    schools_inheriting: int
    schools_with_own: int


def trust_origins(trust: TrustSummary) -> dict[tuple[int | None, str], str]:
    """Where each finding of the trust's compared notices came from: (notice id, rule) -> "template" or "school"."""
    drift = trust.drift
    origins: dict[tuple[int | None, str], str] = {}
    for school in drift.schools if drift else ():
        if school.notice is None:
            continue
        for f in school.inherited:
            origins[(school.notice.id, f.rule)] = "template"
        for f in school.own:
            origins[(school.notice.id, f.rule)] = "school"
    return origins


def tally(trust: TrustSummary) -> TrustTally:
    drift = trust.drift
    return TrustTally(
        name=trust.name, size=trust.size, checked=trust.checked, schools_with_errors=trust.schools_with_errors,
        errors=trust.errors, warnings=trust.warnings, key_checks=trust.key_checks,
        template=drift.template if drift else None, found=drift.found if drift else False,
        template_gaps=len(drift.inherited_gaps) if drift else 0,
        schools_inheriting=drift.schools_inheriting if drift else 0,
        schools_with_own=len(drift.schools_with_own) if drift else 0,
    )


__all__ = ["GAP_SEVERITIES", "SchoolDrift", "TrustDrift", "TrustSummary", "TrustTally", "iter_trusts", "tally", "trust_origins",
           "trust_drift", "trust_groups", "trust_order", "trust_summaries"]
