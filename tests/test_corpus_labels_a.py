"""Checks that the corpus/labels.jsonl lines for notices A01-A22 are a sound ground truth.

The accuracy of the checker is measured against these labels, so a broken
label file is a real defect: every line must validate against
corpus/labels.schema.json, every labelled file must exist, every `a*` notice
must be labelled exactly once, and the labels must be internally consistent
with the rules in corpus/LABELLING.md (for example a "missing" finding may
only be given when its section is marked absent). The LABELLING.md checks live
in labelling_rules.py, shared with the B half and the held-out sets; what is
particular to the A half (its size, mix and web-page chrome) is here.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import labelling_rules as rules

pytestmark = pytest.mark.corpus

CORPUS = rules.CORPUS
LABELS = CORPUS / "labels.jsonl"
NOTICE_SUFFIXES = {".txt", ".md", ".html"}

# The B half of the same file is checked by test_corpus_build.py.
ROWS = rules.read_rows(LABELS, keep=lambda row: Path(row["file"]).name.startswith("a"))

CHECKS = {
    **rules.standard_checks(rules.CORPUS_SCHEMA, nation=rules.nation_from_context),
    "real_sized_text": lambda row: rules.check_real_sized_text(CORPUS / row["file"]),
}


def test_label_file_has_one_line_per_a_notice():
    notices = [
        p.relative_to(CORPUS).as_posix()
        for p in (CORPUS / "notices").glob("a*")
        if p.suffix in NOTICE_SUFFIXES
    ]
    rules.check_one_label_per_notice([row["file"] for row in ROWS], notices)
    assert len(notices) == 24


@pytest.mark.parametrize("row, check", rules.cases(ROWS, CHECKS))
def test_a_labels_follow_labelling_rules(row, check):
    check(row)


def test_corpus_mix_covers_the_brief():
    """The A half must span eras, audiences, layouts and both clean and defective notices."""
    rules.check_spans_every_era_and_audience(ROWS)
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
