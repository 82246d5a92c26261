"""Checks that the held-out test set (corpus/heldout/) is a sound, independent ground truth.

The held-out notices measure how the checker does on notices it was never tuned
on, so the label file must be trustworthy: every line validates against the
schema, every notice is labelled exactly once, the labels obey the rules in
corpus/LABELLING.md (a "missing" finding only when its section is absent, DfE
rules only for pupil/parent notices in England, age-gated rules only where the
pupils are old enough...), and no held-out notice text has leaked into the
tuning corpus. The LABELLING.md checks live in labelling_rules.py, shared with
the other labelled sets; what is particular to this set is here.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import labelling_rules as rules

pytestmark = pytest.mark.corpus

CORPUS = rules.CORPUS
HELDOUT = CORPUS / "heldout"
LABELS = HELDOUT / "labels.jsonl"
SCHEMA = HELDOUT / "labels.schema.json"
NOTICE_SUFFIXES = {".txt", ".md"}
EXPECTED_NOTICES = 24
# The placeholders this set's notices were written with (heldout2 recognises a wider set).
PLACEHOLDER = re.compile(r"\[(?:insert|name of)[^\]]*\]|\bXXXX\b", re.IGNORECASE)

ROWS = rules.read_rows(LABELS)


def _text(row: dict) -> str:
    return (HELDOUT / row["file"]).read_text(encoding="utf-8")


def _nation(row: dict) -> str:
    return rules.nation_of(row, _text(row))


CHECKS = {
    **rules.standard_checks(SCHEMA, nation=_nation),
    "real_sized_text": lambda row: rules.check_real_sized_text(HELDOUT / row["file"]),
    "old_era_is_stale": rules.check_old_era_is_stale,
    "placeholder_finding_matches_the_text": lambda row: rules.check_placeholder_finding(row, _text(row), PLACEHOLDER),
    "reserved_example_domains": lambda row: rules.check_reserved_domains(_text(row)),
}


def test_every_heldout_notice_is_labelled_exactly_once():
    notices = [
        p.relative_to(HELDOUT).as_posix()
        for p in (HELDOUT / "notices").iterdir()
        if p.suffix in NOTICE_SUFFIXES
    ]
    rules.check_one_label_per_notice([row["file"] for row in ROWS], notices)
    assert len(notices) == EXPECTED_NOTICES
    stray = [p.name for p in (HELDOUT / "notices").iterdir() if p.suffix not in NOTICE_SUFFIXES]
    assert not stray, f"unexpected files in heldout/notices: {stray}"


def test_schema_is_the_corpus_schema_unchanged():
    rules.check_schema_is_the_corpus_schema(SCHEMA)


@pytest.mark.parametrize("row, check", rules.cases(ROWS, CHECKS))
def test_heldout_labels_follow_labelling_rules(row, check):
    check(row)


def test_mix_covers_the_brief():
    rules.check_spans_every_era_and_audience(ROWS)
    assert [Path(row["file"]).suffix for row in ROWS].count(".md") == 3
    with_context = [row for row in ROWS if "age_range" in row["context"]]
    assert 9 <= len(with_context) <= 15, "about half the notices carry GIAS-style context"
    assert {_nation(row) for row in ROWS} >= {"england", "wales", "northern-ireland"}
    clean = [row for row in ROWS if len(rules.original_findings(row)) <= 1]
    poor = [row for row in ROWS if len(rules.original_findings(row)) >= 9]
    assert len(clean) >= 6 and len(poor) >= 6, "a spread of quality, not only broken notices"


def test_heldout_text_has_not_leaked_into_the_tuning_corpus():
    """No held-out notice may be copied into corpus/notices, or the set stops measuring generalisation.

    One stock sentence in common ("we will not share ... unless the law allows") is a coincidence of
    school-notice English; several shared long sentences between one held-out notice and one tuning
    notice mean text was copied.
    """
    tuning = CORPUS / "notices"
    if not tuning.is_dir():
        pytest.skip("no tuning corpus present")
    theirs = {
        path.name: path.read_text(encoding="utf-8", errors="replace")
        for path in sorted(tuning.iterdir())
        if path.suffix in {".txt", ".md", ".html"}
    }
    copied = rules.copied_pairs({row["file"]: _text(row) for row in ROWS}, theirs)
    assert not copied, "held-out text found in the tuning corpus:\n" + "\n".join(copied)
