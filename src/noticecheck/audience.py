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

from noticecheck.model import Text

# Words naming each group. Order matters only for overlapping words: a phrase is
# consumed by the first group that matches it ("former pupils" is alumni, not pupils).
GROUP_WORDS: tuple[tuple[str, re.Pattern], ...] = (
    ("other", re.compile(
        r"\b(visitors?|contractors?|CCTV|surveillance|alumni|old (boys|girls)|former (pupils|students)|"
        r"supporters|donors?|fundrais\w*|website (users|visitors)|enquir(y|ies|ers)|members of the public|"
        r"visit(ing)? (our|the) (school|site|premises))\b", re.I)),
    ("governors", re.compile(
        r"\b(governors?|governance|trustees?|directors|volunteers?|voluntary capacity|members of the (board|trust)|"
        r"(trust )?members)\b", re.I)),
    ("workforce", re.compile(
        r"\b(school workforce|workforce|staff|employees?|employment|job applicants?|applicants?|candidates|"
        r"recruitment|people who work (for|at|in)|those who work (for|at|in)|early career teachers?)\b", re.I)),
    ("parents", re.compile(r"\b(parents?|carers?|guardians?|famil(y|ies))\b", re.I)),
    ("pupils", re.compile(
        r"\b(pupils?|students?|learners?|child(ren)?|young people|early years setting)\b", re.I)),
)
PUPIL_DATA = ("pupils", "parents")

# Sentences that state whom the notice covers.
_SCOPE = re.compile(
    r"\b(privacy|fair processing|data protection) (notice|policy|statement)s?\b|"
    r"\bthis (notice|policy|statement|document)\b|\bhow we (collect|use|process|handle)\b|"
    r"\b(personal )?(data|information) (about|of|on|relating to|regarding)\b|"
    r"\b(applies|is intended|is provided|is relevant|is for|is addressed)\b|\bwho this\b",
    re.I,
)
# A pointer to some other notice is not a statement of this one's scope.
_ELSEWHERE = re.compile(
    r"\b(separate|specific|another|different|other|their own) (privacy )?(notices?|polic(y|ies)|statements?)\b|"
    r"\bplease (refer|see)\b|\brefer to the\b|\bcan be found\b|\bis (also )?available (from|on|at|to)\b",
    re.I,
)
# Told to a pupil vs told to a parent. "Privacy notice for students" (not "for pupils and
# parents"), "child-friendly", "your teachers", "ask your parents" are said to pupils;
# "your child", "your son or daughter" to parents.
_PUPILS_WORD = r"(pupils?|students?|children|young people|learners)"
_TO_PUPIL = re.compile(
    r"\byour (parents?|carers?|teachers?|tutors?|lessons?|classes|classmates|friends|exams?|grades|course|"
    r"timetable|form tutor|head of year|school ?work|homework)\b|"
    r"\bwhen you (join|start|leave|are at|were at|move)\b|\byou('re| are) (at|in) (school|college|year)\b|"
    r"\b(child|student|pupil|young person|young people)[- ]friendly\b|"
    r"\b(addressed to you as|to be read by|if you are) (a |an |all )?" + _PUPILS_WORD + r"\b|"
    r"\b(notice|information|version) for (our |all |current |the )?" + _PUPILS_WORD +
    r"(?!\s*(and|&|/|,|or)\s*(their |our )?(parents?|carers?|famil|staff))\b",
    re.I,
)
_TO_PARENT = re.compile(
    r"\byour (child|children|son|daughter|child's|children's|son's|daughter's|son or daughter)\b|"
    r"\byou and your child\b|\b(notice|information) for (all |our )?(parents?|carers?|famil)",
    re.I,
)
# Whole-text signs, used only when the opening names nobody
_WORKFORCE_BODY = re.compile(
    r"\b(payroll|salary|salaries|national insurance|pension|contract of employment|employment contract|"
    r"recruitment|DBS check|occupational health|workforce census|sickness absence|appraisal)\b",
    re.I,
)

_WEIGHT_TITLE, _WEIGHT_SCOPE = 3, 2
_OPENING_BLOCKS = 12


def group_counts(text: str) -> Counter:
    """How often each group is named in `text`, each phrase counted for one group only."""
    counts: Counter = Counter()
    for name, pattern in GROUP_WORDS:
        text, found = pattern.subn(" ", text)
        counts[name] += found
    # "parents of pupils" names parents: the pupils there only say whose parents they are
    counts["pupils"] -= min(counts["pupils"], len(re.findall(r"\b(parents?|carers?) (and carers )?of\b", text, re.I)))
    return +counts


# A short opening line naming the notice is a title even where the loader saw a paragraph.
_TITLE_LIKE = re.compile(r"\b(privacy|fair processing|how we use|data protection)\b", re.I)
_TITLE_WORDS = 16
# running headers and footers ("... Privacy Notice for Pupils - Page 2 of 4") repeat a title
# that may not be this notice's
_PAGE_FURNITURE = re.compile(r"\bpage \d+ of \d+\b", re.I)


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
    otherwise the second person of the whole text does, pointers to other notices aside.
    """
    from noticecheck.sections import split_sentences

    title = " ".join(_titles(text))
    body = " ".join(
        s for b in text.blocks for s in split_sentences(b.text) if not (_ELSEWHERE.search(s) or _PAGE_FURNITURE.search(s))
    )
    for words in (title, body):
        to_pupil, to_parent = len(_TO_PUPIL.findall(words)), len(_TO_PARENT.findall(words))
        if to_pupil != to_parent:
            return "pupils" if to_pupil > to_parent else "parents"
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
    work = len(_WORKFORCE_BODY.findall(body)) + counts["workforce"]
    pupil = counts["pupils"] + counts["parents"] + len(_TO_PARENT.findall(body)) + len(_TO_PUPIL.findall(body))
    for name, n in (("workforce", work), ("other", counts["other"]), ("governors", counts["governors"])):
        if n >= 3 and n > 2 * pupil:
            return name
    if pupil >= 3:
        return _pupil_or_parent(text)
    return None
