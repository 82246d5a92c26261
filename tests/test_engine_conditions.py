"""The engine's co-occurrence and negation capabilities, on a small pack written by the test.

A pattern check can ask for a second idea in the same sentence (`if_sentence`),
a document-wide precondition (`when_document`) and can skip matches that a
negation just before them denies (`skip_negated`); a missing-items item can
carry its own condition (`when`), and missing-items takes `unless`. Each is
tested here apart from the built-in rules, so a change to their wording cannot
hide a broken capability.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from noticecheck.api import CheckOptions, check_document
from noticecheck.model import Document
from noticecheck.rulebook import RuleFileError, load_rulebook

PACK = """
pack: probe
description: Rules that exercise one engine capability each.
rules:
  - id: probe-two-ideas
    title: consent named for the census
    severity: warning
    source: {title: "test", url: "https://example.org/"}
    applies_from: "2018-05-25"
    check:
      kind: pattern
      skip_negated: true
      patterns: ['\\bconsent\\b']
      if_sentence: ['\\bcensus\\b']
    message: "m"
    fix: "f"
    examples: {fail: ["Our basis for the census is consent."], pass: ["Photos need consent."]}

  - id: probe-doc-precondition
    title: academy as controller in a trust
    severity: info
    source: {title: "test", url: "https://example.org/"}
    applies_from: "2018-05-25"
    check:
      kind: pattern
      patterns: ['\\bacademy is the controller\\b']
      when_document: ['\\bmulti-academy trust\\b']
    message: "m"
    fix: "f"
    examples: {fail: ["We are in a multi-academy trust. The academy is the controller."], pass: ["The academy is the controller."]}

  - id: probe-conditional-item
    title: article cited without a letter
    severity: warning
    source: {title: "test", url: "https://example.org/"}
    applies_from: "2018-05-25"
    check:
      kind: missing-items
      unless: {patterns: ['\\bprobe policy\\b']}
      items:
        "art 6 basis": {when: {patterns: ['\\barticle 6\\b']}, patterns: ['\\bpublic task\\b']}
        "art 9 condition": {when: {patterns: ['\\barticle 9\\b']}, patterns: ['\\bsubstantial public interest\\b']}
    message: "missing {missing}"
    fix: "f"
    examples: {fail: ["We rely on Article 6."], pass: ["Nothing cited."]}
"""


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    extra = tmp_path_factory.mktemp("probe")
    (extra / "probe.yaml").write_text(PACK, encoding="utf-8")
    return load_rulebook(extra_dirs=[extra]).selected(["probe"])


def fired(book, text: str) -> dict[str, list[str]]:
    doc = Document(source="t.txt", data=text.encode("utf-8"), filename="t.txt")
    result = check_document(doc, book, CheckOptions(), today=date(2026, 11, 24))
    out: dict[str, list[str]] = {}
    for f in result.findings:
        out.setdefault(f.rule, []).append(f.message)
    return out


def test_if_sentence_needs_both_ideas_in_one_sentence(book):
    assert "probe-two-ideas" in fired(book, "Our basis for sending the census is your consent.")
    # the same two words in different sentences are two separate ideas
    assert "probe-two-ideas" not in fired(book, "We send the census each term. Photographs need your consent.")


def test_skip_negated_ignores_a_denied_match_only(book):
    assert "probe-two-ideas" not in fired(book, "We do not need your consent to send the census.")
    # a negation in an earlier clause does not deny the later one
    assert "probe-two-ideas" in fired(book, "We do not sell data, but the census rests on your consent.")


def test_when_document_is_a_precondition_on_the_whole_notice(book):
    text = "The academy is the controller."
    assert "probe-doc-precondition" not in fired(book, text)
    assert "probe-doc-precondition" in fired(book, "We belong to a multi-academy trust.\n\n" + text)


def test_an_item_with_its_own_precondition_is_expected_only_when_that_holds(book):
    assert fired(book, "We rely on Article 6.")["probe-conditional-item"] == ["missing art 6 basis"]
    assert fired(book, "Article 6 and Article 9 apply.")["probe-conditional-item"] == ["missing art 6 basis, art 9 condition"]
    assert "probe-conditional-item" not in fired(book, "Article 6: public task. Article 9: substantial public interest.")
    assert "probe-conditional-item" not in fired(book, "Nothing is cited here.")


def test_missing_items_unless_stands_the_rule_down(book):
    assert "probe-conditional-item" not in fired(book, "We rely on Article 6; see our probe policy.")


def test_an_item_condition_must_be_a_condition(tmp_path):
    broken = PACK.replace("{when: {patterns: ['\\barticle 6\\b']}, patterns", "{when: 'article 6', patterns")
    assert broken != PACK
    (tmp_path / "bad.yaml").write_text(broken, encoding="utf-8")
    with pytest.raises(RuleFileError, match="probe-conditional-item"):
        load_rulebook(extra_dirs=[tmp_path])
