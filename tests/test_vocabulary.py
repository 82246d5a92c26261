"""One home per vocabulary: every list of section names is rules/sections.yaml's, or checked against it here."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from noticecheck.evaluate import CORE_SECTIONS
from noticecheck.rulebook import RuleFileError, default_rulebook, load_rulebook, section_references


REPO = Path(__file__).resolve().parent.parent
BOOK = default_rulebook()
SECTION_NAMES = BOOK.cues.names

LABEL_SCHEMAS = sorted((REPO / "corpus").glob("**/labels.schema.json"))


def test_there_are_label_schemas_to_check():
    assert len(LABEL_SCHEMAS) >= 3


@pytest.mark.parametrize("path", LABEL_SCHEMAS, ids=lambda p: str(p.relative_to(REPO)))
def test_label_schemas_require_exactly_the_sections_of_sections_yaml(path: Path):
    schema = json.loads(path.read_text(encoding="utf-8"))
    assert tuple(schema["properties"]["sections"]["required"]) == SECTION_NAMES


def test_every_section_has_a_label_and_the_result_carries_it():
    from helpers import check_snippet

    assert all(cue.label for cue in BOOK.cues.sections)
    result = check_snippet("# Privacy notice\n\nWe keep pupil records until the pupil is 25.\n")
    assert {name: s.label for name, s in result.sections.items()} == {c.name: c.label for c in BOOK.cues.sections}


def test_evaluation_and_the_keyword_baseline_use_the_core_sections_of_sections_yaml():
    from noticecheck.keyword_baseline import SECTION_KEYWORDS

    assert CORE_SECTIONS == BOOK.cues.core and len(BOOK.cues.core) == 7
    assert tuple(SECTION_KEYWORDS) == BOOK.cues.core


def test_every_rule_names_only_known_sections():
    named = {name for rule in BOOK.rules for name in section_references(rule.check)}
    assert named and named <= set(SECTION_NAMES)


def test_a_pack_naming_an_unknown_section_is_refused(tmp_path):
    (tmp_path / "local.yaml").write_text(
        """
pack: local
description: An LA's own checks.
rules:
  - id: la-retention-anchor
    title: Retention is not anchored
    severity: info
    source: {title: "LA policy", url: "https://example.org/policy"}
    applies_from: "2020-01-01"
    check: {kind: absent, patterns: ['retention schedule'], anchor: retension}
    message: No retention schedule.
    fix: Link the retention schedule.
    examples:
      fail: ["We use pupil data."]
      pass: ["See our retention schedule."]
""",
        encoding="utf-8",
    )
    with pytest.raises(RuleFileError, match=r"names section 'retension'.*did you mean 'retention'"):
        load_rulebook(extra_dirs=[tmp_path])


# ---------------------------------------------------------------- notice media types


def test_every_loadable_media_type_has_a_loader_and_every_loader_a_row():
    from noticecheck.load import _LOADERS
    from noticecheck.media import LOADABLE

    assert set(_LOADERS) == set(LOADABLE)


def test_fetchers_scanner_and_dashboard_share_the_table():
    from noticecheck.fetch.http import NOTICE_TYPES
    from noticecheck.fetch.transport import type_accepted
    from noticecheck.media import LABELS, LOADABLE, MARKDOWN, SERVED_AS

    assert NOTICE_TYPES == SERVED_AS and MARKDOWN in NOTICE_TYPES
    # markdown is a notice everywhere now: by its own type, an alias, or a download named .md
    assert type_accepted("text/markdown; charset=utf-8", ("https://s.example/notice",), NOTICE_TYPES)
    assert type_accepted("text/x-markdown", ("https://s.example/notice",), NOTICE_TYPES)
    assert type_accepted("application/octet-stream", ("https://s.example/privacy.md",), NOTICE_TYPES)
    assert not type_accepted("image/png", ("https://s.example/privacy.md",), NOTICE_TYPES)
    assert all(LABELS[name] for name in LOADABLE)


def test_sniffing_folds_a_served_alias_into_its_type():
    from noticecheck.load.sniff import sniff
    from noticecheck.media import MARKDOWN
    from noticecheck.model import Document

    doc = Document(source="https://s.example/notice", data=b"# Privacy notice\n\nWe use data.\n", media_type="text/x-markdown")
    assert sniff(doc) == MARKDOWN
