"""Every rule's own pass/fail examples, run through the whole pipeline (proselint/sqlfluff style).

The examples live with the rules in rules/*.yaml; this one parametrised test
runs them all with the code `noticecheck rules --test` uses
(noticecheck/rule_examples.py), so adding a rule needs no Python but cannot
skip its examples.
"""

from __future__ import annotations

import pytest

from noticecheck.rule_examples import examples_of, rules_without_examples, run_example
from noticecheck.rulebook import default_rulebook

BOOK = default_rulebook()
CASES = [pytest.param(example, id=example.name) for example in examples_of(BOOK.rules)]


@pytest.mark.parametrize("example", CASES)
def test_rule_example(example):
    assert run_example(example, BOOK) is None


def test_every_rule_has_examples_both_ways():
    assert len(CASES) >= 2 * len(BOOK.rules)
    assert rules_without_examples(BOOK.rules) == []
