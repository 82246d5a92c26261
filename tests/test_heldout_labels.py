"""Checks that the held-out test set (corpus/heldout/) is a sound, independent ground truth.

The held-out notices measure how the checker does on notices it was never tuned
on, so the label file must be trustworthy: every line validates against the
schema, every notice is labelled exactly once, the labels obey the rules in
corpus/LABELLING.md (a "missing" finding only when its section is absent, DfE
rules only for pupil/parent notices in England, age-gated rules only where the
pupils are old enough...), and no held-out notice text has leaked into the
tuning corpus.
"""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import jsonschema
import pytest

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
HELDOUT = CORPUS / "heldout"
LABELS = HELDOUT / "labels.jsonl"
SCHEMA = HELDOUT / "labels.schema.json"
NOTICE_SUFFIXES = {".txt", ".md"}
EXPECTED_NOTICES = 24

# Every rule id corpus/LABELLING.md defines; anything else in a label is a typo.
KNOWN_RULES = {
    "purposes-missing", "categories-missing", "recipients-missing", "retention-missing", "rights-missing",
    "contacts-missing", "lawful-basis-missing", "retention-period-missing", "controller-missing", "dpo-missing",
    "dpo-if-applicable", "special-category-condition-missing", "ico-complaint-missing", "complaints-route-missing",
    "rights-incomplete", "withdraw-consent-missing", "transfers-missing", "automated-decisions-missing",
    "source-missing",
    "dfe-sharing-missing", "npd-missing", "youth-support-missing", "lrs-missing", "dfe-access-missing",
    "outdated-dpa-1998", "outdated-dpa-name", "outdated-terms", "outdated-eu-gdpr", "outdated-directive",
    "outdated-privacy-shield", "outdated-sar-terms", "outdated-connexions", "outdated-body", "outdated-gsi-email",
    "outdated-url", "outdated-fair-processing",
    "placeholder-text", "review-date-stale", "reading-age-high",
}
# "<x>-missing" findings that mean exactly "section x is absent".
SECTION_OF_MISSING = {
    "purposes-missing": "purposes", "categories-missing": "categories", "recipients-missing": "recipients",
    "retention-missing": "retention", "rights-missing": "rights", "contacts-missing": "contacts",
    "lawful-basis-missing": "lawful_basis", "controller-missing": "controller",
    "transfers-missing": "transfers", "automated-decisions-missing": "automated_decisions",
    "source-missing": "source",
}
DFE_RULES = {"dfe-sharing-missing", "npd-missing", "youth-support-missing", "lrs-missing", "dfe-access-missing"}
# The DUAA 2025 s164A complaints duty is judged only from this date.
COMPLAINTS_DUTY_FROM = date(2026, 6, 19)
# Text that marks a notice as written for a UK nation other than England when context does not say so.
# Long sentences one held-out notice may share with one tuning notice before it counts as copied.
COPY_THRESHOLD = 3
JURISDICTION_CUES = {
    "wales": re.compile(r"\bWelsh Government\b|\bPLASC\b"),
    "northern-ireland": re.compile(r"\bNorthern Ireland\b"),
}


def _rows() -> list[dict]:
    rows = []
    for number, line in enumerate(LABELS.read_text(encoding="utf-8").splitlines(), start=1):
        if line.strip():
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise AssertionError(f"{LABELS.name} line {number} is not JSON: {exc}") from exc
    return rows


ROWS = _rows()


def _id(row: dict) -> str:
    return row.get("file", "?")


def _text(row: dict) -> str:
    return (HELDOUT / row["file"]).read_text(encoding="utf-8")


def _jurisdiction(row: dict) -> str:
    """The nation a notice is for: the context says so, or the notice text makes it plain."""
    given = row["context"].get("jurisdiction")
    if given:
        return given
    text = _text(row)
    for nation, cue in JURISDICTION_CUES.items():
        if cue.search(text):
            return nation
    return "england"


def test_every_heldout_notice_is_labelled_exactly_once():
    notices = sorted(
        p.relative_to(HELDOUT).as_posix()
        for p in (HELDOUT / "notices").iterdir()
        if p.suffix in NOTICE_SUFFIXES
    )
    labelled = [row["file"] for row in ROWS]
    assert len(labelled) == len(set(labelled)), "a notice is labelled twice"
    assert sorted(labelled) == notices
    assert len(notices) == EXPECTED_NOTICES
    stray = [p.name for p in (HELDOUT / "notices").iterdir() if p.suffix not in NOTICE_SUFFIXES]
    assert not stray, f"unexpected files in heldout/notices: {stray}"


def test_schema_is_the_corpus_schema_unchanged():
    assert SCHEMA.read_bytes() == (CORPUS / "labels.schema.json").read_bytes()


@pytest.mark.parametrize("row", ROWS, ids=_id)
def test_row_validates_against_schema(row):
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(schema).validate(row)


@pytest.mark.parametrize("row", ROWS, ids=_id)
def test_labelled_file_exists_and_is_real_sized_text(row):
    path = HELDOUT / row["file"]
    assert path.is_file(), f"{row['file']} is labelled but does not exist"
    assert len(_text(row).split()) >= 250, "held-out notices are real-sized documents"


@pytest.mark.parametrize("row", ROWS, ids=_id)
def test_findings_are_known_rule_ids(row):
    unknown = set(row["findings"]) - KNOWN_RULES
    assert not unknown, f"unknown rule ids {sorted(unknown)}"


@pytest.mark.parametrize("row", ROWS, ids=_id)
def test_missing_findings_agree_with_sections(row):
    sections, findings = row["sections"], set(row["findings"])
    for rule, key in SECTION_OF_MISSING.items():
        assert (rule in findings) == (not sections[key]), f"{rule} disagrees with sections.{key}={sections[key]}"


@pytest.mark.parametrize("row", ROWS, ids=_id)
def test_dependent_findings_agree_with_sections(row):
    s, f = row["sections"], set(row["findings"])
    if "retention-period-missing" in f:
        assert s["retention"]
    if "rights-incomplete" in f:
        assert s["rights"]
    if "special-category-condition-missing" in f:
        assert s["special_category"]
    independent = row["context"].get("school_type") == "independent"
    assert ("dpo-missing" in f) == (not s["dpo"] and not independent)
    if "dpo-if-applicable" in f:
        assert s["dpo"] and not independent
    if not s["complaints"]:
        assert "ico-complaint-missing" in f
        if date.fromisoformat(row["context"]["as_of"]) >= COMPLAINTS_DUTY_FROM:
            assert "complaints-route-missing" in f
    if date.fromisoformat(row["context"]["as_of"]) < COMPLAINTS_DUTY_FROM:
        assert "complaints-route-missing" not in f


@pytest.mark.parametrize("row", ROWS, ids=_id)
def test_dfe_rules_only_for_pupil_notices_in_england(row):
    f = set(row["findings"])
    if row["audience"] not in {"pupils", "parents"} or _jurisdiction(row) != "england":
        assert not f & DFE_RULES, "DfE rules apply only to pupil/parent notices in England"
    age_range = row["context"].get("age_range")
    if age_range:
        top = int(age_range.split("-")[1])
        if top < 13:
            assert "youth-support-missing" not in f
        if top < 14:
            assert "lrs-missing" not in f
    if "youth-support-missing" in f:
        assert not row["sections"]["youth_support"]
    if "dfe-sharing-missing" in f:
        assert not row["sections"]["government_use"]


@pytest.mark.parametrize("row", ROWS, ids=_id)
def test_reading_age_only_for_pupil_notices(row):
    if "reading-age-high" in row["findings"]:
        assert row["audience"] == "pupils"


@pytest.mark.parametrize("row", ROWS, ids=_id)
def test_old_era_notices_are_stale(row):
    """Anything written before 2021 is more than two years older than any as_of we use."""
    if row["era"] in {"dpa1998", "gdpr2018"}:
        assert "review-date-stale" in row["findings"]


@pytest.mark.parametrize("row", ROWS, ids=_id)
def test_placeholder_finding_matches_the_text(row):
    has_placeholder = bool(re.search(r"\[(?:insert|name of)[^\]]*\]|\bXXXX\b", _text(row), re.IGNORECASE))
    assert ("placeholder-text" in row["findings"]) == has_placeholder


@pytest.mark.parametrize("row", ROWS, ids=_id)
def test_notices_use_reserved_example_domains(row):
    """Invented schools only: every e-mail address is on an example domain or a retired gsi one."""
    for address in re.findall(r"[\w.+-]+@([\w.-]+\.[a-z]{2,})", _text(row)):
        assert ".example." in f".{address}." or address.endswith("gsi.gov.uk"), address


def test_mix_covers_the_brief():
    assert {row["era"] for row in ROWS} == {"dpa1998", "gdpr2018", "ukgdpr2021", "duaa2026"}
    assert {row["audience"] for row in ROWS} == {"pupils", "parents", "workforce", "governors"}
    assert [Path(row["file"]).suffix for row in ROWS].count(".md") == 3
    with_context = [row for row in ROWS if "age_range" in row["context"]]
    assert 9 <= len(with_context) <= 15, "about half the notices carry GIAS-style context"
    assert {_jurisdiction(row) for row in ROWS} >= {"england", "wales", "northern-ireland"}
    clean = [row for row in ROWS if len(row["findings"]) <= 1]
    poor = [row for row in ROWS if len(row["findings"]) >= 9]
    assert len(clean) >= 6 and len(poor) >= 6, "a spread of quality, not only broken notices"


def _sentences(text: str) -> set[str]:
    flat = re.sub(r"\s+", " ", text).lower()
    return {s.strip() for s in re.split(r"(?<=[.;!?])\s", flat) if len(s.strip()) >= 80}


def test_heldout_text_has_not_leaked_into_the_tuning_corpus():
    """No held-out notice may be copied into corpus/notices, or the set stops measuring generalisation.

    One stock sentence in common ("we will not share ... unless the law allows") is a coincidence of
    school-notice English; several shared long sentences between one held-out notice and one tuning
    notice mean text was copied.
    """
    tuning = CORPUS / "notices"
    if not tuning.is_dir():
        pytest.skip("no tuning corpus present")
    tuning_sentences = {
        path.name: _sentences(path.read_text(encoding="utf-8", errors="replace"))
        for path in sorted(tuning.iterdir())
        if path.suffix in {".txt", ".md", ".html"}
    }
    copied = []
    for row in ROWS:
        mine = _sentences(_text(row))
        for name, theirs in tuning_sentences.items():
            shared = mine & theirs
            if len(shared) >= COPY_THRESHOLD:
                copied.append(f"{row['file']} ~ {name}: {len(shared)} shared sentences")
    assert not copied, "held-out text found in the tuning corpus:\n" + "\n".join(copied)
