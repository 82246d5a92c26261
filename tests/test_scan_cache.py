"""A rescan uses the HTTP cache by default: unchanged pages come back as 304s, not full downloads."""

from click.testing import CliRunner

from loopback import LoopbackServer, html, with_etag
from noticecheck.cli import main
from noticecheck.scan.store import Store

HOME = '<html><body><nav><a href="/privacy-notice">Privacy notice</a></nav></body></html>'
NOTICE = "<html><body><main><h1>Privacy notice for parents</h1><p>We use pupil data to support learning.</p></main></body></html>"


def _scan(csv, db, *extra):
    result = CliRunner().invoke(
        main,
        ["scan", str(csv), "--db", str(db), "--out", str(db.parent / "out"), "--allow-network", "127.0.0.1/32",
         "--per-host-interval", "0", "--retries", "0", "--as-of", "2026-11-24", "--quiet", *extra],
    )
    assert result.exit_code == 0, result.output + result.stderr


def test_second_scan_revalidates_from_the_default_cache(tmp_path):
    routes = {"/": html(HOME), "/privacy-notice": with_etag(NOTICE, '"v1"'), "/robots.txt": html("", status=404)}
    with LoopbackServer(routes) as site:
        csv = tmp_path / "schools.csv"
        csv.write_text(f"name,website\nCache Primary,{site.base_url}/\n", encoding="utf-8")
        db = tmp_path / "history.sqlite"
        _scan(csv, db)
        assert (tmp_path / "http-cache.sqlite").exists()  # beside --db by default
        _scan(csv, db)
        notice_requests = site.hits("/privacy-notice")
    assert len(notice_requests) == 2
    assert notice_requests[1].headers.get("if-none-match") == '"v1"'  # a conditional request, answered 304
    with Store(db) as store:
        latest = store.load_run(store.resolve_run("latest").id)
    assert [s.status for s in latest.schools] == ["checked"]


def test_no_cache_means_no_cache_file(tmp_path):
    with LoopbackServer({"/": html(HOME), "/privacy-notice": html(NOTICE)}) as site:
        csv = tmp_path / "schools.csv"
        csv.write_text(f"name,website\nNo Cache Primary,{site.base_url}/\n", encoding="utf-8")
        _scan(csv, tmp_path / "history.sqlite", "--no-cache")
    assert not (tmp_path / "http-cache.sqlite").exists()
