"""Real HTTP servers on loopback addresses, for tests and demos.

`LoopbackServer` serves a dict of path -> response from a thread, can bind any
127.x.y.z address (all of 127.0.0.0/8 is loopback on Linux) with port 0, records
every request with a `time.monotonic()` timestamp, and can delay responses.

A response is a `Reply`, a `(status, headers, body)` tuple, or a callable that
takes the recorded `Seen` request and returns either. A body may be bytes, str
(sent as UTF-8) or an iterable of bytes chunks (sent with chunked encoding, so
there is no Content-Length). Unknown paths get a 404.

    with LoopbackServer({"/": Reply(body="<a href='/p'>Privacy notice</a>")}) as site:
        session.get(site.url("/"))
        assert site.paths() == ["/robots.txt", "/"]

`spans()` gives each request's arrival and the moment its answer began to be
written, for tests of politeness from the server's side: the client cannot
have sent its next request on that connection's behalf before then
(`assert_polite` checks a log of them).
"""

from __future__ import annotations

import shutil
import socket
import ssl
import subprocess
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Union


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address) -> None:  # type: ignore[no-untyped-def]
        import sys

        if isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            return  # a client that hung up early (size cap, timeout) is expected in these tests
        super().handle_error(request, client_address)


@dataclass(frozen=True)
class Reply:
    status: int = 200
    headers: Mapping[str, str] = field(default_factory=dict)
    body: bytes | str | Iterable[bytes] = b""
    delay: float = 0.0  # seconds to wait before answering


@dataclass(frozen=True)
class Seen:
    """One request the server received."""

    method: str
    path: str  # with the query string
    headers: dict[str, str]  # lower-case names
    time: float  # time.monotonic() when the request line and headers were read
    client: str


Route = Union[Reply, tuple, Callable[[Seen], Union[Reply, tuple]]]


LOOPBACK_ALLOWED = ("127.0.0.1/32",)  # other 127.x addresses stay refused, for refusal tests


def loopback_policy(**overrides):
    """A FetchPolicy for tests and demos against servers on 127.0.0.1.

    Only 127.0.0.1 is allowed (allow_private stays False, so the private-address
    refusal is still exercised for every other address); politeness intervals
    are zero and retries quick unless overridden.
    """
    from noticecheck.fetch.http import FetchPolicy

    settings = dict(
        per_host_interval=0.0,
        per_ip_interval=0.0,
        timeout=3.0,
        retries=2,
        backoff=0.05,
        allowed_networks=LOOPBACK_ALLOWED,
    )
    settings.update(overrides)
    return FetchPolicy(**settings)


# Seconds: a server stamps a request once its thread has read it, a little after the client
# stamped it as sent, so a start-to-start gap seen by the server can be this much short of the
# interval the client kept (far less than any interval a politeness test uses).
STAMP_SLACK = 0.02


def assert_polite(spans: list[tuple[float, float]], interval: float) -> None:
    """The two politeness guarantees, from one host's (or IP's) server-side log of (arrived, answer began):
    each request arrived at least `interval` after the previous one arrived (within STAMP_SLACK), and
    none arrived before the previous one's answer began (a server is never asked twice at once)."""
    spans = sorted(spans)
    for (arrived, answering), (next_arrived, _) in zip(spans, spans[1:]):
        assert next_arrived - arrived >= interval - STAMP_SLACK, (
            f"start-to-start gap {next_arrived - arrived:.3f} s is shorter than the interval {interval} s")
        assert next_arrived >= answering, (
            f"a request arrived {answering - next_arrived:.3f} s before the previous one was answered (overlap)")


def self_signed_certificate(directory, *, names=(), addresses=(), days: int = 2) -> tuple[str, str]:
    """(certificate file, key file): a new self-signed P-256 certificate for these DNS names and IP
    addresses, made with the openssl command (the certificate is its own CA: give it to the client as
    its CA bundle). The names go in a config file, so thousands of loopback addresses fit."""
    from pathlib import Path

    if shutil.which("openssl") is None:
        raise RuntimeError("making a test certificate needs the openssl command")
    directory = Path(directory)
    cert, key, config = directory / "cert.pem", directory / "key.pem", directory / "openssl.cnf"
    alt = [f"DNS.{i} = {name}" for i, name in enumerate(names, 1)] + [f"IP.{i} = {ip}" for i, ip in enumerate(addresses, 1)]
    if not alt:
        raise ValueError("a certificate needs at least one name or address")
    config.write_text(
        "[req]\ndistinguished_name = dn\nx509_extensions = ext\nprompt = no\n[dn]\nCN = noticecheck test site\n"
        "[ext]\nbasicConstraints = critical, CA:TRUE\nkeyUsage = critical, digitalSignature, keyCertSign\n"
        "subjectKeyIdentifier = hash\nsubjectAltName = @alt\n[alt]\n" + "\n".join(alt) + "\n",
        encoding="utf-8",
    )
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
         "-keyout", str(key), "-out", str(cert), "-days", str(days), "-config", str(config)],
        check=True, capture_output=True,
    )  # fmt: skip
    return str(cert), str(key)


def closed_port(host: str = "127.0.0.1") -> int:
    """A port on `host` that nothing listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


def html(body: str, status: int = 200, *, charset: str = "utf-8", headers: Mapping[str, str] | None = None) -> Reply:
    """An HTML reply; `body` is encoded with `charset` (e.g. "cp1252")."""
    merged = {"Content-Type": f"text/html; charset={charset}"}
    merged.update(headers or {})
    return Reply(status, merged, body.encode(charset))


def redirect(location: str, status: int = 302) -> Reply:
    return Reply(status, {"Location": location})


def with_etag(body: bytes | str, etag: str, content_type: str = "text/html; charset=utf-8") -> Callable[[Seen], Reply]:
    """A route that answers 304 when the client sends If-None-Match with `etag`, else 200 with it."""

    def answer(request: Seen) -> Reply:
        if request.headers.get("if-none-match") == etag:
            return Reply(304, {"ETag": etag})
        return Reply(200, {"ETag": etag, "Content-Type": content_type}, body)

    return answer


def sequence(*replies: Route) -> Callable[[Seen], Reply | tuple]:
    """A route that answers with each reply in turn, repeating the last one."""
    lock = threading.Lock()
    served = [0]

    def answer(request: Seen) -> Reply | tuple:
        with lock:
            index = min(served[0], len(replies) - 1)
            served[0] += 1
        reply = replies[index]
        return reply(request) if callable(reply) else reply

    return answer


class LoopbackServer:
    """A threaded HTTP/1.1 server on a loopback address; see the module docstring."""

    def __init__(
        self,
        routes: Mapping[str, Route] | None = None,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        latency: float = 0.0,
        tls: tuple[str, str] | None = None,
    ):
        """`tls` = (certificate file, key file) serves HTTPS instead of HTTP."""
        if not host.startswith("127."):
            raise ValueError(f"LoopbackServer only binds loopback addresses, not {host!r}")
        self.routes: dict[str, Route] = dict(routes or {})
        self.latency = latency
        self.scheme = "https" if tls else "http"
        self._lock = threading.Lock()
        self._seen: list[Seen] = []
        self._answering: dict[int, float] = {}  # id(seen) -> when its answer began to be written
        self._httpd = _QuietServer((host, port), self._handler_class())
        if tls:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(*tls)
            self._httpd.socket = context.wrap_socket(self._httpd.socket, server_side=True)
        self.host, self.port = self._httpd.server_address[:2]
        self._thread: threading.Thread | None = None

    # -- lifecycle ----------------------------------------------------------

    def start(self) -> LoopbackServer:
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def __enter__(self) -> LoopbackServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    # -- what tests use -----------------------------------------------------

    @property
    def base_url(self) -> str:
        return f"{self.scheme}://{self.host}:{self.port}"

    def url(self, path: str = "/") -> str:
        return self.base_url + path

    @property
    def requests(self) -> list[Seen]:
        with self._lock:
            return list(self._seen)

    def paths(self) -> list[str]:
        return [seen.path for seen in self.requests]

    def hits(self, path: str) -> list[Seen]:
        return [seen for seen in self.requests if seen.path == path]

    def spans(self) -> list[tuple[float, float]]:
        """(arrived, answer began) for every request answered so far, in arrival order."""
        with self._lock:
            return [(seen.time, self._answering[id(seen)]) for seen in self._seen if id(seen) in self._answering]

    # -- serving ------------------------------------------------------------

    def _record(self, seen: Seen) -> None:
        with self._lock:
            self._seen.append(seen)

    def _answer(self, seen: Seen) -> Reply:
        route = self.routes.get(seen.path)
        if route is None:
            route = self.routes.get(seen.path.split("?", 1)[0])
        if route is None:
            return Reply(404, {"Content-Type": "text/plain"}, b"not found")
        if callable(route):
            route = route(seen)
        if isinstance(route, tuple):
            route = Reply(*route)
        return route

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:  # noqa: N802 - http.server's naming
                seen = Seen(
                    method=self.command,
                    path=self.path,
                    headers={k.lower(): v for k, v in self.headers.items()},
                    time=time.monotonic(),
                    client=self.client_address[0],
                )
                server._record(seen)
                reply = server._answer(seen)
                wait = server.latency + reply.delay
                if wait > 0:
                    time.sleep(wait)
                with server._lock:
                    server._answering[id(seen)] = time.monotonic()
                try:
                    self._send(reply)
                except (BrokenPipeError, ConnectionResetError):
                    self.close_connection = True  # the client gave up (cap, timeout): fine

            do_HEAD = do_GET

            def _send(self, reply: Reply) -> None:
                body = reply.body.encode("utf-8") if isinstance(reply.body, str) else reply.body
                self.send_response(reply.status)
                names = {name.lower() for name in reply.headers}
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                if isinstance(body, (bytes, bytearray)):
                    if "content-length" not in names:
                        self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    if self.command != "HEAD":
                        self.wfile.write(body)
                    return
                self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()
                for chunk in body:
                    if chunk:
                        self.wfile.write(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
                self.wfile.write(b"0\r\n\r\n")

            def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib signature
                pass  # keep test output clean

        return Handler


class DripServer:
    """A raw TCP server on loopback that answers every request by dripping bytes.

    `routes` maps a path to the full raw response (status line, headers and
    body), or to (sent at once, dripped) to drip only the rest; the server
    sends the dripped part one byte every `interval` seconds, so a client
    with only a per-read timeout never times out. Unknown paths get a quick
    404. Used to prove that a request has a total deadline however bytes arrive.
    """

    def __init__(self, routes: Mapping[str, bytes | tuple[bytes, bytes]], *, interval: float = 0.2, host: str = "127.0.0.1"):
        self.routes = dict(routes)
        self.interval = interval
        self._listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._listener.bind((host, 0))
        self._listener.listen(16)
        self.host, self.port = self._listener.getsockname()[:2]
        self._stop = threading.Event()
        self.seen: list[str] = []

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def url(self, path: str = "/") -> str:
        return self.base_url + path

    def __enter__(self) -> DripServer:
        threading.Thread(target=self._accept, daemon=True).start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stop.set()
        self._listener.close()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._listener.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        with conn:
            request = b""
            while b"\r\n\r\n" not in request:
                chunk = conn.recv(4096)
                if not chunk:
                    return
                request += chunk
            path = request.split(b" ", 2)[1].decode("latin-1")
            self.seen.append(path)
            payload = self.routes.get(path)
            try:
                if payload is None:
                    conn.sendall(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                    return
                prefix, dripped = payload if isinstance(payload, tuple) else (b"", payload)
                conn.sendall(prefix)
                for index in range(len(dripped)):
                    if self._stop.is_set():
                        return
                    conn.sendall(dripped[index : index + 1])
                    time.sleep(self.interval)
            except OSError:
                return  # the client hung up: what a deadline should do


__all__ = [
    "DripServer",
    "LOOPBACK_ALLOWED",
    "LoopbackServer",
    "Reply",
    "Seen",
    "closed_port",
    "html",
    "loopback_policy",
    "redirect",
    "sequence",
    "with_etag",
]
