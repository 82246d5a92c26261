"""A short text each regular expression of a rule finds, so the rule reference shows words, not regex.

A data protection officer reading docs/rules.md cannot read
`\\bretention (period|schedule)s?\\b`, but can read "retention period". For
each pattern this builds the plainest text it matches: the first choice of
each alternation, each repeat as few times as it allows (once when it must
appear at all), and an ordinary letter, digit or space for each class. The
result is checked against the pattern itself and dropped when it does not
match (lookarounds and back-references can defeat the walk), so the reference
never shows an example the rule would not find.
"""

from __future__ import annotations

import re
from re import _constants as C  # noqa: N812 - the stdlib's own opcode names
from re import _parser as sre_parse

from noticecheck.rulebook import flat_patterns

_CATEGORY = {
    C.CATEGORY_DIGIT: "6", C.CATEGORY_NOT_DIGIT: "a", C.CATEGORY_WORD: "a", C.CATEGORY_NOT_WORD: " ",
    C.CATEGORY_SPACE: " ", C.CATEGORY_NOT_SPACE: "a",
}
_MAX_LENGTH = 80  # longer than a phrase: a pattern for a shape, not for words


class _Unwritable(Exception):
    """The walk met something it cannot write (a back-reference, a conditional)."""


def example_of(pattern: str, flags: int = re.IGNORECASE) -> str | None:
    """The plainest text `pattern` matches, or None when there is none worth showing."""
    try:
        parsed = sre_parse.parse(pattern, flags)
        text = " ".join(_write(parsed.data).split())
    except (re.error, _Unwritable, RecursionError):
        return None
    if not text or len(text) > _MAX_LENGTH or not any(c.isalnum() for c in text):
        return None
    return text if re.search(pattern, text, flags) else None


def _write(items) -> str:
    return "".join(_item(op, av) for op, av in items)


def _item(op, av) -> str:
    if op is C.LITERAL:
        return chr(av)
    if op is C.NOT_LITERAL:
        return "a" if chr(av) != "a" else "b"
    if op is C.ANY:
        return "'"  # in these patterns a lone "." stands for an apostrophe or hyphen: "children.s"
    if op is C.IN:
        return _one_of(av)
    if op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT):
        low, _high, body = av
        if low == 0:
            # an optional gap (`\s?`, `[^\n]{0,60}`) reads best as one space; anything else is left out
            return " " if _takes_space(body.data) else ""
        return _write(body.data) * low
    if op is C.SUBPATTERN:
        return _write(av[3].data)
    if op is C.ATOMIC_GROUP:
        return _write(av.data)
    if op is C.BRANCH:
        return _write(av[1][0].data)
    if op in (C.AT, C.ASSERT, C.ASSERT_NOT):
        return ""  # anchors and lookarounds take no text (the final check catches a clash)
    raise _Unwritable(op)


def _takes_space(items) -> bool:
    """Can this one-item body match a space (a gap between words)?"""
    if len(items) != 1:
        return False
    op, av = items[0]
    if op is C.ANY:
        return True
    if op is C.LITERAL:
        return av == ord(" ")
    if op is C.NOT_LITERAL:
        return av != ord(" ")
    if op is C.IN:
        negated = any(o is C.NEGATE for o, _ in av)
        spaces = any((o is C.LITERAL and a == ord(" ")) or (o is C.CATEGORY and a is C.CATEGORY_SPACE) for o, a in av)
        return spaces != negated
    return False


def _one_of(items) -> str:
    if any(op is C.NEGATE for op, _ in items):
        return "a" if all(not (op is C.LITERAL and av == ord("a")) for op, av in items) else "b"
    for op, av in items:
        if op is C.LITERAL:
            return chr(av)
        if op is C.RANGE:
            return chr(av[0])
        if op is C.CATEGORY:
            return _CATEGORY.get(av, "a")
    raise _Unwritable(C.IN)


def examples_of(patterns, limit: int = 4) -> list[str]:
    """Up to `limit` distinct examples, one per pattern, in the patterns' order (shared lists flattened)."""
    out: list[str] = []
    for pattern in flat_patterns(patterns):
        example = example_of(pattern)
        if example and example.lower() not in (e.lower() for e in out):
            out.append(example)
        if len(out) == limit:
            break
    return out
