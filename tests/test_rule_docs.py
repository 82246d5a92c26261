"""docs/rules.md is generated from the rule files and must be kept up to date."""

from __future__ import annotations

from pathlib import Path

from cli_helpers import run
from noticecheck.rule_docs import REGENERATE, builtin_book, render_markdown

DOCS = Path(__file__).resolve().parents[1] / "docs" / "rules.md"


def test_rules_md_is_up_to_date():
    expected = render_markdown(builtin_book())
    assert DOCS.read_text(encoding="utf-8") == expected, f"docs/rules.md is out of date; regenerate it with: {REGENERATE}"


def test_reference_covers_every_rule_with_its_examples():
    book = builtin_book()
    text = render_markdown(book)
    for rule in book.rules:
        assert f"### `{rule.id}`" in text and rule.source_url in text
        first_fail = rule.examples["fail"][0]
        first_line = (first_fail if isinstance(first_fail, str) else first_fail["text"]).split("\n")[0]
        assert first_line in text


def test_cli_markdown_matches_the_generator():
    assert run("rules", "--format", "markdown", "--isolated").stdout == render_markdown(builtin_book())
