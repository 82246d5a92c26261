"""Suppression comments: parsing, `disable` and `disable-next` scopes in HTML and Markdown, and the
`unused-suppression` rule (its own examples run here, through the real gate)."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date

import pytest

from cli_helpers import run
from noticecheck.api import CheckOptions
from noticecheck.gate.run import Gate
from noticecheck.gate.config import Config, select_rules
from noticecheck.model import Document
from noticecheck.rulebook import default_rulebook
from noticecheck.rulebook import load_gate_packs
from noticecheck.load.comments import parse_directives

AS_OF = date(2026, 6, 1)
DPA = "We are registered under the Data Protection Act 1998."


@pytest.fixture(scope="module")
def gate() -> Gate:
    return Gate(selection=select_rules(Config()), options=CheckOptions(), today=AS_OF)


def check(gate: Gate, text: str, name: str = "draft.md"):
    doc = Document(source=name, data=text.encode("utf-8"), filename=name)
    return gate.check_doc(doc)


def fired(outcome, rule: str):
    return [f for f in outcome.findings if f.rule == rule]


# ---------------------------------------------------------------- parsing


def test_directives_are_parsed_with_lines_names_and_reasons():
    text = (
        "# Notice\r\n\r\n<!-- noticecheck: disable=dpo-missing, ico-complaint-missing -- we explain this elsewhere -->\r\n"
        "<!--\r\n  noticecheck: disable-next=outdated-url\r\n-->\r\nText\r\n<!-- noticecheck: enable=x -->\r\n"
        "<!-- an ordinary comment -->\r\n<!-- noticecheck: disable= -- why -->\r\n"
    )
    d = parse_directives(text)
    assert [x.line for x in d] == [3, 4, 8, 10]
    assert d[0].action == "disable" and d[0].names == ("dpo-missing", "ico-complaint-missing")
    assert d[0].reason == "we explain this elsewhere"
    assert d[1].action == "disable-next" and d[1].names == ("outdated-url",) and d[1].reason == ""
    assert d[2].action is None and "disable=rule-id" in d[2].problem
    assert d[3].action is None and "names no rule" in d[3].problem


# ---------------------------------------------------------------- scopes


def test_disable_covers_the_whole_document(gate):
    text = f"# Notice\n\n<!-- noticecheck: disable=outdated-dpa-1998 -- history -->\n\n{DPA}\n\nAlso: the DPA 1998 applies.\n"
    outcome = check(gate, text)
    assert not fired(outcome, "outdated-dpa-1998") and not fired(outcome, "unused-suppression")
    assert len(outcome.suppressed) == 2 and outcome.suppressed[0].directive.reason == "history"


@pytest.mark.parametrize("gap", ["\n", "\n\n"])  # glued to the paragraph, or a blank line between
def test_disable_next_in_markdown_covers_only_the_next_block(gate, gap):
    text = f"# Notice\n\n<!-- noticecheck: disable-next=outdated-dpa-1998 -->{gap}{DPA}\n\nLater: {DPA}\n"
    outcome = check(gate, text)
    left = fired(outcome, "outdated-dpa-1998")
    assert len(left) == 1 and left[0].quote.startswith("Later")
    assert len(outcome.suppressed) == 1 and not fired(outcome, "unused-suppression")


def test_disable_next_in_html_multiline_and_on_one_line(gate):
    multi = f"<html><body><main>\n<h1>Notice</h1>\n<!-- noticecheck: disable-next=outdated-dpa-1998 -->\n<p>{DPA}</p>\n<p>Later: {DPA}</p>\n</main></body></html>\n"
    outcome = check(gate, multi, "draft.html")
    assert [f.quote[:5] for f in fired(outcome, "outdated-dpa-1998")] == ["Later"]
    one_line = f"<html><body><main><h1>Notice</h1><p>Intro text here.</p>\n<p>Later: {DPA}</p><!-- noticecheck: disable-next=outdated-dpa-1998 --><p>Last: {DPA}</p></main></body></html>\n"
    outcome = check(gate, one_line, "draft.html")
    # on one line the block after the comment shares the line with the one before it: both are covered
    assert not fired(outcome, "outdated-dpa-1998") and not fired(outcome, "unused-suppression")


def test_plain_text_and_office_files_do_not_read_comments(gate):
    text = f"Notice\n\n<!-- noticecheck: disable=outdated-dpa-1998 -->\n\n{DPA}\n"
    outcome = check(gate, text, "draft.txt")
    assert fired(outcome, "outdated-dpa-1998") and not outcome.suppressed


def test_a_directive_reason_is_not_read_as_part_of_the_notice(gate):
    """Markdown loading keeps comments as text; the reason must not change the context the rules see."""
    base = "# Privacy notice for parents\n\nWe use pupil data to support learning.\n"
    plain = check(gate, base)
    commented = check(gate, base + "\n<!-- noticecheck: disable=lrs-missing -- we are an independent school -->\n")
    assert commented.result.context.school_type == plain.result.context.school_type is None


# ---------------------------------------------------------------- unused-suppression


def test_unknown_rules_get_a_suggestion(gate):
    outcome = check(gate, f"# Notice\n\n<!-- noticecheck: disable=outdated-dpa-1989 -->\n{DPA}\n")
    [report] = fired(outcome, "unused-suppression")
    assert "'outdated-dpa-1989' is not a rule (did you mean 'outdated-dpa-1998'?)" in report.message
    assert report.line == 3 and report.quote.startswith("<!-- noticecheck:") and report.severity.label == "warning"


def test_rules_that_did_not_run_are_not_reported(gate):
    """A comment for a rule switched off by configuration may matter under another one (unlike ruff's RUF100)."""
    text = "# Notice\n\n<!-- noticecheck: disable=outdated-dpa-1998 -->\nWe use pupil data to support learning.\n"
    assert fired(check(gate, text), "unused-suppression")
    narrow = Gate(selection=select_rules(Config(ignore=("outdated",))), options=CheckOptions(), today=AS_OF)
    assert not fired(check(narrow, text), "unused-suppression")
    silent = Gate(selection=select_rules(Config(ignore=("unused-suppression",))), options=CheckOptions(), today=AS_OF)
    assert not fired(check(silent, f"# Notice\n\n<!-- noticecheck: disable=nonsense -->\n{DPA}\n"), "unused-suppression")


def test_reports_about_comments_can_themselves_be_suppressed(gate):
    text = (
        "# Notice\n\n<!-- noticecheck: disable=unused-suppression -- kept for next year's template -->\n"
        "<!-- noticecheck: disable=outdated-url -->\nWe use pupil data to support learning.\n"
    )
    outcome = check(gate, text)
    assert not fired(outcome, "unused-suppression")
    assert [s.finding.rule for s in outcome.suppressed] == ["unused-suppression"]


def test_a_renamed_rule_is_found_by_its_old_id(gate):
    book = default_rulebook()
    renamed = tuple(replace(r, aliases=("dpa-1998-cited",)) if r.id == "outdated-dpa-1998" else r for r in book.rules)
    aliased = Gate(selection=select_rules(Config(), base=replace(book, rules=renamed)), options=CheckOptions(), today=AS_OF)
    outcome = check(aliased, f"# N\n\n<!-- noticecheck: disable=dpa-1998-cited -->\n\n{DPA}\n")
    assert not fired(outcome, "outdated-dpa-1998") and not fired(outcome, "unused-suppression")


_META_RULE = next(rule for _, _, rules in load_gate_packs() for rule in rules if rule.id == "unused-suppression")
CASES = [
    pytest.param(outcome, text, id=f"{outcome}-{i}")
    for outcome in ("fail", "pass")
    for i, text in enumerate(_META_RULE.examples[outcome])
]


@pytest.mark.parametrize("outcome,text", CASES)
def test_unused_suppression_examples(gate, outcome, text):
    """The meta rule's examples (shown by `explain` and docs/rules.md) hold, as rules/*.yaml examples do."""
    found = fired(check(gate, text), "unused-suppression")
    assert bool(found) == (outcome == "fail"), [f.message for f in found]


def test_suppressed_findings_are_flagged_in_json_and_kept_out_of_the_gate(tmp_path):
    draft = tmp_path / "draft.md"
    draft.write_text(f"# Notice\n\n<!-- noticecheck: disable=outdated-dpa-1998 -- history -->\n\n{DPA}\n", encoding="utf-8")
    result = run("check", str(draft), "--isolated", "--select", "outdated-dpa-1998,unused-suppression", "--format", "json")
    assert result.exit_code == 0
    [item] = json.loads(result.stdout)["documents"][0]["findings"]
    assert item["rule"] == "outdated-dpa-1998" and item["suppressed"] is True


def test_the_engine_refuses_a_gate_kind_in_an_ordinary_pack(tmp_path):
    """suppression-comments judges the gate's comments, after the engine: an engine pack cannot run it."""
    from noticecheck.rulebook import RuleFileError, load_rulebook, rules_dir

    meta = (rules_dir() / "gate" / "meta.yaml").read_text(encoding="utf-8")
    (tmp_path / "house.yaml").write_text(meta.replace("pack: meta", "pack: house"), encoding="utf-8")
    with pytest.raises(RuleFileError, match="only in a pack of rules/gate/"):
        load_rulebook(rules_dir(), extra_dirs=[tmp_path])
