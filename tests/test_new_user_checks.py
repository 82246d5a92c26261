"""What a new user met in the findings themselves (issue 12), each pinned by a test that failed before its fix:
a reading age that means something to a teacher, PDF findings by page and Word findings by paragraph, fixes
in the school's own name, and an outdated-url fix that names the replacement or says what to search for."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from datetime import date

from cli_helpers import run
from helpers import check_snippet
from noticecheck.api import CheckOptions, check_document
from noticecheck.demo.documents import Block, to_docx, to_pdf
from noticecheck.model import Document
from noticecheck.rulebook import default_rulebook

HARD = [
    "Individuals possess statutory entitlements concerning rectification, erasure, restriction, objection and "
    "portability, exercisable through formal applications submitted to the designated data protection officer.",
    "Consequently, disclosure to governmental organisations, regulatory authorities, examination bodies, healthcare "
    "practitioners and local authority departments occurs periodically, subject to contractual safeguards.",
    "The institution processes considerable quantities of personal information concerning individual learners, "
    "including characteristics, attendance, assessment outcomes and safeguarding documentation.",
]
EASY = "While you are at school, we keep some facts about you. We use them to help you learn. We keep them safe."


def _pupil_notice() -> str:
    lines = ["Privacy notice for pupils", ""]
    for hard in HARD:
        lines += [EASY, "", hard, ""]
    lines += ["Your teachers can tell you more about how the school organises this information."]
    return "\n".join(lines) + "\n"


def test_reading_age_is_a_capped_school_year_band_with_the_three_hardest_sentences():
    text = _pupil_notice()
    [finding] = [f for f in check_snippet(text, audience="pupils").findings if f.rule == "reading-age-high"]
    assert not re.search(r"\babout \d", finding.message)  # not "about 35"
    assert re.search(r"Year \d+|beyond Year 13", finding.message)
    hard_lines = [text.splitlines().index(h) + 1 for h in HARD]
    mentioned = [int(n) for n in re.findall(r"line (\d+)", finding.message)]
    assert sorted(mentioned) == sorted(hard_lines)
    assert finding.line in hard_lines and finding.kind == "fault"


def test_reading_bands_mean_something_to_a_teacher_and_are_capped():
    from noticecheck.readability import reading_band

    assert reading_band(12.3) == "Year 8 (age 12-13)"
    assert reading_band(16.0) == "Year 12 (age 16-17)"
    assert reading_band(35.0) == reading_band(19.0) == "beyond Year 13 (adult, university-level text)"
    assert reading_band(3.0) == "Reception (age 4-5)"


def _pdf_notice() -> bytes:
    parts = []
    for i in range(30):
        parts += [Block("h2", f"Part {i + 1}"), Block("p", "We look after pupil information at our school every day. " * 4)]
    return to_pdf([Block("h1", "Privacy notice for parents"), *parts, Block("h2", "The law"),
                   Block("p", "We comply with the Data Protection Act 1998 in all we do.")])


def test_pdf_findings_give_the_page_and_the_line_on_it(tmp_path):
    (tmp_path / "notice.pdf").write_bytes(_pdf_notice())
    data = json.loads(run("check", "notice.pdf", "--format", "json", "--fail-on", "none", cwd_path=tmp_path).stdout)
    [dpa] = [f for f in data["documents"][0]["findings"] if f["rule"] == "outdated-dpa-1998"]
    page, line = map(int, re.fullmatch(r"page (\d+), line (\d+)", dpa["location"]).groups())
    assert page >= 2 and 1 <= line < dpa["line"]
    text = run("check", "notice.pdf", "--fail-on", "none", "--no-sections", cwd_path=tmp_path).stdout
    assert f"at page {page}, line {line}:" in text
    assert f"at line {dpa['line']}:" not in text


def test_word_findings_give_the_paragraph(tmp_path):
    blocks = [Block("h1", "Privacy notice for parents"), Block("p", "We look after pupil information."),
              Block("p", "We comply with the Data Protection Act 1998 in all we do.")]
    (tmp_path / "notice.docx").write_bytes(to_docx(blocks))
    data = json.loads(run("check", "notice.docx", "--format", "json", "--fail-on", "none", cwd_path=tmp_path).stdout)
    [dpa] = [f for f in data["documents"][0]["findings"] if f["rule"] == "outdated-dpa-1998"]
    assert dpa["location"] == "paragraph 3"
    text = run("check", "notice.docx", "--fail-on", "none", "--no-sections", cwd_path=tmp_path).stdout
    assert "at paragraph 3:" in text


def _rulebook_with_named_fix():
    """The built-in rules, with the controller rule's fix written with the [school name] placeholder (as in issue 7's wording)."""
    book = default_rulebook()
    rules = tuple(replace(r, fix='Say who is responsible: "[school name] is the data controller for this information."')
                  if r.id == "controller-missing" else r for r in book.rules)
    return replace(book, rules=rules)


NAMED = "Larkspur Vale Primary School\n\nPrivacy notice for parents\n\nWe use pupil data to support learning.\n"


def _controller_fix(text: str, **options) -> str:
    doc = Document(source="n.txt", data=text.encode(), filename="n.txt")
    result = check_document(doc, _rulebook_with_named_fix(), CheckOptions(as_of=date(2026, 6, 1), **options), today=date(2026, 6, 1))
    return next(f.fix for f in result.findings if f.rule == "controller-missing")


def test_fix_wording_uses_the_school_name_the_text_gives():
    assert _controller_fix(NAMED) == 'Say who is responsible: "Larkspur Vale Primary School is the data controller for this information."'


def test_fix_wording_uses_the_school_name_gias_gives_over_the_text():
    fix = _controller_fix(NAMED, school_name="Larkspur Vale Church of England Primary School")
    assert fix.startswith('Say who is responsible: "Larkspur Vale Church of England Primary School is')


def test_fix_wording_keeps_the_placeholder_when_no_name_is_known():
    assert "[school name] is the data controller" in _controller_fix("Privacy notice for parents\n\nWe use pupil data.\n")


def test_outdated_url_fix_names_the_replacement_of_a_known_moved_page():
    result = check_snippet("For details see https://www.gov.uk/government/publications/national-pupil-database-requests-received.")
    [finding] = [f for f in result.findings if f.rule == "outdated-url"]
    assert "https://www.gov.uk/government/publications/dfe-external-data-shares" in finding.fix
    assert "ico.org.uk" not in finding.fix  # only the replacement of this page
    ico = [f for f in check_snippet("Complain at http://www.ico.gov.uk/complaints.").findings if f.rule == "outdated-url"]
    assert "https://ico.org.uk" in ico[0].fix and "dfe-external-data-shares" not in ico[0].fix


def test_outdated_url_fix_for_an_unknown_page_says_what_to_search_for():
    result = check_snippet("See http://www.education.gov.uk/schools/adminandfinance/schooladmin/ims for more.")
    [finding] = [f for f in result.findings if f.rule == "outdated-url"]
    assert "search" in finding.fix.lower()
    assert '"schools adminandfinance schooladmin ims"' in finding.fix


def test_a_scan_gives_the_register_name_and_trust_to_the_rules():
    from noticecheck.fetch.registry import School
    from noticecheck.scan.scheduler import _check_options

    school = School(name="Larkspur Vale Primary School", urn="100001", website=None, trust="Wrenfield Learning Trust")
    options = _check_options(school, "parents", date(2026, 6, 1))
    assert options.school_name == "Larkspur Vale Primary School" and options.trust_name == "Wrenfield Learning Trust"
