"""`noticecheck serve` for real: the command on loopback, and waitress kept off the disk.

Waitress spools request bodies over 512 KB and responses over 1 MB to
temporary files by default; web.server raises both limits above the upload
cap. These tests send real HTTP to loopback only.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import tempfile
import threading

import pytest
import requests
from web_helpers import NOTICE, make_app


class Served(str):
    """The server's address (a str), with the waitress server itself beside it."""

    def __new__(cls, address: str, server):
        self = super().__new__(cls, address)
        self.server = server
        return self


@pytest.fixture
def served():
    from noticecheck.web.server import address_of, make_server

    max_upload = 6 * 1024 * 1024
    server = make_server(make_app(max_upload=max_upload, rate_per_minute=0), port=0, max_upload=max_upload)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    yield Served(address_of(server), server)
    server.close()
    thread.join(timeout=5)


def test_big_upload_and_big_result_stay_in_memory(served, monkeypatch):
    def no_disk(*args, **kwargs):
        raise AssertionError("a body was about to be spooled to a temporary file")

    for name in ("TemporaryFile", "NamedTemporaryFile", "SpooledTemporaryFile", "mkstemp"):
        monkeypatch.setattr(tempfile, name, no_disk)
    filler = "\n\nThe school garden has apple trees and a pond that the children look after in the summer term."
    big = (NOTICE + filler * 6500).encode()  # ~620 KB: over waitress's 512 KB and werkzeug's 500 KB defaults
    with requests.Session() as http:
        token = re.search(r'name="csrf_token" value="([^"]+)"', http.get(served).text).group(1)
        page = http.post(served + "check", data={"csrf_token": token}, files={"file": ("big.txt", big)}, timeout=60)
    # Over waitress's 1 MB response default too: the page carries its downloads.
    assert page.status_code == 200 and 'class="verdict"' in page.text and len(page.content) > 1024 * 1024
    # Waitress queues a response in an OverflowableBuffer that turns into a temporary file past
    # outbuf_overflow when the client reads slowly; the server's setting holds this page in memory.
    from waitress.buffers import OverflowableBuffer

    held = OverflowableBuffer(served.server.adj.outbuf_overflow)
    held.append(page.content)
    assert held.get(len(page.content)) == page.content


def test_far_oversized_body_is_refused_by_waitress_itself(served):
    with requests.Session() as http:
        response = http.post(served + "api/check", files={"file": ("huge.txt", b"x" * (8 * 1024 * 1024))}, timeout=60)
    assert response.status_code == 413


def test_serve_command_answers_on_loopback_and_logs_no_notice(tmp_path):
    marker = "Quillfeather Junior School keeps a register of peregrine sightings"
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(
        [sys.executable, "-m", "noticecheck.cli", "serve", "--port", "0", "--isolated", "--rate-limit", "0"],
        cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )  # fmt: skip
    try:
        line = process.stderr.readline()
        address = re.search(r"http://127\.0\.0\.1:\d+/", line).group(0)
        with requests.Session() as http:
            home = http.get(address, timeout=30)
            assert home.status_code == 200 and home.headers["Server"] == "noticecheck"
            assert "frame-ancestors 'none'" in home.headers["Content-Security-Policy"]
            report = http.post(address + "api/check", data={"text": NOTICE + "\n" + marker + ".\n"}, timeout=30)
            assert report.status_code == 200 and report.json()["summary"]["checked"] == 1
            assert http.get(address + "api/rules", timeout=30).status_code == 200
    finally:
        process.send_signal(signal.SIGINT)
        try:
            out, err = process.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            out, err = process.communicate()
    assert marker not in out + err + line
    assert list(tmp_path.iterdir()) == []  # nothing written where it ran


def test_rate_limiter_window_slides():
    from noticecheck.web.guard import RateLimiter

    now = [100.0]
    limiter = RateLimiter(2, window=60, clock=lambda: now[0])
    assert [limiter.allow("a")[0] for _ in range(3)] == [True, True, False]
    assert limiter.allow("a")[1] == 60
    assert limiter.allow("b")[0]
    now[0] += 60.5
    assert limiter.allow("a") == (True, 0)


def test_rate_limiter_forgets_idle_clients_to_stay_bounded():
    from noticecheck.web.guard import RateLimiter

    now = [0.0]
    limiter = RateLimiter(1, window=10, clock=lambda: now[0], max_clients=3)
    for client in "abc":
        limiter.allow(client)
    now[0] = 20.0
    limiter.allow("d")
    assert set(limiter._events) == {"d"}
