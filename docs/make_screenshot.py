"""Make docs/self-check.png: the self-check page's annotated result for a corpus notice, in Chromium.

    .venv/bin/python docs/make_screenshot.py [NOTICE] [OUT]

Serves the page on loopback (waitress, built-in rules), uploads the notice,
follows the first finding that quotes a sentence and screenshots the notice
around it. Needs Debian's Chromium at /usr/bin/chromium (`make system-deps`).
"""

from __future__ import annotations

import sys
import threading
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_NOTICE = REPO / "corpus" / "notices" / "a01-primary-parents-2016.txt"


def main(notice: Path = DEFAULT_NOTICE, out: Path = REPO / "docs" / "self-check.png") -> None:
    from playwright.sync_api import sync_playwright

    from datetime import date

    from noticecheck.gate.run import build_gate
    from noticecheck.web.app import ServeSettings, create_app
    from noticecheck.web.server import address_of, make_server

    settings = ServeSettings()
    app = create_app(settings, build_gate([], isolated=True, as_of="2026-11-24", today=date.today()))
    server = make_server(app, port=0, max_upload=settings.max_upload)
    threading.Thread(target=server.run, daemon=True).start()
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium",
                                        args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])  # fmt: skip
            page = browser.new_page(viewport={"width": 1100, "height": 820}, device_scale_factor=1)
            page.goto(address_of(server))
            page.set_input_files("#file", str(notice))
            page.click("button.primary")
            page.wait_for_selector(".verdict")
            quoted = page.locator("mark").first.get_attribute("id").removeprefix("quote-")
            page.locator(f".findings a[href='#{quoted}']").click()
            # Show the sentence and its section mark above the finding.
            page.evaluate(f"document.getElementById('quote-{quoted}').closest('.block').scrollIntoView()")
            page.mouse.wheel(0, -60)
            page.wait_for_timeout(200)
            page.screenshot(path=str(out))
            browser.close()
    finally:
        server.close()
    print(f"wrote {out}")


if __name__ == "__main__":
    main(*(Path(arg) for arg in sys.argv[1:3]))
