"""Find a school's privacy notices on its website.

Schools publish notices in a handful of places: linked from the home page
footer ("Privacy notice"), under "Policies" or "Statutory information" (often
one or two clicks below "About us"), on a "GDPR" / "Data protection" page that
lists a PDF per audience, or only in the sitemap. `discover_notices` looks in
those places, politely and within a page budget:

1. fetch the home page (falling back to the www/bare host, then plain http,
   when the address as typed does not answer);
2. read the sitemaps named in robots.txt and /sitemap.xml (parsed with lxml);
3. crawl best-first: links that look like notices first, then strong hubs
   (privacy, GDPR, data protection), then policy/statutory-information hubs,
   then broad hubs (about us, governance, parents; only from the home page),
   breadth-first within each tier, same site only, up to `max_depth` clicks and
   `max_pages` requests.

A link is a notice candidate when its text or URL says privacy notice, how we
use (pupil/workforce/your) information, fair processing, GDPR or data
protection notice, or when it is a document (.pdf/.docx/.odt) about privacy or
GDPR. A page whose own title or main heading says so is a notice too, unless
it is only an index of several notice documents. Notices are returned in order
of confidence, each with the audience its wording names.
"""

from __future__ import annotations

import heapq
import re
import zlib
from dataclasses import dataclass, field
from urllib.parse import unquote, urljoin, urlsplit, urlunsplit

from bs4 import BeautifulSoup
from lxml import etree

from noticecheck.fetch.http import HTML_TYPES, NOTICE_TYPES, FetchResult, PoliteSession
from noticecheck.fetch.transport import media_type
from noticecheck.fetch.urls import dedupe_key, normalise_website, same_site, toggle_www
from noticecheck.precompiled import regex

DOCUMENT_EXTENSIONS = (".pdf", ".docx", ".odt", ".doc", ".rtf")
MAX_SITEMAPS = 4  # sitemap documents read per site (an index can name hundreds)
MAX_SITEMAP_ENTRIES = 5000  # page URLs read from a site's sitemaps; a school site has a few hundred
MAX_SITEMAP_BYTES = 10 * 1024 * 1024  # after gunzip
MIN_CONFIDENCE = 30
OFF_SITE_MIN_CONFIDENCE = 70  # links to other sites must clearly name a notice (a trust's copy)
INDEX_PAGE_WORDS = 400  # a "notice" page with less own text than this that lists 2+ notices is an index

# -- wording ----------------------------------------------------------------------

# (pattern, confidence) on normalised link text or URL words; the best match counts.
_NOTICE_CUES = (
    (regex(r"\bprivacy notices?\b"), 90),
    (
        regex(
            r"\bhow (?:we|the school|the trust|schools?) (?:uses?|process(?:es)?|collects?|handles?) "
            r"(?:\w+ ){0,3}(?:information|data)\b"
        ),
        90,
    ),
    (regex(r"\bfair processing\b"), 85),
    (regex(r"\b(?:gdpr|data protection) (?:privacy )?notices?\b"), 80),
    (regex(r"\b(?:pupils?|students?|parents?|carers?|workforce|staff|governors?|trustees?|volunteers?|applicants?) privacy\b"), 80),
    (regex(r"\bprivacy (?:statement|information)\b"), 70),
    (regex(r"\bprivacy policy\b"), 45),
)
# Documents (PDF, Word) whose name or link only says "privacy" or "GDPR".
_DOCUMENT_CUE = (regex(r"\bprivacy\b|\bgdpr\b"), 50)
# Things that mention privacy but are not notices.
_NOT_A_NOTICE = regex(
    r"\bcookies?\b|\bsubject access\b|\brequest form\b|\bdata protection policy\b|\bgdpr policy\b"
    r"|\bbreach\b|\bretention\b|\bfreedom of information\b|\bconsent form\b"
)
_HUB_TIERS = (
    (1, regex(r"\bprivacy\b|\bgdpr\b|\bdata protection\b|\bfair processing\b|\bdata\b.*\bpolicy\b")),
    (2, regex(r"\bpolic(?:y|ies)\b|\bstatutory\b|\bkey information\b|\bschool information\b|\bdocuments\b")),
    (3, regex(r"\babout(?: us| the school)?\b|\bgovernance\b|\bgovernors\b|\bparents?\b|\bour school\b|\binformation\b")),
)
_BROAD_TIER = 3  # followed only from the home page: these words are everywhere
_SKIP_LINK = regex(r"\b(?:news|calendar|events?|gallery|blog|term dates|vacanc(?:y|ies)|login|log in|search)\b")
# Official pages that talk about privacy but are not the school's notice.
_OFFICIAL_HOSTS = ("gov.uk", "ico.org.uk", "nhs.uk", "police.uk", "europa.eu", "parliament.uk")


def _words(text: str) -> str:
    """Lower-case text with URL punctuation as spaces, for matching cues."""
    text = unquote(text).lower().replace("\u2019", "'")
    text = re.sub(r"\.(?:pdf|docx?|odt|rtf|html?|php|aspx?)\b", " ", text)
    return re.sub(r"[\s\-_/+.,:;|()\[\]=?&#%]+", " ", text).strip()


def _url_words(url: str) -> str:
    parts = urlsplit(url)
    return _words(f"{parts.path} {parts.query}")


def notice_confidence(text: str, url: str = "") -> int:
    """How strongly link text / URL say "this is a privacy notice" (0-100); 0 when not at all."""
    best = 0
    text_words = _words(text)
    if _NOT_A_NOTICE.search(text_words):
        return 0  # the link says what it is ("Subject access request form"), whatever the URL
    for words in (text_words, _url_words(url) if url else ""):
        if not words or _NOT_A_NOTICE.search(words):
            continue
        for pattern, score in _NOTICE_CUES:
            if pattern.search(words):
                best = max(best, score)
        if url and _is_document(url) and _DOCUMENT_CUE[0].search(words):
            best = max(best, _DOCUMENT_CUE[1])
    return best


def _hub_tier(text: str, url: str) -> int | None:
    """1 = strong (privacy, GDPR), 2 = policies/statutory info, 3 = broad; None = not a hub."""
    for words in (_words(text), _url_words(url)):
        if not words or _SKIP_LINK.search(words):
            continue
        if "cookie" in words and "privacy" not in words:
            return None  # a cookie policy is about the website, not the school's records
        for tier, pattern in _HUB_TIERS:
            if pattern.search(words):
                return tier
    return None


_AUDIENCE_CUES = (
    ("governors", regex(r"\bgovern(?:ors?|ance)\b|\btrustees?\b|\bvolunteers?\b|\bmembers of the (?:board|trust)\b")),
    (
        "workforce",
        regex(r"\bworkforce\b|\bstaff\b|\bemployees?\b|\bemployment\b|\b(?:job )?applicants?\b|\brecruitment\b|\bcandidates\b"),
    ),
    ("parents", regex(r"\bparents?\b|\bcarers?\b|\bfamil(?:y|ies)\b|\bguardians?\b")),
    ("pupils", regex(r"\bpupils?\b|\bstudents?\b|\blearners?\b|\bchild(?:ren)?(?:'s)?\b|\byoung people\b")),
)


def classify_audience(text: str) -> str | None:
    """"pupils", "parents", "workforce", "governors" or None, from link text, a URL or a title.

    "... for <audience>" wins ("privacy notice for parents - how we use your
    child's data" is for parents); otherwise the audience named first.
    """
    words = _words(text)
    if not words:
        return None
    for_match = re.search(r"\bfor (?:the |our |all |school )*(.*)", words)
    if for_match:
        found = _first_audience(for_match.group(1))
        if found is not None:
            return found
    return _first_audience(words)


def _first_audience(words: str) -> str | None:
    best: tuple[int, str] | None = None
    for audience, pattern in _AUDIENCE_CUES:
        match = pattern.search(words)
        if match and (best is None or match.start() < best[0]):
            best = (match.start(), audience)
    return best[1] if best else None


def _is_document(url: str) -> bool:
    return urlsplit(url).path.lower().endswith(DOCUMENT_EXTENSIONS)


def _is_official(url: str) -> bool:
    host = (urlsplit(url).hostname or "").lower()
    return any(host == h or host.endswith("." + h) for h in _OFFICIAL_HOSTS)


# -- results -----------------------------------------------------------------------


@dataclass(frozen=True)
class FoundNotice:
    """A link (or page) that looks like a privacy notice. `confidence` is 0-100."""

    url: str
    audience: str | None
    link_text: str
    found_on: str
    confidence: int = 0


@dataclass(frozen=True)
class Discovery:
    """What discovery found on one site. `pages_visited` counts every request made
    (pages, documents, sitemaps), which is what `max_pages` bounds."""

    status: str  # "ok" | "unreachable" | "blocked-by-robots" | "no-notice-found"
    home_url: str | None
    notices: tuple[FoundNotice, ...]
    pages_visited: int
    error: str | None = None
    limits: tuple[str, ...] = ()  # the caps this crawl reached, in words, for the school's record


# -- the crawl ------------------------------------------------------------------------


@dataclass
class _Candidate:
    url: str
    text: str
    found_on: str
    confidence: int
    order: int
    title: str = ""
    dropped: bool = False


@dataclass(order=True)
class _Queued:
    tier: int
    depth: int
    neg_score: int
    seq: int
    url: str = field(compare=False)
    found_on: str = field(compare=False)


@dataclass
class _Link:
    url: str
    text: str
    embedded: bool = False  # a frame or meta refresh: visit at this page's depth


class _Crawl:
    def __init__(self, session: PoliteSession, max_depth: int, max_pages: int):
        self.session = session
        self.max_depth = max_depth
        self.max_pages = max_pages
        self.requests = 0
        self.site_urls: list[str] = []
        self.queue: list[_Queued] = []
        self.seen: set[str] = set()
        self.candidates: dict[str, _Candidate] = {}
        self.limits: list[str] = []
        self._seq = 0

    # bookkeeping

    def budget_left(self) -> bool:
        return self.requests < self.max_pages

    def fetch(self, url: str, accept: tuple[str, ...] | None) -> FetchResult:
        self.requests += 1
        return self.session.get(url, accept=accept)

    def on_site(self, url: str) -> bool:
        return any(same_site(url, site) for site in self.site_urls)

    def next_seq(self) -> int:
        self._seq += 1
        return self._seq

    def enqueue(self, url: str, tier: int, depth: int, score: int, found_on: str) -> None:
        key = dedupe_key(url)
        if key in self.seen or depth > self.max_depth or not self.on_site(url):
            return
        self.seen.add(key)
        heapq.heappush(self.queue, _Queued(tier, depth, -score, self.next_seq(), url, found_on))

    def add_candidate(self, url: str, text: str, found_on: str, confidence: int, title: str = "") -> _Candidate:
        key = dedupe_key(url)
        existing = self.candidates.get(key)
        if existing is None:
            existing = self.candidates[key] = _Candidate(url, text, found_on, confidence, self.next_seq(), title)
        elif confidence > existing.confidence:
            existing.confidence = confidence
            existing.text = existing.text or text  # the words of the first link stay the link text
            existing.title = title or existing.title
        return existing

    # pages

    def visit_html(self, page_url: str, result: FetchResult, depth: int, found_on: str) -> None:
        soup = _soup(result)
        final = result.final_url
        base = _base_url(soup, final)
        heading = _heading(soup)
        listed = {dedupe_key(link.url) for link in _links(soup, base) if self._consider_link(link, depth, final)}
        listed -= {dedupe_key(page_url), dedupe_key(final)}
        is_index = len(listed) >= 2 and _own_words(soup) < INDEX_PAGE_WORDS
        as_candidate = self.candidates.get(dedupe_key(page_url)) or self.candidates.get(dedupe_key(final))
        page_score = notice_confidence(heading)
        if page_score >= 70 and not is_index:
            # The page names itself a notice: the strongest evidence there is.
            confidence = min(100, max(page_score, 90) + 5)
            if as_candidate is None:
                self.add_candidate(final, heading, found_on, confidence, title=heading)
            else:
                as_candidate.confidence = max(as_candidate.confidence, confidence)
                as_candidate.title = heading
        elif as_candidate is not None:
            if is_index:
                as_candidate.dropped = True  # an index of notices, not a notice
            elif heading:
                as_candidate.title = heading

    def _consider_link(self, link: _Link, depth: int, page: str) -> bool:
        """Record a notice candidate or queue a hub; True when the link is a notice candidate."""
        url, text = link.url, link.text
        on_site = self.on_site(url)
        if link.embedded and on_site and not _is_document(url):
            self.enqueue(url, 0, depth, 0, page)
            return False
        confidence = notice_confidence(text, url)
        if not on_site and (confidence < OFF_SITE_MIN_CONFIDENCE or _is_official(url)):
            confidence = 0  # a web designer's "Privacy policy" footer link, or DfE/ICO guidance
        if confidence >= MIN_CONFIDENCE:
            if not on_site:
                confidence -= 10  # a trust or platform copy: likely, but less certain
            self.add_candidate(url, text, page, confidence)
            if on_site and not _is_document(url):
                self.enqueue(url, 0, depth + 1, confidence, page)  # confirm it and see what it lists
            return True
        tier = _hub_tier(text, url)
        if tier is not None and on_site and not _is_document(url) and not (tier == _BROAD_TIER and depth > 0):
            self.enqueue(url, tier, depth + 1, 0, page)
        return False

    def visit(self, item: _Queued) -> None:
        result = self.fetch(item.url, NOTICE_TYPES)
        key = dedupe_key(item.url)
        candidate = self.candidates.get(key)
        if result.outcome != "ok":
            if candidate is not None and result.outcome == "http-error":
                candidate.dropped = True  # a broken link is not a notice anyone can read
            elif candidate is not None and result.outcome == "wrong-type":
                candidate.confidence -= 20  # e.g. an old .doc: worth reporting, not worth trusting
            return
        if media_type(result.content_type) in HTML_TYPES or _looks_like_html(result.data):
            if not self.on_site(result.final_url):
                return  # redirected off the site: do not crawl someone else's pages
            self.visit_html(item.url, result, item.depth, item.found_on)
        elif candidate is not None:
            # An extensionless link that served a document: a notice, at its real address.
            candidate.confidence = min(100, candidate.confidence + 5)
            if result.final_url != candidate.url and dedupe_key(result.final_url) not in self.candidates:
                candidate.url = result.final_url

    # sitemaps

    def read_sitemaps(self, home: str) -> None:
        origin = urlunsplit(urlsplit(home)[:2] + ("/", "", ""))
        todo = list(self.session.sitemaps_for(home)) + [urljoin(origin, "/sitemap.xml")]
        done: set[str] = set()
        entries_left = MAX_SITEMAP_ENTRIES
        while todo and len(done) < MAX_SITEMAPS and self.budget_left() and entries_left > 0:
            sitemap = todo.pop(0)
            key = dedupe_key(sitemap)
            if key in done or not self.on_site(sitemap):
                continue
            done.add(key)
            result = self.fetch(sitemap, None)
            if result.outcome != "ok":
                continue
            # One entry more than is left, to know whether the cap cut the list short.
            pages, children = parse_sitemap(result.data, limit=entries_left + 1)
            # Page and post sitemaps before image or product ones.
            children.sort(key=lambda url: 0 if re.search(r"page|post|polic|privacy|gdpr", url.lower()) else 1)
            todo.extend(children[:MAX_SITEMAPS])
            if len(pages) > entries_left:
                pages = pages[:entries_left]
                self.limits.append(f"sitemaps: read the first {MAX_SITEMAP_ENTRIES} entries only")
            entries_left -= len(pages)
            for page in pages:
                self._consider_sitemap_url(page, sitemap)

    def _consider_sitemap_url(self, url: str, sitemap: str) -> None:
        if not url.lower().startswith(("http://", "https://")) or not self.on_site(url):
            return
        confidence = notice_confidence("", url)
        if confidence >= MIN_CONFIDENCE:
            self.add_candidate(url, "", sitemap, confidence - 5)  # no link text: a visit may supply a title
            if not _is_document(url):
                self.enqueue(url, 0, 1, confidence, sitemap)
            return
        tier = _hub_tier("", url)
        if tier is not None and tier < _BROAD_TIER and not _is_document(url):
            self.enqueue(url, tier, 1, 0, sitemap)

    def notices(self) -> tuple[FoundNotice, ...]:
        kept = [c for c in self.candidates.values() if not c.dropped]
        kept.sort(key=lambda c: (-c.confidence, c.order))
        return tuple(
            FoundNotice(
                url=c.url,
                audience=classify_audience(c.text) or classify_audience(_url_words(c.url)) or classify_audience(c.title),
                link_text=c.text or c.title or _text_from_url(c.url),
                found_on=c.found_on,
                confidence=max(0, min(100, c.confidence)),
            )
            for c in kept
        )


# -- HTML helpers ------------------------------------------------------------------------


def _looks_like_html(data: bytes) -> bool:
    head = data[:512].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html"))


def _soup(result: FetchResult) -> BeautifulSoup:
    charset = None
    if result.content_type:
        match = re.search(r"charset=[\"']?([\w.:-]+)", result.content_type, re.IGNORECASE)
        charset = match.group(1) if match else None
    try:
        return BeautifulSoup(result.data, "lxml", from_encoding=charset)
    except LookupError:  # an unknown charset name in the header
        return BeautifulSoup(result.data, "lxml")


def _base_url(soup: BeautifulSoup, page_url: str) -> str:
    base = soup.find("base", href=True)
    if base is not None:
        href = str(base["href"]).strip()
        if href.lower().startswith(("http://", "https://", "/")):
            return urljoin(page_url, href)
    return page_url


def _clean_text(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ")).strip()


def _heading(soup: BeautifulSoup) -> str:
    """The page's own name: its h1 or <title>, preferring one that names a notice.

    Not h2: sidebars often carry a "Privacy notices" h2 on every page.
    """
    texts = []
    for name in ("h1", "title"):
        tag = soup.find(name)
        if tag is not None:
            texts.append(_clean_text(tag.get_text(" ")))
    for text in texts:
        if text and notice_confidence(text) >= MIN_CONFIDENCE:
            return text
    return next((text for text in texts if text), "")


def _own_words(soup: BeautifulSoup) -> int:
    """Words of the page's own text, leaving out navigation, scripts and link text."""
    body = soup.body or soup
    count = 0
    for string in body.find_all(string=True):
        if string.find_parent(["a", "nav", "header", "footer", "script", "style", "noscript", "select"]) is not None:
            continue
        count += len(string.split())
    return count


def _links(soup: BeautifulSoup, base: str):
    """Absolute http(s) links with their text. Frames, iframes and a meta refresh are
    yielded as `embedded`: their target is part of this page, not a click away."""
    for tag in soup.find_all(["a", "area"], href=True):
        url = _absolute(base, str(tag["href"]))
        if url is None:
            continue
        text = _clean_text(tag.get_text(" "))
        extras = [tag.get("title"), tag.get("aria-label"), tag.get("alt")] + [img.get("alt") for img in tag.find_all("img")]
        extra = _clean_text(" ".join(str(e) for e in extras if e))
        # An icon link has only alt/title text; a "Read more" link may say more in its title.
        if extra and notice_confidence(extra, url) > notice_confidence(text, url):
            text = extra
        yield _Link(url, text or extra)
    for tag in soup.find_all(["frame", "iframe"], src=True):
        url = _absolute(base, str(tag["src"]))
        if url is not None:
            yield _Link(url, _clean_text(str(tag.get("title") or "")), embedded=True)
    for meta in soup.find_all("meta", attrs={"http-equiv": re.compile("^refresh$", re.IGNORECASE)}):
        match = re.search(r"url\s*=\s*['\"]?([^'\";]+)", str(meta.get("content", "")), re.IGNORECASE)
        if match:
            url = _absolute(base, match.group(1))
            if url is not None:
                yield _Link(url, "", embedded=True)


def _absolute(base: str, href: str) -> str | None:
    href = href.strip()
    if not href or href.startswith("#") or re.match(r"^(?:javascript|mailto|tel|data|sms):", href, re.IGNORECASE):
        return None
    url = urljoin(base, href)
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    return urlunsplit((parts.scheme, parts.netloc, parts.path, parts.query, ""))


def _text_from_url(url: str) -> str:
    """A readable name from a URL's last path segment: "/docs/Pupil-Privacy-Notice.pdf" -> "Pupil Privacy Notice"."""
    segments = [s for s in urlsplit(url).path.split("/") if s]
    last = unquote(segments[-1]) if segments else url
    last = re.sub(r"\.(?:pdf|docx?|odt|rtf|html?|php|aspx?)$", "", last, flags=re.IGNORECASE)
    return _clean_text(re.sub(r"[-_+]+", " ", last))


# -- sitemaps ----------------------------------------------------------------------------

_SAFE_XML = etree.XMLParser(resolve_entities=False, no_network=True, recover=True, huge_tree=False, remove_comments=True)


def parse_sitemap(data: bytes, limit: int | None = None) -> tuple[list[str], list[str]]:
    """(page URLs, child sitemap URLs) from a sitemap or sitemap index; gzip is unpacked.

    Parsed with lxml without entity expansion or network access; anything that
    is not a sitemap gives two empty lists. `limit` stops reading after that
    many <loc> entries.
    """
    if data[:2] == b"\x1f\x8b":
        try:
            unpacker = zlib.decompressobj(16 + zlib.MAX_WBITS)
            data = unpacker.decompress(data, MAX_SITEMAP_BYTES)
        except zlib.error:
            return [], []
    data = data.lstrip()
    if not data.startswith(b"<"):
        return [], []
    try:
        root = etree.fromstring(data, parser=_SAFE_XML)
    except etree.XMLSyntaxError:
        return [], []
    if root is None:
        return [], []
    kind = etree.QName(root).localname.lower()
    locs: list[str] = []
    for element in root.iter():
        if isinstance(element.tag, str) and etree.QName(element).localname.lower() == "loc":
            loc = (element.text or "").strip()
            if loc:
                locs.append(loc)
                if limit is not None and len(locs) >= limit:
                    break
    if kind == "sitemapindex":
        return [], locs
    if kind == "urlset":
        return locs, []
    return [], []


# -- entry point -----------------------------------------------------------------------------


def _home_candidates(home: str) -> list[str]:
    """The address as typed, then the www/bare twin, then plain http for https addresses."""
    urls = [home]
    twin = toggle_www(home)
    if twin:
        urls.append(twin)
    if home.startswith("https://"):
        urls.append("http://" + home[len("https://") :])
    return urls


def discover_notices(session: PoliteSession, website: str, *, max_depth: int = 3, max_pages: int = 40) -> Discovery:
    """Find the privacy notices on a school's website; see the module docstring."""
    home = normalise_website(website)
    if home is None:
        return Discovery("unreachable", None, (), 0, error=f"not a website address: {website!r}")
    crawl = _Crawl(session, max_depth=max_depth, max_pages=max(1, max_pages))
    result: FetchResult | None = None
    for candidate in _home_candidates(home):
        if not crawl.budget_left():
            break
        result = crawl.fetch(candidate, HTML_TYPES)
        if result.outcome not in ("unreachable", "timeout"):
            break
    assert result is not None
    if result.outcome == "blocked-by-robots":
        return Discovery("blocked-by-robots", result.url, (), crawl.requests, error=result.error)
    if result.outcome != "ok":
        detail = result.error or result.outcome
        return Discovery("unreachable", result.url, (), crawl.requests, error=f"home page {result.url}: {detail}")

    home_url = result.final_url
    crawl.site_urls = list(dict.fromkeys([home_url, result.url, home]))
    crawl.seen.update({dedupe_key(home_url), dedupe_key(result.url)})
    crawl.visit_html(result.url, result, 0, home_url)
    crawl.read_sitemaps(home_url)
    while crawl.queue and crawl.budget_left():
        crawl.visit(heapq.heappop(crawl.queue))
    if crawl.queue:
        crawl.limits.append(f"pages: stopped after {crawl.max_pages} requests with {len(crawl.queue)} pages still to visit")

    notices = crawl.notices()
    limits = tuple(crawl.limits)
    if not notices:
        return Discovery("no-notice-found", home_url, (), crawl.requests, limits=limits)
    return Discovery("ok", home_url, notices, crawl.requests, limits=limits)


__all__ = ["Discovery", "FoundNotice", "classify_audience", "discover_notices", "notice_confidence", "parse_sitemap"]
