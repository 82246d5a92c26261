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

Realistic sites (the LA benchmark's realistic scenario; every option is off by
default, so the plain benchmark is unchanged):

* --pages realistic: every HTML page is 30-150 KB (the size fixed per site
  and path), with what a school CMS sends: a head full of meta tags, inline
  CSS and scripts (analytics, a cookie banner, the theme's JSON settings), a
  mega-menu of ~90 links, a sidebar of events, a footer of ~40 links, and on
  the home page a news feed; the policies page lists 20 other policies beside
  the notices. None of the extra links is a hub the scanner's discovery
  follows (checked in tests/test_bench_smoke.py), so a school still costs
  robots.txt, home page, sitemap, policies page and its notices, and the
  extra bytes are work for parsing and link discovery, not extra requests.
* --document-size real: PDF notices carry a letterhead logo on every page and
  Word notices a logo in their page header (incompressible image data), so
  they weigh 120-400 KB and 50-200 KB like a real school's export, with the
  same text (1-5 pages).
* --tls CERT KEY: every site speaks HTTPS with this certificate (make one for
  all the sites' addresses with `make_certificate`; the scanner trusts it with
  `noticecheck scan --ca-bundle CERT`).

The server prints "ready PORT" when every site listens, serves until its
stdin says "stop" (or closes), then writes every request it answered to the
--log file as JSON: [[site, path, arrived, finished, status], ...] with
times from time.monotonic(), which is system-wide, so the parent can compare
them with its own clock ("finished" is when the answer was handed to the
socket), and beside it (LOG with the suffix .loop.json) how late its event
loop ran: a request arriving while the loop is busy is stamped late.
"""

from __future__ import annotations

import argparse
import asyncio
import bisect
import functools
import html
import io
import json
import random
import re
import resource
import ssl
import sys
import threading
import time
import zipfile
import zlib
from dataclasses import dataclass, replace
from pathlib import Path

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


# -- real-size documents ------------------------------------------------------------------

PDF_SIZE = (120_000, 400_000)  # bytes: a school's exported PDF notice with its letterhead
DOCX_SIZE = (50_000, 200_000)  # a Word notice with the logo in its header


def _spread(key: int, low: int, high: int) -> int:
    """A size in [low, high] fixed by `key` (the same hash as site_latency)."""
    return int(low + (high - low) * (((key * 2654435761) & 0xFFFFFFFF) / 2**32))


def _noise(size: int, seed: int) -> bytes:
    """Incompressible bytes standing in for a photographic logo (a real one barely compresses either)."""
    return random.Random(seed).randbytes(size)


def pdf_with_letterhead(pdf: bytes, target: int, seed: int) -> bytes:
    """`pdf` (noticecheck's demo writer's output) with a logo image drawn at the top of every page,
    added as a PDF incremental update (new objects, a new xref section pointing back at the old one),
    as an editor saving a change would; the text and its layout are untouched."""
    pages = re.search(rb"/Type /Pages /Kids \[([^\]]*)\]", pdf)
    sizes = re.findall(rb"trailer\s*<< /Size (\d+)", pdf)
    previous = re.findall(rb"startxref\s+(\d+)", pdf)
    if not (pages and sizes and previous):
        raise ValueError("not a PDF from noticecheck's demo writer")
    page_ids = [int(n) for n in re.findall(rb"(\d+) 0 R", pages.group(1))]
    first_new = int(sizes[-1])
    image_id, draw_id = first_new, first_new + 1
    side = max(16, int(((target - len(pdf)) / 3) ** 0.5))  # RGB pixels, 3 bytes each
    pixels = zlib.compress(_noise(side * side * 3, seed), 1)
    objects = {
        image_id: b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceRGB /BitsPerComponent 8 "
                  b"/Filter /FlateDecode /Length %d >>\nstream\n" % (side, side, len(pixels)) + pixels + b"\nendstream",
        draw_id: _stream_object(b"q 72 0 0 72 470 750 cm /Logo Do Q"),
    }  # fmt: skip
    for page_id in page_ids:
        old = re.search(rb"\n%d 0 obj\n(.*?)\nendobj" % page_id, pdf, re.S)
        if old is None:
            raise ValueError(f"page object {page_id} not found")
        body = old.group(1).replace(b"/Font <<", b"/XObject << /Logo %d 0 R >> /Font <<" % image_id, 1)
        body = re.sub(rb"/Contents (\d+) 0 R", lambda m: b"/Contents [%s 0 R %d 0 R]" % (m.group(1), draw_id), body)
        objects[page_id] = body
    out = io.BytesIO()
    out.write(pdf if pdf.endswith(b"\n") else pdf + b"\n")
    offsets = {}
    for number in sorted(objects):
        offsets[number] = out.tell()
        out.write(b"%d 0 obj\n" % number + objects[number] + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n")
    for number in sorted(objects):
        out.write(b"%d 1\n%010d 00000 n \n" % (number, offsets[number]))
    out.write(b"trailer\n<< /Size %d /Root 1 0 R /Prev %s >>\nstartxref\n%d\n%%%%EOF\n"
              % (draw_id + 1, previous[-1], xref))  # fmt: skip
    return out.getvalue()


def _stream_object(content: bytes) -> bytes:
    packed = zlib.compress(content)
    return b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(packed) + packed + b"\nendstream"


_HEADER_REL = ('<Relationship Id="rIdHeader1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/header" '
               'Target="header1.xml"/>')  # fmt: skip
_WORD_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" ' \
           'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'


def docx_with_header_logo(docx: bytes, target: int, seed: int) -> bytes:
    """`docx` with a page header holding the school's logo (an image part of incompressible bytes),
    as most schools' Word templates have; the body text is untouched."""
    source = zipfile.ZipFile(io.BytesIO(docx))
    logo = b"\x89PNG\r\n\x1a\n" + _noise(max(1024, target - len(docx)), seed)
    header = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:hdr {_WORD_NS}><w:p><w:r><w:drawing>'
              '<wp:inline xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing">'
              '<wp:extent cx="914400" cy="914400"/><wp:docPr id="1" name="School logo"/></wp:inline>'
              '</w:drawing></w:r></w:p></w:hdr>')  # fmt: skip
    header_rels = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.'
                   'openxmlformats.org/package/2006/relationships"><Relationship Id="rIdLogo" Type="http://schemas.'
                   'openxmlformats.org/officeDocument/2006/relationships/image" Target="media/logo.png"/></Relationships>')  # fmt: skip
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "word/_rels/document.xml.rels":
                data = data.replace(b"</Relationships>", _HEADER_REL.encode() + b"</Relationships>")
            elif info.filename == "word/document.xml":
                data = data.replace(b"<w:document ", b'<w:document xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" ', 1)
                data = data.replace(b"</w:body>", b'<w:sectPr><w:headerReference w:type="default" r:id="rIdHeader1"/></w:sectPr></w:body>')
            elif info.filename == "[Content_Types].xml":
                data = data.replace(b"</Types>", b'<Default Extension="png" ContentType="image/png"/><Override PartName="/word/header1.xml" '
                                    b'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"/></Types>')  # fmt: skip
            zf.writestr(info, data)
        stamp = (2025, 9, 1, 0, 0, 0)
        zf.writestr(zipfile.ZipInfo("word/header1.xml", stamp), header, zipfile.ZIP_DEFLATED)
        zf.writestr(zipfile.ZipInfo("word/_rels/header1.xml.rels", stamp), header_rels, zipfile.ZIP_DEFLATED)
        zf.writestr(zipfile.ZipInfo("word/media/logo.png", stamp), logo, zipfile.ZIP_STORED)
    return out.getvalue()


def real_size(notices: list[Published]) -> list[Published]:
    """The same notices with PDF and Word files of a real school's size (see the module docstring)."""
    return [replace(n, pdf=pdf_with_letterhead(n.pdf, _spread(i * 2 + 1, *PDF_SIZE), i),
                    docx=docx_with_header_logo(n.docx, _spread(i * 2 + 2, *DOCX_SIZE), i + 1000))
            for i, n in enumerate(notices)]  # fmt: skip


# -- realistic pages ------------------------------------------------------------------------

PAGE_SIZE = (30_000, 150_000)  # bytes of HTML per page with --pages realistic
# A school site's menu. None of these is a link discovery follows as a hub (no "about",
# "parents", "policies", "information", "governors"...): tests/test_bench_smoke.py checks it,
# so realistic pages add bytes to parse, not requests.
NAV_ITEMS = (
    "Home", "Welcome", "Headteacher's welcome", "Our staff", "Vision and values", "Ofsted reports", "Performance tables",
    "Admissions", "Term dates", "The school day", "Uniform", "School meals", "Lunch menu", "Clubs", "Wraparound care",
    "Breakfast club", "Curriculum", "English", "Reading", "Phonics", "Maths", "Science", "Computing", "History",
    "Geography", "Art and design", "Design and technology", "Music", "PE and sport", "Religious education", "PSHE",
    "Modern languages", "Early years", "Nursery", "Reception", "Year 1", "Year 2", "Year 3", "Year 4", "Year 5",
    "Year 6", "Class pages", "Homework", "Home learning", "Remote learning", "News", "Newsletters", "Calendar", "Events",
    "Gallery", "Letters home", "Vacancies", "Contact us", "Find us", "Attendance", "Safeguarding", "Online safety",
    "SEND", "Pupil premium", "Sports premium", "Friends of the school", "School council", "Eco council", "Forest school",
    "Trips and visits", "Transition", "Careers", "Music lessons", "Lost property", "Our values", "Outdoor learning",
    "Mental health and wellbeing", "Enrichment", "Celebration assembly", "House points", "Library", "Reading lists",
    "Spelling lists", "Times tables", "Sports day", "Swimming", "Residentials", "Charity events", "Community",
    "Local area", "Our history", "Awards", "Partnerships", "Holiday activities", "Staff login",
)  # fmt: skip
OTHER_POLICIES = (
    "Behaviour policy", "Anti-bullying policy", "Safeguarding and child protection policy", "SEND policy",
    "Accessibility plan", "Charging and remissions policy", "Complaints procedure", "Equality objectives",
    "Relationships and sex education policy", "Attendance policy", "Health and safety policy", "First aid policy",
    "Supporting pupils with medical conditions", "Online safety policy", "Whistleblowing policy", "Teaching and learning policy",
    "Marking and feedback policy", "Homework policy", "Uniform policy", "Admissions arrangements",
)  # fmt: skip
_CSS_RULE = ".block-{i} .item-{j}{{margin:0 0 {m}px;padding:{p}px {q}px;color:#{c:06x};font:400 {f}px/1.5 'Open Sans',Arial,sans-serif}}\n"
_FEED_ITEM = ("<article class=\"news-item\"><img src=\"/media/news/{i}.jpg\" alt=\"\" width=\"320\" height=\"200\" loading=\"lazy\">"
              "<h3><a href=\"/news/{slug}-{i}/\">{title}</a></h3><time datetime=\"2026-{mo:02d}-{d:02d}\">{d} {month} 2026</time>"
              "<p>{text}</p></article>")  # fmt: skip
_NEWS = (("Harvest festival", "Thank you to every family who brought food for the local food bank this week."),
         ("Year 4 trip to the museum", "The children explored Roman Britain and handled real artefacts from the dig."),
         ("Sports day results", "Blue house won by four points after a close finish in the relay races."),
         ("Reading challenge", "Over two hundred books were read over the summer holiday; certificates go home on Friday."),
         ("Christmas performances", "Tickets for the nativity and the Key Stage 2 concert are now on sale at the office."),
         ("New climbing frame", "The school council chose the design and it opens at playtime on Monday."))  # fmt: skip
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December")


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _chrome(variant: int) -> tuple[str, str, str]:
    """(head, header and menu, footer) of one of a few site themes; built once per variant."""
    rng = random.Random(variant)
    css = "".join(_CSS_RULE.format(i=i, j=j, m=rng.randint(0, 24), p=rng.randint(0, 16), q=rng.randint(0, 32),
                                   c=rng.randint(0, 0xFFFFFF), f=rng.choice((12, 14, 16, 18)))
                  for i in range(40) for j in range(6))  # fmt: skip
    head = ("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            "<meta name=\"description\" content=\"A happy and caring primary school at the heart of Exampletown.\">"
            "<meta property=\"og:type\" content=\"website\"><link rel=\"icon\" href=\"/favicon.ico\">"
            "<link rel=\"stylesheet\" href=\"/theme/css/main.css?v=3.2.1\"><link rel=\"preconnect\" href=\"https://fonts.example.net\">"
            f"<style>{css}</style>"
            "<script>window.dataLayer=window.dataLayer||[];function gtag(){dataLayer.push(arguments)}gtag('js',new Date());</script>")  # fmt: skip
    groups = [NAV_ITEMS[i:i + 12] for i in range(0, len(NAV_ITEMS), 12)]
    menu = "".join(
        f"<li class=\"menu-group\"><span>{html.escape(group[0])}</span><ul class=\"sub-menu\">"
        + "".join(f"<li><a href=\"/{_slug(item)}/\">{html.escape(item)}</a></li>" for item in group)
        + "</ul></li>" for group in groups)  # fmt: skip
    header = ("<a class=\"skip-link\" href=\"#content\">Skip to content</a><header class=\"site-header\">"
              "<a href=\"/\" class=\"logo\"><img src=\"/media/logo.png\" alt=\"School logo\" width=\"120\" height=\"120\"></a>"
              "<form role=\"search\" action=\"/search/\"><input type=\"search\" name=\"q\" placeholder=\"Search\"></form>"
              "<nav class=\"main-menu\" aria-label=\"Main\"><ul><li><a href=\"/\">Home</a></li>"
              "<li><a href=\"/policies/\">Policies</a></li>" + menu + "</ul></nav></header>")  # fmt: skip
    footer_links = "".join(f"<li><a href=\"/{_slug(item)}/\">{html.escape(item)}</a></li>" for item in NAV_ITEMS[::2])
    footer = ("<footer class=\"site-footer\"><div class=\"footer-links\"><ul>" + footer_links + "</ul></div>"
              "<address>Example Road, Exampletown, EX1 2MP. Telephone 01632 960000. Email office@example.org</address>"
              "<ul class=\"social\"><li><a href=\"https://social.example.net/school\">Follow us</a></li></ul>"
              "<p>&copy; 2026. Website by Example School Websites Ltd.</p></footer>"
              "<div class=\"cookie-banner\" hidden><p>We use cookies to make this website work.</p>"
              "<button type=\"button\">Accept</button></div>")  # fmt: skip
    return head, header, footer


_CHROMES: dict[int, tuple[str, str, str]] = {}
_THEMES = 4


def _events(rng: random.Random, count: int) -> str:
    items = "".join(
        f"<li><time>{rng.randint(1, 28)} {rng.choice(_MONTHS)}</time> {html.escape(rng.choice(NAV_ITEMS))} "
        f"{rng.choice(('meeting', 'workshop', 'assembly', 'open morning', 'coffee morning', 'performance'))}</li>"
        for _ in range(count))  # fmt: skip
    return f"<aside class=\"sidebar\"><h2>Upcoming events</h2><ul>{items}</ul></aside>"


def _settings_script(rng: random.Random, size: int) -> str:
    """The theme's settings and page-builder state as a JSON blob in a script, as CMS pages carry:
    what fills a page to its size without adding links or visible text."""
    entries, used = [], 0
    while used < size:
        entry = (f'"block_{len(entries)}":{{"type":"{rng.choice(("text", "image", "carousel", "accordion", "tabs"))}",'
                 f'"id":"{rng.getrandbits(64):016x}","style":{{"padding":{rng.randint(0, 64)},"background":"#{rng.getrandbits(24):06x}"}},'
                 f'"visible":{rng.choice(("true", "false"))}}}')  # fmt: skip
        entries.append(entry)
        used += len(entry) + 1
    return "<script type=\"application/json\" id=\"page-builder-state\">{" + ",".join(entries) + "}</script>"


_FILLERS: dict[int, tuple[str, list[int]]] = {}


def _filler(theme: int, size: int) -> str:
    """About `size` characters of a theme's settings script, cut at a block boundary. Built once per
    theme and sliced, so serving a page costs the sites' event loop almost nothing (a busy loop
    would stamp requests late and blur the politeness check)."""
    if theme not in _FILLERS:
        text = _settings_script(random.Random(1000 + theme), PAGE_SIZE[1])
        _FILLERS[theme] = (text, [m.start() for m in re.finditer(r',"block_', text)])
    text, cuts = _FILLERS[theme]
    cut = next((c for c in reversed(cuts) if c <= size), cuts[0] if cuts else len(text))
    return text[:cut] + "}</script>"


def realistic_page(index: int, path: str, title: str, body: str, home: bool = False) -> bytes:
    """A page as a school's CMS sends it, 30-150 KB (fixed per site and path), around `body`."""
    key = index * 131 + sum(path.encode())
    theme = key % _THEMES
    if theme not in _CHROMES:
        _CHROMES[theme] = _chrome(theme)
    head, header, footer = _CHROMES[theme]
    rng = random.Random(key)
    if home:
        feed = "".join(_FEED_ITEM.format(i=i, slug=_slug(t), title=html.escape(t), mo=1 + i % 12, d=1 + i % 28,
                                         month=_MONTHS[i % 12], text=html.escape(x))
                       for i, (t, x) in enumerate(_NEWS * 2))  # fmt: skip
        body += f"<section class=\"news-feed\"><h2>Latest news</h2>{feed}</section>"
    page = (f"<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{html.escape(title)}</title>{head}</head>"
            f"<body class=\"theme-{theme}\">{header}<div class=\"page\"><main id=\"content\">{body}</main>"
            f"{_events(rng, 12)}</div>{footer}")  # fmt: skip
    target = _spread(key, *PAGE_SIZE)
    filler = _filler(theme, max(0, target - len(page.encode("utf-8")) - 200))
    return (page + filler + "<script src=\"/theme/js/site.min.js?v=3.2.1\" defer></script></body></html>").encode("utf-8")


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

    def __init__(self, notices: list[Published], documents: str = "one", pages: str = "small"):
        self.notices = notices
        self.many = documents == "many"
        self.realistic = pages == "realistic"

    def _html(self, index: int, path: str, title: str, body: str, home: bool = False) -> bytes:
        return realistic_page(index, path, title, body, home) if self.realistic else _page(title, body)

    def _other_policies(self) -> str:
        """The rest of a real policies page (PDFs the scanner must pass over), with --pages realistic."""
        if not self.realistic:
            return ""
        return "".join(f"<li><a href=\"/documents/{_slug(name)}.pdf\">{html.escape(name)}</a></li>" for name in OTHER_POLICIES)

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
                    f"{items}{self._other_policies()}</ul>")  # fmt: skip
            return 200, CONTENT_TYPES["html"], self._html(index, path, f"Policies - {name}", body)
        for p, fmt, n in documents:
            if path == p:
                notice = self.notices[n % len(self.notices)]
                if fmt == "html":
                    body = f"<h1>{html.escape(notice.title)}</h1>{notice.html_fragment}"
                    return 200, CONTENT_TYPES["html"], self._html(index, path, notice.title, body)
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
            return 200, CONTENT_TYPES["html"], self._html(index, path, name, body, home=True)
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
                "<li><a href=\"/documents/charging-policy.pdf\">Charging and remissions policy</a></li>"
                f"{self._other_policies()}</ul>"
            )
            return 200, CONTENT_TYPES["html"], self._html(index, path, f"Policies - {name}", body)
        if path == NOTICE_PATHS[fmt]:
            notice = self.notice_for(index)
            if fmt == "html":
                body = f"<h1>{html.escape(notice.title)}</h1>{notice.html_fragment}"
                return 200, CONTENT_TYPES["html"], self._html(index, path, notice.title, body)
            return 200, CONTENT_TYPES[fmt], notice.pdf if fmt == "pdf" else notice.docx
        return 404, CONTENT_TYPES["html"], _NOT_FOUND


class Server:
    def __init__(self, sites: Sites, count: int, port: int, latency: tuple[float, float], groups: int = 0,
                 hosting: str = "every-fourth", first: int = 0, tls: ssl.SSLContext | None = None):  # fmt: skip
        self.sites = sites
        self.tls = tls
        self.count = count
        self.first = first
        self.port = port
        self.groups = groups
        self.hosting = hosting
        self.latency = latency
        self.log: list[tuple[int, str, float, float, int]] = []
        self.connections: set[asyncio.StreamWriter] = set()
        self.stalls: list[float] = []  # seconds the event loop ran late, whenever over 5 ms

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

    async def _watch_loop(self) -> None:
        """Record how late the event loop wakes a 10 ms timer: a request that arrives while the loop
        is busy (TLS, building a page) is stamped that much late, which a politeness check must allow."""
        while True:
            before = time.monotonic()
            await asyncio.sleep(0.01)
            late = time.monotonic() - before - 0.01
            if late > 0.005:
                self.stalls.append(late)

    async def serve(self, stop: asyncio.Event) -> None:
        servers = []
        for index in range(self.first, self.first + self.count):
            servers.append(await asyncio.start_server(
                lambda r, w, i=index: self.handle(i, r, w), *site_address(index, self.port, self.groups, self.hosting),
                backlog=128, ssl=self.tls))  # fmt: skip
        print(f"ready {self.port}", flush=True)
        watch = asyncio.create_task(self._watch_loop())
        await stop.wait()
        watch.cancel()
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


def site_addresses(count: int, groups: int = 0) -> list[str]:
    """Every address the first `count` sites listen on (shared hosting addresses once each)."""
    return list(dict.fromkeys(site_address(i, 0, groups)[0] for i in range(count)))


def make_certificate(directory: Path, count: int, groups: int = 0) -> tuple[str, str]:
    """(certificate, key) for HTTPS on every site's address, made at run time with the openssl
    command by the tests' helper (tests/loopback.py); the scanner trusts it with --ca-bundle."""
    tests = str(Path(__file__).resolve().parent.parent / "tests")
    if tests not in sys.path:
        sys.path.insert(0, tests)
    from loopback import self_signed_certificate

    return self_signed_certificate(directory, addresses=site_addresses(count, groups))


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
    parser.add_argument("--pages", choices=("small", "realistic"), default="small", help="HTML pages: small, or 30-150 KB")
    parser.add_argument("--document-size", choices=("small", "real"), default="small",
                        help="PDF and Word notices: as written, or with a real school's logo and letterhead (120-400 KB)")
    parser.add_argument("--tls", nargs=2, metavar=("CERT", "KEY"), help="serve HTTPS with this certificate and key")
    args = parser.parse_args(argv)
    if not 1 <= args.count <= LAST_SITE + 1 - max(0, args.first) or args.first < 0:
        parser.error(f"--count must be 1 or more, --first 0 or more, --first + --count at most {LAST_SITE + 1}")
    _raise_file_limit()
    notices = build_notices()
    if args.document_size == "real":
        notices = real_size(notices)
    tls = None
    if args.tls:
        tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        tls.load_cert_chain(*args.tls)
    server = Server(Sites(notices, args.documents, args.pages), args.count, args.port, tuple(args.latency),
                    args.shared_groups, args.hosting, args.first, tls)

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
    with open(Path(args.log).with_suffix(".loop.json"), "w") as fh:
        json.dump({"stalls_over_5ms": len(server.stalls), "worst_stall": max(server.stalls, default=0.0)}, fh)
    print("stopped", flush=True)


if __name__ == "__main__":
    main()
