"""Text cut short: the document-level note, and missing-part findings one level lower with it; complete drafts untouched."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from importlib import resources
from pathlib import Path

import jsonschema
import pytest
from helpers import AS_OF, check_snippet

from noticecheck.api import CheckOptions, check_text
from noticecheck.completeness import assess_completeness
from noticecheck.load import to_text
from noticecheck.model import Document, Severity
from noticecheck.rulebook import default_rulebook
from noticecheck.sources import read_document

ROOT = Path(__file__).resolve().parents[1]
REAL_SET = ROOT.parent / "shared" / "realnotices"

DRAFT = """Privacy notice for parents and carers

Elmfield Primary School is the data controller for the information in this notice.

What we collect

We hold your child's name, address, attendance and assessment results, and any medical needs.

Why we use it

We use this information to support your child's learning and to keep children safe.

Who we share it with

We share information with the local authority and the Department for Education.

Contact us

Please write to the school office at Elmfield Primary School, Mill Lane, Elmfield EL1 2AB, or email office@elmfield.example.sch.uk.

Last reviewed: September 2026
Page 2 of 2
"""


def _text(body: str, name: str = "notice.txt"):
    return to_text(Document(source=name, data=body.encode("utf-8"), filename=name))


def _assess(body: str):
    return assess_completeness(_text(body), default_rulebook().completeness)


def test_a_complete_draft_is_not_marked_and_keeps_its_severities():
    result = check_snippet(DRAFT)
    assert result.incomplete is None
    assert all(f.note is None for f in result.findings)


def test_a_draft_cut_mid_sentence_gets_the_note_and_missing_findings_drop_one_level():
    cut = DRAFT[: DRAFT.index("Who we share it with")] + "Who we share it with\n\nWe share information with the loc\n"
    text = _text(cut)
    options = CheckOptions(as_of=AS_OF)
    book = default_rulebook()
    marked = check_text(text, book, options, today=AS_OF)
    plain = check_text(text, replace(book, completeness=None), options, today=AS_OF)  # the same text, judged as if complete
    assert marked.incomplete is not None
    assert marked.incomplete.note.startswith("the text appears incomplete: it stops mid-")
    assert "loc" in marked.incomplete.note
    before = {(f.rule, f.line): f for f in plain.findings}
    after = {(f.rule, f.line): f for f in marked.findings}
    assert before.keys() == after.keys()  # same findings, same ids
    missing = [key for key, f in before.items() if f.kind == "missing"]
    assert missing and any(before[k].severity == Severity.ERROR for k in missing)
    for key, f in before.items():
        if f.kind == "missing":
            assert after[key].severity == f.severity.lowered() and after[key].note == marked.incomplete.note
        else:
            assert after[key] == f  # a fault in the text is as wrong in a part as in the whole


@pytest.mark.parametrize(
    "ending, reason",
    [
        ("We keep pupil records until the pupil", "stops mid-sentence"),  # no full stop
        ("We keep pupil records until the pupil is 25 and", "stops mid-sentence"),  # dangling connective
        ("Personal information (such as name, address", "inside a bracket"),
        ("Your rights", "ends with the heading"),
    ],
)
def test_endings_that_stop_short(ending, reason):
    body = "How we use pupil information\n\nWe are Elmfield School, the data controller.\n\n"
    body += ("## " if ending == "Your rights" else "") + ending + "\n"
    found = _assess(body)
    assert found is not None and reason in found.note, found


def test_a_word_cut_in_half_is_seen_even_in_a_list():
    body = (
        "Privacy notice\n\nWe use information to support pupils' education and to keep them safe.\n\n"
        "The information we hold includes:\n\n- names and addresses\n- educational records\n- attendance and educ\n"
    )
    found = _assess(body)
    assert found is not None and "mid-word" in found.note


def test_a_list_whose_last_item_lost_its_full_stop():
    body = (
        "Privacy notice\n\nWe use the data:\n\n- To contact you in an emergency.\n- For billing and payment.\n"
        "- To keep you informed about events.\n- To remind you of\n"
    )
    assert _assess(body) is not None
    complete = body.replace("- To remind you of\n", "- To remind you of school closures.\n")
    assert _assess(complete) is None


def test_pointers_to_parts_that_never_come():
    head = "Privacy notice\n\nOur data protection officer is Ms A Patel (see 'Contact us' below).\n\n"
    assert "Contact us" in _assess(head + "We hold names and addresses of pupils.\n").note
    later = head + "We hold names and addresses of pupils.\n\n## Contact us\n\nWrite to the school office.\n"
    assert _assess(later) is None
    section = "Privacy notice\n\nYour rights are explained in section 9.\n\n## 1. Who we are\n\nWe are a school.\n"
    assert "section 9" in _assess(section).note
    assert _assess(section + "\n## 9. Your rights\n\nYou may ask for a copy of your data.\n") is None
    # a statute's section is not a pointer
    assert _assess("Privacy notice\n\nWe collect data under section 537A of the Education Act 1996.\n") is None
    below = "Privacy notice\n\nWe are Elmfield School. The ways we use data are set out below.\n"
    assert "points to text below" in _assess(below).note


def test_a_table_of_contents_whose_parts_never_appear():
    toc = "Privacy notice\n\nContents\n\n1. Who we are\n2. What we collect\n3. Your rights\n4. Contact us\n\n"
    part = toc + "## 1. Who we are\n\nWe are Elmfield School, the data controller for this information.\n"
    found = _assess(part)
    assert found is not None and "contents list 3 of 4" in found.note
    whole = part + "".join(
        f"\n## {n}. {title}\n\nSome full sentences about this part of the notice.\n"
        for n, title in ((2, "What we collect"), (3, "Your rights"), (4, "Contact us"))
    )
    assert _assess(whole) is None


def test_none_of_our_corpus_notices_is_marked_incomplete():
    cues = default_rulebook().completeness
    marked = []
    for path in sorted((ROOT / "corpus" / "notices").iterdir()):
        found = assess_completeness(to_text(read_document(str(path), max_bytes=50 * 1024 * 1024)), cues)
        if found is not None:
            marked.append(f"{path.name}: {found.note}")
    assert not marked, "\n".join(marked)


@pytest.mark.skipif(not (REAL_SET / "labels.jsonl").exists(), reason=f"the real-notice set is not here ({REAL_SET} is absent)")
def test_most_real_notices_labelled_truncated_are_marked_and_no_complete_one_is():
    cues = default_rulebook().completeness
    truncated = complete_marked = 0
    marked = 0
    for line in (REAL_SET / "labels.jsonl").read_text(encoding="utf-8").splitlines():
        label = json.loads(line)
        text = to_text(read_document(str(REAL_SET / "notices" / f"{label['id']}.txt"), max_bytes=50 * 1024 * 1024))
        found = assess_completeness(text, cues)
        if label["truncated"]:
            truncated += 1
            marked += found is not None
        elif found is not None:
            complete_marked += 1
    assert truncated >= 50 and marked >= 0.8 * truncated, f"{marked} of {truncated} cut-short texts marked"
    assert complete_marked == 0


def test_json_sarif_and_text_carry_the_note(tmp_path, monkeypatch):
    from cli_helpers import run

    monkeypatch.chdir(tmp_path)
    Path("cut.txt").write_text(DRAFT[: DRAFT.index("Contact us")] + "Contact us\n\nPlease write to the school off\n", encoding="utf-8")
    Path("whole.txt").write_text(DRAFT, encoding="utf-8")
    out = run("check", "cut.txt", "whole.txt", "--format", "json", "--as-of", "2026-11-24")
    data = json.loads(out.stdout)
    schema = json.loads(resources.files("noticecheck").joinpath("schemas/report.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(schema).validate(data)
    cut, whole = data["documents"]
    assert cut["incomplete"]["note"].startswith("the text appears incomplete") and cut["incomplete"]["reasons"]
    assert whole["incomplete"] is None
    missing = [f for f in cut["findings"] if f["kind"] == "missing"]
    assert missing and all(f["note"] == cut["incomplete"]["note"] for f in missing)
    assert all(f["note"] is None for f in cut["findings"] if f["kind"] != "missing")
    sarif = json.loads(run("check", "cut.txt", "--format", "sarif", "--as-of", "2026-11-24").stdout)
    run_ = sarif["runs"][0]
    notes = run_["invocations"][0]["toolExecutionNotifications"]
    assert [n["descriptor"]["id"] for n in notes] == ["incomplete-text"] and run_["invocations"][0]["executionSuccessful"]
    assert any("note" in r["properties"] for r in run_["results"])
    for fmt in ("text", "concise", "csv", "markdown", "html", "github", "junit", "jsonl"):
        shown = run("check", "cut.txt", "--format", fmt, "--as-of", "2026-11-24").stdout
        assert "the text appears incomplete" in shown, fmt


def test_the_as_of_date_does_not_matter_to_completeness():
    early = check_snippet(DRAFT + "\nWe also share", as_of=date(2019, 1, 1))
    late = check_snippet(DRAFT + "\nWe also share", as_of=date(2026, 11, 24))
    assert early.incomplete == late.incomplete and early.incomplete is not None


def test_a_last_word_cut_short_is_known_from_common_notice_words_not_only_from_the_text():
    """The text never says "care", but "pastoral car" at the end of a list is still a cut word;
    "record" at the end is a whole word although only "records" occurs before it."""
    lead = "# How we use pupil information\n\nWe hold pupils' records and use them:\n\n- to support pupils' learning\n- to monitor progress\n"
    cut = _assess(lead + "- to provide appropriate pastoral car\n")
    assert cut is not None and "mid-word" in cut.note and '"' in cut.note
    whole = _assess(lead + "- to keep an attendance record\n")
    assert whole is None or "mid-word" not in whole.note
