"""`noticecheck rules` and `noticecheck explain`: listing, JSON, config awareness, aliases, unknown ids, `--test`."""

from __future__ import annotations

import json

from cli_helpers import run
from noticecheck.rulebook import default_rulebook

HOUSE_PACK = """
pack: house
description: House rules.
rules:
  - id: trust-named
    title: The trust is named
    severity: info
    source: {title: "House style", url: "https://example.org/style"}
    applies_from: "2018-05-25"
    check: {kind: absent, patterns: ['Oakwood Trust']}
    message: The notice does not name the trust.
    fix: Name the Oakwood Trust.
    examples: {fail: ["Text."], pass: ["The Oakwood Trust runs this school."]}
"""


def test_rules_lists_every_rule_with_severity_pack_and_title(tmp_path):
    result = run("rules", "--isolated")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert len(lines) == len(default_rulebook().rules) + 1  # the built-in packs plus unused-suppression
    first = lines[0].split()
    assert first[0] == default_rulebook().rules[0].id and first[1] in ("error", "warning", "info")
    assert lines[-1].startswith("unused-suppression") and " meta " in lines[-1]


def test_rules_json_and_config_selection(tmp_path):
    (tmp_path / "noticecheck.toml").write_text('ignore = ["dfe"]\n[severity]\nlrs-missing = "error"\n', encoding="utf-8")
    result = run("rules", "--format", "json", cwd_path=tmp_path)
    rules = {r["id"]: r for r in json.loads(result.stdout)}
    assert rules["lrs-missing"]["selected"] is False and rules["lrs-missing"]["severity"] == "error"
    assert rules["dpo-missing"]["selected"] is True and rules["dpo-missing"]["source"]["url"].startswith("https://")
    text = run("rules", cwd_path=tmp_path).stdout
    assert "* not selected by the configuration (5 rule(s))" in text


def test_explain_prints_the_whole_rule():
    result = run("explain", "outdated-dpa-1998", "--isolated")
    assert result.exit_code == 0
    out = result.stdout
    rule = default_rulebook().get("outdated-dpa-1998")
    for part in (rule.title, rule.source_url, "Applies:", "Fix:", "Fires on", "Does not fire on"):
        assert part in out
    assert "  | " + rule.examples["fail"][0].split("\n")[0] in out


def test_explain_unknown_rule_suggests_the_nearest():
    result = run("explain", "outdated-dpa-1989", "--isolated")
    assert result.exit_code == 2
    assert "unknown rule 'outdated-dpa-1989' (did you mean 'outdated-dpa-1998'?)" in result.stderr


def test_explain_accepts_an_alias_from_an_extra_pack(tmp_path):
    (tmp_path / "house").mkdir()
    aliased = HOUSE_PACK.replace("    title: The trust is named", "    aliases: [trust-logo]\n    title: The trust is named")
    (tmp_path / "house" / "p.yaml").write_text(aliased, encoding="utf-8")
    config = tmp_path / "noticecheck.toml"
    config.write_text('extra-rules = ["house"]\n', encoding="utf-8")
    result = run("explain", "trust-logo", "--config", str(config))
    assert result.exit_code == 0 and result.stdout.startswith("trust-named: The trust is named")
    assert "Aliases:    trust-logo" in result.stdout and "Pack:       house (House rules.)" in result.stdout


def test_rules_test_runs_the_built_in_examples():
    result = run("rules", "--test")
    book = default_rulebook()
    count = sum(len(r.examples["fail"]) + len(r.examples["pass"]) for r in book.rules)
    assert result.exit_code == 0
    assert result.stdout.strip() == f"{count} example(s) of {len(book.rules)} rule(s): all as expected"


def test_rules_test_runs_an_la_pack_and_names_a_wrong_example(tmp_path):
    (tmp_path / "house.yaml").write_text(HOUSE_PACK, encoding="utf-8")
    good = run("rules", "--test", str(tmp_path))
    assert good.exit_code == 0 and good.stdout.strip() == "2 example(s) of 1 rule(s): all as expected"

    (tmp_path / "house.yaml").write_text(HOUSE_PACK.replace('fail: ["Text."]', 'fail: ["The Oakwood Trust."]'), encoding="utf-8")
    bad = run("rules", "--test", str(tmp_path))
    assert bad.exit_code == 1
    assert bad.stdout.splitlines()[0].startswith("FAIL trust-named-fail-0: trust-named should fire on 'The Oakwood Trust.'")


def test_rules_test_refuses_a_broken_pack_or_an_empty_directory(tmp_path):
    empty = run("rules", "--test", str(tmp_path))
    assert empty.exit_code == 2 and "no rule packs" in empty.stderr
    (tmp_path / "house.yaml").write_text(HOUSE_PACK.replace("severity: info", "severity: loud"), encoding="utf-8")
    broken = run("rules", "--test", str(tmp_path))
    assert broken.exit_code == 2 and "rule file error" in broken.stderr
