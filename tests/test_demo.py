"""The demo: its generated documents, sites and school list, and `noticecheck demo` end to end."""

from __future__ import annotations

import io
import urllib.request
from datetime import date

import mammoth
import pypdfium2
import pytest
from click.testing import CliRunner

from noticecheck.api import CheckOptions, check_document
from noticecheck.cli import main
from noticecheck.demo.documents import Block, to_docx, to_html_fragment, to_pdf, to_scanned_pdf
from noticecheck.demo.notices import BUILT_IN, built_in, demo_notices, load_corpus, parse_markup
from noticecheck.demo.runner import DemoSites
from noticecheck.demo.server import SiteServer
from noticecheck.demo.sites import BROKEN_KINDS, DEMO_LA, plan_schools, site_pages, two_terms, write_gias_csv
from noticecheck.fetch.registry import read_schools
from noticecheck.model import Document
from noticecheck.rulebook import default_rulebook

BLOCKS = [Block("h1", "Privacy notice for pupils"), Block("p", "We are the data controller (see below). " * 40),
          Block("h2", "How long we keep it"), Block("li", "Pupil file: until the pupil is 25"),
          Block("li", "Café receipts: six years")]


def test_pdf_has_a_real_text_layer_over_several_pages():
    pdf = pypdfium2.PdfDocument(to_pdf(BLOCKS * 6))
    assert len(pdf) > 1
    text = "".join(page.get_textpage().get_text_range() for page in pdf)
    assert "Privacy notice for pupils" in text and "until the pupil is 25" in text and "Café" in text


def test_scanned_pdf_is_unreadable_for_want_of_a_text_layer():
    data = to_scanned_pdf()
    pdf = pypdfium2.PdfDocument(data)
    assert len(pdf) == 1 and pdf[0].get_textpage().get_text_range().strip() == ""
    result = check_document(Document(source="scan.pdf", data=data, filename="scan.pdf"), default_rulebook(),
                            CheckOptions(), today=date(2026, 11, 24))
    assert result.status == "unreadable" and result.error_code == "no-text-layer"


def test_docx_keeps_headings_and_list_items():
    html = mammoth.convert_to_html(io.BytesIO(to_docx(BLOCKS))).value
    assert "<h1>Privacy notice for pupils</h1>" in html and "<h2>How long we keep it</h2>" in html
    assert "<ul><li>Pupil file: until the pupil is 25</li>" in html
    assert to_docx(BLOCKS) == to_docx(BLOCKS)  # byte-identical, so sha256 is stable between scans


def test_built_in_notices_read_back_from_every_format():
    notice = built_in("current-pupils").for_school("Oak School")
    as_html = f"<html><body>{to_html_fragment(notice)}</body></html>".encode()
    for data, name in ((as_html, "n.html"), (to_pdf(notice), "n.pdf"), (to_docx(notice), "n.docx")):
        result = check_document(Document(source=name, data=data, filename=name), default_rulebook(),
                                CheckOptions(audience="pupils", age_range=(11, 16), school_type="maintained",
                                             as_of=date(2026, 11, 24)), today=date(2026, 11, 24))
        assert result.status == "checked", (name, result.error)
        assert result.sections["retention"].present and result.sections["dpo"].present, name
        assert not [f for f in result.findings if f.severity.label == "error"], name


def test_markup_parser_headings_bullets_and_plain_text_headings():
    blocks = parse_markup("# Title\nFirst line\nsecond line.\n\n## Part\n- one\n* two\n1. three\n")
    assert [(b.kind, b.text) for b in blocks] == [
        ("h1", "Title"), ("p", "First line second line."), ("h2", "Part"), ("li", "one"), ("li", "two"),
        ("li", "three")]
    plain = parse_markup("Who we are\n\nWe are the school.\n", plain=True)
    assert [b.kind for b in plain] == ["h2", "p"]


def test_corpus_loader_reads_labels_and_falls_back_to_built_ins(tmp_path):
    notices = tmp_path / "corpus" / "notices"
    notices.mkdir(parents=True)
    (notices / "x1-staff.txt").write_text("Staff notice\n\nWe hold your pay details.\n\nRights\n\nYou may ask.\n")
    (notices / "x2.pdf").write_bytes(to_pdf(BLOCKS))
    (notices / "x3-wales.txt").write_text("A\n\nB.\n\nC\n\nD.\n")
    (tmp_path / "corpus" / "labels-x.jsonl").write_text(
        '{"file": "notices/x2.pdf", "audience": "parents", "context": {"age_range": "11-16", "school_type": "academy"}}\n'
        '{"file": "notices/x3-wales.txt", "audience": "pupils", "context": {"jurisdiction": "wales"}}\n'
        "not json\n"
    )
    loaded = {n.name: n for n in load_corpus(notices)}
    assert set(loaded) == {"x1-staff", "x2"}  # the Welsh notice does not suit an English LA
    assert loaded["x1-staff"].audience == "workforce" and loaded["x1-staff"].blocks[0] == Block("h2", "Staff notice")
    assert loaded["x2"].raw_ext == "pdf" and loaded["x2"].age_range == (11, 16) and loaded["x2"].school_type == "academy"
    empty = tmp_path / "empty"
    empty.mkdir()
    assert demo_notices(empty) == list(BUILT_IN)


@pytest.mark.parametrize("count", [12, 30])
def test_plans_include_every_broken_kind_once(count):
    plans = plan_schools(count, list(BUILT_IN))
    kinds = [p.kind for p in plans]
    assert sorted(k for k in kinds if k != "normal") == sorted(BROKEN_KINDS)
    assert len({p.urn for p in plans}) == len({p.name for p in plans}) == count
    assert plans == plan_schools(count, list(BUILT_IN))  # deterministic
    last, this = two_terms(plans)
    changed = [i for i, (a, b) in enumerate(zip(last, this)) if a != b]
    assert len(changed) == 3


def test_site_pages_have_real_site_chrome_and_link_the_notices():
    plan = next(p for p in plan_schools(12, list(BUILT_IN)) if p.kind == "normal" and p.published)
    pages = site_pages(plan)
    home = pages["/"].body.decode()
    assert 'id="cookie-banner"' in home and "<nav" in home and "<footer>" in home
    assert 'href="/key-information/policies/"' in home and 'href="/key-information/gdpr/"' in home
    notice_paths = [p for p in pages if "rivacy-notice" in p]
    assert notice_paths and all(pages[p].status == 200 for p in notice_paths)
    assert pages["/robots.txt"].body.startswith(b"User-agent: *")


def test_school_list_reads_back_as_a_gias_export(tmp_path):
    with DemoSites(plan_schools(12, list(BUILT_IN)), first_host=900) as sites:
        plans = sites.plans
        path = write_gias_csv(plans, tmp_path / "gias.csv")
    schools, problems = read_schools(path, la=DEMO_LA)
    assert problems == [] and len(schools) == 12  # the closed school is left out
    by_urn = {s.urn: s for s in schools}
    for plan in plans:
        school = by_urn[plan.urn]
        assert school.name == plan.name and (school.age_low, school.age_high) == (plan.age_low, plan.age_high)
        assert (school.website is None) == (plan.kind == "no-website")
    assert {s.school_type for s in schools} <= {"academy", "maintained", "independent"}


def test_site_server_serves_records_and_refuses_other_addresses():
    with pytest.raises(ValueError, match="loopback"):
        SiteServer("0.0.0.0", {})
    plan = plan_schools(1, list(BUILT_IN))[0]
    server = SiteServer("127.0.0.1", site_pages(plan)).start()
    try:
        with urllib.request.urlopen(server.url + "key-information/policies") as answer:  # no trailing slash
            assert b"Policies" in answer.read()
        with pytest.raises(urllib.error.HTTPError) as missing:
            urllib.request.urlopen(server.url + "nope")
        assert missing.value.code == 404
        assert [r.path for r in server.requests] == ["/key-information/policies", "/nope"]
    finally:
        server.stop()


@pytest.mark.slow
def test_demo_command_scans_twice_and_writes_the_dashboard(tmp_path):
    out = tmp_path / "demo"
    result = CliRunner().invoke(main, ["demo", "--out", str(out), "--schools", "12", "--quiet"])
    assert result.exit_code == 0, result.output + result.stderr
    assert f"Dashboard: {out / 'index.html'}" in result.output
    assert "last term: Scan 1 finished: 12/12" in result.output and "this term: Scan 2 finished: 12/12" in result.output
    index = (out / "index.html").read_text(encoding="utf-8")
    for label in ("Notice checked", "No website listed", "Website could not be reached",
                  "Website asks crawlers to stay away", "No privacy notice found", "Notice found but could not be read"):
        assert label in index
    changes = (out / "changes.html").read_text(encoding="utf-8")
    assert "Website could not be reached → Notice checked" in changes
    assert "Fixed" in changes and "New problems" in changes
    assert (out / "schools.csv").is_file() and (out / "results.jsonl").is_file() and (out / "schools.xlsx").is_file()
    # the last five of twelve are a trust whose schools copied its template
    trust_pages = list((out / "trusts").glob("*.html"))
    orchard = next(p.read_text(encoding="utf-8") for p in trust_pages if "ORCHARD VALE" in p.read_text(encoding="utf-8"))
    assert "5 gaps come from the template and affect 5 schools; 3 schools have gaps of their own." in orchard
    # running it again starts from an empty history
    again = CliRunner().invoke(main, ["demo", "--out", str(out), "--schools", "12", "--quiet"])
    assert again.exit_code == 0 and "Scan 2 finished" in again.output
