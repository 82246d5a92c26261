"""The dashboard puts errors first, in a real browser: the first gap listed is an error, and the trust filter works.

Built from stored records where the most common finding is only a
suggestion and the rarest is an error, so a chart ranked by count alone
would put the error last. Drives Debian's Chromium through Playwright
against pages served from loopback.
"""

from __future__ import annotations

import functools
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from helpers import school_record
from noticecheck.scan.scheduler import write_run_reports
from noticecheck.scan.store import FindingRecord, NoticeRecord, Store

CHROMIUM = Path("/usr/bin/chromium")
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's Chromium at /usr/bin/chromium (apt-get install chromium)"),
]


def _notice(*rules: tuple[str, str]) -> NoticeRecord:
    findings = tuple(FindingRecord(rule=r, severity=s, message=f"{r} message", title=f"{r} title") for r, s in rules)
    return NoticeRecord(url="http://127.0.0.1:9/notice.html", status="checked", audience="pupils", findings=findings)


INFO, WARNING, ERROR = ("lrs-missing", "info"), ("review-date-stale", "warning"), ("dpo-missing", "error")
SCHOOLS = [
    school_record(key="1", urn="1", name="Ash Academy", status="checked", trust="NORTH STAR TRUST",
                  notices=(_notice(INFO, WARNING),)),
    school_record(key="2", urn="2", name="Beech Academy", status="checked", trust="NORTH STAR TRUST",
                  notices=(_notice(INFO, WARNING, ERROR),)),
    school_record(key="3", urn="3", name="Cherry Primary", status="checked", notices=(_notice(INFO),)),
    school_record(key="4", urn="4", name="Damson Primary", status="checked", notices=(_notice(INFO),)),
]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    out = tmp_path_factory.mktemp("dash")
    with Store(out / "h.sqlite") as store:
        for _ in range(2):  # two runs, so the trend has a "before"
            run = store.start_run("schools.csv", "Testshire", {})
            for school in SCHOOLS:
                store.save_school(run, school)
            store.finish_run(run)
        write_run_reports(store.load_run(run), out / "site", store=store)
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(out / "site")))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002
        pass


@pytest.fixture(scope="module")
def page(site):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu"])
        tab = browser.new_page()
        # the pages must work with nothing from outside loopback
        tab.route("**/*", lambda route: route.continue_() if route.request.url.startswith(site) else route.abort())
        yield tab
        browser.close()


def test_first_gap_listed_is_an_error_and_bars_are_coloured_by_severity(page, site):
    page.goto(site + "index.html")
    rows = page.locator("#gap-bars .bar-row")
    assert rows.first.get_attribute("data-severity") == "error"
    assert "dpo-missing" in rows.first.inner_text()
    assert [rows.nth(i).get_attribute("data-severity") for i in range(rows.count())] == ["error", "warning", "info"]
    colours = [page.locator(f"#gap-bars .bar.severity-{s}").evaluate("e => getComputedStyle(e).backgroundColor")
               for s in ("error", "warning", "info")]
    assert len(set(colours)) == 3


def test_trend_is_inline_svg(page, site):
    page.goto(site + "index.html")
    assert page.locator("table.trends svg.trend").count() == 8
    assert page.locator("script[src^='http']").count() == 0


def test_trust_filter_and_trust_page(page, site):
    page.goto(site + "index.html")
    page.select_option("#filter-trust", "NORTH STAR TRUST")
    names = page.locator("#schools-table tbody tr:not([hidden]) td:first-child").all_inner_texts()
    assert sorted(names) == ["Ash Academy", "Beech Academy"]
    assert page.inner_text("#filter-count") == "2 of 4 schools shown"
    page.click("#trusts >> xpath=.. >> text=NORTH STAR TRUST")
    page.wait_for_url("**/trusts/*.html")
    assert page.locator("h1").inner_text() == "NORTH STAR TRUST"
    first = page.locator(".bars .bar-row").first
    assert first.get_attribute("data-severity") == "error"
