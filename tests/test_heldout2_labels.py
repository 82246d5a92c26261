"""Checks that the second held-out set (corpus/heldout2/) is a sound ground truth.

heldout2 was written and labelled without looking at the rules, the checker or
the other corpora, to measure how the checker does on unseen notices. These
tests only guard the data itself: every notice is labelled exactly once, every
label validates against the corpus schema, rule ids are ones corpus/LABELLING.md
defines, the labels obey LABELLING.md's own logic (a "-missing" finding exactly
when its section is absent, DfE rules only for pupil/parent notices in England,
age-gated rules only for old enough pupils...), and no notice text has been
copied into, or from, the tuning corpus or the first held-out set. The
LABELLING.md checks live in labelling_rules.py, shared with the other labelled
sets; what is particular to this set is here.
"""

from __future__ import annotations

import re
from datetime import date

import pytest

import labelling_rules as rules

pytestmark = pytest.mark.corpus

CORPUS = rules.CORPUS
SET_DIR = CORPUS / "heldout2"
NOTICES = SET_DIR / "notices"
LABELS = SET_DIR / "labels.jsonl"
SCHEMA = SET_DIR / "labels.schema.json"
EXPECTED_NOTICES = 30
AS_OF = "2026-11-24"
# The placeholders LABELLING.md lists, as this set's notices write them.
PLACEHOLDER = re.compile(r"\[(?:insert|name of|school name)[^\]]*\]|\bXXXX\b|<name[^>]*>", re.IGNORECASE)

ROWS = rules.read_rows(LABELS)
# Read from the guide itself rather than the shared list, as the set was labelled from the guide alone.
KNOWN_RULES = rules.rule_ids_in_guide()


def _text(row: dict) -> str:
    return (SET_DIR / row["file"]).read_text(encoding="utf-8")


def _nation(row: dict) -> str:
    return rules.nation_of(row, _text(row))


def _judged_at_the_common_date(row: dict) -> None:
    assert row["context"]["as_of"] == AS_OF
    # So the DUAA complaints duty applies to every notice: no complaints content means no route to the school.
    assert date.fromisoformat(row["context"]["as_of"]) >= rules.COMPLAINTS_DUTY_FROM


def _outdated_eu_gdpr_matches_the_text(row: dict) -> None:
    text = re.sub(r"\s+", " ", _text(row))  # a hard wrap can split "UK" from "GDPR"
    says_gdpr = bool(re.search(r"\bGDPR\b|General Data Protection Regulation", text))
    says_uk_gdpr = bool(re.search(r"\bUK GDPR\b|\(UK GDPR\)|the UK GDPR", text))
    assert ("outdated-eu-gdpr" in row["findings"]) == (says_gdpr and not says_uk_gdpr)


CHECKS = {
    **rules.standard_checks(SCHEMA, nation=_nation, known=KNOWN_RULES),
    "real_sized_utf8_text": lambda row: rules.check_real_sized_text(SET_DIR / row["file"]),
    "judged_at_the_common_date": _judged_at_the_common_date,
    "pre_2021_notices_are_stale": rules.check_old_era_is_stale,
    "placeholder_finding_matches_the_text": lambda row: rules.check_placeholder_finding(row, _text(row), PLACEHOLDER),
    "outdated_eu_gdpr_matches_the_text": _outdated_eu_gdpr_matches_the_text,
    "reserved_example_domains": lambda row: rules.check_reserved_domains(_text(row)),
}


# --- the set is complete and well formed -------------------------------------------------------


def test_every_notice_is_labelled_exactly_once_and_every_label_has_a_notice():
    on_disk = [f"notices/{p.name}" for p in NOTICES.iterdir()]
    rules.check_one_label_per_notice([row["file"] for row in ROWS], on_disk)
    assert len(on_disk) == EXPECTED_NOTICES
    assert all(name.endswith(".txt") for name in on_disk), "heldout2 holds plain-text notices only"


def test_schema_is_the_corpus_schema_unchanged():
    rules.check_schema_is_the_corpus_schema(SCHEMA)


def test_labelling_guide_defines_the_rule_ids():
    # Guards the guide parser: if LABELLING.md changes shape, fail loudly rather than accept anything.
    assert {"purposes-missing", "dfe-access-missing", "outdated-url", "reading-age-high"} <= KNOWN_RULES


# --- labels follow LABELLING.md ------------------------------------------------------------------


@pytest.mark.parametrize("row, check", rules.cases(ROWS, CHECKS))
def test_heldout2_labels_follow_labelling_rules(row, check):
    check(row)


def test_mix_covers_the_brief():
    rules.check_spans_every_era_and_audience(ROWS)
    with_context = [row for row in ROWS if "age_range" in row["context"]]
    assert 12 <= len(with_context) <= 18, "about half the notices carry GIAS-style context"
    nations = [_nation(row) for row in ROWS]
    assert "wales" in nations and ({"scotland", "northern-ireland"} & set(nations))
    near_complete = [row for row in ROWS if len(rules.original_findings(row)) <= 2]
    poor = [row for row in ROWS if len(rules.original_findings(row)) >= 9]
    assert len(near_complete) >= 8 and len(poor) >= 8, "a spread of quality, not only broken notices"


# --- independence --------------------------------------------------------------------------------


@pytest.mark.parametrize("other", ["notices", "heldout/notices"])
def test_no_text_shared_with_the_other_corpora(other):
    """A notice copied into (or from) the tuning corpus or heldout stops measuring generalisation."""
    directory = CORPUS / other
    if not directory.is_dir():
        pytest.skip(f"corpus/{other} not present")
    theirs = {
        f"{other}/{path.name}": path.read_text(encoding="utf-8", errors="replace")
        for path in sorted(directory.iterdir())
        if path.is_file()
    }
    copied = rules.copied_pairs({row["file"]: _text(row) for row in ROWS}, theirs)
    assert not copied, "heldout2 text found elsewhere:\n" + "\n".join(copied)
