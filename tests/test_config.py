"""Configuration: discovery (walking up, pyproject table, --config, stdin), keys, errors that name file and key,
`extends` (relative, overriding, cycles), `extra-rules` packs, and what the config does to a real check."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from cli_helpers import run
from noticecheck.gate.config import Config, ConfigError, discover, find_config, load_config, select_rules

NOTICE = "Privacy notice for parents\n\nWe use pupil data to support learning. This follows the Data Protection Act 1998.\n"

EXTRA_PACK = """
pack: trust
description: The trust's own house rules.
rules:
  - id: trust-logo-missing
    title: The trust's name is not mentioned
    severity: warning
    source: {title: "Trust house style", url: "https://example.org/house-style"}
    applies_from: "2018-05-25"
    check: {kind: absent, patterns: ['\\bOakwood Trust\\b']}
    message: The notice does not name the Oakwood Trust.
    fix: Name the Oakwood Trust as the data controller.
    examples:
      fail: ["We use pupil data to support learning."]
      pass: ["The Oakwood Trust uses pupil data to support learning."]
"""


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def rule_ids(result) -> set[str]:
    return {f["rule"] for d in json.loads(result.stdout)["documents"] for f in d["findings"]}


# ---------------------------------------------------------------- discovery


def test_nearest_config_wins_walking_up_from_the_checked_file(tmp_path):
    write(tmp_path / "noticecheck.toml", 'fail-on = "none"\n')
    inner = write(tmp_path / "a" / "b" / ".noticecheck.toml", 'fail-on = "info"\n')
    notice = write(tmp_path / "a" / "b" / "c" / "notice.txt", NOTICE)
    assert find_config(notice) == inner.resolve()
    assert discover(None, [str(notice)]).fail_on == "info"
    assert discover(None, [str(tmp_path / "a" / "x.txt")]).fail_on == "none"  # missing file: its folder is used


def test_pyproject_counts_only_with_a_tool_noticecheck_table(tmp_path):
    write(tmp_path / "pyproject.toml", '[tool.noticecheck]\nignore = ["dfe"]\n')
    write(tmp_path / "sub" / "pyproject.toml", '[project]\nname = "x"\n')
    notice = write(tmp_path / "sub" / "n.txt", NOTICE)
    config = discover(None, [str(notice)])
    assert config.path == (tmp_path / "pyproject.toml").resolve() and config.ignore == ("dfe",)


def test_in_one_folder_noticecheck_toml_beats_pyproject(tmp_path):
    write(tmp_path / "pyproject.toml", '[tool.noticecheck]\nfail-on = "info"\n')
    write(tmp_path / "noticecheck.toml", 'fail-on = "warning"\n')
    assert discover(None, [str(tmp_path / "n.txt")]).fail_on == "warning"


def test_explicit_config_isolated_and_stdin(tmp_path, monkeypatch):
    write(tmp_path / "noticecheck.toml", 'fail-on = "warning"\n')
    other = write(tmp_path / "elsewhere" / "ci.toml", 'fail-on = "info"\n')
    assert discover(str(other), [str(tmp_path / "n.txt")]).fail_on == "info"
    assert discover(None, [str(tmp_path / "n.txt")], isolated=True) == Config()
    monkeypatch.chdir(tmp_path)
    assert discover(None, ["-"]).fail_on == "warning"  # stdin: walk up from the current directory
    with pytest.raises(ConfigError, match="config file not found"):
        discover(str(tmp_path / "nope.toml"), [])


# ---------------------------------------------------------------- errors name the file and the key


@pytest.mark.parametrize(
    "body, expected",
    [
        ('fial-on = "error"\n', "unknown key 'fial-on' (did you mean 'fail-on'?)"),
        ('fail-on = "fatal"\n', "fail-on: 'fatal' is not one of error, warning, info, none"),
        ('select = "dfe, gdpr"\nignore = [1]\n', "ignore: expected a list of names"),
        ('[severity]\ndpo-missing = "critical"\n', "severity.dpo-missing: 'critical' is not one of"),
        ('age-range = "eleven"\n', "age-range: 'eleven' is not an age range"),
        ('audience = "teachers"\n', "audience: 'teachers' is not one of pupils, parents"),
        ('phase = "infants"\n', "phase: 'infants' is not one of"),
        ('extra-rules = ["no-such-dir"]\n', "extra-rules: 'no-such-dir' is not a directory"),
        ('extends = "missing.toml"\n', "extends: 'missing.toml' not found"),
        ("select = [\n", "not valid TOML"),
    ],
)
def test_bad_config_is_a_clear_error_naming_file_and_key(tmp_path, body, expected):
    path = write(tmp_path / "noticecheck.toml", body)
    with pytest.raises(ConfigError) as err:
        load_config(path)
    assert str(err.value).startswith(str(path.resolve())) and expected in str(err.value)


def test_unknown_rule_names_are_errors_with_a_suggestion(tmp_path):
    path = write(tmp_path / "noticecheck.toml", 'ignore = ["dpo-mising"]\n')
    with pytest.raises(ConfigError, match=r"noticecheck.toml: ignore: unknown rule or pack 'dpo-mising' \(did you mean 'dpo-missing'\?\)"):
        select_rules(load_config(path))


def test_cli_exits_2_with_the_message_for_a_bad_config(tmp_path):
    write(tmp_path / "noticecheck.toml", 'selcet = ["dfe"]\n')
    notice = write(tmp_path / "n.txt", NOTICE)
    result = run("check", str(notice))
    assert result.exit_code == 2
    assert "config error" in result.stderr and "noticecheck.toml: unknown key 'selcet' (did you mean 'select'?)" in result.stderr


# ---------------------------------------------------------------- extends


def test_extends_is_relative_to_the_extending_file_and_its_keys_win(tmp_path):
    write(tmp_path / "shared" / "base.toml", 'ignore = ["dfe"]\nfail-on = "info"\naudience = "parents"\n')
    child = write(tmp_path / "repo" / "noticecheck.toml", 'extends = "../shared/base.toml"\nfail-on = "warning"\n')
    config = load_config(child)
    assert (config.ignore, config.fail_on, config.audience) == (("dfe",), "warning", "parents")
    assert config.path == child.resolve()


def test_extends_cycle_is_an_error(tmp_path):
    write(tmp_path / "a.toml", 'extends = "b.toml"\n')
    write(tmp_path / "b.toml", 'extends = "a.toml"\n')
    with pytest.raises(ConfigError, match="circular extends"):
        load_config(tmp_path / "a.toml")


def test_errors_in_an_extended_file_name_that_file(tmp_path):
    base = write(tmp_path / "base.toml", 'select = ["no-such-pack"]\n')
    child = write(tmp_path / "noticecheck.toml", 'extends = "base.toml"\n')
    with pytest.raises(ConfigError, match=f"{base.resolve()}: select: unknown rule or pack 'no-such-pack'"):
        select_rules(load_config(child))


# ---------------------------------------------------------------- extra rule packs


def test_extra_rules_are_loaded_selected_and_run(tmp_path):
    write(tmp_path / "house" / "trust.yaml", EXTRA_PACK)
    write(tmp_path / "noticecheck.toml", 'extra-rules = ["house"]\n[severity]\ntrust-logo-missing = "error"\n')
    notice = write(tmp_path / "n.txt", NOTICE)
    selection = select_rules(load_config(tmp_path / "noticecheck.toml"))
    assert selection.catalogue.get("trust-logo-missing").severity.label == "error"
    assert "trust" in selection.catalogue.packs
    result = run("check", str(notice), "--format", "json", "--as-of", "2026-06-01")
    assert "trust-logo-missing" in rule_ids(result)
    # the pack name works in ignore like a built-in one
    assert "trust-logo-missing" not in rule_ids(run("check", str(notice), "--format", "json", "--ignore", "trust"))


def test_extra_rules_that_clash_or_break_the_schema_are_errors(tmp_path):
    write(tmp_path / "clash" / "p.yaml", EXTRA_PACK.replace("trust-logo-missing", "dpo-missing"))
    write(tmp_path / "bad" / "p.yaml", EXTRA_PACK.replace("severity: warning", "severity: loud"))
    for folder, expected in (("clash", "clashes with an existing rule"), ("bad", "severity")):
        path = write(tmp_path / f"{folder}.toml", f'extra-rules = ["{folder}"]\n')
        with pytest.raises(ConfigError) as err:
            select_rules(load_config(path))
        assert "extra-rules" in str(err.value) and "p.yaml" in str(err.value) and expected in str(err.value)


# ---------------------------------------------------------------- what the keys do


def test_select_ignore_severity_and_fail_on_change_the_run(tmp_path):
    notice = write(tmp_path / "n.txt", NOTICE)
    everything = rule_ids(run("check", str(notice), "--format", "json", "--isolated"))
    assert {"outdated-dpa-1998", "retention-missing"} <= everything

    write(tmp_path / "noticecheck.toml", 'select = ["outdated"]\nfail-on = "none"\n')
    only = run("check", str(notice), "--format", "json")
    assert only.exit_code == 0 and rule_ids(only) == {"outdated-dpa-1998"}

    write(tmp_path / "noticecheck.toml", 'ignore = ["gdpr", "outdated-dpa-1998"]\n[severity]\ndfe = "info"\n')
    found = json.loads(run("check", str(notice), "--format", "json").stdout)["documents"][0]["findings"]
    assert not {f["rule"] for f in found} & {"outdated-dpa-1998", "retention-missing"}
    dfe = [f for f in found if f["pack"] == "dfe"]
    assert dfe and all(f["severity"] == "info" for f in dfe)


def test_command_line_options_override_the_config(tmp_path):
    notice = write(tmp_path / "n.txt", NOTICE)
    write(tmp_path / "noticecheck.toml", 'select = ["outdated"]\nfail-on = "none"\n')
    assert run("check", str(notice)).exit_code == 0
    assert run("check", str(notice), "--fail-on", "error").exit_code == 1
    assert rule_ids(run("check", str(notice), "--format", "json", "--select", "retention-missing")) == {"retention-missing"}
    extended = rule_ids(run("check", str(notice), "--format", "json", "--extend-select", "retention-missing"))
    assert extended == {"outdated-dpa-1998", "retention-missing"}


def test_context_keys_reach_the_engine(tmp_path):
    notice = write(tmp_path / "n.txt", NOTICE)
    write(tmp_path / "noticecheck.toml", 'audience = "workforce"\nage-range = "11-18"\nschool-type = "academy"\n')
    doc = json.loads(run("check", str(notice), "--format", "json").stdout)["documents"][0]
    assert doc["context"]["audience"] == "workforce" and doc["context"]["age_range"] == [11, 18]
    assert doc["context"]["school_type"] == "academy"
    assert not {f["rule"] for f in doc["findings"]} & {"dfe-sharing-missing", "npd-missing"}  # pupil-only rules


def test_per_source_ignores_match_globs_relative_to_the_config(tmp_path):
    write(tmp_path / "noticecheck.toml", '[per-source-ignores]\n"staff/*" = ["outdated"]\n"*.md" = ["retention-missing"]\n')
    staff = write(tmp_path / "staff" / "deep" / "n.txt", NOTICE)
    other = write(tmp_path / "pupils" / "n.txt", NOTICE)
    markdown = write(tmp_path / "pupils" / "n.md", NOTICE)
    found = json.loads(run("check", str(staff), str(other), str(markdown), "--format", "json").stdout)["documents"]
    rules = [{f["rule"] for f in d["findings"]} for d in found]
    assert "outdated-dpa-1998" not in rules[0] and "outdated-dpa-1998" in rules[1]
    assert "retention-missing" in rules[1] and "retention-missing" not in rules[2]


_TOOL_TABLES = [
    "[tool.noticecheck]\nselect = ['x']\n",
    "[ tool . noticecheck ]\n",
    '[tool."noticecheck"]\n',
    "[[tool.noticecheck]]\nx = 1\n",
    "[tool]\nnoticecheck = {}\n",
    "[ 'tool' ]\nother = 1\nnoticecheck.select = []\n",
    "tool.noticecheck.select = []\n",
    "tool = { noticecheck = { select = [] } }\n",
    '[tool."notic\\u0065check"]\n',
    '["t\\u006fol".noticecheck]\n',
    "[tool.noticecheck.per-source-ignores]\n",
]
_NOT_OURS = [
    '[project]\nname = "noticecheck"\n[project.scripts]\nnoticecheck = "noticecheck.cli:main"\n'
    '[tool.hatch.build]\npackages = ["src/noticecheck"]\n',
    "[tool.ruff]\nline-length = 100\n",
    "",
]


def test_a_pyproject_is_parsed_whenever_it_may_hold_our_table(tmp_path):
    """The quick look that spares parsing never turns away a file that has a [tool.noticecheck] table."""
    import tomllib

    from noticecheck.gate.config import _has_tool_table, _may_hold_tool_table

    for text in _TOOL_TABLES + _NOT_OURS:
        data = tomllib.loads(text)
        ours = isinstance(data.get("tool"), dict) and "noticecheck" in data["tool"]
        if ours:
            assert _may_hold_tool_table(text), text
        path = tmp_path / "pyproject.toml"
        path.write_text(text, encoding="utf-8")
        assert _has_tool_table(path) == ours, text
    assert all(not _may_hold_tool_table(t) for t in _NOT_OURS)  # and it does spare the common case
    assert sum(_may_hold_tool_table(t) for t in _TOOL_TABLES) == len(_TOOL_TABLES)
