"""drift.py on outlines made here: parts matched, renamed, dropped, added; findings split; the likely template."""

from __future__ import annotations

from noticecheck.drift import compare_outlines, likely_template, split_findings
from noticecheck.model import OutlinePart
from noticecheck.scan.store import FindingRecord

TEMPLATE = (
    OutlinePart("About us", ("We are a school.", "We care about your data.")),
    OutlinePart("Keeping data", ("We keep records for six years.", "Then we shred them.")),
    OutlinePart("Your rights", ("You can ask for a copy.", "You can complain to the ICO.")),
)


def test_a_renamed_heading_over_the_same_text_is_changed_not_dropped_and_added():
    copy = (TEMPLATE[0], OutlinePart("How long we keep data", TEMPLATE[1].sentences), TEMPLATE[2])
    parts, kept = compare_outlines(TEMPLATE, copy)
    assert [(p.state, p.heading, p.copy_heading) for p in parts] == [
        ("match", "About us", None), ("changed", "Keeping data", "How long we keep data"), ("match", "Your rights", None)]
    assert kept == 1.0


def test_case_spacing_and_curly_quotes_are_not_drift():
    copy = (OutlinePart("ABOUT US", ("We are  a school.", "We care about your data.")), *TEMPLATE[1:])
    copy = (copy[0], copy[1], OutlinePart("Your rights", ("You can ask for a copy.", "You can complain to the ICO.")))
    parts, _ = compare_outlines(TEMPLATE, copy)
    assert all(p.state == "match" for p in parts)


def test_sentences_taken_out_and_put_in_are_listed_and_an_edit_still_counts_as_kept():
    copy = (TEMPLATE[0], OutlinePart("Keeping data", ("We keep records for ten years.", "Then we shred them.")),
            OutlinePart("Your rights", ("You can ask for a copy.", "Ring the office on Tuesdays about anything.")))
    parts, kept = compare_outlines(TEMPLATE, copy)
    changed, rights = parts[1], parts[2]
    assert changed.reworded == (("We keep records for six years.", "We keep records for ten years."),)
    assert rights.removed == ("You can complain to the ICO.",)
    assert rights.added == ("Ring the office on Tuesdays about anything.",)
    assert round(kept, 2) == round(5 / 6, 2)  # the edited sentence is kept; the replaced one is not


def test_findings_split_by_rule_into_inherited_own_and_fixed():
    def f(rule, severity="error"):
        return FindingRecord(rule=rule, severity=severity, message=rule)

    inherited, own, fixed = split_findings([f("ico-complaint-missing"), f("npd-missing", "warning")],
                                           [f("ico-complaint-missing"), f("retention-missing")])
    assert [x.rule for x in inherited] == ["ico-complaint-missing"]
    assert [x.rule for x in own] == ["retention-missing"]
    assert [x.rule for x in fixed] == ["npd-missing"]


def test_likely_template_needs_most_notices_to_be_copies():
    other = (OutlinePart("Privacy", ("Something else entirely.", "Written by another school.")),)
    dropped = TEMPLATE[:2]
    found = likely_template({"a": TEMPLATE, "b": TEMPLATE, "c": dropped, "d": other})
    assert found is not None and found.name == "a" and set(found.copies) == {"b", "c"} and found.others == ("d",)
    assert likely_template({"a": TEMPLATE, "d": other, "e": (OutlinePart("", ("A third text.",)),)}) is None
    assert likely_template({"a": TEMPLATE, "b": TEMPLATE}) is None  # two notices are not "most of a trust"


def test_an_edited_sentence_is_one_edit_with_its_words_marked():
    from noticecheck.drift import sentence_diff_lines, word_diff

    copy = (TEMPLATE[0], OutlinePart("Keeping data", ("We keep records for ten years.", "Then we shred them.",
                                                       "We also run a breakfast club on weekdays.")), TEMPLATE[2])
    changed = compare_outlines(TEMPLATE, copy)[0][1]
    assert changed.reworded == (("We keep records for six years.", "We keep records for ten years."),)
    assert changed.removed == () and changed.added == ("We also run a breakfast club on weekdays.",)
    assert word_diff(*changed.reworded[0]) == [("=", "We keep records for"), ("-", "six"), ("+", "ten"), ("=", "years.")]
    assert sentence_diff_lines(changed) == [
        "+ We also run a breakfast club on weekdays.", "~ We keep records for [-six-] {+ten+} years."]
