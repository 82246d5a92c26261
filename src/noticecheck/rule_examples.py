"""Run rules' own pass/fail examples through the whole pipeline, like sqlfluff's YAML test cases.

Every rule in a pack carries `examples: {fail: [...], pass: [...]}`; a
failing example must make the rule fire (with a line, a fix and a source
link), a passing one must not. `noticecheck rules --test [DIR]` runs them for
the built-in packs or for an LA's own pack directory, and
tests/test_rule_examples.py runs the built-in ones one pytest case each.

An example is a string, or `{text, context}` where the context says what the
caller would know (audience, ages, school type, jurisdiction, as_of), and
a failing one may add the `severity` the rule must fire at. Without
an as_of, examples are judged as of a fixed date, so date-dependent rules
give the same answer every day.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from noticecheck.api import CheckOptions, check_document
from noticecheck.model import Document

AS_OF = date(2026, 11, 24)
OUTCOMES = ("fail", "pass")


@dataclass(frozen=True)
class Example:
    rule: str
    outcome: str  # "fail": the rule must fire; "pass": it must not
    index: int
    text: str
    options: CheckOptions
    severity: str | None = None  # a failing example may say the severity the rule must fire at

    @property
    def name(self) -> str:
        return f"{self.rule}-{self.outcome}-{self.index}"


def options_for(example) -> tuple[str, CheckOptions]:
    """(text, options) for one example as written in a pack."""
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


def examples_of(rules: Iterable) -> list[Example]:
    """Every example of `rules`, fail ones first for each rule."""
    out = []
    for rule in rules:
        for outcome in OUTCOMES:
            for i, raw in enumerate(rule.examples.get(outcome, [])):
                text, options = options_for(raw)
                severity = raw.get("severity") if isinstance(raw, dict) else None
                out.append(Example(rule.id, outcome, i, text, options, severity))
    return out


def run_example(example: Example, rulebook) -> str | None:
    """None when the example behaves as it says; otherwise what went wrong."""
    doc = Document(source="example.txt", data=example.text.encode("utf-8"), filename="example.txt")
    result = check_document(doc, rulebook, example.options, today=example.options.as_of or AS_OF)
    if result.status != "checked":
        return f"the example could not be read: {result.error}"
    fired = [f for f in result.findings if f.rule == example.rule]
    if example.outcome == "fail":
        if not fired:
            return f"{example.rule} should fire on {example.text!r} but did not"
        bad = [f for f in fired if not (f.line >= 1 and f.fix and f.source_link.startswith("https://"))]
        if bad:
            return f"{example.rule} fired without a line, a fix or an https source link on {example.text!r}"
        if example.severity and {f.severity.label for f in fired} != {example.severity}:
            return f"{example.rule} should be {example.severity} on {example.text!r}, not {fired[0].severity.label}"
        return None
    if fired:
        return f"{example.rule} should not fire on {example.text!r}; it said: {fired[0].message}"
    return None


def rules_without_examples(rules: Iterable) -> list[str]:
    """Ids of rules missing a failing or a passing example."""
    return [r.id for r in rules if not (r.examples.get("fail") and r.examples.get("pass"))]
