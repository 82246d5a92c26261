"""Whose notice is this? Detect the audience from the title and the notice's own scope statements.

The audiences (model.AUDIENCES) are what the rules distinguish:

- ``pupils``    pupil data, told to the pupils themselves ("a notice for students",
                "ask your parents", "your teachers");
- ``parents``   told to parents and carers: about their child's data ("your child"),
                about pupils and families together, or about the parents' own data;
                a third-person notice about pupil data ("how we use pupil
                information") is read by parents and counts here too;
- ``workforce`` staff, and job applicants as future staff;
- ``governors`` governors, trustees, members and volunteers;
- ``other``     visitors, contractors, CCTV, alumni and supporters, website enquirers.

The DfE pupil-data rules apply to ``pupils`` and ``parents`` only, so the one
error that matters most is calling a pupil notice a staff or visitor notice,
or the reverse. A notice says whom it covers in its title and in a scope
sentence ("This privacy notice explains how we use personal data about
pupils and their parents"), so those are weighed first; a sentence pointing to
*another* notice ("there is a separate notice for staff") is not a scope
statement. Only when the opening says nothing do the words of the whole text
decide, and then only on clear majorities; otherwise the audience stays None.
Pure: no I/O.
"""

from __future__ import annotations

import re
from collections import Counter

from noticecheck.matching import Screened
from noticecheck.model import Text
from noticecheck.precompiled import regex, screened


def _cue(pattern: str) -> Screened:
    """A case-insensitive pattern behind the literal pre-filter (matching.Screened): the regex runs
    only on text that holds one of the literals every match needs, which most blocks do not. Compiled
    pattern and literals come from the start-up cache (precompiled.py)."""
    return screened(regex(pattern, re.I))


# Words naming each group. Order matters only for overlapping words: a phrase is
# consumed by the first group that matches it ("former pupils" is alumni, not pupils).
GROUP_WORDS: tuple[tuple[str, Screened], ...] = (
    ("other", _cue(
        r"\b(visitors?|contractors?|CCTV|surveillance|alumni|old (boys|girls)|former (pupils|students)|"
        r"supporters|donors?|fundrais\w*|website (users|visitors)|enquir(y|ies|ers)|members of the public|"
        r"visit(ing)? (our|the) (school|site|premises))\b")),
    ("governors", _cue(
        r"\b(governors?|governance|trustees?|directors|volunteers?|voluntary capacity|members of the (board|trust)|"
        r"(trust )?members)\b")),
    ("workforce", _cue(
        r"\b(school workforce|workforce|staff|employees?|employment|job applicants?|applicants?|candidates|"
        r"recruitment|people who work (for|at|in)|those who work (for|at|in)|early career teachers?)\b")),
    ("parents", _cue(r"\b(parents?|carers?|guardians?|famil(y|ies))\b")),
    ("pupils", _cue(
        r"\b(pupils?|students?|learners?|child(ren)?|young people|early years setting)\b")),
)
PUPIL_DATA = ("pupils", "parents")

# Sentences that state whom the notice covers.
_SCOPE = _cue(
    r"\b(privacy|fair processing|data protection) (notice|policy|statement)s?\b|"
    r"\bthis (notice|policy|statement|document)\b|\bhow we (collect|use|process|handle)\b|"
    r"\b(personal )?(data|information) (about|of|on|relating to|regarding)\b|"
    r"\b(applies|is intended|is provided|is relevant|is for|is addressed)\b|\bwho this\b",
)
# A pointer to some other notice is not a statement of this one's scope.
_ELSEWHERE = _cue(
    r"\b(separate|specific|another|different|other|their own) (privacy )?(notices?|polic(y|ies)|statements?)\b|"
    r"\bplease (refer|see)\b|\brefer to the\b|\bcan be found\b|\bis (also )?available (from|on|at|to)\b",
)
# Told to a pupil vs told to a parent. "Privacy notice for students" (not "for pupils and
# parents"), "child-friendly", "your teachers", "ask your parents" are said to pupils;
# "your child", "your son or daughter" to parents.
_PUPILS_WORD = r"(pupils?|students?|children|young people|learners)"
_TO_PUPIL = _cue(
    r"\byour (parents?|carers?|teachers?|tutors?|lessons?|classes|classmates|friends|exams?|grades|course|"
    r"timetable|form tutor|head of year|school ?work|homework)\b|"
    r"\bwhen you (join|start|leave|are at|were at|move)\b|\byou('re| are) (at|in) (school|college|year)\b|"
    r"\b(child|student|pupil|young person|young people)[- ]friendly\b|"
    r"\b(addressed to you as|to be read by|if you are) (a |an |all )?" + _PUPILS_WORD + r"\b|"
    r"\b(notice|information|version) for (our |all |current |the )?" + _PUPILS_WORD +
    r"(?!\s*(and|&|/|,|or)\s*(their |our )?(parents?|carers?|famil|staff))\b",
)
_TO_PARENT = _cue(
    r"\byour (child|children|son|daughter|child's|children's|son's|daughter's|son or daughter)\b|"
    r"\byou and your child\b|\b(notice|information) for (all |our )?(parents?|carers?|famil)",
)
# Whole-text signs, used only when the opening names nobody
_WORKFORCE_BODY = _cue(
    r"\b(payroll|salary|salaries|national insurance|pension|contract of employment|employment contract|"
    r"recruitment|DBS check|occupational health|workforce census|sickness absence|appraisal)\b",
)

_WEIGHT_TITLE, _WEIGHT_SCOPE = 3, 2
_OPENING_BLOCKS = 12
_ADDRESS_BLOCKS = 40


_PARENTS_OF = _cue(r"\b(parents?|carers?) (and carers )?of\b")


def group_counts(text: str) -> Counter:
    """How often each group is named in `text`, each phrase counted for one group only."""
    # "parents of pupils" names parents: the pupils there only say whose parents they are
    parents_of = _PARENTS_OF.count(text)
    counts: Counter = Counter()
    for name, cue in GROUP_WORDS:
        text, found = cue.subn(" ", text)
        counts[name] += found
    counts["pupils"] -= min(counts["pupils"], parents_of)
    return +counts


# A short opening line naming the notice is a title even where the loader saw a paragraph.
_TITLE_LIKE = _cue(r"\b(privacy|fair processing|how we use|data protection)\b")
_TITLE_WORDS = 16
# running headers and footers ("... Privacy Notice for Pupils - Page 2 of 4") repeat a title
# that may not be this notice's
_PAGE_FURNITURE = _cue(r"\bpage \d+ of \d+\b")


def _titles(text: Text) -> list[str]:
    titles = [text.title or ""] + [
        b.text for b in text.blocks[:_OPENING_BLOCKS]
        if b.is_heading or (len(b.text.split()) <= _TITLE_WORDS and _TITLE_LIKE.search(b.text))
    ]
    return list(dict.fromkeys(t for t in titles if t and not (_ELSEWHERE.search(t) or _PAGE_FURNITURE.search(t))))


def _scope_sentences(text: Text, titles: list[str]) -> list[str]:
    from noticecheck.sections import split_sentences

    return [
        sentence
        for block in text.blocks[:_OPENING_BLOCKS]
        if not block.is_heading and block.text not in titles
        for sentence in split_sentences(block.text)
        if _SCOPE.search(sentence) and not _ELSEWHERE.search(sentence)
    ]


def scope_scores(text: Text) -> Counter:
    """Groups named by the title and by the opening's scope sentences, weighted."""
    scores: Counter = Counter()
    titles = _titles(text)
    for weight, parts in ((_WEIGHT_TITLE, titles), (_WEIGHT_SCOPE, _scope_sentences(text, titles))):
        for part in parts:
            for name, n in group_counts(part).items():
                scores[name] += weight * min(n, 2)
    return scores


def _pupil_or_parent(text: Text) -> str:
    """Among pupil-data notices: told to the pupils themselves, or to parents (the default)?

    The title decides when it says ("... for parents and carers", "... for students");
    otherwise the second person of the opening pages does, pointers to other notices aside.
    """
    from noticecheck.sections import split_sentences

    title = " ".join(_titles(text))
    # whom a notice addresses shows early: the opening pages are enough. Sentences pointing to another
    # notice or repeating a page footer are taken back out.
    blocks = text.blocks[:_ADDRESS_BLOCKS]
    opening = "\n".join(b.text for b in blocks)
    aside = "\n".join(
        s
        for b in blocks
        if _ELSEWHERE.search(b.text) or _PAGE_FURNITURE.search(b.text)
        for s in split_sentences(b.text)
        if _ELSEWHERE.search(s) or _PAGE_FURNITURE.search(s)
    )
    to_pupil = _TO_PUPIL.count(title), _TO_PUPIL.count(opening) - _TO_PUPIL.count(aside)
    to_parent = _TO_PARENT.count(title), _TO_PARENT.count(opening) - _TO_PARENT.count(aside)
    for pupil, parent in zip(to_pupil, to_parent):
        if pupil != parent:
            return "pupils" if pupil > parent else "parents"
    # said to nobody in particular: a notice written about pupils in the third person
    # ("how we use pupil information") is read by parents
    return "parents"


def detect_audience(text: Text) -> str | None:
    """One of model.AUDIENCES, or None when the notice never says whom it covers."""
    body = " ".join(b.text for b in text.blocks)
    scores = scope_scores(text)
    pupil_data = sum(scores[g] for g in PUPIL_DATA)
    others = [(scores[g], g) for g in ("governors", "workforce", "other") if scores[g]]
    if others:
        best_score, best = max(others)
        # a notice for staff, pupils and parents is still a pupil notice for the DfE rules
        if best_score > pupil_data:
            return best
    if pupil_data:
        return _pupil_or_parent(text)
    # the opening names nobody: go by clear majorities in the whole text
    counts = group_counts(body)
    work = _WORKFORCE_BODY.count(body) + counts["workforce"]
    pupil = counts["pupils"] + counts["parents"] + _TO_PARENT.count(body) + _TO_PUPIL.count(body)
    for name, n in (("workforce", work), ("other", counts["other"]), ("governors", counts["governors"])):
        if n >= 3 and n > 2 * pupil:
            return name
    if pupil >= 3:
        return _pupil_or_parent(text)
    return None
