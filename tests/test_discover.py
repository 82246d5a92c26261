"""Finding notices on school websites served by real HTTP servers on loopback."""

from __future__ import annotations

import gzip
import io
import socket

import pytest
from loopback import LoopbackServer, Reply, closed_port, html, loopback_policy, redirect

from noticecheck.fetch.discover import classify_audience, discover_notices, notice_confidence, parse_sitemap
from noticecheck.fetch.http import PoliteSession

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"


def page(title: str, body: str = "", h1: str | None = None) -> str:
    return (
        f"<!DOCTYPE html><html><head><title>{title}</title></head><body>"
        f"<nav><a href='/'>Home</a> <a href='/news'>News</a> <a href='/calendar'>Calendar</a></nav>"
        f"<h1>{h1 if h1 is not None else title}</h1>{body}</body></html>"
    )


def urlset(*urls: str) -> Reply:
    entries = "".join(f"<url><loc>{url}</loc></url>" for url in urls)
    xml = f"<?xml version='1.0' encoding='UTF-8'?><urlset xmlns='{SITEMAP_NS}'>{entries}</urlset>"
    return Reply(200, {"Content-Type": "application/xml"}, xml.encode())


def docx_bytes(text: str) -> bytes:
    from docx import Document

    document = Document()
    document.add_heading("Privacy notice for the school workforce", 1)
    document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def pdf_bytes(text: str) -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=12)
    pdf.multi_cell(0, 10, text)
    return bytes(pdf.output())


@pytest.fixture
def site():
    with LoopbackServer() as server:
        yield server


@pytest.fixture
def session():
    with PoliteSession(loopback_policy(retries=1)) as polite:
        yield polite


def test_notice_linked_from_the_home_page(site, session):
    site.routes["/"] = html(page("Hillside Primary", "<footer><a href='/privacy-notice'>Privacy Notice</a> <a href='/cookies'>Cookie policy</a></footer>"))
    site.routes["/privacy-notice"] = html(page("Privacy notice | Hillside", "<p>How we use pupil information...</p>", h1="Privacy notice for pupils and parents"))
    result = discover_notices(session, site.base_url)
    assert result.status == "ok"
    assert result.home_url == site.url("/")
    assert [n.url for n in result.notices] == [site.url("/privacy-notice")]
    notice = result.notices[0]
    assert notice.found_on == site.url("/")
    assert notice.audience == "pupils"
    assert notice.confidence >= 90
    assert "/cookies" not in site.paths()  # a cookie policy is not a notice or a hub


def test_notices_only_reachable_through_about_us_and_policies(site, session):
    workforce = docx_bytes("We process staff data to run the school.")
    site.routes["/"] = html(page("Oakwood Academy", "<a href='/about-us'>About us</a> <a href='/news/sports-day'>Sports day</a>"))
    site.routes["/about-us"] = html(page("About us", "<a href='/about-us/policies'>Policies</a>"))
    site.routes["/about-us/policies"] = html(
        page(
            "Policies",
            "<ul><li><a href='/uploads/2024/Pupil-Privacy-Notice.pdf'>Pupil privacy notice (PDF)</a></li>"
            "<li><a href='/download.php?id=7'>How we use school workforce information</a></li>"
            "<li><a href='/uploads/Data-Protection-Policy.pdf'>Data protection policy</a></li>"
            "<li><a href='https://www.gov.uk/government/publications/privacy-notices'>DfE privacy notice templates</a></li></ul>",
        )
    )
    site.routes["/download.php?id=7"] = Reply(
        200,
        {"Content-Type": "application/octet-stream", "Content-Disposition": 'attachment; filename="Workforce Privacy Notice.docx"'},
        workforce,
    )
    result = discover_notices(session, site.base_url)
    assert result.status == "ok"
    found = {n.url: n for n in result.notices}
    assert set(found) == {site.url("/uploads/2024/Pupil-Privacy-Notice.pdf"), site.url("/download.php?id=7")}
    assert found[site.url("/uploads/2024/Pupil-Privacy-Notice.pdf")].audience == "pupils"
    assert found[site.url("/download.php?id=7")].audience == "workforce"
    assert all(n.found_on == site.url("/about-us/policies") for n in result.notices)
    assert "/uploads/2024/Pupil-Privacy-Notice.pdf" not in site.paths()  # documents are listed, not downloaded
    assert site.paths().count("/download.php?id=7") == 1  # an extensionless link is checked once
    assert "/news/sports-day" not in site.paths()


def test_gdpr_page_listing_notices_is_an_index_not_a_notice(site, session):
    notice_pdf = pdf_bytes("Privacy notice for parents. We collect and hold personal information.")
    site.routes["/"] = html(page("Vale School", "<a href='/gdpr'>GDPR</a> <a href='/privacy-policy'>Privacy policy</a>"))
    site.routes["/gdpr"] = html(
        page(
            "Privacy notices",
            "<a href='/files/parents.pdf'>Privacy notice for parents and carers</a>"
            "<a href='/files/governors.odt'>Governors and volunteers privacy notice</a>"
            "<a href='/files/missing'>Privacy notice for visitors</a>",
        )
    )
    site.routes["/privacy-policy"] = html(page("Website privacy policy"))
    site.routes["/files/parents.pdf"] = Reply(200, {"Content-Type": "application/pdf"}, notice_pdf)
    result = discover_notices(session, site.base_url)
    urls = [n.url for n in result.notices]
    assert site.url("/gdpr") not in urls
    assert site.url("/files/missing") not in urls  # the link is broken (404)
    assert urls[:2] == [site.url("/files/parents.pdf"), site.url("/files/governors.odt")]
    assert urls[-1] == site.url("/privacy-policy")  # weakest evidence last
    audiences = {n.url: n.audience for n in result.notices}
    assert audiences[site.url("/files/parents.pdf")] == "parents"
    assert audiences[site.url("/files/governors.odt")] == "governors"


def test_notice_found_only_in_the_sitemap(site, session):
    site.routes["/"] = html(page("Marsh Lane Primary", "<p>Welcome</p>"))
    site.routes["/sitemap.xml"] = urlset(site.url("/"), site.url("/term-dates"), site.url("/key-info/fair-processing-notice"))
    site.routes["/key-info/fair-processing-notice"] = html(page("Fair processing notice"))
    result = discover_notices(session, site.base_url)
    assert result.status == "ok"
    assert [n.url for n in result.notices] == [site.url("/key-info/fair-processing-notice")]
    assert result.notices[0].link_text == "Fair processing notice"
    assert "/term-dates" not in site.paths()


def test_sitemap_index_named_in_robots_with_gzip_child(site, session):
    child = gzip.compress(urlset(site.url("/staff-privacy-notice")).body)
    index = (
        f"<?xml version='1.0'?><sitemapindex xmlns='{SITEMAP_NS}'>"
        f"<sitemap><loc>{site.url('/maps/page-sitemap.xml.gz')}</loc></sitemap></sitemapindex>"
    )
    site.routes["/robots.txt"] = Reply(200, {}, f"User-agent: *\nAllow: /\nSitemap: {site.url('/maps/index.xml')}\n")
    site.routes["/maps/index.xml"] = Reply(200, {"Content-Type": "application/xml"}, index.encode())
    site.routes["/maps/page-sitemap.xml.gz"] = Reply(200, {"Content-Type": "application/gzip"}, child)
    site.routes["/"] = html(page("Home"))
    site.routes["/staff-privacy-notice"] = html(page("Staff privacy notice"))
    result = discover_notices(session, site.base_url)
    assert [(n.url, n.audience) for n in result.notices] == [(site.url("/staff-privacy-notice"), "workforce")]
    assert result.notices[0].found_on == site.url("/maps/page-sitemap.xml.gz")


def test_robots_disallowing_everything(site, session):
    site.routes["/robots.txt"] = Reply(200, {}, "User-agent: *\nDisallow: /\n")
    site.routes["/"] = html(page("Home", "<a href='/privacy-notice'>Privacy notice</a>"))
    result = discover_notices(session, site.base_url)
    assert result.status == "blocked-by-robots"
    assert result.notices == ()
    assert site.paths() == ["/robots.txt"]


def test_robots_disallowing_the_notice_directory(site, session):
    site.routes["/robots.txt"] = Reply(200, {}, "User-agent: *\nDisallow: /private/\n")
    site.routes["/"] = html(page("Home", "<a href='/private/policies'>Policies</a> <a href='/policies'>Policies</a>"))
    site.routes["/policies"] = html(page("Policies", "<a href='/pn.pdf'>Privacy notice</a>"))
    result = discover_notices(session, site.base_url)
    assert [n.url for n in result.notices] == [site.url("/pn.pdf")]
    assert "/private/policies" not in site.paths()


def test_cp1252_page_is_read(site, session):
    body = page("St Mary’s", "<a href='/pn'>Parents’ privacy notice – 2024</a>").replace(
        "<head>", "<head><meta http-equiv='Content-Type' content='text/html; charset=windows-1252'>"
    )
    site.routes["/"] = Reply(200, {"Content-Type": "text/html"}, body.encode("cp1252"))
    site.routes["/pn"] = Reply(200, {"Content-Type": "text/html"}, page("Privacy notice – parents").encode("cp1252"))
    result = discover_notices(session, site.base_url)
    assert result.status == "ok"
    assert [(n.url, n.link_text, n.audience) for n in result.notices] == [
        (site.url("/pn"), "Parents’ privacy notice – 2024", "parents")
    ]


def test_cp1252_page_without_a_declared_charset_is_read(site, session):
    body = page("St Mary’s", "<a href='/docs/pn.pdf'>Workers’ privacy notice – 2024</a>")
    site.routes["/"] = Reply(200, {"Content-Type": "text/html"}, body.encode("cp1252"))
    result = discover_notices(session, site.base_url)
    assert [(n.link_text, n.audience) for n in result.notices] == [("Workers’ privacy notice – 2024", None)]


def test_home_redirect_and_relative_links(site, session):
    site.routes["/"] = redirect("/home/index.html")
    site.routes["/home/index.html"] = html(page("Home", "<a href='../info/privacy.html'>How we use your information</a>"))
    site.routes["/info/privacy.html"] = html(page("Data", "<p>text</p>"))
    result = discover_notices(session, site.base_url)
    assert result.home_url == site.url("/home/index.html")
    assert [n.url for n in result.notices] == [site.url("/info/privacy.html")]


def test_no_notice_found(site, session):
    site.routes["/"] = html(page("Home", "<a href='/policies'>Policies</a>"))
    site.routes["/policies"] = html(page("Policies", "<a href='/behaviour.pdf'>Behaviour policy</a>"))
    result = discover_notices(session, site.base_url)
    assert result.status == "no-notice-found"
    assert result.pages_visited >= 2
    assert result.error is None


def test_page_budget_and_depth_are_bounded(site, session):
    site.routes["/"] = html(page("Home", "".join(f"<a href='/policies/{n}'>Policies {n}</a>" for n in range(30))))
    for n in range(30):
        site.routes[f"/policies/{n}"] = html(page(f"Policies {n}", f"<a href='/policies/{n}/more'>More policies</a>"))
    result = discover_notices(session, site.base_url, max_pages=8)
    assert result.pages_visited == 8
    assert len([p for p in site.paths() if p != "/robots.txt"]) == 8


def test_depth_limit(site, session):
    site.routes["/"] = html(page("Home", "<a href='/p1'>Policies</a>"))
    site.routes["/p1"] = html(page("Policies", "<a href='/p2'>Statutory information</a>"))
    site.routes["/p2"] = html(page("Statutory information", "<a href='/p3'>Key information</a>"))
    site.routes["/p3"] = html(page("Key information", "<a href='/p4'>Policies</a> <a href='/pn.pdf'>Privacy notice</a>"))
    shallow = discover_notices(session, site.base_url, max_depth=2)
    assert shallow.status == "no-notice-found"
    assert "/p3" not in site.paths()


def test_unreachable_site():
    with PoliteSession(loopback_policy(retries=0)) as polite:
        result = discover_notices(polite, f"http://127.0.0.1:{closed_port()}/")
    assert result.status == "unreachable"
    assert "connection refused by 127.0.0.1:" in result.error  # plain English, not an exception repr


def test_not_a_website(session):
    result = discover_notices(session, "n/a")
    assert result.status == "unreachable" and result.pages_visited == 0


def test_www_twin_is_tried_when_the_typed_host_does_not_answer(site):
    def dns(host, port):
        if host == "school.test":
            return ["127.0.0.1"]
        raise socket.gaierror(-2, "Name or service not known")

    site.routes["/"] = html(page("Home", "<a href='/privacy'>Privacy notice</a>"))
    site.routes["/privacy"] = html(page("Privacy notice"))
    with PoliteSession(loopback_policy(retries=0), resolver=dns) as polite:
        result = discover_notices(polite, f"http://www.school.test:{site.port}/")
    assert result.status == "ok"
    assert result.home_url == f"http://school.test:{site.port}/"
    assert [n.url for n in result.notices] == [f"http://school.test:{site.port}/privacy"]


@pytest.mark.parametrize(
    "text, audience",
    [
        ("Privacy notice for parents – how we use your child’s data", "parents"),
        ("How we use pupil information", "pupils"),
        ("Students privacy notice", "pupils"),
        ("School workforce privacy notice", "workforce"),
        ("Privacy notice for job applicants", "workforce"),
        ("Staff privacy notice", "workforce"),
        ("Governors and volunteers privacy notice", "governors"),
        ("privacy-notice-pupils-and-parents", "pupils"),
        ("CCTV privacy notice", None),
        ("Staffordshire privacy notice", None),
    ],
)
def test_classify_audience(text, audience):
    assert classify_audience(text) == audience


@pytest.mark.parametrize(
    "text, url, strong",
    [
        ("Privacy notice", "", True),
        ("How we use your information", "", True),
        ("Fair processing notice", "", True),
        ("GDPR notice", "", True),
        ("Download", "/docs/Privacy-Notice-Workforce.pdf", True),
        ("GDPR", "/docs/gdpr.pdf", False),
        ("Cookie policy", "", None),
        ("Data protection policy", "/dp-policy.pdf", None),
        ("Subject access request form", "/privacy/sar.docx", None),
    ],
)
def test_notice_confidence(text, url, strong):
    score = notice_confidence(text, url)
    if strong is None:
        assert score == 0
    elif strong:
        assert score >= 80
    else:
        assert 30 <= score < 80


def test_parse_sitemap_ignores_entities_and_junk():
    evil = (
        b"<?xml version='1.0'?><!DOCTYPE urlset [<!ENTITY x SYSTEM 'file:///etc/passwd'>]>"
        b"<urlset xmlns='http://www.sitemaps.org/schemas/sitemap/0.9'><url><loc>https://s.example/&x;</loc></url>"
        b"<url><loc>https://s.example/privacy-notice</loc></url></urlset>"
    )
    pages, children = parse_sitemap(evil)
    assert "https://s.example/privacy-notice" in pages
    assert not any("root:" in p for p in pages)
    assert children == []
    assert parse_sitemap(b"<html><body>not a sitemap</body></html>") == ([], [])
    assert parse_sitemap(b"\x1f\x8bnot really gzip") == ([], [])


def test_off_site_links_need_to_name_a_notice_and_are_not_crawled(site, session):
    with LoopbackServer({"/pn.pdf": Reply(200, {"Content-Type": "application/pdf"}, b"%PDF")}) as trust:
        site.routes["/"] = html(
            page(
                "Home",
                f"<a href='{trust.url('/pn.pdf')}'>Trust privacy notice for pupils</a>"
                f"<a href='{trust.url('/privacy')}'>Privacy policy</a>"
                f"<a href='{trust.url('/policies')}'>Trust policies</a>",
            )
        )
        result = discover_notices(session, site.base_url)
        assert [(n.url, n.audience) for n in result.notices] == [(trust.url("/pn.pdf"), "pupils")]
        assert result.notices[0].confidence == 80
        assert trust.requests == []
