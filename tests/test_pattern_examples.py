"""The rule reference shows words a pattern finds, not the regex: each example is real, and most patterns get one."""

from __future__ import annotations

import re

import pytest

from noticecheck.pattern_examples import example_of, examples_of
from noticecheck.rulebook import default_rulebook, flat_patterns


@pytest.mark.parametrize(
    "pattern,expected",
    [
        (r"\bdata protection act\s?1998\b", "data protection act 1998"),
        (r"\b(retention|storage) (period|schedule)s?\b", "retention period"),
        (r"\bkept for \d+ years?\b", "kept for 6 year"),
        (r"\bchildren.s social care\b", "children's social care"),
        (r"\b(share|pass)\b[^\n]{0,60}\bsafeguard\w*", "share safeguard"),
    ],
)
def test_the_plainest_text_a_pattern_finds(pattern, expected):
    assert example_of(pattern) == expected


def test_no_example_rather_than_a_wrong_one():
    assert example_of(r"(\w+) \1") is None  # a back-reference: the walk cannot write it
    assert example_of(r"(?<!UK )GDPR(?= 2016)") is None  # the plain walk misses the lookahead, and the check sees it
    assert example_of(r"[\s\-]+") is None  # no words to show


def _all_patterns():
    for rule in default_rulebook().rules:
        yield from flat_patterns(rule.check.get("patterns") or ())


def test_most_built_in_patterns_get_an_example_and_every_example_is_found_by_its_pattern():
    patterns = list(_all_patterns())
    shown = {p: example_of(p) for p in patterns}
    assert all(re.search(p, e, re.IGNORECASE) for p, e in shown.items() if e)
    assert sum(1 for e in shown.values() if e) >= 0.9 * len(patterns)


def test_examples_are_distinct_and_limited():
    assert examples_of([r"\bGDPR\b", r"\bgdpr\b", [r"\bDPA\b", r"\bICO\b"], r"\bNPD\b", r"\bLRS\b"], limit=3) == ["GDPR", "DPA", "ICO"]
