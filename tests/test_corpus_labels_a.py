"""Checks that the corpus/labels.jsonl lines for notices A01-A22 are a sound ground truth.

The accuracy of the checker is measured against these labels, so a broken
label file is a real defect: every line must validate against
corpus/labels.schema.json, every labelled file must exist, every `a*` notice
must be labelled exactly once, and the labels must be internally consistent
with the rules in corpus/LABELLING.md (for example a "missing" finding may
only be given when its section is marked absent).
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import jsonschema
import pytest

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
LABELS = CORPUS / "labels.jsonl"
SCHEMA = CORPUS / "labels.schema.json"
NOTICE_SUFFIXES = {".txt", ".md", ".html"}

# Every rule id LABELLING.md defines; a label naming anything else is a typo.
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

# "<x>-missing" findings that mean "section x is absent" (LABELLING.md, gdpr pack).
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


def _rows() -> list[dict]:
    rows = []
    for number, line in enumerate(LABELS.read_text(encoding="utf-8").splitlines(), start=1):
        if line.strip():
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise AssertionError(f"{LABELS.name} line {number} is not JSON: {exc}") from exc
            if Path(row.get("file", "")).name.startswith("a"):  # the B half is checked by test_corpus_build.py
                rows.append(row)
    return rows


ROWS = _rows()


def _id(row: dict) -> str:
    return row.get("file", "?")


def test_label_file_has_one_line_per_a_notice():
    notices = sorted(
        p.relative_to(CORPUS).as_posix()
        for p in (CORPUS / "notices").glob("a*")
        if p.suffix in NOTICE_SUFFIXES
    )
    labelled = [row["file"] for row in ROWS]
    assert len(labelled) == len(set(labelled)), "a notice is labelled twice"
    assert sorted(labelled) == notices
    assert len(notices) == 22


@pytest.mark.parametrize("row", ROWS, ids=_id)
def test_row_validates_against_schema(row):
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(schema).validate(row)


@pytest.mark.parametrize("row", ROWS, ids=_id)
def test_labelled_file_exists_and_is_readable_text(row):
    path = CORPUS / row["file"]
    assert path.is_file(), f"{row['file']} is labelled but does not exist"
    text = path.read_text(encoding="utf-8")
    assert len(text.split()) >= 250, "corpus notices are real-sized documents"


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
    # A period can only be missing from a retention section that exists; same for an incomplete rights list.
    if "retention-period-missing" in f:
        assert s["retention"]
    if "rights-incomplete" in f:
        assert s["rights"]
    if "special-category-condition-missing" in f:
        assert s["special_category"]
    # dpo-missing is exactly "no DPO named or contactable", except that independent schools have no DPO duty.
    independent = row["context"].get("school_type") == "independent"
    assert ("dpo-missing" in f) == (not s["dpo"] and not independent)
    # With no complaints content at all, neither route can be present.
    if not s["complaints"]:
        assert "ico-complaint-missing" in f
        if date.fromisoformat(row["context"]["as_of"]) >= COMPLAINTS_DUTY_FROM:
            assert "complaints-route-missing" in f
    if date.fromisoformat(row["context"]["as_of"]) < COMPLAINTS_DUTY_FROM:
        assert "complaints-route-missing" not in f


@pytest.mark.parametrize("row", ROWS, ids=_id)
def test_dfe_rules_only_for_pupil_notices_in_england(row):
    f = set(row["findings"])
    england = row["context"].get("jurisdiction", "england") == "england"
    if row["audience"] not in {"pupils", "parents"} or not england:
        assert not f & DFE_RULES, "DfE rules apply only to pupil/parent notices in England"
    if "dfe-sharing-missing" not in f and row["audience"] in {"pupils", "parents"} and england:
        # A notice that says data goes to the DfE is expected to explain something of its use.
        assert row["sections"]["government_use"] or "npd-missing" in f
    age_range = row["context"].get("age_range")
    if age_range:
        top = int(age_range.split("-")[1])
        if top < 13:
            assert "youth-support-missing" not in f
        if top < 14:
            assert "lrs-missing" not in f
    if "youth-support-missing" in f:
        assert not row["sections"]["youth_support"]


@pytest.mark.parametrize("row", ROWS, ids=_id)
def test_reading_age_only_for_pupil_notices(row):
    if "reading-age-high" in row["findings"]:
        assert row["audience"] == "pupils"


def test_corpus_mix_covers_the_brief():
    """The A half must span eras, audiences, layouts and both clean and defective notices."""
    eras = {row["era"] for row in ROWS}
    assert eras == {"dpa1998", "gdpr2018", "ukgdpr2021", "duaa2026"}
    assert {row["audience"] for row in ROWS} == {"pupils", "parents", "workforce", "governors"}
    suffixes = [Path(row["file"]).suffix for row in ROWS]
    assert suffixes.count(".html") == 8
    assert ".md" in suffixes and ".txt" in suffixes
    clean = [row for row in ROWS if len(row["findings"]) <= 1]
    assert len(clean) >= 4, "precision needs several essentially complete, current notices"
    assert any(row["context"].get("jurisdiction") == "wales" for row in ROWS)
    assert any("age_range" not in row["context"] or "school_type" not in row["context"] for row in ROWS)


def test_html_notices_carry_site_chrome():
    """Web copies must look like real pages: navigation, cookie banner and footer around the notice."""
    for row in ROWS:
        if not row["file"].endswith(".html"):
            continue
        html = (CORPUS / row["file"]).read_text(encoding="utf-8").lower()
        assert "cookie" in html, row["file"]
        assert "term dates" in html or "term-dates" in html, row["file"]
        assert "website by" in html or "site by" in html, row["file"]
