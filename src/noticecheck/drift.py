"""Drift from a trust's template: how a school's notice differs from the one its trust wrote, and whose gaps are whose.

A multi-academy trust writes one notice and its schools copy it, then
change it. This module compares a copy with the template part by part (the
parts under the notice's own headings, `model.OutlinePart`), says which
parts match, changed (with the sentences taken out and put in), were
dropped or were added, and splits the copy's findings into those it
inherited from the template (fix the template once and every copy is
fixed) and its own. It can also pick the likely template out of a trust's
notices when nobody names one.

Pure: outlines and findings in, dataclasses out. Findings are matched with
`pairing.pair` by rule id, like every other comparison of findings.
"""

from __future__ import annotations

import difflib
import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from noticecheck.model import OutlinePart
from noticecheck.pairing import pair

# Two parts with different headings are the same part renamed when at least
# this share of the smaller one's sentences is in both.
SAME_PART_SHARE = 0.5
# A notice is a copy of a candidate template when at least this share of their sentences is in both...
COPY_SHARE = 0.6
# ...and a candidate is the trust's template when more than this share of the trust's notices are copies.
TEMPLATE_MAJORITY = 0.5

# A taken-out and a put-in sentence this alike (difflib ratio) are one sentence edited.
REWORDED_RATIO = 0.75

STATES = ("match", "changed", "dropped", "added")


# A trust's copies repeat the template's sentences many times over. Trusts are compared one at a
# time, so the cache needs to hold about one trust's sentences: a bound near a run's size would
# keep every school's own sentences alive to the end of a national run's reports.
@functools.lru_cache(maxsize=4096)
def _norm(sentence: str) -> str:
    # Case, spacing and curly quotes change when text is pasted between
    # editors; none of that is drift anyone needs to see.
    text = sentence.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    return " ".join(text.split()).casefold()


@dataclass(frozen=True)
class PartDrift:
    """One part of the template (or of the copy, when `state` is "added") and what became of it."""

    heading: str  # the template's heading; the copy's for an added part
    state: str  # one of STATES
    copy_heading: str | None = None  # the copy's heading when it was renamed
    removed: tuple[str, ...] = ()  # template sentences the copy left out
    added: tuple[str, ...] = ()  # sentences the copy put in
    reworded: tuple[tuple[str, str], ...] = ()  # (template sentence, the copy's edit of it)

    def to_json(self) -> dict:
        return {
            "heading": self.heading, "state": self.state, "copy_heading": self.copy_heading,
            "removed": list(self.removed), "added": list(self.added), "reworded": [list(p) for p in self.reworded],
        }


@dataclass(frozen=True)
class NoticeDrift:
    """A copy compared with its template."""

    template: str
    notice: str
    parts: tuple[PartDrift, ...]
    kept_share: float  # share of the template's sentences the copy kept, word for word or edited
    inherited: tuple = ()  # the copy's findings the template has too
    own: tuple = ()  # the copy's findings the template does not have
    fixed: tuple = ()  # the template's findings the copy does not have

    def count(self, state: str) -> int:
        return sum(1 for p in self.parts if p.state == state)

    @property
    def identical(self) -> bool:
        return all(p.state == "match" for p in self.parts)

    def to_json(self) -> dict:
        return {
            "template": self.template,
            "notice": self.notice,
            "kept_share": round(self.kept_share, 3),
            "parts": {state: self.count(state) for state in STATES},
            "sections": [p.to_json() for p in self.parts],
            "inherited": [_finding_json(f) for f in self.inherited],
            "own": [_finding_json(f) for f in self.own],
            "fixed": [_finding_json(f) for f in self.fixed],
        }


def severity_name(finding) -> str:
    """"error", "warning" or "info" for a `model.Finding` (enum) or a stored finding (text)."""
    severity = finding.severity
    return severity if isinstance(severity, str) else severity.name.lower()


def _finding_json(finding) -> dict:
    return {"rule": finding.rule, "severity": severity_name(finding), "title": finding.title or finding.rule}


def _sentences(part: OutlinePart) -> list[str]:
    return [_norm(s) for s in part.sentences]


def _overlap(a: OutlinePart, b: OutlinePart) -> float:
    x, y = set(_sentences(a)), set(_sentences(b))
    if not x or not y:
        return 0.0
    return len(x & y) / min(len(x), len(y))


def _compare_part(old: OutlinePart, new: OutlinePart) -> PartDrift:
    old_norm, new_norm = _sentences(old), _sentences(new)
    old_set, new_set = set(old_norm), set(new_norm)
    removed = [s for s, n in zip(old.sentences, old_norm) if n not in new_set]
    added = [s for s, n in zip(new.sentences, new_norm) if n not in old_set]
    reworded = _reworded(removed, added)
    renamed = _norm(old.heading) != _norm(new.heading)
    state = "changed" if removed or added or reworded or renamed else "match"
    return PartDrift(old.heading, state, new.heading if renamed else None, tuple(removed), tuple(added), reworded)


def _reworded(removed: list[str], added: list[str]) -> tuple[tuple[str, str], ...]:
    """Take out of `removed` and `added` the sentences that are edits of one another (a date or a name changed).

    "DPA 1998" -> "DPA 2018" reads better as one edited sentence than as one
    sentence gone and another come. Pairs most alike first; both lists are changed in place.
    """
    candidates = sorted(
        ((difflib.SequenceMatcher(None, _norm(a), _norm(b)).ratio(), i, j) for i, a in enumerate(removed)
         for j, b in enumerate(added)),
        reverse=True,
    )
    used_old, used_new, pairs = set(), set(), []
    for ratio, i, j in candidates:
        if ratio < REWORDED_RATIO:
            break
        if i not in used_old and j not in used_new:
            used_old.add(i)
            used_new.add(j)
            pairs.append((i, removed[i], added[j]))
    removed[:] = [s for i, s in enumerate(removed) if i not in used_old]
    added[:] = [s for j, s in enumerate(added) if j not in used_new]
    return tuple((a, b) for _, a, b in sorted(pairs))


def word_diff(old: str, new: str) -> list[tuple[str, str]]:
    """An edited sentence as (op, words) runs: op "=" kept, "-" taken out, "+" put in."""
    a, b = old.split(), new.split()
    runs: list[tuple[str, str]] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            runs.append(("=", " ".join(a[i1:i2])))
            continue
        if i2 > i1:
            runs.append(("-", " ".join(a[i1:i2])))
        if j2 > j1:
            runs.append(("+", " ".join(b[j1:j2])))
    return runs


def compare_outlines(template: Sequence[OutlinePart], copy: Sequence[OutlinePart]) -> tuple[tuple[PartDrift, ...], float]:
    """Part-by-part drift of `copy` from `template`, and the share of template sentences kept (edited ones count)."""
    by_heading = pair(list(template), list(copy), key=lambda p: _norm(p.heading))
    matched: dict[int, OutlinePart] = {id(old): new for old, new in by_heading.kept}
    spare = list(by_heading.added)
    # A renamed heading over the same text is the same part, changed.
    for old in by_heading.gone:
        best = max(spare, key=lambda new: _overlap(old, new), default=None)
        if best is not None and _overlap(old, best) >= SAME_PART_SHARE:
            matched[id(old)] = best
            spare.remove(best)
    parts = [
        _compare_part(old, matched[id(old)]) if id(old) in matched else PartDrift(old.heading, "dropped", removed=old.sentences)
        for old in template
    ]
    parts += [PartDrift(new.heading, "added", added=new.sentences) for new in spare]
    template_sentences = {_norm(s) for p in template for s in p.sentences}
    copy_sentences = {_norm(s) for p in copy for s in p.sentences}
    # an edited sentence (a name or a date changed) is still the template's sentence, kept
    edited = sum(len(p.reworded) for p in parts)
    kept = min(1.0, (len(template_sentences & copy_sentences) + edited) / len(template_sentences)) if template_sentences else 0.0
    return tuple(parts), kept


def split_findings(template_findings: Sequence, copy_findings: Sequence) -> tuple[tuple, tuple, tuple]:
    """(inherited, own, fixed): the copy's findings the template shares, the copy's alone, the template's the copy fixed."""
    matched = pair(list(template_findings), list(copy_findings), key=lambda f: f.rule)
    return tuple(new for _, new in matched.kept), matched.added, matched.gone


def drift(
    template_name: str,
    template: Sequence[OutlinePart],
    template_findings: Sequence,
    notice_name: str,
    copy: Sequence[OutlinePart],
    copy_findings: Sequence,
) -> NoticeDrift:
    """Compare one copy with its template: parts and findings."""
    parts, kept = compare_outlines(template, copy)
    inherited, own, fixed = split_findings(template_findings, copy_findings)
    return NoticeDrift(template_name, notice_name, parts, kept, inherited, own, fixed)


@dataclass(frozen=True)
class LikelyTemplate:
    """The notice most of a trust's notices were copied from, found without being told."""

    name: str
    copies: tuple[str, ...]  # notices that keep most of its sentences (itself excluded)
    others: tuple[str, ...]  # notices that do not


def likely_template(outlines: Mapping[str, Sequence[OutlinePart]]) -> LikelyTemplate | None:
    """The notice whose sentences most of the others share, or None when the notices are not copies of one.

    A candidate's copies are the notices sharing at least COPY_SHARE of the
    sentences the two hold between them; it wins with the most copies (then the
    most sentences shared overall), if they are more than TEMPLATE_MAJORITY of
    the other notices.
    """
    if len(outlines) < 3:
        return None  # with two notices, "most of the trust" means nothing
    sets = {name: {_norm(s) for p in parts for s in p.sentences} for name, parts in outlines.items()}
    best: tuple | None = None
    for name, own in sets.items():
        if not own:
            continue
        # Jaccard, not the share of the candidate's sentences: otherwise the copy that
        # dropped a part (fewest sentences, all of them everywhere) would look like the source.
        shares = {other: len(own & theirs) / len(own | theirs) for other, theirs in sets.items() if other != name}
        copies = tuple(other for other, share in shares.items() if share >= COPY_SHARE)
        score = (len(copies), sum(shares.values()), name)
        if best is None or score[:2] > best[0][:2]:
            best = (score, name, copies)
    if best is None:
        return None
    _, name, copies = best
    if len(copies) <= TEMPLATE_MAJORITY * (len(sets) - 1):
        return None
    others = tuple(other for other in sets if other != name and other not in copies)
    return LikelyTemplate(name, copies, others)


def sentence_diff_lines(part: PartDrift) -> list[str]:
    """A part's drift as lines a person reads: "- sentence" taken out, "+ sentence" put in,
    "~ sentence" edited, with [-old words-] and {+new words+} marked."""
    edited = [
        "~ " + " ".join({"=": w, "-": f"[-{w}-]", "+": f"{{+{w}+}}"}[op] for op, w in word_diff(old, new))
        for old, new in part.reworded
    ]
    return [f"- {s}" for s in part.removed] + [f"+ {s}" for s in part.added] + edited


__all__ = [
    "LikelyTemplate", "NoticeDrift", "PartDrift", "STATES", "compare_outlines", "drift", "likely_template",
    "sentence_diff_lines", "severity_name", "split_findings", "word_diff",
]
