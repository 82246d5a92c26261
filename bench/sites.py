"""Thousands of pretend school websites on loopback, from one asyncio process, for the LA scan benchmark.

    python -m bench.sites --count 600 --port 8123 --latency 0.1 0.3 --log requests.json

Site i listens on its own address, 127.1.A.B (A = i // 250, B = i % 250 + 1),
all on one port, so the scanner's per-host AND per-IP politeness treat every
site as a separate school. Each site has a home page linking "Policies", a
policies page linking the privacy notice (a web page for most schools, a
PDF for every tenth school and a Word file for another tenth, rendered by
noticecheck's demo writers from the corpus's text notices), and a robots.txt
allowing everything; anything else is a 404 (the scanner also asks for
/sitemap.xml). Every answer is held back by the site's latency, fixed per
site and spread deterministically over [min, max].

With --shared-groups G (the LA benchmark's politeness-floor scenario uses 5)
every fourth site (index 1, 5, 9, ...) is hosted instead on one of G shared
addresses 127.3.0.1-G, each school on its own port there: several school
hosts on one IP, as when many schools' sites sit on one provider's server, so
the scanner's per-IP limit binds while its per-host limit stays per school.
With --documents many, a site's policies page links 2-4 notices (web page,
PDF and Word in turn) instead of one.

With --hosting long-tail (the national rehearsal, bench/national.py), the
same one site in four is shared-hosted, but over G addresses 127.3.A.B whose
sizes follow a long tail (see `tail_weights`): a few big providers' servers
with a hundred or more schools each, most with a handful. Which address a
school is on is drawn from that distribution by a hash of its index, so any
--count is a random sample of the same national picture. With --first F a
server serves sites F to F + count - 1 only, so that several processes can
share more sites than one process may open sockets for.

The server prints "ready PORT" when every site listens, serves until its
stdin says "stop" (or closes), then writes every request it answered to the
--log file as JSON: [[site, path, arrived, finished, status], ...] with
times from time.monotonic(), which is system-wide, so the parent can compare
them with its own clock.
"""

from __future__ import annotations

import argparse
import asyncio
import bisect
import functools
import html
import json
import resource
import sys
import threading
import time
from dataclasses import dataclass

LAST_SITE = 250 * 256 - 1
NOTICE_PATHS = {"html": "/policies/privacy-notice/", "pdf": "/documents/privacy-notice-parents.pdf",
                "docx": "/documents/privacy-notice-parents.docx"}  # fmt: skip
CONTENT_TYPES = {
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "txt": "text/plain; charset=utf-8",
}
_REASONS = {200: "OK", 400: "Bad Request", 404: "Not Found", 405: "Method Not Allowed"}
_ROBOTS = b"User-agent: *\nDisallow:\n"
_NOT_FOUND = b"<!doctype html><title>Not found</title><h1>Page not found</h1>"


def site_host(index: int) -> str:
    """The loopback address of site `index` (0-based)."""
    if not 0 <= index <= LAST_SITE:
        raise ValueError(f"site index {index} is outside 0-{LAST_SITE}")
    return f"127.1.{index // 250}.{index % 250 + 1}"


SHARED_NETWORK = "127.3.0.0/16"  # where the shared hosting addresses live
SHARED_EVERY = 4  # one site in four is on a shared address


HOSTING = ("every-fourth", "long-tail")  # how shared sites are spread over the G shared addresses
# The long tail: address r (1-based) of G gets a share proportional to (r + TAIL_OFFSET) ** -TAIL_EXPONENT
# (a Zipf-Mandelbrot law). With G = 400 and 6,000 shared schools (England) the biggest address holds
# about 160 schools, 28 hold 50 or more, and 170 hold 5 or fewer.
TAIL_EXPONENT = 1.4
TAIL_OFFSET = 20


@functools.lru_cache(maxsize=4)
def tail_weights(groups: int) -> tuple[float, ...]:
    """The cumulative share of the long-tail addresses 0..groups-1 (the last is 1.0)."""
    weights = [(r + TAIL_OFFSET) ** -TAIL_EXPONENT for r in range(1, groups + 1)]
    total, running, cumulative = sum(weights), 0.0, []
    for w in weights:
        running += w
        cumulative.append(running / total)
    cumulative[-1] = 1.0
    return tuple(cumulative)


def _unit_hash(index: int) -> float:
    """A fraction in [0, 1) from `index` (splitmix64), independent of site_latency's hash."""
    mask = 2**64 - 1
    z = (index + 0x9E3779B97F4A7C15) & mask
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & mask
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & mask
    return (z ^ (z >> 31)) / 2**64


@functools.lru_cache(maxsize=4)
def _tail_places(groups: int) -> dict[int, tuple[int, int]]:
    """{site index: (address, rank among the sites on that address)} for every shared site up to LAST_SITE."""
    cumulative, places, seen = tail_weights(groups), {}, [0] * groups
    for index in range(1, LAST_SITE + 1, SHARED_EVERY):
        group = min(bisect.bisect_right(cumulative, _unit_hash(index)), groups - 1)
        places[index] = (group, seen[group])
        seen[group] += 1
    return places


def shared_group(index: int, groups: int, hosting: str = "every-fourth") -> int | None:
    """Which shared hosting address site `index` is on (0-based), or None for a site of its own."""
    if groups <= 0 or index % SHARED_EVERY != 1:
        return None
    if hosting == "long-tail":
        return _tail_places(groups)[index][0]
    return (index // SHARED_EVERY) % groups


def site_address(index: int, port: int, groups: int = 0, hosting: str = "every-fourth") -> tuple[str, int]:
    """(address, port) site `index` listens on: its own 127.1.x.y on `port`, or a port of its own on a shared address."""
    group = shared_group(index, groups, hosting)
    if group is None:
        return site_host(index), port
    if hosting == "long-tail":
        return f"127.3.{group // 250}.{group % 250 + 1}", port + 1 + _tail_places(groups)[index][1]
    return f"127.3.0.{group + 1}", port + 1 + (index // SHARED_EVERY) // groups


def shared_ports(count: int, groups: int, hosting: str = "every-fourth") -> int:
    """How many ports above the base port the shared addresses use for `count` sites."""
    return max((site_address(i, 0, groups, hosting)[1] for i in range(count)
                if shared_group(i, groups, hosting) is not None), default=0)  # fmt: skip


def site_latency(index: int, low: float, high: float) -> float:
    """A fixed latency per site, spread evenly over [low, high] by a multiplicative hash of the index."""
    fraction = ((index * 2654435761) & 0xFFFFFFFF) / 2**32
    return low + (high - low) * fraction


def site_format(index: int) -> str:
    """How site `index` publishes its notice: PDF for 3, 13, 23..., Word for 7, 17, ..., else a web page."""
    return {3: "pdf", 7: "docx"}.get(index % 10, "html")


def school_name(index: int) -> str:
    return f"Bench School {index + 1:04d}"


@dataclass(frozen=True)
class Published:
    """One notice in the three forms a site may serve it."""

    title: str
    html_fragment: str
    pdf: bytes
    docx: bytes


def build_notices() -> list[Published]:
    """The corpus's English text notices for parents or pupils, rendered by the demo's writers."""
    from noticecheck.demo.documents import to_docx, to_html_fragment, to_pdf
    from noticecheck.demo.notices import find_corpus, load_corpus

    corpus = find_corpus()
    if corpus is None:
        raise SystemExit("bench.sites needs the project's corpus/notices")
    chosen = [n for n in load_corpus(corpus) if n.blocks and n.audience in ("parents", "pupils")]
    if not chosen:
        raise SystemExit("no text notices for parents or pupils in the corpus")
    published = []
    for notice in chosen:
        blocks = notice.for_school("the school")
        title = f"Privacy notice for {notice.audience}"
        published.append(Published(title, to_html_fragment(blocks), to_pdf(blocks, title), to_docx(blocks)))
    return published


def _page(title: str, body: str) -> bytes:
    return (
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
        f"<title>{html.escape(title)}</title></head><body>"
        "<header><nav><a href=\"/\">Home</a> <a href=\"/policies/\">Policies</a> <a href=\"/news/\">News</a></nav></header>"
        f"<main>{body}</main><footer><p>Example Road, Exampletown. Telephone 01632 960000</p></footer></body></html>"
    ).encode("utf-8")


_EXTENSIONS = {"pdf": "pdf", "docx": "docx"}


def site_documents(index: int) -> list[tuple[str, str, int]]:
    """(path, format, which notice) for each of the 2-4 notices site `index` links with --documents many."""
    documents = []
    for j in range(2 + index % 3):
        fmt = ("html", "pdf", "docx")[(index + j) % 3]
        path = f"/policies/privacy-notice-{j + 1}/" if fmt == "html" else f"/documents/privacy-notice-{j + 1}.{_EXTENSIONS[fmt]}"
        documents.append((path, fmt, index * 7 + j))
    return documents


class Sites:
    """What every site serves; pages are built on request from the site index (cheap, and no per-site memory)."""

    def __init__(self, notices: list[Published], documents: str = "one"):
        self.notices = notices
        self.many = documents == "many"

    def notice_for(self, index: int) -> Published:
        return self.notices[(index * 7) % len(self.notices)]

    def _many(self, index: int, path: str, name: str) -> tuple[int, str, bytes] | None:
        """The policies page and notices of a site with 2-4 notices; None for other paths."""
        documents = site_documents(index)
        if path in ("/policies/", "/policies"):
            items = "".join(
                f"<li><a href=\"{p}\">{html.escape(self.notices[n % len(self.notices)].title)} ({fmt})</a></li>"
                for p, fmt, n in documents
            )
            body = ("<h1>Policies</h1><ul><li><a href=\"/documents/behaviour-policy.pdf\">Behaviour policy</a></li>"
                    f"{items}</ul>")  # fmt: skip
            return 200, CONTENT_TYPES["html"], _page(f"Policies - {name}", body)
        for p, fmt, n in documents:
            if path == p:
                notice = self.notices[n % len(self.notices)]
                if fmt == "html":
                    return 200, CONTENT_TYPES["html"], _page(notice.title, f"<h1>{html.escape(notice.title)}</h1>{notice.html_fragment}")
                return 200, CONTENT_TYPES[fmt], notice.pdf if fmt == "pdf" else notice.docx
        return None

    def answer(self, index: int, path: str) -> tuple[int, str, bytes]:
        """(status, content type, body) for a GET of `path` on site `index`."""
        path = path.split("?", 1)[0]
        fmt = site_format(index)
        name = school_name(index)
        if path == "/robots.txt":
            return 200, CONTENT_TYPES["txt"], _ROBOTS
        if path == "/":
            body = (f"<h1>{name}</h1><p>Welcome to {name}, a happy and caring school at the heart of Exampletown.</p>"
                    "<p><a href=\"/contact/\">Contact us</a></p>")  # fmt: skip
            return 200, CONTENT_TYPES["html"], _page(name, body)
        if self.many:
            answer = self._many(index, path, name)
            if answer is not None:
                return answer
            return 404, CONTENT_TYPES["html"], _NOT_FOUND
        if path in ("/policies/", "/policies"):
            notice = self.notice_for(index)
            body = (
                "<h1>Policies</h1><ul>"
                "<li><a href=\"/documents/behaviour-policy.pdf\">Behaviour policy</a></li>"
                f"<li><a href=\"{NOTICE_PATHS[fmt]}\">{html.escape(notice.title)}</a></li>"
                "<li><a href=\"/documents/charging-policy.pdf\">Charging and remissions policy</a></li></ul>"
            )
            return 200, CONTENT_TYPES["html"], _page(f"Policies - {name}", body)
        if path == NOTICE_PATHS[fmt]:
            notice = self.notice_for(index)
            if fmt == "html":
                return 200, CONTENT_TYPES["html"], _page(notice.title, f"<h1>{html.escape(notice.title)}</h1>{notice.html_fragment}")
            return 200, CONTENT_TYPES[fmt], notice.pdf if fmt == "pdf" else notice.docx
        return 404, CONTENT_TYPES["html"], _NOT_FOUND


class Server:
    def __init__(self, sites: Sites, count: int, port: int, latency: tuple[float, float], groups: int = 0,
                 hosting: str = "every-fourth", first: int = 0):  # fmt: skip
        self.sites = sites
        self.count = count
        self.first = first
        self.port = port
        self.groups = groups
        self.hosting = hosting
        self.latency = latency
        self.log: list[tuple[int, str, float, float, int]] = []
        self.connections: set[asyncio.StreamWriter] = set()

    async def handle(self, index: int, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        delay = site_latency(index, *self.latency)
        self.connections.add(writer)
        try:
            while True:
                try:
                    head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), timeout=60)
                except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, asyncio.TimeoutError, ConnectionError):
                    return
                arrived = time.monotonic()
                lines = head.decode("latin-1").split("\r\n")
                parts = lines[0].split()
                headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:] if line)}
                if len(parts) != 3:
                    status, ctype, body, method = 400, CONTENT_TYPES["txt"], b"bad request\n", "GET"
                else:
                    method = parts[0]
                    if method in ("GET", "HEAD"):
                        status, ctype, body = self.sites.answer(index, parts[1])
                    else:
                        status, ctype, body = 405, CONTENT_TYPES["txt"], b"method not allowed\n"
                await asyncio.sleep(delay)
                closing = headers.get("connection", "").lower() == "close"
                writer.write(
                    f"HTTP/1.1 {status} {_REASONS[status]}\r\nContent-Type: {ctype}\r\nContent-Length: {len(body)}\r\n"
                    f"Connection: {'close' if closing else 'keep-alive'}\r\n\r\n".encode("latin-1")
                    + (body if method != "HEAD" else b"")
                )
                # Stamped as soon as the answer is handed to the socket: after drain() the loop may
                # resume this coroutine late on a busy machine, after the client has moved on.
                self.log.append((index, parts[1] if len(parts) == 3 else "?", arrived, time.monotonic(), status))
                await writer.drain()
                if closing:
                    return
        except ConnectionError:
            return
        finally:
            self.connections.discard(writer)
            writer.close()

    async def serve(self, stop: asyncio.Event) -> None:
        servers = []
        for index in range(self.first, self.first + self.count):
            servers.append(await asyncio.start_server(
                lambda r, w, i=index: self.handle(i, r, w), *site_address(index, self.port, self.groups, self.hosting), backlog=128))  # fmt: skip
        print(f"ready {self.port}", flush=True)
        await stop.wait()
        for server in servers:
            server.close()
        # Close the clients' idle keep-alive connections, so every handler ends by itself
        # rather than being cancelled by asyncio.run (which Python 3.11 reports as an error).
        for writer in list(self.connections):
            writer.close()
        for _ in range(100):
            if not self.connections:
                break
            await asyncio.sleep(0.01)


def _raise_file_limit() -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard == resource.RLIM_INFINITY or soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Serve pretend school websites on 127.1.x.y (see the module docstring).")
    parser.add_argument("--count", type=int, required=True)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--latency", type=float, nargs=2, default=(0.1, 0.3), metavar=("MIN", "MAX"))
    parser.add_argument("--log", required=True, help="where to write the request log when stopped")
    parser.add_argument("--shared-groups", type=int, default=0, help="shared hosting addresses for every fourth site")
    parser.add_argument("--documents", choices=("one", "many"), default="one", help="notices per site: one, or 2-4")
    parser.add_argument("--hosting", choices=HOSTING, default=HOSTING[0],
                        help="how the shared sites spread over the shared addresses: evenly, or a long tail")  # fmt: skip
    parser.add_argument("--first", type=int, default=0, help="serve sites FIRST to FIRST + COUNT - 1")
    args = parser.parse_args(argv)
    if not 1 <= args.count <= LAST_SITE + 1 - max(0, args.first) or args.first < 0:
        parser.error(f"--count must be 1 or more, --first 0 or more, --first + --count at most {LAST_SITE + 1}")
    _raise_file_limit()
    server = Server(Sites(build_notices(), args.documents), args.count, args.port, tuple(args.latency), args.shared_groups,
                    args.hosting, args.first)

    async def run() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()

        def wait_for_stop() -> None:
            for line in sys.stdin:
                if line.strip() == "stop":
                    break
            loop.call_soon_threadsafe(stop.set)

        threading.Thread(target=wait_for_stop, daemon=True).start()
        await server.serve(stop)

    try:
        asyncio.run(run())
    except OSError as exc:  # most likely the port is taken on one of the addresses
        print(f"error {exc}", flush=True)
        raise SystemExit(3) from None
    with open(args.log, "w") as fh:
        json.dump(server.log, fh)
    print("stopped", flush=True)


if __name__ == "__main__":
    main()
