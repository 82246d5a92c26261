"""Every rule's own pass/fail examples, run through the whole pipeline (proselint/sqlfluff style).

The examples live with the rules in rules/*.yaml; this one parametrised test
runs them all, so adding a rule needs no Python but cannot skip its examples.
"""

from __future__ import annotations

from datetime import date

import pytest

from noticecheck.api import CheckOptions, check_document
from noticecheck.model import Document
from noticecheck.rulebook import default_rulebook

AS_OF = date(2026, 11, 24)  # fixed, so date-dependent rules give the same answer every day
BOOK = default_rulebook()


def _options(example) -> tuple[str, CheckOptions]:
    if isinstance(example, str):
        return example, CheckOptions(as_of=AS_OF)
    ctx = example.get("context", {})
    ages = tuple(int(x) for x in ctx["age_range"].split("-")) if "age_range" in ctx else None
    return example["text"], CheckOptions(
        audience=ctx.get("audience"),
        age_range=ages,
        phase=ctx.get("phase"),
        school_type=ctx.get("school_type"),
        jurisdiction=ctx.get("jurisdiction"),
        as_of=date.fromisoformat(ctx["as_of"]) if "as_of" in ctx else AS_OF,
    )


CASES = [
    pytest.param(rule.id, outcome, example, id=f"{rule.id}-{outcome}-{i}")
    for rule in BOOK.rules
    for outcome in ("fail", "pass")
    for i, example in enumerate(rule.examples.get(outcome, []))
]


@pytest.mark.parametrize("rule_id,outcome,example", CASES)
def test_rule_example(rule_id, outcome, example):
    text, options = _options(example)
    result = check_document(Document(source="example.txt", data=text.encode("utf-8"), filename="example.txt"), BOOK, options, today=options.as_of)
    assert result.status == "checked", result.error
    fired = [f for f in result.findings if f.rule == rule_id]
    if outcome == "fail":
        assert fired, f"{rule_id} should fire on: {text!r}"
        assert all(f.line >= 1 and f.fix and f.source_link.startswith("https://") for f in fired)
    else:
        assert not fired, f"{rule_id} should not fire on: {text!r}; got {[f.message for f in fired]}"


@pytest.mark.parametrize("rule", BOOK.rules, ids=lambda r: r.id)
def test_every_rule_has_examples_both_ways(rule):
    assert rule.examples.get("fail"), f"{rule.id} has no failing example"
    assert rule.examples.get("pass"), f"{rule.id} has no passing example"
