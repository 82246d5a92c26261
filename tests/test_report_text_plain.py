"""The text report for a file or a pipe is written without rich (gate/report/text.py, _PlainConsole):
it must be byte for byte what rich writes, and must hand over to rich wherever rich would change a string."""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path

import pytest

from noticecheck.api import CheckOptions, check_document, unreadable
from noticecheck.gate.report import text
from noticecheck.model import Document, UnreadableInput
from noticecheck.rulebook import default_rulebook

ROOT = Path(__file__).resolve().parents[1]


def _results(paths):
    book = default_rulebook()
    return [
        check_document(Document(str(p), p.read_bytes(), filename=p.name), book, CheckOptions(), today=date(2026, 11, 24))
        for p in paths
    ]


def _both(results, **kw):
    plain = text._plain_render(results, show_sections=kw.get("show_sections", True), summary=kw.get("summary", True))
    rich = text._rich_render(results, width=None, color=False, show_sections=kw.get("show_sections", True),
                             summary=kw.get("summary", True))  # fmt: skip
    return plain, rich


@pytest.fixture(scope="module")
def corpus_results():
    paths = sorted(p for p in (ROOT / "corpus" / "notices").iterdir() if p.is_file())
    assert len(paths) >= 40
    return _results(paths)


def test_the_plain_writer_matches_rich_on_every_corpus_notice(corpus_results):
    written = 0
    for result in corpus_results:
        for show_sections in (True, False):
            plain, rich = _both([result], show_sections=show_sections)
            if plain is not None:
                assert plain == rich, result.source
                written += 1
    # it must really be the common path, not a writer that always hands over
    assert written >= 0.9 * 2 * len(corpus_results), written
    plain, rich = _both(corpus_results)
    assert plain is not None and plain == rich


def _with(result, **changes):
    findings = [dataclasses.replace(f, **changes) for f in result.findings[:3]]
    return dataclasses.replace(result, findings=findings)


@pytest.mark.parametrize(
    "quote, plain_written",
    [
        ("[School name] will keep [dates] for [/] a year [bold]", True),  # brackets, lower-case tag-like ones too
        ("Tel: 01234 567890 or 10:30:45, https://example.org:8080/x:y", True),  # colons that are no emoji codes
        ("a :smile: here", False),  # rich turns it into an emoji
        ("a:b: here", False),  # ':b:' is an emoji's name too
        ("a:zz9:smile: here", True),  # rich's scan takes ':zz9:' first and so never sees ':smile:'
        ("C:\\Users\\notice [b]", False),  # backslashes: left to rich
        ("tab\there", False),  # rich expands tabs
        ("bell\x07 and carriage\r return", False),  # rich drops these
        ("日本語の通知", True),  # wide characters outside a rule are only text
    ],
)
def test_awkward_strings_are_written_as_rich_writes_them_or_left_to_rich(corpus_results, quote, plain_written):
    result = next(r for r in corpus_results if len(r.findings) >= 3)
    changed = _with(result, quote=quote, message=quote + " message")
    plain, rich = _both([changed])
    assert (plain is not None) == plain_written
    if plain is not None:
        assert plain == rich
    # whichever writer ran, render() gives rich's text
    assert text.render([changed]) == rich


@pytest.mark.parametrize(
    "source, plain_written",
    [
        ("notices/a-short-name.txt", True),
        ("x" * 95, True),
        ("x" * 97, False),  # rich shortens a title this long with an ellipsis
        ("notices/école.txt", False),  # rich measures non-ASCII titles in cells
        ("[bold]odd name].txt", True),
        ("", True),
    ],
)
def test_rule_titles(corpus_results, source, plain_written):
    result = dataclasses.replace(corpus_results[0], source=source)
    plain, rich = _both([result])
    assert (plain is not None) == plain_written
    if plain is not None:
        assert plain == rich
    assert text.render([result]) == rich


def test_an_unreadable_input_and_the_summary():
    results = [unreadable("missing.txt", UnreadableInput("missing", "no such file: missing.txt"))]
    plain, rich = _both(results)
    assert plain is not None and plain == rich
