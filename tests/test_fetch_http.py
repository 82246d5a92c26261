"""PoliteSession against real HTTP servers on loopback addresses."""

from __future__ import annotations

import shutil
import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from loopback import DripServer, LoopbackServer, Reply, assert_polite, closed_port, html, loopback_policy, redirect, self_signed_certificate, sequence, with_etag

from noticecheck.fetch import safety
from noticecheck.fetch.http import HTML_TYPES, NOTICE_TYPES, FetchPolicy, PoliteSession
from noticecheck.media import DOCX as DOCX_TYPE


@pytest.fixture
def site():
    with LoopbackServer() as server:
        yield server


@pytest.fixture
def session():
    with PoliteSession(loopback_policy()) as polite:
        yield polite


# -- plain fetching ---------------------------------------------------------------


def test_ok_page_sends_our_user_agent_and_reads_robots_once(site, session):
    site.routes["/"] = html("<h1>Welcome</h1>")
    site.routes["/b"] = html("<h1>B</h1>")
    first = session.get(site.url("/"), accept=HTML_TYPES)
    second = session.get(site.url("/b"), accept=HTML_TYPES)
    assert first.outcome == "ok" and second.outcome == "ok"
    assert first.status == 200 and first.data == b"<h1>Welcome</h1>"
    assert first.content_type.startswith("text/html")
    assert first.from_cache is False and first.attempts == 1
    assert site.paths() == ["/robots.txt", "/", "/b"]
    assert site.hits("/")[0].headers["user-agent"].startswith("noticecheck/")


def test_404_is_an_http_error_without_retries(site, session):
    result = session.get(site.url("/missing"))
    assert result.outcome == "http-error"
    assert result.status == 404
    assert result.attempts == 1
    assert "404" in result.error
    assert len(site.hits("/missing")) == 1


def test_500_then_success_is_retried(site, session):
    site.routes["/flaky"] = sequence(Reply(500, {}, b"oops"), html("fine"))
    result = session.get(site.url("/flaky"))
    assert result.outcome == "ok"
    assert result.data == b"fine"
    assert result.attempts == 2
    assert len(site.hits("/flaky")) == 2


def test_persistent_503_gives_up_after_the_retries(site, session):
    site.routes["/down"] = Reply(503, {}, b"busy")
    result = session.get(site.url("/down"))
    assert result.outcome == "http-error"
    assert result.status == 503
    assert result.attempts == 3  # the first try and retries=2
    assert len(site.hits("/down")) == 3


def test_a_retry_waits_its_backoff_while_holding_the_host(site):
    """Why the retries are not urllib3's `Retry` on the adapter (fetch/http.py): the wait before a retry
    holds the host's politeness slot, so another thread's request to the same site waits too."""
    site.routes["/flaky"] = sequence(Reply(503, {}, b"busy"), html("fine"))
    site.routes["/other"] = html("other")
    with PoliteSession(loopback_policy(backoff=0.5, retries=1)) as polite, ThreadPoolExecutor(2) as pool:
        flaky = pool.submit(polite.get, site.url("/flaky"))
        while not site.hits("/flaky"):
            time.sleep(0.01)
        other = pool.submit(polite.get, site.url("/other"))
        assert flaky.result().outcome == "ok" and other.result().outcome == "ok"
    first, second = site.hits("/flaky")
    [other_hit] = site.hits("/other")
    assert second.time - first.time >= 0.5
    assert other_hit.time - first.time >= 0.5  # it waited out the backoff instead of hitting the busy site


def test_429_retry_after_is_honoured(site, session):
    site.routes["/busy"] = sequence(Reply(429, {"Retry-After": "1"}, b""), html("now"))
    result = session.get(site.url("/busy"))
    assert result.outcome == "ok"
    assert result.attempts == 2
    first, second = site.hits("/busy")
    assert second.time - first.time >= 1.0


def test_retry_after_longer_than_the_cap_gives_up_at_once(site):
    site.routes["/later"] = Reply(503, {"Retry-After": "3600"}, b"")
    with PoliteSession(loopback_policy(max_retry_wait=5)) as polite:
        result = polite.get(site.url("/later"))
    assert result.outcome == "http-error"
    assert result.status == 503
    assert "3600" in result.error and "max_retry_wait" in result.error
    assert len(site.hits("/later")) == 1


def test_slow_server_times_out(site):
    site.routes["/slow"] = Reply(200, {"Content-Type": "text/html"}, b"late", delay=2.0)
    with PoliteSession(loopback_policy(timeout=0.5)) as polite:
        result = polite.get(site.url("/slow"))
    assert result.outcome == "timeout"
    assert result.attempts == 1  # a read timeout is not retried
    assert "timed out" in result.error


# A server that sends one byte every 0.2 s never trips a per-read timeout; the
# request's total deadline (connect + headers + body) must cut it off however
# the bytes arrive. Each dripped part would take about 8 s to finish.
_DRIP_HEADERS = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nX-Slow: " + b"a" * 40 + b"\r\nContent-Length: 2\r\n\r\nok"
_FAST_HEADERS = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 40\r\n\r\n"


@pytest.mark.parametrize(
    "payload",
    [
        pytest.param(b"HTTP/1.1 200 OK\r\nX-Drip: " + b"a" * 40, id="status-line-then-drip"),
        pytest.param(_DRIP_HEADERS, id="dripped-headers"),
        pytest.param((_FAST_HEADERS, b"<p>" + b"a" * 37), id="dripped-body"),
        pytest.param((_FAST_HEADERS.replace(b"Content-Length: 40", b"Transfer-Encoding: chunked"), b"28\r\n" + b"a" * 40), id="dripped-chunks"),
    ],
)
def test_dripping_server_is_cut_off_at_the_total_deadline(payload):
    with DripServer({"/": payload}, interval=0.2) as drip, PoliteSession(loopback_policy(timeout=1.0)) as polite:
        started = time.monotonic()
        result = polite.get(drip.url("/"))
        took = time.monotonic() - started
    assert result.outcome == "timeout", result
    assert result.attempts == 1
    assert took < 2.5, f"took {took:.1f} s with a 1 s deadline"


def test_dripping_robots_txt_is_cut_off_too():
    robots = b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nX-Slow: " + b"a" * 40 + b"\r\nContent-Length: 0\r\n\r\n"
    with DripServer({"/robots.txt": robots}, interval=0.2) as drip, PoliteSession(loopback_policy(timeout=1.0)) as polite:
        started = time.monotonic()
        result = polite.get(drip.url("/page"))
        took = time.monotonic() - started
    assert result.outcome in ("timeout", "unreachable"), result
    assert "/page" not in drip.seen  # an unreadable robots.txt stops the crawl of that site
    assert took < 2.5, f"took {took:.1f} s with a 1 s deadline"


def test_nothing_listening_is_unreachable():
    with PoliteSession(loopback_policy(retries=1)) as polite:
        result = polite.get(f"http://127.0.0.1:{closed_port()}/")
    assert result.outcome == "unreachable"
    assert result.error


# -- redirects and refusals -----------------------------------------------------------


def test_redirects_are_followed_to_another_host(site, session):
    with LoopbackServer({"/new": html("moved here")}) as other:
        site.routes["/old"] = redirect(other.url("/new"), 301)
        result = session.get(site.url("/old"))
        assert result.outcome == "ok"
        assert result.final_url == other.url("/new")
        assert result.data == b"moved here"
        assert other.paths() == ["/robots.txt", "/new"]  # robots checked on the new host too


def test_redirect_loop(site, session):
    site.routes["/a"] = redirect("/b")
    site.routes["/b"] = redirect("/a")
    result = session.get(site.url("/a"))
    assert result.outcome == "redirect-loop"
    assert "loop" in result.error


def test_too_many_redirects(site, session):
    for hop in range(10):
        site.routes[f"/r{hop}"] = redirect(f"/r{hop + 1}")
    result = session.get(site.url("/r0"))
    assert result.outcome == "redirect-loop"
    assert "more than 5 redirects" in result.error
    assert [p for p in site.paths() if p != "/robots.txt"] == [f"/r{hop}" for hop in range(6)]


def test_redirect_to_an_address_outside_the_allow_list_is_refused(site, session):
    with LoopbackServer({"/": html("internal")}, host="127.0.0.2") as internal:
        site.routes["/go"] = redirect(internal.url("/"))
        result = session.get(site.url("/go"))
        assert result.outcome == "refused-private"
        assert result.final_url == internal.url("/")
        assert "127.0.0.2" in result.error and "loopback" in result.error
        assert internal.requests == []


@pytest.mark.parametrize("target", ["file:///etc/passwd", "ftp://127.0.0.1/notice.pdf", "gopher://127.0.0.1/"])
def test_redirect_to_another_scheme_is_bad_scheme(site, session, target):
    site.routes["/go"] = redirect(target)
    result = session.get(site.url("/go"))
    assert result.outcome == "bad-scheme"
    assert result.final_url == target


@pytest.mark.parametrize("url", ["ftp://127.0.0.1/x", "javascript:alert(1)", "not a url", "http://"])
def test_unfetchable_urls_are_bad_scheme(session, url):
    assert session.get(url).outcome == "bad-scheme"


def test_private_dns_answer_is_refused_without_connecting(monkeypatch):
    connections = []

    def no_connect(*args, **kwargs):
        connections.append(args)
        raise AssertionError("a connection was attempted")

    monkeypatch.setattr(safety, "resolve_host", lambda host, port: ["10.20.30.40"])
    monkeypatch.setattr(safety.urllib3_connection, "create_connection", no_connect)
    with PoliteSession(loopback_policy()) as polite:
        result = polite.get("http://school.example/")
        assert result.outcome == "refused-private"
        assert "10.20.30.40" in result.error and "private" in result.error
        assert polite.robots_allows("http://school.example/") is False
    assert connections == []


def test_any_private_address_among_several_refuses_the_host(monkeypatch):
    monkeypatch.setattr(safety, "resolve_host", lambda host, port: ["127.0.0.1", "169.254.169.254"])
    with PoliteSession(loopback_policy()) as polite:
        result = polite.get("http://mixed.example/")
    assert result.outcome == "refused-private"
    assert "link-local" in result.error


def test_connections_go_to_the_checked_address_even_if_dns_changes(site):
    """DNS rebinding: the second answer points somewhere private; we keep using the first."""
    answers = iter([["127.0.0.1"], ["10.9.9.9"], ["10.9.9.9"]])
    calls = []

    def flaky_dns(host, port):
        calls.append(host)
        return next(answers)

    site.routes["/"] = html("ok")
    site.routes["/again"] = html("still ok")
    with PoliteSession(loopback_policy(), resolver=flaky_dns) as polite:
        first = polite.get(f"http://school.test:{site.port}/")
        second = polite.get(f"http://school.test:{site.port}/again")
    assert first.outcome == "ok" and second.outcome == "ok"
    assert calls == ["school.test"]  # resolved and checked once, then pinned
    assert site.hits("/")[0].headers["host"] == f"school.test:{site.port}"


def test_unresolvable_host_is_unreachable():
    def no_such_host(host, port):
        raise socket.gaierror(-2, "Name or service not known")

    with PoliteSession(loopback_policy(), resolver=no_such_host) as polite:
        result = polite.get("https://gone.example/")
    assert result.outcome == "unreachable"
    assert "gone.example" in result.error


# -- size and type -------------------------------------------------------------------


def test_huge_response_with_content_length_is_capped(site):
    site.routes["/big"] = Reply(200, {"Content-Type": "application/pdf"}, b"%" * 50_000)
    with PoliteSession(loopback_policy(max_bytes=10_000)) as polite:
        result = polite.get(site.url("/big"))
    assert result.outcome == "too-large"
    assert result.data == b""


def test_huge_streamed_response_is_capped_while_reading(site):
    endless = (b"x" * 4096 for _ in range(1000))  # 4 MB, chunked, no Content-Length
    site.routes["/stream"] = Reply(200, {"Content-Type": "text/plain"}, endless)
    with PoliteSession(loopback_policy(max_bytes=20_000)) as polite:
        result = polite.get(site.url("/stream"))
    assert result.outcome == "too-large"
    assert "20000" in result.error


def test_wrong_content_type(site, session):
    site.routes["/logo"] = Reply(200, {"Content-Type": "image/png"}, b"\x89PNG")
    result = session.get(site.url("/logo"), accept=NOTICE_TYPES)
    assert result.outcome == "wrong-type"
    assert result.content_type == "image/png"
    assert result.status == 200


def test_octet_stream_is_accepted_for_document_urls_only(site, session):
    body = b"PK\x03\x04 pretend docx"
    site.routes["/notice.docx"] = Reply(200, {"Content-Type": "application/octet-stream"}, body)
    site.routes["/download"] = Reply(200, {"Content-Type": "application/octet-stream"}, body)
    ok = session.get(site.url("/notice.docx"), accept=(DOCX_TYPE,))
    assert ok.outcome == "ok" and ok.data == body
    assert session.get(site.url("/download"), accept=(DOCX_TYPE,)).outcome == "wrong-type"


# -- robots.txt ----------------------------------------------------------------------


def test_robots_disallow_blocks_without_contacting_the_page(site, session):
    site.routes["/robots.txt"] = Reply(200, {"Content-Type": "text/plain"}, "User-agent: *\nDisallow: /staff/\n")
    site.routes["/staff/notice"] = html("secret")
    result = session.get(site.url("/staff/notice"))
    assert result.outcome == "blocked-by-robots"
    assert session.robots_allows(site.url("/staff/notice")) is False
    assert session.robots_allows(site.url("/public")) is True
    assert "/staff/notice" not in site.paths()


def test_robots_group_for_our_product_token_wins(site, session):
    site.routes["/robots.txt"] = Reply(
        200, {}, "User-agent: *\nAllow: /\n\nUser-agent: noticecheck\nDisallow: /\n"
    )
    assert session.get(site.url("/")).outcome == "blocked-by-robots"


def test_robots_server_error_means_disallow_all(site, session):
    site.routes["/robots.txt"] = Reply(500, {}, b"")
    site.routes["/"] = html("home")
    result = session.get(site.url("/"))
    assert result.outcome == "blocked-by-robots"
    assert "500" in result.error
    assert "/" not in site.paths()


def test_robots_404_means_allow_all(site, session):
    site.routes["/"] = html("home")
    assert session.get(site.url("/")).outcome == "ok"


def test_crawl_delay_spaces_requests(site, session):
    site.routes["/robots.txt"] = Reply(200, {}, "User-agent: *\nCrawl-delay: 0.3\n")
    for page in ("/1", "/2", "/3"):
        site.routes[page] = html(page)
    for page in ("/1", "/2", "/3"):
        assert session.get(site.url(page)).outcome == "ok"
    assert len(site.requests) == 4  # robots.txt and three pages
    assert_polite(site.spans(), 0.3)  # Crawl-delay holds start to start, from robots.txt on


def test_crawl_delay_above_the_policy_limit_blocks_the_site(site):
    site.routes["/robots.txt"] = Reply(200, {}, "User-agent: *\nCrawl-delay: 600\n")
    with PoliteSession(loopback_policy(max_crawl_delay=30)) as polite:
        result = polite.get(site.url("/"))
    assert result.outcome == "blocked-by-robots"
    assert "600" in result.error


def test_robots_can_be_ignored_by_policy(site):
    site.routes["/robots.txt"] = Reply(200, {}, "User-agent: *\nDisallow: /\n")
    site.routes["/"] = html("home")
    with PoliteSession(loopback_policy(respect_robots=False)) as polite:
        assert polite.get(site.url("/")).outcome == "ok"
    assert site.paths() == ["/"]


def test_sitemaps_named_in_robots(site, session):
    site.routes["/robots.txt"] = Reply(200, {}, f"Sitemap: {site.url('/maps/one.xml')}\nUser-agent: *\nAllow: /\n")
    assert session.sitemaps_for(site.url("/")) == (site.url("/maps/one.xml"),)


# -- politeness across hosts sharing an IP ------------------------------------------------


def test_hosts_sharing_an_ip_are_spaced_per_ip():
    """Two sites on 127.0.0.1: their requests together are spaced start to start and never overlap."""
    pages = {f"/{n}": html(str(n)) for n in range(3)}
    with LoopbackServer(pages, latency=0.05) as a, LoopbackServer(pages, latency=0.05) as b:
        policy = loopback_policy(per_ip_interval=0.2, respect_robots=False)
        with PoliteSession(policy) as polite, ThreadPoolExecutor(max_workers=4) as pool:
            urls = [server.url(page) for server in (a, b) for page in pages]
            results = list(pool.map(polite.get, urls))
        assert all(result.outcome == "ok" for result in results)
        assert len(a.spans() + b.spans()) == 6
        assert_polite(a.spans() + b.spans(), 0.2)


def test_a_slow_host_is_never_asked_twice_at_once():
    """Answers slower than the interval: the next request waits for the answer, whatever the interval says.
    Six threads ask at once; the server's log shows no request arriving before the previous was answered."""
    pages = {f"/{n}": html(str(n)) for n in range(6)}
    with LoopbackServer(pages, latency=0.15) as site:
        policy = loopback_policy(per_host_interval=0.05, per_ip_interval=0.05, respect_robots=False)
        with PoliteSession(policy) as polite, ThreadPoolExecutor(max_workers=6) as pool:
            results = list(pool.map(polite.get, [site.url(page) for page in pages]))
        assert [r.outcome for r in results] == ["ok"] * 6
        spans = site.spans()
    assert len(spans) == 6
    assert_polite(spans, 0.05)
    arrivals = sorted(arrived for arrived, _ in spans)
    assert all(later - earlier >= 0.15 for earlier, later in zip(arrivals, arrivals[1:]))  # one answer's latency apart


def test_many_threads_many_hosts(session):
    servers = [LoopbackServer({"/": html(f"site {n}"), "/p": html("page")}).start() for n in range(4)]
    try:
        urls = [server.url(path) for server in servers for path in ("/", "/p")] * 2
        with ThreadPoolExecutor(max_workers=8) as pool:
            results = list(pool.map(session.get, urls))
        assert [r.outcome for r in results] == ["ok"] * len(urls)
        for server in servers:
            assert server.paths().count("/robots.txt") == 1  # fetched once per host, despite the race
    finally:
        for server in servers:
            server.stop()


# -- cache ------------------------------------------------------------------------------


def test_cache_revalidates_with_etag_and_reports_from_cache(site, tmp_path):
    site.routes["/notice"] = with_etag("<h1>Privacy notice</h1>", '"v1"')
    cache = tmp_path / "http-cache.sqlite"
    with PoliteSession(loopback_policy(cache_path=str(cache))) as polite:
        first = polite.get(site.url("/notice"), accept=HTML_TYPES)
        second = polite.get(site.url("/notice"), accept=HTML_TYPES)
    assert first.outcome == "ok" and first.from_cache is False
    assert second.outcome == "ok" and second.from_cache is True
    assert second.data == first.data == b"<h1>Privacy notice</h1>"
    hits = site.hits("/notice")
    assert len(hits) == 2
    assert "if-none-match" not in hits[0].headers
    assert hits[1].headers["if-none-match"] == '"v1"'
    assert cache.exists()


def test_cache_survives_a_new_session(site, tmp_path):
    site.routes["/notice"] = with_etag("<h1>Privacy notice</h1>", '"v2"')
    cache = str(tmp_path / "cache.sqlite")
    with PoliteSession(loopback_policy(cache_path=cache)) as polite:
        polite.get(site.url("/notice"))
    with PoliteSession(loopback_policy(cache_path=cache)) as polite:
        again = polite.get(site.url("/notice"))
    assert again.from_cache is True and again.data == b"<h1>Privacy notice</h1>"


# -- policy ---------------------------------------------------------------------------------


def test_policy_rejects_bad_values():
    with pytest.raises(ValueError, match="10.0.0.0/33"):
        FetchPolicy(allowed_networks=("10.0.0.0/33",))
    with pytest.raises(ValueError, match="tuple"):
        FetchPolicy(allowed_networks="127.0.0.1/32")
    with pytest.raises(ValueError, match="timeout"):
        FetchPolicy(timeout=0)


def test_contact_in_user_agent():
    from noticecheck.fetch.http import user_agent_for

    assert "dpo@example.org" in user_agent_for("dpo@example.org")
    assert FetchPolicy().user_agent.startswith("noticecheck/")


def test_unsplittable_redirect_location_is_bad_scheme(site, session):
    site.routes["/go"] = redirect("http://[not-an-ip/")
    assert session.get(site.url("/go")).outcome == "bad-scheme"


def test_retry_after_as_an_http_date():
    from email.utils import formatdate

    from noticecheck.fetch.http import _retry_after_seconds

    assert _retry_after_seconds("7") == 7.0
    assert 25 <= _retry_after_seconds(formatdate(time.time() + 30, usegmt=True)) <= 30
    assert _retry_after_seconds(formatdate(time.time() - 30, usegmt=True)) == 0.0
    assert _retry_after_seconds("soon") is None


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=40))
def test_get_never_raises_and_never_resolves_for_real(url):
    """Any string gives a FetchResult; DNS is stubbed to fail, so nothing leaves the machine."""

    def no_dns(host, port):
        raise socket.gaierror(-2, "stubbed out")

    with PoliteSession(loopback_policy(), resolver=no_dns) as polite:
        result = polite.get(url)
    assert result.outcome in ("bad-scheme", "unreachable", "refused-private", "blocked-by-robots")


# -- TLS with pinned addresses ----------------------------------------------------------


@pytest.fixture
def school_cert(tmp_path):
    """A self-signed certificate for the name school.test (made with the openssl command)."""
    if shutil.which("openssl") is None:
        pytest.skip("needs the openssl command")
    return self_signed_certificate(tmp_path, names=["school.test"])


def test_tls_is_verified_against_the_host_name_while_connecting_to_the_pinned_address(school_cert):
    dns = {"school.test": ["127.0.0.1"], "impostor.test": ["127.0.0.1"]}
    with LoopbackServer({"/": html("secure")}, tls=school_cert) as server:
        policy = loopback_policy(ca_bundle=school_cert[0], retries=0)
        with PoliteSession(policy, resolver=lambda host, port: dns[host]) as polite:
            good = polite.get(f"https://school.test:{server.port}/")
            wrong_name = polite.get(f"https://impostor.test:{server.port}/")
    assert good.outcome == "ok" and good.data == b"secure"
    assert wrong_name.outcome == "unreachable"
    assert "TLS" in wrong_name.error


def test_one_place_is_not_held_while_a_host_waits_its_turn():
    """max_in_flight=1: while thread A waits out site a's interval, thread B's request to site b
    goes (the servers' own logs show b's first request between a's two), and no two requests
    are ever answered at once."""
    lock = threading.Lock()
    state = {"now": 0, "most": 0}

    def counted(request):
        with lock:
            state["now"] += 1
            state["most"] = max(state["most"], state["now"])
        time.sleep(0.05)
        with lock:
            state["now"] -= 1
        return html("page")

    routes = {"/1": counted, "/2": counted}
    with LoopbackServer(routes) as a, LoopbackServer(routes) as b:
        policy = loopback_policy(per_host_interval=0.5, respect_robots=False, max_in_flight=1)
        with PoliteSession(policy) as polite, ThreadPoolExecutor(2) as pool:
            first = pool.submit(lambda: [polite.get(a.url(p)).outcome for p in ("/1", "/2")])
            while not a.hits("/1"):
                time.sleep(0.01)
            second = pool.submit(lambda: [polite.get(b.url(p)).outcome for p in ("/1", "/2")])
            assert first.result() == second.result() == ["ok", "ok"]
    a1, a2 = (seen.time for seen in a.requests)
    b1, b2 = (seen.time for seen in b.requests)
    assert a1 < b1 < a2  # b went while a waited
    assert_polite(a.spans(), 0.5)  # each host still had its interval
    assert_polite(b.spans(), 0.5)
    assert state["most"] == 1


def test_the_session_tells_the_scheduler_when_each_request_left(site, monkeypatch):
    """The spacing runs from when a request was written (after connecting), not from when its turn came:
    every request reports its sending time once, before the server saw it."""
    from noticecheck.fetch import politeness

    sent: list[float] = []
    original = politeness.Ticket.sent
    monkeypatch.setattr(politeness.Ticket, "sent", lambda self, at: (sent.append(at), original(self, at)))
    site.routes["/"] = html("home")
    site.routes["/p"] = html("page")
    with PoliteSession(loopback_policy()) as polite:
        assert [polite.get(site.url(p)).outcome for p in ("/", "/p")] == ["ok", "ok"]
    arrivals = [seen.time for seen in site.requests]
    assert len(sent) == len(arrivals) == 3  # robots.txt, /, /p
    assert all(at <= arrived for at, arrived in zip(sent, arrivals))
