"""Plain-word phrases: what they match, what they refuse, and that a pack may use them wherever it uses patterns."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from helpers import one_rule_pack

from noticecheck.phrases import BadPhrase, phrase_pattern
from noticecheck.rule_docs import describe_check
from noticecheck.rulebook import RuleFileError, default_rulebook, load_rulebook, rules_dir


def matches(phrase: str, text: str) -> bool:
    return re.search(phrase_pattern(phrase), text, re.IGNORECASE) is not None


@pytest.mark.parametrize(
    "phrase,text",
    [
        ("Data Protection Act 1998", "registered under the data protection  act\n1998 as a controller"),
        ("NPD", "the npd holds pupil records"),
        ("learning record|records service", "the Learning Records Service issues a ULN"),
        ("record* ... kept for", "Records of attendance are kept for three years"),
        ("keep|retain ... for 40 days", "we will keep your personal data for 40 days"),
        ("£10", "a fee of £10 is charged"),
        ("Art 13(1)(c)", "as Art 13(1)(c) requires"),
        ("gov.uk", "see www.gov.uk for more"),
    ],
)
def test_a_phrase_finds_its_words_in_any_case_and_spacing(phrase, text):
    assert matches(phrase, text)


@pytest.mark.parametrize(
    "phrase,text",
    [
        ("NPD", "the NPDX system"),  # whole words only
        ("national pupil database", "national pupil databases and more"),
        ("£10", "a fee of £100"),
        ("record* ... kept for", "kept for ever, these records"),  # order matters
        ("keep ... for 40 days", "keep one two three four five six seven for 40 days"),  # a gap is at most six words
        ("gov.uk", "govXuk"),  # the dot is a dot, not any character
        ("record|records service", "recordings service"),
    ],
)
def test_a_phrase_does_not_find_other_words(phrase, text):
    assert not matches(phrase, text)


@pytest.mark.parametrize("phrase", ["", "   ", "...", "... data", "data ...", "data ... ... act", "a||b", "re*tain", "|a"])
def test_a_phrase_that_cannot_mean_anything_is_refused(phrase):
    with pytest.raises(BadPhrase):
        phrase_pattern(phrase)


def test_a_pack_may_say_phrases_instead_of_patterns(tmp_path):
    directory = one_rule_pack(tmp_path, ["kind: absent", "phrases: [national pupil database, NPD]"], rule_id="house-npd")
    book = load_rulebook(rules_dir(), extra_dirs=[directory])
    rule = book.get("house-npd")
    assert rule.compiled["patterns"].search("They keep the national pupil database.")
    assert not rule.compiled["patterns"].search("They keep a database of pupils.")
    assert '"national pupil database"' in describe_check(rule)


def test_a_bad_phrase_in_a_pack_names_the_file_rule_and_place(tmp_path):
    directory = one_rule_pack(tmp_path, ["kind: absent", "phrases: ['... NPD']"], rule_id="house-npd")
    with pytest.raises(RuleFileError, match=r"house\.yaml \(rule 'house-npd'\): at check/phrases: .*starts or ends"):
        load_rulebook(rules_dir(), extra_dirs=[directory])


def test_phrases_in_a_condition_and_a_pattern_check_count_too(tmp_path):
    directory = one_rule_pack(
        tmp_path,
        ["kind: absent", "patterns: ['\\bNPD\\b']", "when: {phrases: [census]}", "unless: {phrases: [no pupils]}"],
        rule_id="house-npd",
    )
    rule = load_rulebook(rules_dir(), extra_dirs=[directory]).get("house-npd")
    assert rule.compiled["when"].search("the school census")
    assert rule.compiled["unless"].search("we have no pupils")


def test_the_built_in_packs_use_phrases():
    uses = [r.id for r in default_rulebook().rules if "phrases" in r.check]
    assert "npd-missing" in uses
