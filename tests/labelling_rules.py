"""The rules of corpus/LABELLING.md as checks any labelled set of notices must pass.

Four test modules hold a labelled set to these rules: the A and B halves of
corpus/labels.jsonl (test_corpus_labels_a.py, test_corpus_build.py) and the two
held-out sets (test_heldout_labels.py, test_heldout2_labels.py). This module is
what they share: the rule ids and section names LABELLING.md defines, a label
loader, schema validation, and the consistency checks themselves. Each check is
a plain function that takes one label row (and whatever else it needs, such as
the notice's text) and raises AssertionError saying what is wrong; the test
modules parametrise them over their own rows with `cases()`. What only one set
promises (its size, its mix of eras and formats, its independence from the
other sets) stays in that set's test module.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable, Iterable, Mapping
from datetime import date
from pathlib import Path

import jsonschema
import pytest

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
CORPUS_SCHEMA = CORPUS / "labels.schema.json"
GUIDE = CORPUS / "LABELLING.md"

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
# The lawful and practice packs (issue 8), added after the held-out sets were written: their
# prompts fire on most older notices, so a set's spread of quality is judged without them.
ISSUE_8_RULES = {
    "legitimate-interests-public-authority", "consent-for-statutory-processing", "lawful-basis-unspecific",
    "criminal-offence-condition-missing", "statutory-requirement-missing", "biometrics-consent-missing",
    "workforce-census-missing", "controller-not-trust", "educational-record-academy", "cctv-details-missing",
    "processors-missing", "safeguarding-sharing-missing", "attendance-data-sharing-missing",
}
KNOWN_RULES |= ISSUE_8_RULES


def original_findings(row: dict) -> list[str]:
    """A row's findings without the issue 8 rules: what a set's quality spread was designed on."""
    return [f for f in row["findings"] if f not in ISSUE_8_RULES]

# "<x>-missing" findings that mean exactly "section x is absent" (LABELLING.md, gdpr pack).
SECTION_OF_MISSING = {
    "purposes-missing": "purposes", "categories-missing": "categories", "recipients-missing": "recipients",
    "retention-missing": "retention", "rights-missing": "rights", "contacts-missing": "contacts",
    "lawful-basis-missing": "lawful_basis", "controller-missing": "controller",
    "transfers-missing": "transfers", "automated-decisions-missing": "automated_decisions",
    "source-missing": "source",
}
DFE_RULES = {"dfe-sharing-missing", "npd-missing", "youth-support-missing", "lrs-missing", "dfe-access-missing"}
ERAS = {"dpa1998", "gdpr2018", "ukgdpr2021", "duaa2026"}
AUDIENCES = {"pupils", "parents", "workforce", "governors"}
PUPIL_AUDIENCES = {"pupils", "parents"}
# The DUAA 2025 s164A complaints duty is judged only from this date.
COMPLAINTS_DUTY_FROM = date(2026, 6, 19)
# Eras written before UK GDPR: more than two years older than any as_of the sets use.
PRE_UK_GDPR_ERAS = {"dpa1998", "gdpr2018"}
# Text that makes a notice plainly one for another UK nation when its context does not say so.
NATION_CUES = {
    "wales": re.compile(r"\bWelsh Government\b|\bPLASC\b"),
    "scotland": re.compile(r"\bScottish Government\b|\bScotXed\b"),
    "northern-ireland": re.compile(r"\bNorthern Ireland\b"),
}
# Long sentences one notice may share with another document before it counts as copied:
# a single stock line ("unless the law allows...") is school-notice English, several are copying.
COPY_THRESHOLD = 3
NOTICE_MIN_WORDS = 250
_EMAIL_DOMAIN = re.compile(r"[\w.+-]+@([\w.-]+\.[a-z]{2,})")

RowCheck = Callable[[dict], None]


# --------------------------------------------------------------------------- loading


def read_rows(path: Path, keep: Callable[[dict], bool] | None = None) -> list[dict]:
    """The label rows of a JSON-lines file, skipping blank lines; `keep` picks a subset.

    A line that is not a JSON object, or that `keep` cannot judge (no "file", say),
    fails with its line number rather than being dropped in silence.
    """
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise AssertionError(f"{path.name} line {number} is not valid JSON: {exc}") from exc
        if not isinstance(row, dict):
            raise AssertionError(f"{path.name} line {number} is not a JSON object")
        try:
            wanted = keep is None or keep(row)
        except (KeyError, TypeError, AttributeError) as exc:
            raise AssertionError(f"{path.name} line {number} cannot be sorted into a set: {exc!r}") from exc
        if wanted:
            rows.append(row)
    return rows


def rule_ids_in_guide(guide: Path = GUIDE) -> set[str]:
    """Every rule id LABELLING.md defines: the back-quoted ids in its Findings part."""
    text = guide.read_text(encoding="utf-8")
    if "## Findings" not in text:
        raise AssertionError(f"{guide.name} has no '## Findings' part to read rule ids from")
    return set(re.findall(r"`([a-z][a-z0-9]*(?:-[a-z0-9]+)+)`", text.split("## Findings", 1)[1]))


def row_id(row: dict) -> str:
    """A short test id for a label row: its file without the notices/ folder."""
    return str(row.get("file", "?")).removeprefix("notices/")


def cases(rows: Iterable[dict], checks: Mapping[str, RowCheck]) -> list:
    """One pytest case per (row, check), with ids like `a01-x.txt-known_rule_ids`."""
    return [pytest.param(row, check, id=f"{row_id(row)}-{name}") for row in rows for name, check in checks.items()]


# --------------------------------------------------------------------------- the set as a whole


def check_one_label_per_notice(labelled: list[str], on_disk: list[str]) -> None:
    """Every notice on disk is labelled exactly once, and every label names a notice on disk."""
    duplicates = sorted({f for f in labelled if labelled.count(f) > 1})
    assert not duplicates, f"labelled more than once: {duplicates}"
    assert sorted(labelled) == sorted(on_disk), (
        f"unlabelled notices: {sorted(set(on_disk) - set(labelled))}; "
        f"labels without a notice: {sorted(set(labelled) - set(on_disk))}"
    )


def check_spans_every_era_and_audience(rows: list[dict]) -> None:
    """The set holds notices of all four eras and for all four audiences the schema knows."""
    assert {row["era"] for row in rows} == ERAS, f"eras {sorted({row['era'] for row in rows})}"
    assert {row["audience"] for row in rows} == AUDIENCES, f"audiences {sorted({row['audience'] for row in rows})}"


def check_schema_is_the_corpus_schema(schema: Path) -> None:
    """A set's schema file is a byte-for-byte copy of corpus/labels.schema.json."""
    assert schema.read_bytes() == CORPUS_SCHEMA.read_bytes(), f"{schema} differs from {CORPUS_SCHEMA}"


def long_sentences(text: str) -> set[str]:
    """The sentences of 80+ characters in `text`, lower-cased with whitespace folded."""
    flat = re.sub(r"\s+", " ", text).lower()
    return {s.strip() for s in re.split(r"(?<=[.;!?])\s", flat) if len(s.strip()) >= 80}


def copied_pairs(mine: Mapping[str, str], theirs: Mapping[str, str], threshold: int = COPY_THRESHOLD) -> list[str]:
    """`name ~ other: N shared sentences` for each pair of documents sharing `threshold`+ long sentences."""
    their_sentences = {name: long_sentences(text) for name, text in theirs.items()}
    copied = []
    for name, text in mine.items():
        sentences = long_sentences(text)
        for other, others in their_sentences.items():
            shared = sentences & others
            if len(shared) >= threshold:
                copied.append(f"{name} ~ {other}: {len(shared)} shared sentences")
    return copied


# --------------------------------------------------------------------------- one row


@functools.cache
def _validator(schema: Path) -> jsonschema.Draft202012Validator:
    document = json.loads(schema.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(document)  # a broken schema would wave any row through
    return jsonschema.Draft202012Validator(document)


def validate_row(row: dict, schema: Path) -> None:
    """The row is valid against the JSON schema at `schema`; every violation is listed with where it is."""
    errors = sorted(_validator(schema).iter_errors(row), key=lambda error: list(map(str, error.absolute_path)))
    assert not errors, f"not valid against {schema.name}:\n" + "\n".join(
        f"  at {'/'.join(map(str, error.absolute_path)) or '(top)'}: {error.message}" for error in errors
    )


def check_real_sized_text(path: Path) -> str:
    """The labelled notice exists, is UTF-8 and is a real-sized document; returns its text."""
    assert path.is_file(), f"{path.name} is labelled but does not exist"
    text = path.read_text(encoding="utf-8")  # UnicodeDecodeError if it is not UTF-8
    words = len(text.split())
    assert words >= NOTICE_MIN_WORDS, f"{path.name} has {words} words; notices are real-sized documents"
    return text


def check_known_rule_ids(row: dict, known: set[str] = KNOWN_RULES) -> None:
    unknown = set(row["findings"]) - known
    assert not unknown, f"not a rule id LABELLING.md defines: {sorted(unknown)}"


def check_missing_findings_match_sections(row: dict) -> None:
    """A "<section>-missing" finding is given exactly when that section is marked absent."""
    sections, findings = row["sections"], set(row["findings"])
    for rule, key in SECTION_OF_MISSING.items():
        if rule == "retention-missing" and "retention-period-missing" in findings:
            # a bare "only as long as necessary" is no retention section but is not silence either
            assert "retention-missing" not in findings, "retention-missing and retention-period-missing together"
            continue
        assert (rule in findings) == (not sections[key]), f"{rule} disagrees with sections.{key}={sections[key]}"


def check_dependent_findings(row: dict) -> None:
    """Findings that qualify a section need that section; DPO and complaints findings follow the guide."""
    s, f = row["sections"], set(row["findings"])
    # A period can only be missing from a retention section that exists; same for an incomplete rights list.
    if "retention-period-missing" in f:
        assert s["retention"] or "retention-missing" not in f, "retention-period-missing needs retention content or a bare principle"
    if "rights-incomplete" in f:
        assert s["rights"], "rights-incomplete needs a rights section"
    if "special-category-condition-missing" in f:
        assert s["special_category"], "special-category-condition-missing needs special category content"
    # dpo-missing is exactly "no DPO named or contactable", except that independent schools have no DPO duty;
    # a hedged "DPO (if applicable)" is a state school's notice that does mention a DPO.
    independent = row["context"].get("school_type") == "independent"
    assert ("dpo-missing" in f) == (not s["dpo"] and not independent), (
        f"dpo-missing disagrees with sections.dpo={s['dpo']} (independent school: {independent})"
    )
    if "dpo-if-applicable" in f:
        assert s["dpo"] and not independent, "dpo-if-applicable needs DPO content in a state school's notice"
    duty_applies = date.fromisoformat(row["context"]["as_of"]) >= COMPLAINTS_DUTY_FROM
    # With no complaints content at all, neither route can be present.
    if not s["complaints"]:
        assert "ico-complaint-missing" in f, "no complaints content, yet ico-complaint-missing is not given"
        if duty_applies:
            assert "complaints-route-missing" in f, "no complaints content at all means no route to the school"
    if not duty_applies:
        assert "complaints-route-missing" not in f, f"complaints-route-missing before {COMPLAINTS_DUTY_FROM}"


def nation_from_context(row: dict) -> str:
    """The nation the row's context names, England when it names none."""
    return row["context"].get("jurisdiction", "england")


def nation_of(row: dict, text: str) -> str:
    """The nation a notice is for: its context says so, or its text makes it plain, else England."""
    given = row["context"].get("jurisdiction")
    if given:
        return given
    for nation, cue in NATION_CUES.items():
        if cue.search(text):
            return nation
    return "england"


def check_dfe_rules(row: dict, nation: str) -> None:
    """DfE findings only for pupil/parent notices in England, age-gated ones only for old enough pupils."""
    f, s = set(row["findings"]), row["sections"]
    pupil_notice_in_england = row["audience"] in PUPIL_AUDIENCES and nation == "england"
    if not pupil_notice_in_england:
        assert not f & DFE_RULES, f"DfE rules apply only to pupil/parent notices in England (this is {nation})"
    if "dfe-sharing-missing" in f:
        assert not s["government_use"], "dfe-sharing-missing, yet the notice explains the DfE's use of the data"
    elif pupil_notice_in_england:
        # A notice that says data goes to the DfE is expected to explain something of its use.
        assert s["government_use"] or "npd-missing" in f, "DfE sharing without government_use needs npd-missing"
    age_range = row["context"].get("age_range")
    if age_range:
        top = int(age_range.split("-")[1])
        if top < 13:
            assert "youth-support-missing" not in f, f"youth-support-missing for ages {age_range}"
        if top < 14:
            assert "lrs-missing" not in f, f"lrs-missing for ages {age_range}"
    if "youth-support-missing" in f:
        assert not s["youth_support"], "youth-support-missing, yet sections.youth_support is true"


def check_reading_age(row: dict) -> None:
    if "reading-age-high" in row["findings"]:
        assert row["audience"] == "pupils", "reading-age-high is only for notices written for pupils"


def check_old_era_is_stale(row: dict) -> None:
    """Anything written before UK GDPR is far more than two years older than the as_of date."""
    if row["era"] in PRE_UK_GDPR_ERAS:
        assert "review-date-stale" in row["findings"], f"a {row['era']} notice must be review-date-stale"


def check_placeholder_finding(row: dict, text: str, placeholder: re.Pattern[str]) -> None:
    """placeholder-text is given exactly when the text holds a template placeholder."""
    found = placeholder.search(text)
    assert ("placeholder-text" in row["findings"]) == bool(found), (
        f"placeholder-text disagrees with the text (placeholder found: {found.group(0) if found else None!r})"
    )


def check_reserved_domains(text: str) -> None:
    """Invented schools only: every e-mail address is on an example domain or a retired gsi one."""
    for domain in _EMAIL_DOMAIN.findall(text):
        assert ".example." in f".{domain}." or domain.endswith("gsi.gov.uk"), domain


def standard_checks(schema: Path, nation: Callable[[dict], str], known: set[str] = KNOWN_RULES) -> dict[str, RowCheck]:
    """The LABELLING.md checks every labelled set runs on every row, keyed by a short name for test ids.

    `schema` is the set's schema file, `nation` says which UK nation a row's notice is for
    and `known` is the set of valid rule ids.
    """
    return {
        "validates_against_schema": lambda row: validate_row(row, schema),
        "known_rule_ids": lambda row: check_known_rule_ids(row, known),
        "missing_findings_match_sections": check_missing_findings_match_sections,
        "dependent_findings_match_sections": check_dependent_findings,
        "dfe_rules_only_where_they_apply": lambda row: check_dfe_rules(row, nation(row)),
        "reading_age_only_for_pupil_notices": check_reading_age,
    }
