"""The self-check page and its API through Flask's test client: one code path with `check`, the
annotated result, re-checks, downloads, and the security cases (CSRF, escaping, size cap, zip bombs,
rate limit, headers, uploads kept in memory, URLs through the scanner's guard)."""

from __future__ import annotations

import base64
import io
import json
import re
from pathlib import Path

import pytest
from fixtures_make import make_docx, make_zip_bomb_docx
from loopback import LoopbackServer, Reply, html, loopback_policy
from web_helpers import AS_OF, DOCX_BLOCKS, EDITED, NOTICE, csrf_of, form_token, make_app

from cli_helpers import run


@pytest.fixture(scope="module")
def app():
    return make_app()


@pytest.fixture
def client(app):
    return app.test_client()


def post_page(client, data: dict, token: str | None = None):
    data = {"csrf_token": token if token is not None else form_token(client), "as_of": AS_OF, **data}
    return client.post("/check", data=data, content_type="multipart/form-data")


# ---------------------------------------------------------------- one path with `check`


def test_api_answers_the_json_report_of_check(client, tmp_path):
    path = tmp_path / "notice.txt"
    path.write_text(NOTICE, encoding="utf-8")
    cli = json.loads(run("check", str(path), "--isolated", "--as-of", AS_OF, "--format", "json").stdout)
    response = client.post("/api/check", data={"file": (io.BytesIO(NOTICE.encode()), "notice.txt"), "as_of": AS_OF})
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    web = response.get_json()
    assert web["schema_version"] == cli["schema_version"]
    ours, theirs = web["documents"][0], cli["documents"][0]
    assert ours["source"] == "notice.txt"
    assert ours["findings"] == theirs["findings"]
    assert ours["sections"] == theirs["sections"]
    assert web["summary"] == cli["summary"]


def test_api_report_matches_the_schema_and_takes_options_and_text(client):
    import jsonschema

    schema = json.loads((Path(__file__).parents[1] / "src/noticecheck/schemas/report.schema.json").read_text())
    response = client.post("/api/check", data={"text": NOTICE, "audience": "pupils", "school_type": "academy", "age_range": "11-16", "as_of": AS_OF})
    assert response.status_code == 200
    report = response.get_json()
    jsonschema.validate(report, schema)
    context = report["documents"][0]["context"]
    assert context["audience"] == "pupils" and context["school_type"] == "academy" and context["age_range"] == [11, 16]
    assert context["as_of"] == AS_OF


def test_each_check_is_judged_as_of_the_day_it_is_made():
    # A server runs for months: the gate it started with holds its start-up day, but a
    # notice checked without as_of is judged as of the day of the request.
    from datetime import date

    from noticecheck.gate.run import build_gate
    from noticecheck.web.app import ServeSettings, create_app

    started = date(2020, 3, 2)
    app = create_app(ServeSettings(secret_key=b"test-secret"), build_gate([], isolated=True, today=started))
    before = date.today().isoformat()
    response = app.test_client().post("/api/check", data={"text": NOTICE})
    assert response.status_code == 200
    assert response.get_json()["documents"][0]["context"]["as_of"] in (before, date.today().isoformat())


@pytest.mark.parametrize(
    ("data", "needle"),
    [({}, "Paste the notice"), ({"text": NOTICE, "audience": "aliens"}, "audience must be"),
     ({"text": NOTICE, "age_range": "old"}, "age range"), ({"text": NOTICE, "as_of": "soon"}, "not a date")],
)  # fmt: skip
def test_api_bad_requests_get_a_json_error(client, data, needle):
    response = client.post("/api/check", data=data)
    assert response.status_code == 400
    assert needle in response.get_json()["error"]["message"]


def test_api_rules_is_the_rules_command_json(client):
    cli = json.loads(run("rules", "--isolated", "--format", "json").stdout)
    response = client.get("/api/rules")
    assert response.status_code == 200
    assert response.get_json() == cli


# ---------------------------------------------------------------- the result page


def test_result_page_annotates_the_notice(client):
    page = post_page(client, {"text": NOTICE}).get_data(as_text=True)
    # Summary in plain English, most serious first.
    assert re.search(r"\d+ things you must fix, \d+ you should and \d+ suggestions", page)
    labels = re.findall(r'<li class="sev-(\w+)"><span class', page)
    assert labels == sorted(labels, key=["error", "warning", "info"].index)
    # The Data Protection Act 1998 sentence is marked, and its finding sits in the same block.
    block = re.search(r'<div class="block has-findings" id="block-\d+">(?:(?!<div class="block).)*Data Protection Act 1998(?:(?!<div class="block).)*', page, re.S).group(0)
    assert re.search(r'<mark id="quote-finding-\d+">We process this information under the Data Protection Act 1998.</mark>', block)
    assert "outdated-dpa-1998" in block
    # Sections are marked in the margin; the checklist says found / not found in words.
    assert '<span class="section-mark">How long it is kept</span>' in page
    assert "✓ Found" in page and "✗ Not found" in page
    # The fix wording and its source link.
    assert 'class="fix-text"' in page and 'href="https://www.legislation.gov.uk/' in page


def test_result_page_offers_three_downloads_without_keeping_the_notice(client):
    import docx

    page = post_page(client, {"text": NOTICE}).get_data(as_text=True)
    links = dict(re.findall(r'href="data:([^;]+);base64,([^"]+)" download', page))
    assert set(links) == {"application/vnd.openxmlformats-officedocument.wordprocessingml.document", "text/html", "application/json"}
    report = json.loads(base64.b64decode(links["application/json"]))
    assert report["documents"][0]["source"] == "pasted text"
    assert "noticecheck report" in base64.b64decode(links["text/html"]).decode()
    word = docx.Document(io.BytesIO(base64.b64decode(links["application/vnd.openxmlformats-officedocument.wordprocessingml.document"])))
    assert len(list(word.comments)) == len(report["documents"][0]["findings"])
    # Pasted text becomes a new Word document of the notice's blocks; each comment sits at its block.
    assert [p.text for p in word.paragraphs if p.text][:3] == ["Privacy notice for parents and carers", "Who we are",
                                                               "Oakfield Primary School is the data controller for the information we hold about pupils."]  # fmt: skip
    anchored = comment_paragraphs(word)
    assert "Data Protection Act 1998" in next(text for comment, text in anchored.items() if "outdated-dpa-1998" in comment)
    assert next(text for comment, text in anchored.items() if "rights-incomplete" in comment) in ("Your rights", "You can ask for a copy of the information we hold about your child.")


@pytest.mark.parametrize("kind", ["pdf", "odt", "html"])
def test_other_formats_are_checked_on_the_page(client, tmp_path, kind):
    from fixtures_make import make_odt, make_pdf

    blocks = [("h1", "Privacy notice for parents")] + [("p", line) for line in NOTICE.splitlines()[2:] if line]
    if kind == "pdf":
        path = make_pdf(tmp_path / "notice.pdf", blocks)
    elif kind == "odt":
        path = make_odt(tmp_path / "notice.odt", blocks)
    else:
        path = tmp_path / "notice.html"
        path.write_text("<html><body><main>" + "".join(f"<p>{text}</p>" for _, text in blocks) + "</main></body></html>")
    page = post_page(client, {"file": (open(path, "rb"), f"notice.{kind}")}).get_data(as_text=True)
    assert 'class="verdict"' in page and "outdated-dpa-1998" in page
    assert re.search(r'<mark id="quote-finding-\d+">[^<]*Data Protection Act 1998', page)


def test_recheck_says_what_was_fixed_still_there_and_new(client):
    first = post_page(client, {"text": NOTICE}).get_data(as_text=True)
    carried = re.search(r'<input type="hidden" name="previous" value="([^"]+)"', first).group(1)
    import html as html_module

    previous = html_module.unescape(carried)
    assert NOTICE[:40] not in previous  # only finding keys travel, not the notice
    second = post_page(client, {"text": EDITED, "previous": previous}).get_data(as_text=True)
    changes = re.search(r'<div class="changes" id="changes">.*?</div>', second, re.S).group(0)
    fixed = int(re.search(r"<strong>(\d+)</strong> fixed", changes).group(1))
    still = int(re.search(r"<strong>(\d+)</strong> still there", changes).group(1))
    new = int(re.search(r"<strong>(\d+)</strong> new", changes).group(1))
    before = len(json.loads(previous)["findings"])
    after = len(re.findall(r'<aside class="finding', second))
    assert fixed >= 2 and still + fixed == before and still + new == after
    titles = {rule["id"]: rule["title"] for rule in client.get("/api/rules").get_json()}
    fixed_list = re.search(r'<ul class="fixed">.*?</ul>', changes, re.S).group(0)
    for rule in ("outdated-dpa-1998", "ico-complaint-missing"):
        assert html_module.escape(titles[rule], quote=False) in fixed_list
    # A previous result for another file is not compared.
    other = post_page(client, {"file": (io.BytesIO(EDITED.encode()), "other.txt"), "previous": previous}).get_data(as_text=True)
    assert 'id="changes"' not in other


def test_home_page_address_lists_the_notices_found_and_checks_the_one_picked():
    routes = {
        "/robots.txt": Reply(404),
        "/": html('<html><body><a href="/about">About us</a> <a href="/privacy-notice-parents">Privacy notice for parents</a></body></html>'),
        "/about": html("<html><body><p>About</p></body></html>"),
        "/privacy-notice-parents": html("<html><body><main>" + "".join(f"<p>{line}</p>" for line in NOTICE.splitlines() if line) + "</main></body></html>"),
    }
    with LoopbackServer(routes) as site:
        client = make_app(fetch_policy=loopback_policy()).test_client()
        found = post_page(client, {"url": site.url("/")}).get_data(as_text=True)
        assert "Privacy notices found on" in found
        assert site.url("/privacy-notice-parents") in found
        result = post_page(client, {"url": site.url("/privacy-notice-parents"), "as_notice": "1"}).get_data(as_text=True)
        assert 'class="verdict"' in result and "outdated-dpa-1998" in result


def test_private_address_is_refused_without_a_request_leaving():
    # 127.0.0.2 is outside the allow-list (127.0.0.1/32): it stands in for a private address.
    with LoopbackServer({"/notice.html": html("<p>Privacy notice</p>")}, host="127.0.0.2") as target:
        client = make_app(fetch_policy=loopback_policy()).test_client()
        page = post_page(client, {"url": target.url("/notice.html")})
        api = client.post("/api/check", data={"url": target.url("/notice.html")})
        assert target.paths() == []
    assert page.status_code == 422 and "loopback" in page.get_data(as_text=True)
    assert api.status_code == 422 and "loopback" in api.get_json()["error"]["message"]


def test_by_default_every_private_address_is_refused():
    with LoopbackServer({"/n.html": html("<p>x</p>")}) as target:
        api = make_app().test_client().post("/api/check", data={"url": target.url("/n.html")})
        assert target.paths() == []
    assert api.status_code == 422


# ---------------------------------------------------------------- security


def test_security_headers_on_every_response(client):
    for response in (client.get("/"), client.get("/api/rules"), client.get("/static/app.js"), client.get("/nowhere")):
        csp = response.headers["Content-Security-Policy"]
        assert "frame-ancestors 'none'" in csp and "script-src 'self'" in csp and "unsafe-inline" not in csp
        assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_no_inline_script_or_style_in_the_pages(client):
    pages = [client.get("/").get_data(as_text=True), post_page(client, {"text": NOTICE}).get_data(as_text=True)]
    for page in pages:
        assert not re.search(r"<script(?![^>]*\bsrc=)", page)
        assert " style=" not in page and "<style" not in page and " on" + "click=" not in page


def test_form_without_the_right_csrf_token_is_refused(client):
    client.get("/")
    assert client.post("/check", data={"text": NOTICE}).status_code == 400
    assert client.post("/check", data={"text": NOTICE, "csrf_token": "forged"}).status_code == 400
    fresh = make_app().test_client()  # a token from another browser's session
    assert fresh.post("/check", data={"text": NOTICE, "csrf_token": form_token(client)}).status_code == 400


def test_hostile_file_name_and_text_are_escaped(client):
    name = "<img src=x onerror=alert(1)>.txt"
    hostile = NOTICE + "\n<script>alert('notice')</script>\n"
    page = post_page(client, {"file": (io.BytesIO(hostile.encode()), name)}).get_data(as_text=True)
    assert "<img src=x" not in page and "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "<script>alert" not in page
    # The download names are made safe as well.
    assert re.findall(r'\sdownload="([^"]+)"', page) == [f"img src_x onerror_alert_1-checked.{suffix}" for suffix in ("docx", "html", "json")]


def test_oversized_upload_gets_413_page_and_json():
    client = make_app(max_upload=64 * 1024).test_client()
    big = b"Privacy notice. " * 20_000  # 320 KB
    api = client.post("/api/check", data={"file": (io.BytesIO(big), "big.txt")})
    assert api.status_code == 413
    assert api.get_json()["error"]["code"] == "too-large" and "64 KiB" in api.get_json()["error"]["message"]
    page = client.post("/check", data={"csrf_token": form_token(client), "file": (io.BytesIO(big), "big.txt")})
    assert page.status_code == 413 and "too large" in page.get_data(as_text=True)


def test_zip_bomb_gets_its_clear_message(client, tmp_path):
    bomb = Path(make_zip_bomb_docx(tmp_path / "bomb.docx")).read_bytes()
    page = post_page(client, {"file": (io.BytesIO(bomb), "bomb.docx")})
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "could not be read" in text and "zip bomb" in text.lower()
    api = client.post("/api/check", data={"file": (io.BytesIO(bomb), "bomb.docx")}).get_json()
    assert api["documents"][0]["error"]["code"] == "zip-bomb"


def test_encrypted_pdf_gets_its_clear_message(client, tmp_path):
    from fixtures_make import make_encrypted_pdf

    data = Path(make_encrypted_pdf(tmp_path / "locked.pdf")).read_bytes()
    page = post_page(client, {"file": (io.BytesIO(data), "locked.pdf")}).get_data(as_text=True)
    assert "could not be read" in page and "password" in page.lower()
    api = client.post("/api/check", data={"file": (io.BytesIO(data), "locked.pdf")}).get_json()
    assert api["documents"][0]["error"]["code"] == "encrypted"


def test_rate_limit_per_client():
    client = make_app(rate_per_minute=2).test_client()
    codes = [client.post("/api/check", data={"text": NOTICE}).status_code for _ in range(3)]
    assert codes == [200, 200, 429]
    limited = client.post("/api/check", data={"text": NOTICE})
    assert int(limited.headers["Retry-After"]) >= 1 and limited.get_json()["error"]["code"] == "rate-limited"
    other = client.post("/api/check", data={"text": NOTICE}, environ_base={"REMOTE_ADDR": "127.0.0.9"})
    assert other.status_code == 200


def test_forwarded_for_counts_only_behind_a_trusted_proxy():
    direct = make_app(rate_per_minute=1).test_client()
    spoofed = [direct.post("/api/check", data={"text": NOTICE}, headers={"X-Forwarded-For": f"10.9.9.{i}"}).status_code for i in range(2)]
    assert spoofed == [200, 429]  # a forged header does not buy a new allowance
    proxied = make_app(rate_per_minute=1, trusted_proxies=1).test_client()
    codes = [proxied.post("/api/check", data={"text": NOTICE}, headers={"X-Forwarded-For": f"10.9.9.{i}"}).status_code for i in range(2)]
    assert codes == [200, 200]


def test_uploads_never_go_to_a_temporary_file(client, monkeypatch):
    import werkzeug.formparser

    def no_disk(*args, **kwargs):
        raise AssertionError("an upload was about to be spooled to a temporary file")

    monkeypatch.setattr(werkzeug.formparser, "SpooledTemporaryFile", no_disk)
    big = (NOTICE * 1000).encode()  # ~480 KB
    assert len(big) > 400_000
    response = client.post("/api/check", data={"file": (io.BytesIO(big), "long.txt")})
    assert response.status_code == 200


def test_word_download_from_a_word_upload_keeps_the_document_and_comments_at_paragraphs(client, tmp_path):
    import docx

    path = make_docx(tmp_path / "notice.docx", DOCX_BLOCKS)
    response = client.post("/api/check", data={"file": (open(path, "rb"), "notice.docx"), "format": "docx", "as_of": AS_OF})
    assert response.status_code == 200
    assert 'filename="notice-checked.docx"' in response.headers["Content-Disposition"]
    report = client.post("/api/check", data={"file": (open(path, "rb"), "notice.docx"), "as_of": AS_OF}).get_json()
    findings = report["documents"][0]["findings"]
    word = docx.Document(io.BytesIO(response.data))
    assert [p.text for p in word.paragraphs] == [text for _, text in DOCX_BLOCKS]  # the school's own document
    anchored = comment_paragraphs(word)
    assert len(anchored) == len(findings)
    dpa = next(text for comment, text in anchored.items() if "outdated-dpa-1998" in comment)
    assert "Data Protection Act 1998" in dpa


def comment_paragraphs(word) -> dict[str, str]:
    """Each comment's text -> the text of the paragraph its range starts in."""
    from docx.oxml.ns import qn

    by_id = {c.comment_id: c.text for c in word.comments}
    out = {}
    for paragraph in word.paragraphs:
        for start in paragraph._p.iter(qn("w:commentRangeStart")):
            out[by_id[int(start.get(qn("w:id")))]] = paragraph.text
    return out


def test_privacy_page_and_form_labels(client):
    page = client.get("/").get_data(as_text=True)
    for control in re.findall(r'<(?:input|select|textarea)\b[^>]*\bid="([^"]+)"', page):
        assert f'for="{control}"' in page, control
    assert "not stored or logged" in page
    assert client.get("/privacy").status_code == 200
    assert csrf_of(page)


def test_a_page_on_one_line_still_places_each_finding_and_section_at_its_block(client):
    # Many sites send their whole page on one line: every block then has line 1.
    body = "".join(f"<h2>{line}</h2>" if len(line) < 40 else f"<p>{line}</p>" for line in NOTICE.splitlines()[2:] if line)
    html_page = f"<html><body><main><h1>Privacy notice</h1>{body}</main></body></html>"
    assert "\n" not in html_page
    text = post_page(client, {"file": (io.BytesIO(html_page.encode()), "one-line.html")}).get_data(as_text=True)
    annotated = text[text.index('<div class="annotated">'):]
    chunks = annotated[: annotated.index("</section>")].split('<div class="block')[1:]
    dpa = [chunk for chunk in chunks if "We process this information under the Data Protection Act 1998." in chunk]
    assert len(dpa) == 1 and "outdated-dpa-1998" in dpa[0] and "<mark" in dpa[0]
    assert sum("outdated-dpa-1998" in chunk for chunk in chunks) == 1
    retention = [chunk for chunk in chunks if '<h4 class="text">How long we keep it</h4>' in chunk]
    assert len(retention) == 1 and '<span class="section-mark">How long it is kept</span>' in retention[0]
