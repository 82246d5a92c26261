"""The self-check page in a real browser: Debian's Chromium through Playwright against the page
served by waitress on loopback (the same server setup `noticecheck serve` uses).

Uploads a Word notice, follows a finding to its sentence, copies a fix, downloads the Word copy
and reads its comments with python-docx; pastes text and re-checks it; runs axe-core; checks that
hostile names and notice text run no script; and that the page works with JavaScript off.
Skipped when /usr/bin/chromium is missing (`make system-deps`); the axe-core test also needs
`make node-deps`.
"""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from playwright.sync_api import expect
from fixtures_make import make_docx
from test_web import comment_paragraphs
from web_helpers import DOCX_BLOCKS, EDITED, NOTICE, make_app

CHROMIUM = Path("/usr/bin/chromium")
AXE = Path(__file__).parents[1] / ".node/node_modules/axe-core/axe.min.js"
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's Chromium at /usr/bin/chromium (apt-get install chromium)"),
]
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
               "--disable-sync", "--no-first-run", "--disable-quic"]  # fmt: skip


@pytest.fixture(scope="module")
def site():
    from noticecheck.web.server import address_of, make_server

    max_upload = 10 * 1024 * 1024
    server = make_server(make_app(max_upload=max_upload, rate_per_minute=0), port=0, max_upload=max_upload)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    yield address_of(server)
    server.close()
    thread.join(timeout=5)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, site):
    context = browser.new_context(accept_downloads=True)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site.rstrip("/"))
    tab = context.new_page()
    tab.dialogs = []
    tab.on("dialog", lambda dialog: (tab.dialogs.append(dialog.message), dialog.dismiss()))
    yield tab
    context.close()


def check_file(page, site: str, path: str | None = None, *, name: str | None = None, data: bytes | None = None):
    page.goto(site)
    if data is not None:
        page.set_input_files("#file", files=[{"name": name, "mimeType": "application/octet-stream", "buffer": data}])
    else:
        page.set_input_files("#file", path)
    page.click("button.primary")
    page.wait_for_selector("h1")


def test_word_upload_finding_copy_and_word_download(page, site, tmp_path):
    import docx

    path = make_docx(tmp_path / "elm-tree-notice.docx", DOCX_BLOCKS)
    check_file(page, site, path)
    assert "things you must fix" in page.text_content(".verdict")

    # Follow the Data Protection Act 1998 finding from the summary to its sentence.
    link = page.locator(".findings a", has_text="1998")
    target = link.get_attribute("href")
    link.click()
    assert page.url.endswith(target)
    finding = page.locator(target)
    assert finding.is_visible()
    box, viewport = finding.bounding_box(), page.viewport_size
    # Scrolled to: its top within the viewport (Chromium may leave it a sub-pixel above 0).
    assert -1 < box["y"] < viewport["height"]
    sentence = page.locator(f"#quote-{target[1:]}")
    assert "Data Protection Act 1998" in sentence.text_content()
    assert finding.evaluate("(el, mark) => el.closest('.block').contains(mark)", sentence.element_handle())

    # Copy its fix wording with the button JavaScript adds.
    fix = finding.locator(".fix-text").text_content()
    finding.locator("button.copy").click()
    expect(finding.locator(".copied")).to_have_text("Copied")
    assert page.evaluate("navigator.clipboard.readText()") == fix

    # Download the Word copy and find each comment at its paragraph.
    with page.expect_download() as info:
        page.click("a[download$='.docx']")
    saved = tmp_path / info.value.suggested_filename
    info.value.save_as(saved)
    assert saved.name == "elm-tree-notice-checked.docx"
    word = docx.Document(str(saved))
    assert [p.text for p in word.paragraphs] == [text for _, text in DOCX_BLOCKS]
    anchored = comment_paragraphs(word)
    assert len(anchored) == page.locator("aside.finding").count()
    assert "Data Protection Act 1998" in next(text for comment, text in anchored.items() if "outdated-dpa-1998" in comment)
    missing_rights = [text for comment, text in anchored.items() if "rights-incomplete" in comment]
    assert missing_rights == ["Parents can ask to see the records we keep."] or missing_rights == ["Your rights"]
    assert page.dialogs == []


def test_paste_then_recheck_shows_what_changed(page, site):
    page.goto(site)
    page.fill("#text", NOTICE)
    page.fill("#age_range", "4-11")
    page.click("button.primary")
    page.wait_for_selector(".verdict")
    before = page.locator("aside.finding").count()
    # The re-check form holds the pasted text; edit it there and check again.
    page.fill("#re-text", EDITED)
    page.click("#recheck-form button.primary")
    page.wait_for_selector("#changes")
    changes = page.text_content("#changes")
    fixed = int(page.locator("#changes li strong").nth(0).text_content())
    still = int(page.locator("#changes li strong").nth(1).text_content())
    assert fixed >= 2 and fixed + still == before
    assert "Fixed" in changes
    # sessionStorage kept the keys too: a fresh form on the home page sends them with the same text.
    page.goto(site)
    page.fill("#text", NOTICE)
    page.click("button.primary")
    page.wait_for_selector("#changes")
    assert int(page.locator("#changes li strong").nth(2).text_content()) >= 2  # the two fixes are back: new


def test_hostile_name_and_text_run_no_script(page, site):
    notice = NOTICE + "\n<script>alert('from the notice')</script>\n<img src=x onerror=alert(2)>\n"
    check_file(page, site, name="<img src=x onerror=alert(1)>.txt", data=notice.encode())
    page.wait_for_timeout(300)
    assert page.dialogs == []
    assert "<img src=x onerror=alert(1)>.txt" in page.text_content("h1")
    assert "<script>alert('from the notice')</script>" in page.text_content(".annotated")
    assert page.locator(".annotated script, .annotated img, h1 img").count() == 0


def test_works_without_javascript(browser, site, tmp_path):
    context = browser.new_context(java_script_enabled=False)
    tab = context.new_page()
    try:
        tab.goto(site)
        tab.set_input_files("#file", make_docx(tmp_path / "n.docx", DOCX_BLOCKS))
        tab.click("button.primary")
        tab.wait_for_selector(".verdict")
        assert tab.locator("aside.finding").count() > 0
        assert tab.locator("button.copy").count() == 0  # only JavaScript adds them; the wording is still there
        assert tab.locator(".fix-text").count() > 0
    finally:
        context.close()


def test_phone_width_has_no_sideways_scrolling(browser, site):
    context = browser.new_context(viewport={"width": 360, "height": 740})
    tab = context.new_page()
    try:
        tab.goto(site)
        tab.fill("#text", NOTICE)
        tab.click("button.primary")
        tab.wait_for_selector(".verdict")
        assert tab.evaluate("document.documentElement.scrollWidth") <= 360
    finally:
        context.close()


def test_keyboard_reaches_and_submits_the_form(page, site):
    page.goto(site)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to the main content"
    page.fill("#text", NOTICE)
    page.focus("#text")
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('primary')"):
            break
    page.keyboard.press("Enter")
    page.wait_for_selector(".verdict")


@pytest.mark.skipif(not AXE.exists(), reason="needs axe-core (make node-deps)")
def test_axe_finds_no_serious_violations(browser, site, tmp_path):
    # axe is injected as a script of the test's own, which the page's CSP would (rightly) block.
    context = browser.new_context(bypass_csp=True)
    tab = context.new_page()
    problems = {}
    try:
        tab.goto(site)
        problems["form"] = _axe(tab)
        tab.set_input_files("#file", make_docx(tmp_path / "n.docx", DOCX_BLOCKS))
        tab.click("button.primary")
        tab.wait_for_selector(".verdict")
        problems["result"] = _axe(tab)
        tab.set_viewport_size({"width": 360, "height": 740})
        problems["result at phone width"] = _axe(tab)
    finally:
        context.close()
    assert problems == {"form": [], "result": [], "result at phone width": []}


def _axe(tab) -> list[str]:
    tab.add_script_tag(path=str(AXE))
    result = tab.evaluate("axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']})")
    return [f"{v['id']} ({v['impact']}): {v['nodes'][0]['target']}" for v in result["violations"] if v["impact"] in ("serious", "critical")]
