"""The accuracy gate: on the labelled corpus, section F1 and finding precision stay at or above 0.95.

The figures are measured by the same code as `noticecheck eval`; a failure
prints every disagreement with the labels.
"""

from datetime import date
from pathlib import Path

import pytest

from noticecheck.evaluate import evaluate, format_table, read_labels
from noticecheck.rulebook import default_rulebook

pytestmark = [pytest.mark.slow, pytest.mark.corpus]

CORPUS = Path(__file__).resolve().parents[1] / "corpus"


@pytest.fixture(scope="module")
def evaluation():
    return evaluate(CORPUS, read_labels(CORPUS / "labels.jsonl"), default_rulebook(), date.today())


def test_corpus_is_big_and_varied_enough():
    labels = read_labels(CORPUS / "labels.jsonl")
    assert len(labels) >= 40
    suffixes = [Path(item["file"]).suffix for item in labels]
    assert suffixes.count(".html") >= 8 and suffixes.count(".pdf") >= 5 and suffixes.count(".docx") >= 5
    assert {item["audience"] for item in labels} == {"pupils", "parents", "workforce", "governors"}


def test_every_notice_is_readable(evaluation):
    assert not evaluation.unreadable


def test_section_f1(evaluation):
    assert evaluation.sections_all.f1 >= 0.95, format_table(evaluation, details=True)
    assert evaluation.sections_core.f1 >= 0.95, format_table(evaluation, details=True)


def test_finding_precision(evaluation):
    assert evaluation.findings.precision >= 0.95, format_table(evaluation, details=True)


def test_keyword_baseline_is_scored_by_the_same_code_on_its_own_rules_only():
    from noticecheck.evaluate import evaluate_naive
    from noticecheck.keyword_baseline import KNOWN_RULES

    naive = evaluate_naive(CORPUS, read_labels(CORPUS / "labels.jsonl")[:5])
    assert set(naive.sections) == set(default_rulebook().cues.core)
    assert set(naive.rules) <= KNOWN_RULES and naive.rules  # rules it does not look for are not held against it
    assert naive.audience_judged == 5 and "Audience:" in format_table(naive)


def test_audience_is_right_on_every_notice_of_our_corpus(evaluation):
    assert evaluation.audience_accuracy == 1.0, format_table(evaluation, details=True)
