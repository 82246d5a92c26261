"""Loopback web servers for the demo sites (and the scan tests): one ThreadingHTTPServer per site.

Each site listens on its own 127.0.0.x address, so the scanner's per-host
and per-IP politeness treats them as separate schools, as it would real
ones. Servers record every request (the resume test proves finished schools
are not fetched again), can swap their pages between two scans, and can add
a delay per request to make a scan slow enough to interrupt.
"""

from __future__ import annotations

import socket
import sys
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

from noticecheck.demo.sites import Page

_NOT_FOUND = Page(b"<!doctype html><title>Not found</title><h1>Page not found</h1>", status=404)


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    user_agent: str
    at: float  # time.monotonic() when the request arrived


class _Handler(BaseHTTPRequestHandler):
    server: _SiteHTTPServer
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:  # noqa: N802 (the stdlib's naming)
        self._answer(send_body=True)

    def do_HEAD(self) -> None:  # noqa: N802
        self._answer(send_body=False)

    def _answer(self, send_body: bool) -> None:
        site = self.server.site
        site._record(Request(self.command, self.path, self.headers.get("User-Agent", ""), time.monotonic()))
        if site.delay:
            time.sleep(site.delay)
        path = urlsplit(self.path).path or "/"
        page = site.pages.get(path)
        if page is None and not path.endswith("/") and "." not in path.rsplit("/", 1)[-1]:
            page = site.pages.get(path + "/")  # /policies -> /policies/, as most CMSs do
        page = page or _NOT_FOUND
        self.send_response(page.status)
        self.send_header("Content-Type", page.content_type)
        self.send_header("Content-Length", str(len(page.body)))
        self.end_headers()
        if send_body:
            self.wfile.write(page.body)

    def log_message(self, format: str, *args) -> None:  # noqa: A002
        pass  # keep the demo's terminal and the test output clean


class _SiteHTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True  # a site restarted on the same port between demo terms

    def __init__(self, address: tuple[str, int], site: SiteServer):
        self.site = site
        super().__init__(address, _Handler)

    def handle_error(self, request, client_address) -> None:
        # A client that goes away mid-answer (a killed scan, a timeout) is
        # normal here; anything else is a real fault worth the traceback.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class SiteServer:
    """One website on a loopback address. `start()` it, read `url`, `stop()` it."""

    def __init__(self, host: str, pages: Mapping[str, Page], port: int = 0, delay: float = 0.0):
        if not host.startswith("127."):
            raise ValueError(f"demo sites listen on loopback only, not {host!r}")
        self.host = host
        self.port = port
        self.pages = dict(pages)
        self.delay = delay
        self._requests: list[Request] = []
        self._lock = threading.Lock()
        self._httpd: _SiteHTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}/"

    @property
    def running(self) -> bool:
        return self._httpd is not None

    def start(self) -> SiteServer:
        self._httpd = _SiteHTTPServer((self.host, self.port), self)
        self.port = self._httpd.server_address[1]
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None

    def set_pages(self, pages: Mapping[str, Page]) -> None:
        self.pages = dict(pages)

    def _record(self, request: Request) -> None:
        with self._lock:
            self._requests.append(request)

    @property
    def requests(self) -> list[Request]:
        with self._lock:
            return list(self._requests)

    def clear_requests(self) -> None:
        with self._lock:
            self._requests.clear()


def free_port(host: str) -> int:
    """A port on `host` with nothing listening (for a site that must be unreachable)."""
    with socket.socket() as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def loopback_host(index: int) -> str:
    """A distinct loopback address per site: 127.0.1.1, 127.0.1.2, … (254 per /24, then the next)."""
    block, offset = divmod(index, 254)
    if block > 200:
        raise ValueError("too many demo sites for the loopback range")
    return f"127.0.{1 + block}.{offset + 1}"
