"""HTML to blocks: drop site chrome, pick the main content, walk it once.

Also serves the Word files read through mammoth (which turns .docx into
HTML), and wordtree.py follows the walker's rules, so headings, lists and
bold-only "headings" are read the same way from web pages and Word files.

Parsing uses the standard library's html.parser because it records the
source line of every element; text nodes get their line from the element
they follow plus the newlines in between (one running cursor, no re-scan).
The tree is built by htmltree.py exactly as BeautifulSoup's "html.parser"
builder builds it, at a third of the cost; the functions here take a
`TreeKind` so tests can run them on a BeautifulSoup tree and compare.

Chrome removal judges each element by its own tag, id, class, role and
aria-label, never by an ancestor's, and never removes `main`, `article`,
`[role=main]`, anything holding them, or anything holding most of the page's
text (a wrapper called "page-content-header" is not a header).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from noticecheck.load.assemble import Assembler
from noticecheck.load.blocks import is_short_title, link_suffix, normalise
from noticecheck.load.comments import find_directives
from noticecheck.load.encoding import declared_charset, decode
from noticecheck.load.errors import empty
from noticecheck.model import Block, BlockKind, Document, Text
from noticecheck.precompiled import regex

DROP_TAGS = (
    "script", "style", "noscript", "template", "svg", "form", "iframe", "object", "embed",
    "canvas", "button", "select", "textarea", "input", "head", "map", "audio", "video",
)  # fmt: skip
CHROME_TAGS = frozenset({"nav", "header", "footer", "aside"})
PROTECTED_TAGS = frozenset({"main", "article", "body", "html"})
CHROME_ROLES = frozenset({"navigation", "banner", "contentinfo", "complementary", "search", "menu", "menubar", "dialog", "alertdialog"})

# Words in id/class/role/aria-label that mark site furniture. Matched against
# each token and as a token prefix ("navbar", "cookiebar", "breadcrumbs").
# Not "widget": page builders (Elementor) wrap all content in "*-widget-*".
_CHROME_WORDS = (
    "nav", "menu", "breadcrumb", "crumb", "skip", "sidebar", "footer", "header", "masthead", "topbar",
    "social", "share", "sharing", "search", "banner", "cookie", "consent", "gdpr",
)  # fmt: skip
# "content-header", "entry-header", "page-banner" hold the page title: a
# header-like word next to one of these words is not chrome.
_TITLE_AREA_WORDS = frozenset({"header", "masthead", "banner"})
_CONTENT_WORDS = frozenset({"content", "entry", "article", "post", "main", "page", "title"})
# Cookie/consent words also name content ("Cookies" sections of the notice
# itself): such an element is chrome only if it is short or has no heading.
_COOKIE_WORDS = frozenset({"cookie", "consent", "gdpr"})
COOKIE_SECTION_MIN_WORDS = 60
_HEADING_TAGS = ("h1", "h2", "h3", "h4", "h5", "h6")
_TOKEN = regex(r"[a-z]+")
_CONTENT_IDS = frozenset({"content", "main-content", "maincontent", "main_content"})
_INERT_START = regex(r"<(script|style|svg|noscript|template)\b|<!--", re.I)
_INERT_END = {name: regex(rf"</{name}\s*>", re.I) for name in ("script", "style", "svg", "noscript", "template")}
_COMMENT_END = regex(r"-->")
MAIN_SHARE = 0.3  # a main area with less of the text than this is a wrong guess
PROTECT_SHARE = 0.5  # an element with this much of the text is not chrome

BLOCK_TAGS = frozenset(
    {
        "p", "div", "section", "article", "main", "body", "li", "ul", "ol", "dl", "dt", "dd",
        "h1", "h2", "h3", "h4", "h5", "h6", "table", "thead", "tbody", "tfoot", "tr", "td", "th",
        "caption", "blockquote", "pre", "address", "figure", "figcaption", "center", "details",
        "summary", "hr", "header", "footer", "nav", "aside", "fieldset", "legend", "html",
    }
)  # fmt: skip
HEADINGS = {f"h{n}": n for n in range(1, 7)}
# Containers whose text may be a bold-only heading (not table cells or list items).
BOLD_HEADING_CONTAINERS = frozenset({"p", "div", "section", "article", "main", "body", "center", "html"})
BOLD_TAGS = frozenset({"strong", "b"})
# Inside a list item or heading these still belong to it; these start afresh.
_FRESH_CONTAINERS = frozenset({"ul", "ol", "table"})


@dataclass(frozen=True)
class TreeKind:
    """How to build a tree and tell its nodes apart: htmltree's by default, BeautifulSoup's in tests."""

    parse: Callable[[str], object]
    tag: type
    text: type  # strings that are text of the page...
    special: type  # ...unless of this type (comments, declarations, CDATA)


def light_tree() -> TreeKind:
    import noticecheck.load.htmltree as htmltree

    return TreeKind(htmltree.parse, htmltree.Tag, htmltree.NavigableString, htmltree.PreformattedString)


def bs4_tree() -> TreeKind:
    """BeautifulSoup's own "html.parser" tree: the reference the light tree is tested against."""
    from bs4 import BeautifulSoup, NavigableString, Tag
    from bs4.element import PreformattedString

    return TreeKind(lambda markup: BeautifulSoup(markup, "html.parser"), Tag, NavigableString, PreformattedString)


def load_html(doc: Document, media_type: str) -> Text:
    """Decode an HTML document and split it into blocks."""
    decoded = decode(doc.data, declared=declared_charset(doc.data, doc.media_type, html=True))
    blocks, title, notes = html_to_blocks(decoded.text)
    if not blocks:
        raise empty("no readable text in this HTML page (after removing navigation, scripts and other site furniture)")
    return Text(
        source=doc.source,
        blocks=tuple(blocks),
        media_type=media_type,
        title=title,
        notes=(decoded.note, *notes),
        directives=find_directives(decoded.text, blocks, media_type),
    )


def html_to_blocks(
    markup: str, *, web_page: bool = True, tree: TreeKind | None = None
) -> tuple[list[Block], str | None, list[str]]:
    """Blocks, title and notes from an HTML string. Never raises on malformed markup.

    `web_page=False` (HTML made from a Word file) skips chrome removal and the
    main-content choice: a document has no navigation, and its bookmark ids
    must not be mistaken for one.
    """
    tree = tree or light_tree()
    try:
        soup = tree.parse(_without_inert(markup))
    except Exception as exc:  # noqa: BLE001 - html.parser can reject pathological markup in many ways
        return _fallback(markup, exc)

    # One walk over the tree; find_all with lists and attributes costs a
    # full filtered traversal per call, which dominated on large pages.
    tags = [node for node in soup.descendants if isinstance(node, tree.tag)]
    title = _title(tags)
    for tag in tags:
        if tag.name in DROP_TAGS and not _gone(tag):
            tag.decompose()
    body = soup.body or soup
    notes: list[str] = []
    root = body
    if web_page:
        removed = _remove_chrome([t for t in tags if not _gone(t)], _text_length(body))
        root, how = _main_content(body, [t for t in tags if not _gone(t)])
        notes.append(f"main content: {how}")
        if removed:
            notes.append(f"removed {removed} navigation/banner/footer element(s)")
    blocks = _Walker(tree).walk(*_with_page_title(body, root))
    if title is None:
        title = next((b.text for b in blocks if b.is_heading and b.level == 1), None)
    return blocks, title, notes


def _without_inert(markup: str) -> str:
    """Scripts, styles, inline SVG, templates and comments cut out before parsing.

    They hold no notice text and are often most of a page's bytes. Each cut
    keeps its newlines so source line numbers stay true. Linear: the first
    element without an end tag stops the cutting (the parser copes with it).
    """
    pieces: list[str] = []
    position = 0
    for start in _INERT_START.finditer(markup):
        if start.start() < position:
            continue  # inside something already cut
        name = start.group(1)
        end_pattern = _COMMENT_END if name is None else _INERT_END[name.lower()]
        end = end_pattern.search(markup, start.end())
        if end is None:
            break
        pieces.append(markup[position : start.start()])
        pieces.append("\n" * markup.count("\n", start.start(), end.end()))
        position = end.end()
    if not pieces:
        return markup
    pieces.append(markup[position:])
    return "".join(pieces)


def _fallback(markup: str, exc: Exception) -> tuple[list[Block], str | None, list[str]]:
    """Unparseable markup: strip tags and read what is left as plain text."""
    from noticecheck.load.lines import split_lines
    from noticecheck.load.plain import text_to_blocks

    # Each tag becomes a space plus the newlines it spanned, so line numbers hold.
    stripped = re.sub(r"<[^>]*>", lambda m: " " + "\n" * m.group().count("\n"), markup)
    blocks = text_to_blocks(split_lines(stripped))
    return blocks, None, [f"HTML parser failed ({type(exc).__name__}); read as text with tags removed"]


def _gone(tag) -> bool:
    """Whether `tag` was removed with an ancestor. Read from __dict__: on a BeautifulSoup tree
    the `decomposed` property falls through to a subtree search (tag.x means tag.find("x"))."""
    return tag.__dict__.get("_decomposed", False)


def _title(tags: list) -> str | None:
    tag = next((t for t in tags if t.name == "title"), None)
    if tag is not None:
        text = normalise(tag.get_text())
        if text:
            return text
    return None


def _text_length(tag) -> int:
    return sum(len(s) - s.count(" ") for s in tag.stripped_strings) if tag is not None else 0


def _attr_values(tag, names: tuple[str, ...]) -> list[str]:
    values: list[str] = []
    for name in names:
        value = tag.attrs.get(name)
        if value:
            values.extend(value if isinstance(value, list) else [value])
    return values


def _tokens(tag) -> set[str]:
    values = _attr_values(tag, ("id", "class", "role", "aria-label"))
    return set(_TOKEN.findall(" ".join(values).lower())) if values else set()


def _chrome_reason(tag) -> tuple[str, bool] | None:
    """(why this element is site chrome, whether by its name alone), or None.

    "By name" means an id/class/aria-label word, which can mislead (a
    wrapper called "page-header-and-content"); tags and roles cannot.
    """
    if tag.name in PROTECTED_TAGS or tag.get("role") == "main":
        return None
    role = tag.get("role")
    if isinstance(role, str) and role.lower() in CHROME_ROLES:
        return f"role={role}", False
    if tag.name in CHROME_TAGS:
        if tag.name in ("header", "footer") and tag.find_parent(["main", "article"]) is not None:
            return None  # an article's own header holds its title
        return tag.name, False
    tokens = _tokens(tag)
    title_area = bool(tokens & _CONTENT_WORDS)
    for token in sorted(tokens):
        for word in _CHROME_WORDS:
            if not token.startswith(word):
                continue
            if word in _TITLE_AREA_WORDS and title_area:
                continue
            if word in _COOKIE_WORDS and _is_content_section(tag):
                continue
            return word, True
    return None


def _is_content_section(tag) -> bool:
    return tag.find(_HEADING_TAGS) is not None and len(tag.get_text(" ").split()) >= COOKIE_SECTION_MIN_WORDS


def _remove_chrome(tags: list, body_chars: int) -> int:
    """Decompose site furniture among `tags` (document order); returns how many elements went."""
    removed = 0
    holding_main = _holding_main(tags)
    for tag in tags:
        reason = None if _gone(tag) else _chrome_reason(tag)
        if reason is None:
            continue
        if id(tag) in holding_main:
            continue
        by_name = reason[1]
        if by_name and body_chars and _text_length(tag) > PROTECT_SHARE * body_chars:
            continue  # most of the page: a misnamed wrapper, not furniture
        tag.decompose()
        removed += 1
    return removed


def _holding_main(tags: list) -> set[int]:
    """ids of the elements that hold a <main>, an <article> or a [role=main] element.

    Worked out once, bottom-up, instead of a subtree search per chrome
    candidate. Removing chrome never changes it: an element holding one of
    these is never removed, and these elements are never chrome.
    """
    holding: set[int] = set()
    for tag in tags:
        if tag.name in ("main", "article") or tag.get("role") == "main":
            for parent in tag.parents:
                if id(parent) in holding:
                    break  # marked before, and all above it with it
                holding.add(id(parent))
    return holding


def _main_candidates(tags: list) -> Iterator[tuple[str, list]]:
    """Likely main-content elements, most specific first."""
    yield "<main>", [t for t in tags if t.name == "main"]
    yield "[role=main]", [t for t in tags if t.get("role") == "main"]
    yield "<article>", [t for t in tags if t.name == "article"]
    yield "#content", [t for t in tags if t.get("id") in _CONTENT_IDS]
    for name in ("entry-content", "page-content", "content"):
        yield f".{name}", [t for t in tags if name in (t.get("class") or ())]


def _main_content(body, tags: list) -> tuple[object, str]:
    total = _text_length(body)
    for how, candidates in _main_candidates(tags):
        if not candidates:
            continue
        best = max(candidates, key=_text_length)
        if total and _text_length(best) >= MAIN_SHARE * total:
            return best, how
        return body, f"whole page (the {how} area held too little of the text)"
    return body, "whole page"


def _with_page_title(body, root) -> list:
    """The chosen root, preceded by the page's <h1> when that sits outside it, above it.

    Many templates put the page title in a banner before <main>; without it
    the notice would start with its first section.
    """
    if root is body or root.find("h1") is not None:
        return [root]
    title = body.find("h1")
    if title is None or any(parent is root for parent in title.parents):
        return [root]
    if (title.sourceline or 0, title.sourcepos or 0) > (root.sourceline or 0, root.sourcepos or 0):
        return [root]
    return [title, root]


def _is_title_box(tag) -> bool:
    """<div class="pagetitle">Privacy notice</div>: old CMS page titles are styled divs, not <h1>."""
    marks = " ".join(_attr_values(tag, ("id", "class"))).lower()
    if "title" not in marks and "heading" not in marks:
        return False
    if tag.find(("h1", "h2", "h3", "h4", "h5", "h6", "p", "div", "ul", "ol", "table")) is not None:
        return False
    return is_short_title(normalise(tag.get_text()))


class _Walker:
    """Walks the chosen subtree once, in document order, without recursion."""

    def __init__(self, tree: TreeKind) -> None:
        self.tree = tree
        self.out = Assembler()
        self.line = 1
        self.bold_depth = 0

    def walk(self, *roots) -> list[Block]:
        tag, text, special = self.tree.tag, self.tree.text, self.tree.special
        stack: list[tuple[object, bool]] = [(root, False) for root in reversed(roots)]
        while stack:
            node, leaving = stack.pop()
            if leaving:
                self._leave(node)
            elif isinstance(node, tag):
                self._enter(node)
                stack.append((node, True))
                stack.extend((child, False) for child in reversed(node.contents))
            elif isinstance(node, text) and not isinstance(node, special):
                self._text(str(node))  # comments, doctypes and CDATA are not page text
        return self.out.finish()

    def _enter(self, tag) -> None:
        if tag.sourceline is not None:
            self.line = tag.sourceline
        name = tag.name
        if name == "br":
            self.out.line_break(self.line)
        elif name in BOLD_TAGS:
            self.bold_depth += 1
        elif name in HEADINGS:
            self.out.open(BlockKind.HEADING, HEADINGS[name])
        elif name == "li":
            self.out.open(BlockKind.LIST_ITEM)
        elif name in ("div", "p") and self.out.kind is BlockKind.PARAGRAPH and _is_title_box(tag):
            self.out.open(BlockKind.HEADING, 1 if not any(b.is_heading for b in self.out.blocks) else 2)
        elif name in BLOCK_TAGS:
            if self.out.kind is not BlockKind.PARAGRAPH and name not in _FRESH_CONTAINERS:
                self.out.open(self.out.kind, self.out.level)  # a <p> inside an <li> is still the item
            else:
                self.out.open(BlockKind.PARAGRAPH, bold_heading_ok=name in BOLD_HEADING_CONTAINERS)

    def _leave(self, tag) -> None:
        name = tag.name
        if name in BOLD_TAGS:
            self.bold_depth -= 1
        elif name == "a":
            suffix = link_suffix(tag.get("href"), tag.get_text())
            if suffix:
                self.out.text(suffix, self.line, bold=self.bold_depth > 0)
        elif name in BLOCK_TAGS and name != "br":
            self.out.close()

    def _text(self, text: str) -> None:
        stripped = text.lstrip()
        # The text starts where the cursor is; its first word is after any leading newlines.
        line = self.line + text[: len(text) - len(stripped)].count("\n")
        self.line += text.count("\n")
        self.out.text(text, line, bold=self.bold_depth > 0)
