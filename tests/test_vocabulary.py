"""One home per vocabulary: every list of section names is rules/sections.yaml's, or checked against it here."""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path

import pytest

from noticecheck.evaluate import CORE_SECTIONS
from noticecheck.gate.config import Config, load_catalogue
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


# ---------------------------------------------------------------- rule ids named outside the rule packs

CATALOGUE = load_catalogue(Config())  # the built-in packs plus the meta rule, as `rules` lists them
# Prose a person reads: docs/rules.md is generated from the rule packs (test_rule_docs holds it to them).
PROSE = sorted(
    p for p in [REPO / "README.md", REPO / "CONTRIBUTING.md", *REPO.glob("corpus/*.md"), *REPO.glob("corpus/heldout*/*.md"), *REPO.glob("src/**/README.md")]
    if p.is_file()
)
_TOML_BLOCK = re.compile(r"```toml\n(.*?)```", re.S)
_DIRECTIVE = re.compile(r"<!--\s*noticecheck:\s*disable(?:-next)?=([^>]*?)(?:\s--\s.*?)?-->")
_OPTION = re.compile(r"--(?:select|extend-select|ignore)[ =]([a-z0-9,-]+)")
_EXPLAIN = re.compile(r"noticecheck explain ([a-z][a-z0-9-]+)")


def _names_in_config(data: dict) -> list[str]:
    names = [*data.get("select", []), *data.get("extend-select", []), *data.get("ignore", [])]
    names += list(data.get("severity", {}))
    for ignored in data.get("per-source-ignores", {}).values():
        names += ignored
    return names


def rule_names_in(path: Path) -> list[str]:
    text = path.read_text(encoding="utf-8")
    names = []
    for block in _TOML_BLOCK.findall(text):
        data = tomllib.loads(block)
        names += _names_in_config(data.get("tool", {}).get("noticecheck", data))
    for match in _DIRECTIVE.finditer(text):
        names += [n.strip() for n in match.group(1).split(",")]
    for match in _OPTION.finditer(text):
        names += match.group(1).split(",")
    names += _EXPLAIN.findall(text)
    return [n for n in names if n and n != "RULE"]


def test_the_prose_names_rules_to_check():
    assert sum(len(rule_names_in(p)) for p in PROSE) >= 5


@pytest.mark.parametrize("path", PROSE, ids=lambda p: str(p.relative_to(REPO)))
def test_rule_ids_named_in_docs_and_config_examples_exist(path: Path):
    unknown = [name for name in rule_names_in(path) if not _known(name)]
    assert unknown == []


LABEL_FILES = sorted(REPO.glob("corpus/**/labels.jsonl"))


@pytest.mark.parametrize("path", LABEL_FILES, ids=lambda p: str(p.relative_to(REPO)))
def test_rule_ids_in_corpus_labels_exist(path: Path):
    lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    named = {rule for item in lines for rule in item["findings"]}
    assert named and sorted(n for n in named if CATALOGUE.get(n) is None) == []


def _known(name: str) -> bool:
    try:
        CATALOGUE.resolve_ids([name])
    except ValueError:
        return False
    return True


# ---------------------------------------------------------------- scan statuses and CONTRIBUTING.md


def test_every_school_status_has_a_label_help_and_a_colour():
    from noticecheck.scan.status import SchoolStatus

    css = (REPO / "src/noticecheck/scan/templates/assets/dashboard.css").read_text(encoding="utf-8")
    for status in SchoolStatus:
        assert status.label and status.help and status == status.value
        assert f".pill.status-{status.value}" in css and f".card.status-{status.value}" in css


def test_every_file_contributing_md_names_exists():
    text = (REPO / "CONTRIBUTING.md").read_text(encoding="utf-8")
    paths = set(re.findall(r"`((?:src|rules|corpus|tests|docs)/[^`<>…\s]+)`", text))
    assert len(paths) >= 15
    assert sorted(p for p in paths if not (REPO / p).exists()) == []
    # and the names it says to edit are where it says
    from noticecheck.gate.report.formats import FORMATS
    from noticecheck.load import _LOADERS
    from noticecheck.scan.summary import KEY_CHECKS

    assert FORMATS and _LOADERS and KEY_CHECKS
