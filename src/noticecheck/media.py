"""The one table of notice media types: what a privacy notice may be stored or served as.

The loaders (load/sniff.py) read the `loads` types; the fetchers ask servers
for them and fold the aliases (fetch/http.py, fetch/transport.py,
fetch/single.py, fetch/discover.py); the scanner accepts what the fetchers
accept (scan/scheduler.py); the dashboard names them for people
(scan/dashboard.py). To support a new format, add its row here and a loader
(see CONTRIBUTING.md).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class NoticeType:
    name: str  # the canonical media type, as the loaders know it
    label: str  # for people, e.g. "PDF", "web page"
    suffixes: tuple[str, ...]  # file name extensions that mean this type
    aliases: tuple[str, ...] = ()  # other Content-Types servers send for it
    loads: bool = True  # False: recognised (named, refused with a reason) but no loader reads it
    advice: str = ""  # for a type no loader reads: what to do with such a file instead
    numbered_by: str = "line"  # what its loader's line numbers count ("paragraph" for Word and ODT)


PLAIN = "text/plain"
MARKDOWN = "text/markdown"
HTML = "text/html"
PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ODT = "application/vnd.oasis.opendocument.text"
MSWORD = "application/msword"

NOTICE_TYPES: tuple[NoticeType, ...] = (
    NoticeType(PLAIN, "text file", (".txt",)),
    NoticeType(MARKDOWN, "text file", (".md", ".markdown"), ("text/x-markdown",)),
    NoticeType(HTML, "web page", (".html", ".htm"), ("application/xhtml+xml",)),
    NoticeType(PDF, "PDF", (".pdf",), ("application/x-pdf", "application/acrobat")),
    NoticeType(DOCX, "Word document", (".docx",), numbered_by="paragraph"),
    NoticeType(ODT, "OpenDocument text", (".odt",), numbered_by="paragraph"),
    NoticeType(MSWORD, "Word document", (".doc",), loads=False, advice="save it as .docx or PDF"),
)

LOADABLE = tuple(t.name for t in NOTICE_TYPES if t.loads)
# every Content-Type that means a loadable notice, canonical names first
SERVED_AS = LOADABLE + tuple(a for t in NOTICE_TYPES if t.loads for a in t.aliases)
ALIASES = {alias: t.name for t in NOTICE_TYPES for alias in t.aliases}
BY_SUFFIX = {suffix: t.name for t in NOTICE_TYPES for suffix in t.suffixes}
# what to do with a file of a type no loader reads, by suffix (".doc" -> "save it as .docx or PDF")
ADVICE = {suffix: t.advice for t in NOTICE_TYPES if not t.loads for suffix in t.suffixes}
LABELS = {name: t.label for t in NOTICE_TYPES for name in (t.name, *t.aliases)}


_NUMBERED_BY = {t.name: t.numbered_by for t in NOTICE_TYPES}


def describe_line(line: int, media_type: str | None, page_starts: tuple[int, ...] = ()) -> str:
    """A loader's line number for people: "page 3, line 12" (PDF), "paragraph 14" (Word, ODT), else "line 111"."""
    if page_starts:
        page = max((i for i, start in enumerate(page_starts) if start <= line), default=0)
        return f"page {page + 1}, line {line - page_starts[page] + 1}"
    return f"{_NUMBERED_BY.get(media_type or '', 'line')} {line}"


def served_as(name: str) -> tuple[str, ...]:
    """Every Content-Type that means `name`, the canonical one first."""
    return next((t.name, *t.aliases) for t in NOTICE_TYPES if t.name == name)


def canonical(media_type: str) -> str:
    """"application/x-pdf" -> "application/pdf"; other names unchanged."""
    return ALIASES.get(media_type, media_type)
