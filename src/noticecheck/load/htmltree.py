"""HTML markup to a light element tree, built exactly as BeautifulSoup's "html.parser" builder builds it.

html.py walked a BeautifulSoup(markup, "html.parser") tree; building that
tree was two thirds of loading a web page. This module drives the same
standard-library tokenizer (html.parser.HTMLParser, so every tag,
attribute, character reference and source position is read identically)
and applies the rules bs4 applies on top, with plain Python objects:

* a void element (<br>, <img>...) closes at once, and one later stray end
  tag of that name is swallowed; `<x/>` opens and closes x;
* an end tag closes the most recent open element of its name and every
  element opened after it; an end tag with no open element is ignored;
* text between two events is one string; a string of ASCII spaces only is
  cut to "\\n" (if it had a newline) or " ", except inside <pre>/<textarea>;
* character references become text as bs4 reads them (Windows-1252 for
  &#128;-&#159;, U+FFFD for impossible ones); an unknown entity stays as
  "&name";
* comments, declarations, doctypes, CDATA and processing instructions are
  kept as separate "preformatted" strings; text inside <script>, <style>,
  <template>, <rt> and <rp> gets its own string type;
* class (and the other multi-valued attributes) become lists of tokens.

`Tag` offers the part of bs4's API that html.py uses, with the same
results: get, contents, sourceline/sourcepos, find, find_parent, parents,
descendants, get_text, stripped_strings, decompose, body. The tests build
both trees from the same markup and compare them node by node.
"""

from __future__ import annotations

from collections.abc import Iterator
from html.entities import html5
from html.parser import HTMLParser

from noticecheck.precompiled import regex

ROOT_NAME = "[document]"
ASCII_SPACES = "\x20\x0a\x09\x0c\x0d"
VOID_ELEMENTS = frozenset(
    {
        "area", "base", "basefont", "bgsound", "br", "col", "command", "embed", "frame", "hr", "image", "img",
        "input", "isindex", "keygen", "link", "menuitem", "meta", "nextid", "param", "source", "spacer", "track", "wbr",
    }
)  # fmt: skip
PRESERVE_WHITESPACE = frozenset({"pre", "textarea"})
# Attributes whose value is a space-separated list, everywhere ("*") or on some tags.
LIST_ATTRIBUTES = {
    "*": {"class", "accesskey", "dropzone"},
    "a": {"rel", "rev"},
    "link": {"rel", "rev"},
    "td": {"headers"},
    "th": {"headers"},
    "form": {"accept-charset"},
    "object": {"archive"},
    "area": {"rel"},
    "icon": {"sizes"},
    "iframe": {"sandbox"},
    "output": {"for"},
}
_UNIVERSAL_LISTS = LIST_ATTRIBUTES["*"]
_TOKENS = regex(r"\S+")


# -- strings ---------------------------------------------------------------------


class NavigableString(str):
    """Text in the tree."""

    __slots__ = ()


class PreformattedString(NavigableString):
    """Not text of the page: a comment, a declaration... (walkers skip these)."""

    __slots__ = ()


class CData(PreformattedString):
    __slots__ = ()


class ProcessingInstruction(PreformattedString):
    __slots__ = ()


class Comment(PreformattedString):
    __slots__ = ()


class Declaration(PreformattedString):
    __slots__ = ()


class Doctype(PreformattedString):
    __slots__ = ()


class Stylesheet(NavigableString):
    __slots__ = ()


class Script(NavigableString):
    __slots__ = ()


class TemplateString(NavigableString):
    __slots__ = ()


class RubyTextString(NavigableString):
    __slots__ = ()


class RubyParenthesisString(NavigableString):
    __slots__ = ()


STRING_CONTAINERS: dict[str, type[NavigableString]] = {
    "rt": RubyTextString,
    "rp": RubyParenthesisString,
    "style": Stylesheet,
    "script": Script,
    "template": TemplateString,
}
MAIN_CONTENT_STRING_TYPES = frozenset({NavigableString, CData})


# -- elements ------------------------------------------------------------------------


class Tag:
    """An element. A plain class (not slotted): html.py marks removed elements in `__dict__`."""

    def __init__(self, name: str, attrs: dict, sourceline: int | None = None, sourcepos: int | None = None) -> None:
        self.name = name
        self.attrs = attrs
        self.contents: list = []
        self.parent: Tag | None = None
        self.sourceline = sourceline
        self.sourcepos = sourcepos
        container = STRING_CONTAINERS.get(name)
        # The string types get_text reads here (bs4's interesting_string_types).
        self.text_types = MAIN_CONTENT_STRING_TYPES if container is None else frozenset({container})

    def __repr__(self) -> str:
        return f"<{self.name} {self.attrs!r} line {self.sourceline}>"

    def get(self, key: str, default=None):
        return self.attrs.get(key, default)

    @property
    def descendants(self) -> Iterator:
        """Every node below this one, in document order."""
        stack = list(reversed(self.contents))
        while stack:
            node = stack.pop()
            yield node
            if node.__class__ is Tag:
                stack.extend(reversed(node.contents))

    @property
    def parents(self) -> Iterator[Tag]:
        node = self.parent
        while node is not None:
            yield node
            node = node.parent

    @property
    def body(self) -> Tag | None:
        return self.find("body")

    def find(self, name=None, attrs: dict | None = None) -> Tag | None:
        """The first element below this one with this name (or one of these names) and attribute values."""
        names = (name,) if isinstance(name, str) else name
        for node in self.descendants:
            if node.__class__ is Tag and (names is None or node.name in names) and _attrs_match(node, attrs):
                return node
        return None

    def find_parent(self, name) -> Tag | None:
        names = (name,) if isinstance(name, str) else name
        return next((parent for parent in self.parents if parent.name in names), None)

    def _strings(self, strip: bool) -> Iterator[str]:
        types = self.text_types
        stack = list(reversed(self.contents))
        while stack:  # self.descendants, inlined: this runs for every text-length estimate
            node = stack.pop()
            kind = node.__class__
            if kind is Tag:
                stack.extend(reversed(node.contents))
            elif kind in types:
                if strip:
                    node = node.strip()
                    if not node:
                        continue
                yield node

    def get_text(self, separator: str = "") -> str:
        return separator.join(self._strings(False))

    @property
    def stripped_strings(self) -> Iterator[str]:
        return self._strings(True)

    def decompose(self) -> None:
        """Take this element out of the tree and empty it and everything in it, as bs4 does.

        Emptied, not just detached: html.py may still hold a removed element
        (a <body> inside a <nav>) and must find nothing in it.
        """
        if self.parent is not None:
            siblings = self.parent.contents
            del siblings[next(i for i, node in enumerate(siblings) if node is self)]
        removed = [self, *(node for node in self.descendants if node.__class__ is Tag)]
        for tag in removed:
            tag.contents = []
            tag.parent = None
            tag._decomposed = True


def _attrs_match(tag: Tag, attrs: dict | None) -> bool:
    if not attrs:
        return True
    for key, wanted in attrs.items():
        value = tag.attrs.get(key)
        if isinstance(value, list):
            if wanted not in value and " ".join(value) != wanted:
                return False
        elif value != wanted:
            return False
    return True


# -- character references ------------------------------------------------------------


def _entity_table() -> dict[str, str]:
    """Entity name (without ";") -> text, the first spelling in sorted order winning, as bs4 reads them."""
    table: dict[str, str] = {}
    for name, text in sorted(html5.items()):
        table.setdefault(name[:-1] if name.endswith(";") else name, text)
    return table


ENTITIES = _entity_table()


def numeric_reference(number: int) -> str:
    """The text of "&#number;" as the HTML standard resolves it."""
    if number <= 0 or number > 0x10FFFF or 0xD800 <= number <= 0xDFFF:
        return "\ufffd"
    if 0x80 <= number <= 0x9F:
        try:  # a Windows-1252 byte written as a code point (a common authoring slip)
            return bytes([number]).decode("cp1252")
        except UnicodeDecodeError:
            pass  # 0x81, 0x8D, 0x8F, 0x90, 0x9D stay as they are
    return chr(number)


_DECIMAL_PREFIX = regex("^([0-9]+)(.*)")
_HEX_PREFIX = regex("^([0-9a-f]+)(.*)")


def charref_text(name: str) -> tuple[str, str]:
    """(the referenced character, any following text the tokenizer left in `name`)."""
    base, pattern = 10, _DECIMAL_PREFIX
    if name[:1] in ("x", "X"):
        name, base, pattern = name[1:], 16, _HEX_PREFIX
    try:
        return numeric_reference(int(name, base)), ""
    except ValueError:
        match = pattern.search(name)
        if match is None:
            return "", name
        return numeric_reference(int(match.group(1), base)), match.group(2)


# -- building ------------------------------------------------------------------------


class _Builder(HTMLParser):
    """Tokenizer events to a tree, with bs4's rules (see the module docstring)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.root = Tag(ROOT_NAME, {})
        self.stack: list[Tag] = [self.root]
        self.current = self.root
        self.open_counts: dict[str, int] = {}
        self.preserving: list[Tag] = []
        self.containers: list[Tag] = []
        self.data: list[str] = []
        self.closed_voids: list[str] = []

    # tree

    def _push(self, tag: Tag) -> None:
        tag.parent = self.current
        self.current.contents.append(tag)
        self.stack.append(tag)
        self.current = tag
        self.open_counts[tag.name] = self.open_counts.get(tag.name, 0) + 1
        if tag.name in PRESERVE_WHITESPACE:
            self.preserving.append(tag)
        if tag.name in STRING_CONTAINERS:
            self.containers.append(tag)

    def _pop(self) -> None:
        tag = self.stack.pop()
        self.open_counts[tag.name] -= 1
        if self.preserving and self.preserving[-1] is tag:
            self.preserving.pop()
        if self.containers and self.containers[-1] is tag:
            self.containers.pop()
        self.current = self.stack[-1]

    def _pop_to(self, name: str) -> None:
        while len(self.stack) > 1 and self.open_counts.get(name):
            found = self.stack[-1].name == name
            self._pop()
            if found:
                break

    def _end_data(self, kind: type[NavigableString] | None = None) -> None:
        if not self.data:
            return
        text = "".join(self.data)
        self.data = []
        if not self.preserving and not text.strip(ASCII_SPACES):
            text = "\n" if "\n" in text else " "
        if kind is None:
            kind = STRING_CONTAINERS.get(self.containers[-1].name, NavigableString) if self.containers else NavigableString
        self.current.contents.append(kind(text))

    def finish(self) -> Tag:
        self.closed_voids = []
        self._end_data()
        while len(self.stack) > 1:
            self._pop()
        return self.root

    # tokenizer events

    def handle_startendtag(self, tag, attrs) -> None:
        self.handle_starttag(tag, attrs, closes_itself=False)
        self.handle_endtag(tag, after_void=False)

    def handle_starttag(self, tag, attrs, closes_itself: bool = True) -> None:
        values: dict = {}
        for key, value in attrs:
            values[key] = "" if value is None else value  # a repeated attribute: the last one wins
        line, column = self.getpos()
        self._end_data()
        if values:
            specific = LIST_ATTRIBUTES.get(tag.lower(), ())
            for key in values:
                if key in _UNIVERSAL_LISTS or key in specific:
                    values[key] = _TOKENS.findall(values[key])
        self._push(Tag(tag, values, line, column))
        if closes_itself and tag in VOID_ELEMENTS:
            self.handle_endtag(tag, after_void=False)
            self.closed_voids.append(tag)  # so one later </br> is not read as a second one

    def handle_endtag(self, tag, after_void: bool = True) -> None:
        if after_void and tag in self.closed_voids:
            self.closed_voids.remove(tag)
            return
        self._end_data()
        self._pop_to(tag)

    def handle_data(self, data) -> None:
        self.data.append(data)

    def handle_charref(self, name) -> None:
        text, rest = charref_text(name)
        self.data.append(text)
        self.data.append(rest)

    def handle_entityref(self, name) -> None:
        text = ENTITIES.get(name)
        self.data.append(f"&{name}" if text is None else text)

    def _special(self, data: str, kind: type[NavigableString]) -> None:
        self._end_data()
        self.data.append(data)
        self._end_data(kind)

    def handle_comment(self, data) -> None:
        self._special(data, Comment)

    def handle_decl(self, decl) -> None:
        self._special(decl[len("DOCTYPE ") :], Doctype)

    def unknown_decl(self, data) -> None:
        if data.upper().startswith("CDATA["):
            self._special(data[len("CDATA[") :], CData)
        else:
            self._special(data, Declaration)

    def handle_pi(self, data) -> None:
        self._special(data, ProcessingInstruction)


def parse(markup: str) -> Tag:
    """The document tree of `markup` (a Tag named "[document]"). May raise on markup the tokenizer rejects."""
    builder = _Builder()
    builder.feed(markup)
    builder.close()
    return builder.finish()
