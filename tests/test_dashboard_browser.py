"""The dashboard in a real browser: filtering, sorting and opening a school page.

Drives Debian's Chromium through Playwright against the generated pages
served from a loopback HTTP server. Skipped when /usr/bin/chromium is not
installed (`apt-get install chromium`).
"""

from __future__ import annotations

import functools
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from helpers import school_record
from noticecheck.scan.dashboard import render_dashboard
from noticecheck.scan.store import FindingRecord, NoticeRecord, Store

CHROMIUM = Path("/usr/bin/chromium")
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's Chromium at /usr/bin/chromium (apt-get install chromium)"),
]


def _finding(rule: str, severity: str = "error") -> FindingRecord:
    return FindingRecord(rule=rule, severity=severity, message=f"{rule} message", line=4, quote="Quoted sentence.",
                         fix=f"How to fix {rule}", title=f"{rule} title", source_link="https://ico.org.uk/")


def _notice(*findings: FindingRecord) -> NoticeRecord:
    return NoticeRecord(url="http://127.0.0.1:9/notice.pdf", status="checked", audience="pupils", findings=findings)


SCHOOLS = [
    school_record(key="101", urn="101", name="Willow Primary", status="checked",
                 notices=(_notice(_finding("outdated-dpa-1998"), _finding("npd-missing"), _finding("dpo-missing")),)),
    school_record(key="102", urn="102", name="Aspen High", status="checked", notices=(_notice(_finding("npd-missing")),)),
    school_record(key="103", urn="103", name="Maple Infants", status="unreachable", error="timed out"),
    school_record(key="104", urn="104", name="Rowan Academy", status="checked",
                 notices=(_notice(_finding("npd-missing"), _finding("dpo-missing")),)),
    school_record(key="105", urn="105", name="Cherry Tree Nursery", status="no-notice-found"),
]


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002
        pass


@pytest.fixture(scope="module")
def dashboard_url(tmp_path_factory):
    out = tmp_path_factory.mktemp("dash")
    with Store(out / "h.sqlite") as store:
        run = store.start_run("schools.csv", "Testshire", {})
        for school in SCHOOLS:
            store.save_school(run, school)
        store.finish_run(run)
        render_dashboard(store.load_run(run), out / "site")
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(out / "site")))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def page(dashboard_url):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--no-first-run"],
        )
        tab = browser.new_page()
        yield tab
        browser.close()


def _visible_names(page) -> list[str]:
    return page.locator("#schools-table tbody tr:not([hidden]) td:first-child").all_inner_texts()


def test_filter_box_and_status_dropdown_hide_rows(page, dashboard_url):
    page.goto(dashboard_url + "index.html")
    assert len(_visible_names(page)) == 5
    page.fill("#filter-text", "primary")
    assert _visible_names(page) == ["Willow Primary"]
    assert page.inner_text("#filter-count") == "1 of 5 schools shown"
    page.fill("#filter-text", "")
    page.select_option("#filter-status", "checked")
    assert sorted(_visible_names(page)) == ["Aspen High", "Rowan Academy", "Willow Primary"]
    page.fill("#filter-text", "rowan")
    assert _visible_names(page) == ["Rowan Academy"]


def test_clicking_a_header_sorts_and_clicking_again_reverses(page, dashboard_url):
    page.goto(dashboard_url + "index.html")
    page.click("#schools-table thead th:nth-child(1) button")
    names = _visible_names(page)
    assert names == sorted(names, key=str.lower)
    page.click("#schools-table thead th:nth-child(1) button")
    assert _visible_names(page) == sorted(names, key=str.lower, reverse=True)
    # "Problems" sorts numerically: 3 errors before 2 before 1 when descending
    problems = page.locator("#schools-table thead th", has_text="Problems").locator("button")
    problems.click()
    problems.click()
    assert _visible_names(page)[:3] == ["Willow Primary", "Rowan Academy", "Aspen High"]
    header = page.locator("#schools-table thead th", has_text="Problems")
    assert header.get_attribute("aria-sort") == "descending"


def test_opening_a_school_page(page, dashboard_url):
    page.goto(dashboard_url + "index.html")
    page.click("text=Willow Primary")
    page.wait_for_url("**/schools/101.html")
    assert page.locator("h1").inner_text() == "Willow Primary"
    assert page.locator(".finding").count() == 3
    assert "How to fix dpo-missing" in page.inner_text("main")
    page.click("text=← All schools")
    page.wait_for_url("**/index.html")
