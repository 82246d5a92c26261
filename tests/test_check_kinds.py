"""One way to say each thing: every check kind takes the same `when`/`unless`, and older spellings are read as the current form.

A local authority's own pack written against an older schema keeps working:
`section-missing` is `absent` with one section, and a pattern check's
`unless_document`/`when_document` are its `unless`/`when` searched in any
sentence.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from helpers import one_rule_pack

from noticecheck.api import CheckOptions, check_document
from noticecheck.model import Document
from noticecheck.rulebook import RuleFileError, load_rulebook, normalise_check, rules_dir

AS_OF = date(2026, 11, 24)
NOTICE_WITHOUT_RETENTION = (
    "How we use pupil information\n\n"
    "Larchbrook Primary School is the data controller. We hold pupils' names, addresses and attendance records.\n\n"
    "We use this information to support pupils' learning and to keep them safe.\n"
)
NOTICE_WITH_RETENTION = NOTICE_WITHOUT_RETENTION + "\nHow long we keep it\n\nWe keep pupil files until the pupil is 25.\n"


def _fired(directory: Path, text: str) -> list[tuple[int, str]]:
    book = load_rulebook(rules_dir(), extra_dirs=[directory])
    doc = Document(source="n.txt", data=text.encode("utf-8"), filename="n.txt")
    result = check_document(doc, book, CheckOptions(as_of=AS_OF), today=AS_OF)
    return [(f.line, f.section or "") for f in result.findings if f.rule == "house-rule"]


def test_section_missing_is_read_as_absent_with_that_section():
    assert normalise_check({"kind": "section-missing", "section": "retention"}) == {
        "kind": "absent", "sections": ["retention"], "anchor": "retention",
    }


def test_an_old_section_missing_pack_finds_what_the_absent_form_finds(tmp_path):
    old = one_rule_pack(tmp_path / "old", ["kind: section-missing", "section: retention"])
    new = one_rule_pack(tmp_path / "new", ["kind: absent", "sections: [retention]", "anchor: retention"])
    for text in (NOTICE_WITHOUT_RETENTION, NOTICE_WITH_RETENTION):
        assert _fired(old, text) == _fired(new, text)
    assert _fired(new, NOTICE_WITHOUT_RETENTION) and not _fired(new, NOTICE_WITH_RETENTION)


def test_unless_document_is_read_as_unless_in_any_sentence():
    check = normalise_check({"kind": "pattern", "patterns": ["x"], "unless_document": ["y"], "when_document": ["z"]})
    assert check["unless"] == {"patterns": ["y"], "any_sentence": True}
    assert check["when"] == {"patterns": ["z"], "any_sentence": True}
    assert "unless_document" not in check and "when_document" not in check


def test_saying_one_condition_both_ways_is_refused(tmp_path):
    pack = one_rule_pack(tmp_path, ["kind: pattern", "patterns: ['\\bnames\\b']", "unless_document: ['\\bcensus\\b']",
                            "unless: {phrases: [school census]}"])
    with pytest.raises(RuleFileError, match="say the same thing"):
        load_rulebook(rules_dir(), extra_dirs=[pack])


@pytest.mark.parametrize(
    "check_lines",
    [
        ["kind: pattern", "phrases: [pupils' names]"],
        ["kind: absent", "phrases: [school census]"],
        ["kind: missing-items", "items: {census: [census], npd: ['national pupil database']}"],
        ["kind: stale-date", "cues: [reviewed]", "max_age_days: 365"],
    ],
    ids=["pattern", "absent", "missing-items", "stale-date"],
)
def test_every_kind_runs_only_when_its_when_holds_and_its_unless_does_not(tmp_path, check_lines):
    plain = one_rule_pack(tmp_path / "plain", check_lines)
    assert _fired(plain, NOTICE_WITHOUT_RETENTION), "the check must fire on this notice to begin with"
    when = one_rule_pack(tmp_path / "when", [*check_lines, "when: {sections: [retention]}"])
    assert not _fired(when, NOTICE_WITHOUT_RETENTION)
    unless = one_rule_pack(tmp_path / "unless", [*check_lines, "unless: {phrases: [data controller]}"])
    assert not _fired(unless, NOTICE_WITHOUT_RETENTION)
