"""Rule packs are data: broken files give clear errors; selection works by id, alias and pack."""

import shutil
from pathlib import Path

import pytest

from noticecheck.model import Severity
from noticecheck.rulebook import RuleFileError, default_rulebook, load_pack, load_rulebook, rules_dir

GOOD_RULE = """
pack: local
description: An LA's own checks.
rules:
  - id: la-contact-missing
    aliases: [la-contact]
    title: The LA's data team is not named
    severity: warning
    source: {title: "LA policy", url: "https://example.org/policy"}
    applies_from: "2020-01-01"
    check: {kind: absent, patterns: ['data team']}
    message: The notice does not name the LA data team.
    fix: Name the LA data team.
    examples:
      fail: ["We use pupil data."]
      pass: ["Contact the data team."]
"""


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "local.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_built_in_packs_load_and_have_unique_ids():
    book = default_rulebook()
    ids = [r.id for r in book.rules]
    assert len(ids) == len(set(ids))
    assert {"gdpr", "dfe", "outdated", "quality", "lawful", "practice"} <= set(book.packs)
    for required in ["purposes-missing", "outdated-dpa-1998", "youth-support-missing", "placeholder-text", "review-date-stale"]:
        assert book.get(required) is not None


def test_schema_error_names_file_rule_and_path(tmp_path):
    path = _write(tmp_path, GOOD_RULE.replace("severity: warning", "severity: loud"))
    with pytest.raises(RuleFileError) as err:
        load_pack(path)
    msg = str(err.value)
    assert str(path) in msg and "la-contact-missing" in msg and "rules/0/severity" in msg


def test_missing_examples_is_an_error(tmp_path):
    text = GOOD_RULE.split("    examples:")[0]
    with pytest.raises(RuleFileError, match="examples"):
        load_pack(_write(tmp_path, text))


def test_bad_regex_is_an_error(tmp_path):
    with pytest.raises(RuleFileError, match="bad regular expression"):
        load_pack(_write(tmp_path, GOOD_RULE.replace("'data team'", "'data (team'")))


def test_bad_yaml_is_an_error(tmp_path):
    with pytest.raises(RuleFileError, match="not valid YAML"):
        load_pack(_write(tmp_path, "pack: [unclosed"))


def test_extra_rules_directory_and_clashing_ids(tmp_path):
    _write(tmp_path, GOOD_RULE)
    book = load_rulebook(extra_dirs=[tmp_path])
    assert book.get("la-contact").id == "la-contact-missing"
    (tmp_path / "local.yaml").write_text(GOOD_RULE.replace("la-contact-missing", "purposes-missing"), encoding="utf-8")
    with pytest.raises(RuleFileError, match="clashes"):
        load_rulebook(extra_dirs=[tmp_path])


def test_broken_built_in_sections_file(tmp_path):
    copy = tmp_path / "rules"
    shutil.copytree(rules_dir(), copy)
    text = (copy / "sections.yaml").read_text(encoding="utf-8").replace("  purposes:\n", "  porpoises:\n", 1)
    (copy / "sections.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(RuleFileError, match="sections.yaml"):
        load_rulebook(copy)


def test_select_ignore_and_severity_overrides():
    book = default_rulebook()
    only_dfe = book.selected(select=["dfe"])
    assert only_dfe.rules and all(r.pack == "dfe" for r in only_dfe.rules)
    no_info = book.selected(ignore=["transfers-missing", "outdated"])
    assert no_info.get("transfers-missing") is None and not any(r.pack == "outdated" for r in no_info.rules)
    louder = book.with_severities({"transfers-missing": "error"})
    assert louder.get("transfers-missing").severity == Severity.ERROR
    with pytest.raises(ValueError, match="unknown rule"):
        book.selected(select=["no-such-rule"])


def test_named_groups_in_weak_cues_are_refused(tmp_path):
    copy = tmp_path / "rules"
    shutil.copytree(rules_dir(), copy)
    text = (copy / "sections.yaml").read_text(encoding="utf-8")
    text = text.replace("      - '\\bpastoral care\\b'\n", "      - '\\bpastoral (?P<kind>care)\\b'\n", 1)
    (copy / "sections.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(RuleFileError, match="named groups are not allowed"):
        load_rulebook(copy)


def test_variants_are_validated_and_their_patterns_compiled(tmp_path):
    with_variant = GOOD_RULE.replace(
        "    fix: Name the LA data team.\n",
        "    fix: Name the LA data team.\n    variants:\n      - when: {audiences: [workforce]}\n        fix: Name the HR team.\n"
        "      - when: {patterns: ['academy trust']}\n        severity: info\n",
    )
    _, _, rules = load_pack(_write(tmp_path, with_variant))
    assert [v.get("fix") for v in rules[0].variants] == ["Name the HR team.", None]
    assert set(rules[0].compiled["variants"]) == {1}
    # a variant that changes nothing, or names an unknown context key, is refused
    for bad in ("      - when: {audiences: [workforce]}\n", "      - when: {phase: primary}\n        fix: x\n"):
        text = GOOD_RULE.replace("    fix: Name the LA data team.\n", "    fix: Name the LA data team.\n    variants:\n" + bad)
        with pytest.raises(RuleFileError, match="variants"):
            load_pack(_write(tmp_path, text))
    broken = with_variant.replace("'academy trust'", "'academy (trust'")
    with pytest.raises(RuleFileError, match="bad regular expression"):
        load_pack(_write(tmp_path, broken))


def test_a_severity_override_keeps_each_variant_with_its_own_condition(tmp_path):
    """Overriding a rule's severity drops its variants' severities, not the variants: the engine finds a
    variant's compiled patterns by position, so removing a severity-only variant gave the next one its condition."""
    from datetime import date

    from noticecheck.api import CheckOptions, check_document
    from noticecheck.model import Document

    text = GOOD_RULE.replace(
        "    fix: Name the LA data team.\n",
        "    fix: Name the LA data team.\n    variants:\n"
        "      - when: {patterns: ['maintained school']}\n        severity: error\n"
        "      - when: {patterns: ['academy trust']}\n        fix: Name the trust's data team.\n",
    )
    _, _, rules = load_pack(_write(tmp_path, text))
    book = default_rulebook().extended(rules).selected(select=["la-contact-missing"]).with_severities({"la-contact": "info"})
    options = CheckOptions(as_of=date(2026, 11, 24))

    def finding(notice: str):
        doc = Document(source="n.txt", data=notice.encode(), filename="n.txt")
        return next(f for f in check_document(doc, book, options, today=options.as_of).findings if f.rule == "la-contact-missing")

    trust = finding("Privacy notice\n\nWe are an academy trust. We use pupil data to teach.")
    assert (trust.severity, trust.fix) == (Severity.INFO, "Name the trust's data team.")
    maintained = finding("Privacy notice\n\nWe are a maintained school. We use pupil data to teach.")
    assert (maintained.severity, maintained.fix) == (Severity.INFO, "Name the LA data team.")
