"""Checks that the second held-out set (corpus/heldout2/) is a sound ground truth.

heldout2 was written and labelled without looking at the rules, the checker or
the other corpora, to measure how the checker does on unseen notices. These
tests only guard the data itself: every notice is labelled exactly once, every
label validates against the corpus schema, rule ids are ones corpus/LABELLING.md
defines, the labels obey LABELLING.md's own logic (a "-missing" finding exactly
when its section is absent, DfE rules only for pupil/parent notices in England,
age-gated rules only for old enough pupils...), and no notice text has been
copied into, or from, the tuning corpus or the first held-out set.
"""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import jsonschema
import pytest

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
SET_DIR = CORPUS / "heldout2"
NOTICES = SET_DIR / "notices"
LABELS = SET_DIR / "labels.jsonl"
SCHEMA = SET_DIR / "labels.schema.json"
EXPECTED_NOTICES = 30
AS_OF = "2026-11-24"

# "<x>-missing" ids that mean exactly "section x is absent" (LABELLING.md, Findings).
SECTION_OF_MISSING = {
    "purposes-missing": "purposes", "categories-missing": "categories", "recipients-missing": "recipients",
    "retention-missing": "retention", "rights-missing": "rights", "contacts-missing": "contacts",
    "lawful-basis-missing": "lawful_basis", "controller-missing": "controller",
    "transfers-missing": "transfers", "automated-decisions-missing": "automated_decisions",
    "source-missing": "source",
}
DFE_RULES = {"dfe-sharing-missing", "npd-missing", "youth-support-missing", "lrs-missing", "dfe-access-missing"}
COMPLAINTS_DUTY_FROM = date(2026, 6, 19)  # DUAA 2025 s164A complaints process in force
# Text that makes a notice plainly one for another UK nation when the context does not say so.
NATION_CUES = {
    "wales": re.compile(r"\bWelsh Government\b|\bPLASC\b"),
    "scotland": re.compile(r"\bScottish Government\b|\bScotXed\b"),
    "northern-ireland": re.compile(r"\bNorthern Ireland\b"),
}
# Long sentences one notice may share with another document before it counts as copied:
# a single stock line ("unless the law allows...") is school-notice English, several are copying.
COPY_THRESHOLD = 3


def _load_rows() -> list[dict]:
    rows = []
    for number, line in enumerate(LABELS.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            rows.append(json.loads(line))
        except json.JSONDecodeError as exc:
            raise AssertionError(f"{LABELS.name} line {number} is not valid JSON: {exc}") from exc
    return rows


def _known_rule_ids() -> set[str]:
    """Every rule id corpus/LABELLING.md defines (the back-quoted ids in its Findings part)."""
    text = (CORPUS / "LABELLING.md").read_text(encoding="utf-8")
    findings_part = text.split("## Findings", 1)[1]
    return set(re.findall(r"`([a-z][a-z0-9]*(?:-[a-z0-9]+)+)`", findings_part))


ROWS = _load_rows()
KNOWN_RULES = _known_rule_ids()


def _row_id(row: dict) -> str:
    return row.get("file", "?")


def _text(row: dict) -> str:
    return (SET_DIR / row["file"]).read_text(encoding="utf-8")


def _nation(row: dict) -> str:
    given = row["context"].get("jurisdiction")
    if given:
        return given
    text = _text(row)
    for nation, cue in NATION_CUES.items():
        if cue.search(text):
            return nation
    return "england"


def _sentences(text: str) -> set[str]:
    flat = re.sub(r"\s+", " ", text).lower()
    return {s.strip() for s in re.split(r"(?<=[.;!?])\s", flat) if len(s.strip()) >= 80}


# --- the set is complete and well formed -------------------------------------------------------


def test_every_notice_is_labelled_exactly_once_and_every_label_has_a_notice():
    on_disk = sorted(f"notices/{p.name}" for p in NOTICES.iterdir())
    labelled = [row["file"] for row in ROWS]
    duplicates = sorted({f for f in labelled if labelled.count(f) > 1})
    assert not duplicates, f"labelled more than once: {duplicates}"
    assert sorted(labelled) == on_disk, (
        f"unlabelled notices: {sorted(set(on_disk) - set(labelled))}; "
        f"labels without a notice: {sorted(set(labelled) - set(on_disk))}"
    )
    assert len(on_disk) == EXPECTED_NOTICES
    assert all(name.endswith(".txt") for name in on_disk), "heldout2 holds plain-text notices only"


def test_schema_is_the_corpus_schema_unchanged():
    assert SCHEMA.read_bytes() == (CORPUS / "labels.schema.json").read_bytes()


@pytest.mark.parametrize("row", ROWS, ids=_row_id)
def test_label_validates_against_the_schema(row):
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(schema).validate(row)


@pytest.mark.parametrize("row", ROWS, ids=_row_id)
def test_notice_is_real_sized_utf8_text(row):
    text = _text(row)  # raises if it is not UTF-8
    assert len(text.split()) >= 250, "held-out notices are real-sized documents"


@pytest.mark.parametrize("row", ROWS, ids=_row_id)
def test_judged_at_the_common_date(row):
    assert row["context"]["as_of"] == AS_OF


# --- labels follow LABELLING.md ------------------------------------------------------------------


def test_labelling_guide_defines_the_rule_ids():
    # Guards the parser above: if LABELLING.md changes shape, fail loudly rather than accept anything.
    assert {"purposes-missing", "dfe-access-missing", "outdated-url", "reading-age-high"} <= KNOWN_RULES


@pytest.mark.parametrize("row", ROWS, ids=_row_id)
def test_findings_are_rule_ids_the_guide_defines(row):
    unknown = set(row["findings"]) - KNOWN_RULES
    assert not unknown, f"not a rule id in LABELLING.md: {sorted(unknown)}"


@pytest.mark.parametrize("row", ROWS, ids=_row_id)
def test_missing_findings_match_absent_sections(row):
    sections, findings = row["sections"], set(row["findings"])
    for rule, key in SECTION_OF_MISSING.items():
        assert (rule in findings) == (not sections[key]), f"{rule} disagrees with sections.{key}={sections[key]}"


@pytest.mark.parametrize("row", ROWS, ids=_row_id)
def test_dependent_findings_match_sections(row):
    s, f = row["sections"], set(row["findings"])
    independent = row["context"].get("school_type") == "independent"
    if "retention-period-missing" in f:
        assert s["retention"], "retention-period-missing needs retention content"
    if "rights-incomplete" in f:
        assert s["rights"], "rights-incomplete needs a rights section"
    if "special-category-condition-missing" in f:
        assert s["special_category"]
    assert ("dpo-missing" in f) == (not s["dpo"] and not independent)
    if "dpo-if-applicable" in f:
        assert s["dpo"] and not independent
    if not s["complaints"]:
        assert "ico-complaint-missing" in f
        assert "complaints-route-missing" in f, "no complaints content at all means no route to the school"
    assert date.fromisoformat(row["context"]["as_of"]) >= COMPLAINTS_DUTY_FROM


@pytest.mark.parametrize("row", ROWS, ids=_row_id)
def test_dfe_rules_only_where_they_apply(row):
    f = set(row["findings"])
    if row["audience"] not in {"pupils", "parents"} or _nation(row) != "england":
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


@pytest.mark.parametrize("row", ROWS, ids=_row_id)
def test_reading_age_only_for_pupil_notices(row):
    if "reading-age-high" in row["findings"]:
        assert row["audience"] == "pupils"


@pytest.mark.parametrize("row", ROWS, ids=_row_id)
def test_pre_2021_notices_are_stale(row):
    # Anything written before UK GDPR is far more than two years older than the as_of date.
    if row["era"] in {"dpa1998", "gdpr2018"}:
        assert "review-date-stale" in row["findings"]


@pytest.mark.parametrize("row", ROWS, ids=_row_id)
def test_placeholder_finding_matches_the_text(row):
    has_placeholder = bool(
        re.search(r"\[(?:insert|name of|school name)[^\]]*\]|\bXXXX\b|<name[^>]*>", _text(row), re.IGNORECASE)
    )
    assert ("placeholder-text" in row["findings"]) == has_placeholder


@pytest.mark.parametrize("row", ROWS, ids=_row_id)
def test_outdated_eu_gdpr_matches_the_text(row):
    text = re.sub(r"\s+", " ", _text(row))  # a hard wrap can split "UK" from "GDPR"
    says_gdpr = bool(re.search(r"\bGDPR\b|General Data Protection Regulation", text))
    says_uk_gdpr = bool(re.search(r"\bUK GDPR\b|\(UK GDPR\)|the UK GDPR", text))
    assert ("outdated-eu-gdpr" in row["findings"]) == (says_gdpr and not says_uk_gdpr)


@pytest.mark.parametrize("row", ROWS, ids=_row_id)
def test_invented_organisations_use_reserved_domains(row):
    for domain in re.findall(r"[\w.+-]+@([\w.-]+\.[a-z]{2,})", _text(row)):
        assert ".example." in f".{domain}." or domain.endswith("gsi.gov.uk"), domain


def test_mix_covers_the_brief():
    assert {row["era"] for row in ROWS} == {"dpa1998", "gdpr2018", "ukgdpr2021", "duaa2026"}
    assert {row["audience"] for row in ROWS} == {"pupils", "parents", "workforce", "governors"}
    with_context = [row for row in ROWS if "age_range" in row["context"]]
    assert 12 <= len(with_context) <= 18, "about half the notices carry GIAS-style context"
    nations = [_nation(row) for row in ROWS]
    assert "wales" in nations and ({"scotland", "northern-ireland"} & set(nations))
    near_complete = [row for row in ROWS if len(row["findings"]) <= 2]
    poor = [row for row in ROWS if len(row["findings"]) >= 9]
    assert len(near_complete) >= 8 and len(poor) >= 8, "a spread of quality, not only broken notices"


# --- independence --------------------------------------------------------------------------------


@pytest.mark.parametrize("other", ["notices", "heldout/notices"])
def test_no_text_shared_with_the_other_corpora(other):
    """A notice copied into (or from) the tuning corpus or heldout stops measuring generalisation."""
    directory = CORPUS / other
    if not directory.is_dir():
        pytest.skip(f"corpus/{other} not present")
    theirs = {
        path.name: _sentences(path.read_text(encoding="utf-8", errors="replace"))
        for path in sorted(directory.iterdir())
        if path.is_file()
    }
    copied = []
    for row in ROWS:
        mine = _sentences(_text(row))
        for name, sentences in theirs.items():
            shared = mine & sentences
            if len(shared) >= COPY_THRESHOLD:
                copied.append(f"{row['file']} ~ {other}/{name}: {len(shared)} shared sentences")
    assert not copied, "heldout2 text found elsewhere:\n" + "\n".join(copied)
