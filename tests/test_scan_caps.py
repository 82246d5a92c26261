"""A hostile or careless school site cannot make one school's scan endless.

Real loopback sites: a home page linking 300 "privacy notice" documents, and
a sitemap listing 100,000 of them. The scan fetches only the most likely few
documents, reads a bounded part of the sitemap, counts every request it makes
in `pages_visited`, and says in the school's record which cap it reached.
"""

from __future__ import annotations

from datetime import date

import pytest
from loopback import LoopbackServer, Reply, html, loopback_policy

from noticecheck.fetch.discover import MAX_SITEMAP_ENTRIES, discover_notices
from noticecheck.fetch.http import PoliteSession
from noticecheck.fetch.registry import School
from noticecheck.rulebook import default_rulebook
from noticecheck.scan.scheduler import DEFAULT_MAX_DOCUMENTS, checker, scan_school
from noticecheck.scan.store import Store

NOTICE = Reply(200, {"Content-Type": "text/plain"}, b"Privacy notice for pupils.\n\nWe are the data controller.\n")


@pytest.fixture(scope="module")
def check():
    return checker(default_rulebook())


def _school(site: LoopbackServer) -> School:
    return School(urn="900001", name="Trap Primary", website=site.url("/"), phase="Primary", age_low=4, age_high=11)


def _requests_made(site: LoopbackServer) -> int:
    return len([path for path in site.paths() if path != "/robots.txt"])


def test_a_page_linking_300_notices_costs_a_dozen_fetches_and_says_so(check, tmp_path):
    links = "".join(f'<li><a href="/docs/privacy-notice-{i}.pdf">Pupil privacy notice {i}</a></li>' for i in range(300))
    with LoopbackServer({"/": html(f"<h1>Welcome</h1><ul>{links}</ul>")}) as site:
        for i in range(300):
            site.routes[f"/docs/privacy-notice-{i}.pdf"] = NOTICE
        with PoliteSession(loopback_policy()) as session:
            record, fetches = scan_school(_school(site), session, check, date(2026, 11, 24))
        documents = [path for path in site.paths() if path.startswith("/docs/")]
        assert len(documents) == DEFAULT_MAX_DOCUMENTS
        assert len(fetches) == DEFAULT_MAX_DOCUMENTS
        assert record.pages_visited == _requests_made(site)  # every request counted, documents included
        assert any(limit.startswith("documents: 300 possible notices") for limit in record.limits), record.limits
    with Store(tmp_path / "h.sqlite") as store:
        run = store.start_run("list.csv", None, {})
        store.save_school(run, record, fetches)
        stored = store.load_run(run).schools[0]
    assert stored.limits == record.limits and stored.pages_visited == record.pages_visited


def test_max_documents_is_configurable(check):
    links = "".join(f'<a href="/p{i}.pdf">Privacy notice {i}</a>' for i in range(10))
    with LoopbackServer({"/": html(links)}) as site:
        for i in range(10):
            site.routes[f"/p{i}.pdf"] = Reply(200, {"Content-Type": "text/plain"}, f"Privacy notice number {i}.".encode())
        with PoliteSession(loopback_policy()) as session:
            record, _ = scan_school(_school(site), session, check, date(2026, 11, 24), max_documents=3)
    assert len(record.notices) == 3
    assert len([p for p in site.paths() if p.endswith(".pdf")]) == 3


def test_a_sitemap_of_100000_notices_is_read_only_in_part(check):
    entries = "".join(f"<url><loc>{{base}}/files/privacy-notice-{i}.pdf</loc></url>" for i in range(100_000))
    with LoopbackServer() as site:
        body = ('<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                + entries.replace("{base}", site.base_url) + "</urlset>")
        site.routes["/"] = html("<h1>Welcome</h1>")
        site.routes["/sitemap.xml"] = Reply(200, {"Content-Type": "application/xml"}, body.encode())
        with PoliteSession(loopback_policy()) as session:
            discovery = discover_notices(session, site.url("/"))
            assert len(discovery.notices) <= MAX_SITEMAP_ENTRIES
            assert any(limit.startswith("sitemaps:") for limit in discovery.limits), discovery.limits
            record, _ = scan_school(_school(site), session, check, date(2026, 11, 24))
    assert len(record.notices) <= DEFAULT_MAX_DOCUMENTS
    assert any(limit.startswith("sitemaps:") for limit in record.limits)
    assert any(limit.startswith("documents:") for limit in record.limits)


def test_a_farm_of_hostile_sites_beside_normal_ones_finishes_with_one_status_each(tmp_path):
    """Every hostile server of issue 13 in one scan, beside normal schools, with a 1 s timeout."""
    import time

    from fixtures_make import make_pdf_bomb
    from loopback import DripServer

    from noticecheck.scan.scheduler import ScanSettings, run_scan
    from noticecheck.scan.store import SCHOOL_STATUSES

    notice = "<h1>Privacy notice for pupils</h1><p>We are the data controller for the information we hold about you.</p>"
    bomb = open(make_pdf_bomb(tmp_path / "bomb.pdf", inflated_mib=150), "rb").read()
    drip_head = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nX-Slow: " + b"a" * 200
    links = "".join(f'<a href="/d/privacy-notice-{i}.pdf">Privacy notice {i}</a>' for i in range(300))
    with LoopbackServer() as normal, LoopbackServer() as many, LoopbackServer() as bombed, \
            DripServer({"/": drip_head}, interval=0.2) as dripping, \
            DripServer({"/robots.txt": drip_head}, interval=0.2) as slow_robots:  # fmt: skip
        normal.routes["/"] = html('<a href="/privacy">Privacy notice</a>')
        normal.routes["/privacy"] = html(notice)
        many.routes["/"] = html(links)
        for i in range(300):
            many.routes[f"/d/privacy-notice-{i}.pdf"] = NOTICE
        bombed.routes["/"] = html('<a href="/pupil-privacy-notice.pdf">Pupil privacy notice</a>')
        bombed.routes["/pupil-privacy-notice.pdf"] = Reply(200, {"Content-Type": "application/pdf"}, bomb)
        sites = {"Normal": normal.url("/"), "Many links": many.url("/"), "PDF bomb": bombed.url("/"),
                 "Dripping": dripping.url("/"), "Slow robots": slow_robots.url("/"), "No site": None}  # fmt: skip
        schools = [School(urn=str(910000 + i), name=name, website=url) for i, (name, url) in enumerate(sites.items())]
        settings = ScanSettings(concurrency=3, per_host_interval=0.0, allowed_networks=("127.0.0.1/32",), timeout=1.0,
                                retries=0, as_of=date(2026, 11, 24))  # fmt: skip
        with Store(tmp_path / "farm.sqlite") as store:
            run = store.start_run("farm.csv", None, settings.to_json(), len(schools))
            started = time.monotonic()
            run_scan(store, run, schools, settings)
            took = time.monotonic() - started
            stored = {s.name: s for s in store.load_run(run).schools}
            finished = store.get_run(run).is_finished
    assert finished and len(stored) == len(schools)
    assert all(s.status in SCHOOL_STATUSES for s in stored.values())
    assert stored["Normal"].status == "checked"
    assert stored["Many links"].status == "checked" and len(stored["Many links"].notices) <= DEFAULT_MAX_DOCUMENTS
    assert stored["PDF bomb"].status == "notice-unreadable"
    assert stored["PDF bomb"].notices[0].error_code == "too-large-decompressed"
    assert stored["Dripping"].status == "unreachable"
    assert stored["Slow robots"].status in ("unreachable", "blocked-by-robots")
    assert stored["No site"].status == "no-website"
    assert took < 60, f"the farm took {took:.0f} s"


def test_schools_in_progress_cover_the_politeness_wait():
    from noticecheck.scan.scheduler import MAX_SCHOOLS_IN_PROGRESS, schools_in_progress

    assert schools_in_progress(8, 0.0) == 8  # nothing to wait for: one school per request place
    assert schools_in_progress(8, 1.0) == 64  # 1 s between a host's requests: 8 schools behind each place
    assert schools_in_progress(64, 1.0) == MAX_SCHOOLS_IN_PROGRESS


def test_a_school_keeps_only_the_pages_it_will_check_after_discovery():
    """Discovery's pages are remembered so a notice page is not fetched twice; once the notices are
    chosen, the other pages (home, policies) are dropped rather than held while the school waits."""
    from noticecheck.fetch.http import FetchResult
    from noticecheck.scan.scheduler import _SchoolSession

    asked = []

    class Inner:
        def get(self, url, *, accept=None):
            asked.append(url)
            return FetchResult(url, url, "ok", status=200, content_type="text/html", data=b"<h1>page</h1>" * 100)

    session = _SchoolSession(Inner())
    for url in ("https://s.test/", "https://s.test/policies/", "https://s.test/privacy-notice/"):
        session.get(url)
    session.keep_only(["https://s.test/privacy-notice/"])
    assert session._bytes == 1300  # only the notice page is held
    assert session.fetch_notice("https://s.test/privacy-notice/").from_cache  # not asked again
    session.fetch_notice("https://s.test/policies/")  # dropped: asked again
    assert asked[3:] == ["https://s.test/policies/"]
