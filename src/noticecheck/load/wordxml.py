"""Word (.docx) XML to a small document model, read the way mammoth reads it.

The DOCX loader used to hand every file to mammoth, which parses each XML
part with a pure-Python DOM and builds its document model in Python: 25-50
ms per notice. This module reads the same parts with lxml and builds the
same model (paragraphs with their style and numbering, runs with the
formatting that changes the HTML, links, tables, notes, breaks, images,
bookmarks, checkboxes) following mammoth's reading rules one by one, so
`wordtree.py` can turn it into the very blocks the mammoth route gave:

* the main document, styles, numbering and notes parts are found through
  the package relationships, with mammoth's fallbacks (word/styles.xml...);
* an unknown element is skipped with all it holds (so w:fldSimple,
  w:delText, w:cr and DrawingML text boxes give no text), while wrappers
  (w:ins, w:smartTag, w:sdt, w:customXml, VML text boxes...) are read
  through; mc:AlternateContent is read as its mc:Fallback;
* a paragraph whose mark is deleted lends its content to the next one;
  text boxes (w:pict) follow the paragraph that anchors them;
* complex fields: HYPERLINK makes the result runs links, FORMCHECKBOX a
  checkbox; fields may span paragraphs;
* tables drop deleted rows and the cells that continue a vertical merge.

Whatever this reader does not model raises `NeedsMammoth`, and the loader
falls back to the mammoth route for that file: strict-namespace documents
(a rare "Strict Open XML" save), DTDs and CDATA (never written by Word),
damaged parts, dangling relationship ids. Those are rare files; the point
is that the fallback gives exactly the old result for them.

Every XML part is parsed with the hardened parser (no DTD loading, no
entity expansion, no network) after zipguard has vetted the archive.
"""

from __future__ import annotations

import functools
import re
import zipfile
from dataclasses import dataclass, field

from noticecheck.precompiled import regex

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W = f"{{{_W}}}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
PIC = "{http://schemas.openxmlformats.org/drawingml/2006/picture}"
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
V = "{urn:schemas-microsoft-com:vml}"
W14 = "{http://schemas.microsoft.com/office/word/2010/wordml}"
PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
CT = "{http://schemas.openxmlformats.org/package/2006/content-types}"
REL_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
W_VAL = f"{W}val"
W_ID = f"{W}id"
P_PR, R_PR, P_STYLE, NUM_PR, DEL = W + "pPr", W + "rPr", W + "pStyle", W + "numPr", W + "del"
ALTERNATE_CONTENT = f"{MC}AlternateContent"
FALLBACK = f"{MC}Fallback"

# Markers of what this reader leaves to mammoth (see the module docstring).
_UNMODELLED = (b"http://purl.oclc.org/ooxml/", b"<!DOCTYPE", b"<![CDATA[")
STYLES_CACHE_MAX_BYTES = 1024 * 1024
_ASCII_COMPATIBLE = frozenset({"utf-8", "utf8", "us-ascii", "ascii"})
_HYPERLINK_FIELD = regex(r'^\s*HYPERLINK\s+(\\l\s+)?(?:"(.*)"|([^\\]\S*))')
_CHECKBOX_FIELD = regex(r"\s*FORMCHECKBOX\s*")


class NeedsMammoth(Exception):
    """This file holds something the fast reader does not model; use the mammoth route."""


# -- the document model (the parts of mammoth's that reach the HTML) ---------


@dataclass
class Paragraph:
    children: list
    style_id: str | None
    style_name: str | None
    numbering: tuple[str, bool] | None  # (level index, is ordered), as mammoth compares them


@dataclass
class Run:
    children: list
    style_name: str | None
    bold: bool
    italic: bool
    strike: bool
    vertical: str | None  # "superscript", "subscript" or None


@dataclass
class Hyperlink:
    children: list
    href: str | None = None
    anchor: str | None = None
    target_frame: str | None = None


@dataclass
class Table:
    children: list


@dataclass
class Row:
    children: list
    is_header: bool


@dataclass
class Cell:
    children: list
    colspan: int = 1  # read only to line up vertical merges
    vmerge: bool = False  # continues the cell above (dropped once rows are merged)


@dataclass(frozen=True)
class Bookmark:
    name: str


@dataclass(frozen=True)
class Checkbox:
    checked: bool


@dataclass(frozen=True)
class NoteReference:
    note_type: str
    note_id: str


@dataclass(frozen=True)
class Break:
    kind: str  # "line", "page" or "column"


class _Leaf:
    """A model element with no data (a tab, an image, a comment reference)."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return self.name


TAB = _Leaf("Tab")
IMAGE = _Leaf("Image")  # images are not converted; they only sit between runs
COMMENT_REFERENCE = _Leaf("CommentReference")  # mammoth's default style map ignores these
LINE_BREAK, PAGE_BREAK, COLUMN_BREAK = Break("line"), Break("page"), Break("column")
# Text is a plain str.


@dataclass
class Note:
    note_type: str
    note_id: str
    body: list


@dataclass
class WordDocument:
    children: list
    notes: dict[tuple[str, str], Note] = field(default_factory=dict)


# -- package parts -------------------------------------------------------------


def _read(archive: zipfile.ZipFile, name: str) -> bytes:
    try:
        return archive.read(name)
    except Exception as exc:  # noqa: BLE001 - any unreadable part: let mammoth judge the file
        raise NeedsMammoth(f"cannot read {name}: {exc}") from None


def _parse(archive: zipfile.ZipFile, name: str):
    return _parse_bytes(_read(archive, name), name)


def _parse_bytes(data: bytes, name: str):
    from lxml import etree

    if any(marker in data for marker in _UNMODELLED):
        raise NeedsMammoth(f"{name} uses XML this reader leaves to mammoth")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise NeedsMammoth(f"{name} is not well-formed: {exc}") from None
    info = root.getroottree().docinfo
    # The byte markers above only work in an ASCII-compatible encoding; Word
    # writes UTF-8 XML 1.0, anything else is left to mammoth's parser.
    if (info.encoding or "").lower() not in _ASCII_COMPATIBLE or info.xml_version not in (None, "1.0") or info.doctype:
        raise NeedsMammoth(f"{name} is XML {info.xml_version} in {info.encoding} or has a document type")
    return root


def _exists(archive: zipfile.ZipFile, name: str) -> bool:
    try:
        archive.getinfo(name)
    except KeyError:
        return False
    return True


def _split_path(path: str) -> tuple[str, str]:
    head, sep, tail = path.rpartition("/")
    return (head, tail) if sep else ("", path)


def _join_path(*paths: str) -> str:
    parts: list[str] = []
    for path in filter(None, paths):
        parts = [path] if path.startswith("/") else [*parts, path]
    return "/".join(parts)


def _rels_path(part: str) -> str:
    folder, name = _split_path(part)
    return _join_path(folder, "_rels", name + ".rels")


@dataclass
class _Relationships:
    by_id: dict[str, str]
    by_type: dict[str, list[str]]

    def target(self, relationship_id: str) -> str:
        try:
            return self.by_id[relationship_id]
        except KeyError:
            raise NeedsMammoth(f"dangling relationship id {relationship_id!r}") from None


def _relationships(archive: zipfile.ZipFile, name: str) -> _Relationships:
    by_id: dict[str, str] = {}
    by_type: dict[str, list[str]] = {}
    if _exists(archive, name):
        for element in _children(_parse(archive, name)):
            if element.tag != PKG_REL:
                continue
            target, kind, rid = element.get("Target"), element.get("Type"), element.get("Id")
            if target is None or kind is None or rid is None:
                raise NeedsMammoth(f"a relationship in {name} lacks Id, Target or Type")
            by_id[rid] = target
            by_type.setdefault(kind, []).append(target)
    return _Relationships(by_id, by_type)


def _part_path(archive, relationships: _Relationships, kind: str, base: str, fallback: str) -> str:
    targets = [_join_path(base, t).lstrip("/") for t in relationships.by_type.get(REL_TYPE + kind, [])]
    return next((t for t in targets if _exists(archive, t)), fallback)


@dataclass
class _Styles:
    paragraph: dict[str, str | None] = field(default_factory=dict)
    character: dict[str, str | None] = field(default_factory=dict)
    numbering: dict[str, str | None] = field(default_factory=dict)  # style id -> its numId


def _read_styles(data: bytes) -> _Styles:
    """The style names and numbering links in a styles part (treat the result as read-only).

    Cached by content: documents made from one template (python-docx's own
    carries 350 KB of styles, a trust's template goes to every school) share
    the part byte for byte, and parsing it was the largest single cost.
    Only parts of a sane size are kept, so the cache stays a few MB.
    """
    return _cached_styles(data) if len(data) <= STYLES_CACHE_MAX_BYTES else _styles(data)


@functools.lru_cache(maxsize=16)
def _cached_styles(data: bytes) -> _Styles:
    return _styles(data)


def _styles(data: bytes) -> _Styles:
    styles = _Styles()
    by_type = {"paragraph": styles.paragraph, "character": styles.character, "numbering": styles.numbering, "table": {}}
    root = _parse_bytes(data, "styles")
    # Without mc:AlternateContent anywhere (the usual case) a child is a plain child, and lxml's own
    # lookups give what _children/_child give, in C: a styles part holds hundreds of styles.
    plain = b"AlternateContent" not in data
    for element in root.iterchildren(f"{W}style") if plain else _children(root):
        if element.tag != f"{W}style":
            continue
        kind, style_id = element.get(f"{W}type"), element.get(f"{W}styleId")
        if kind is None or style_id is None:
            raise NeedsMammoth("a style without a type or an id")
        if kind == "numbering":
            value = _val(_path(element, "pPr", "numPr", "numId"))
        else:
            value = _val(element.find(f"{W}name") if plain else _child(element, f"{W}name"))
        target = by_type.get(kind)
        if target is not None and style_id not in target:  # the first definition of an id wins
            target[style_id] = value
    return styles


@dataclass
class _Level:
    index: str
    is_ordered: bool
    paragraph_style: str | None


class _Numbering:
    """numbering.xml as mammoth resolves it: numId -> abstractNum -> level, through style links."""

    def __init__(self, root, styles: _Styles) -> None:
        self.abstract: dict[str | None, tuple[dict[str, _Level], str | None]] = {}
        self.nums: dict[str | None, str] = {}
        self.styles = styles
        if root is None:
            self.by_style: dict[str, tuple[str, bool]] = {}
            return
        for element in _children(root):
            if element.tag == f"{W}abstractNum":
                link = _val(_child(element, f"{W}numStyleLink"))
                self.abstract[element.get(f"{W}abstractNumId")] = (_levels(element), link)
            elif element.tag == f"{W}num":
                abstract_id = _val(_child(element, f"{W}abstractNumId"))
                if abstract_id is None:
                    raise NeedsMammoth("a numbering instance without its abstract numbering")
                self.nums[element.get(f"{W}numId")] = abstract_id
        self.by_style = {
            level.paragraph_style: (level.index, level.is_ordered)
            for levels, _ in self.abstract.values()
            for level in levels.values()
            if level.paragraph_style is not None
        }

    def find_level(self, num_id: str | None, level: str | None) -> tuple[str, bool] | None:
        seen: set[str | None] = set()
        while num_id not in seen:
            seen.add(num_id)
            abstract_id = self.nums.get(num_id)
            if abstract_id is None or abstract_id not in self.abstract:
                return None
            levels, link = self.abstract[abstract_id]
            if link is None:
                found = levels.get(level)
                return None if found is None else (found.index, found.is_ordered)
            if link not in self.styles.numbering:
                raise NeedsMammoth(f"numbering linked to a missing numbering style {link!r}")
            num_id = self.styles.numbering[link]
        return None


def _levels(abstract) -> dict[str, _Level]:
    levels: dict[str, _Level] = {}
    without_index = None
    for element in _children(abstract):
        if element.tag != f"{W}lvl":
            continue
        level = _Level(
            element.get(f"{W}ilvl"),
            _val(_child(element, f"{W}numFmt")) != "bullet",
            _val(_child(element, f"{W}pStyle")),
        )
        if level.index is None:  # malformed, but mammoth reads it as level 0
            level.index = "0"
            without_index = level
        else:
            levels[level.index] = level
    if without_index is not None and "0" not in levels:
        levels["0"] = without_index
    return levels


# -- element helpers -----------------------------------------------------------


def _children(element) -> list:
    """Element children, comments and PIs left out, mc:AlternateContent replaced by its fallback.

    As in mammoth, the fallback's own children are not unwrapped again here;
    an mc:AlternateContent among them is read through by its handler.
    """
    out = []
    for child in element:
        tag = child.tag
        if tag.__class__ is not str:
            continue
        if tag == ALTERNATE_CONTENT:
            fallback = next((c for c in child if c.tag == FALLBACK), None)
            if fallback is not None:
                out.extend(c for c in fallback if c.tag.__class__ is str)
        else:
            out.append(child)
    return out


def _first_children(element) -> dict:
    """Tag -> the first child with that tag, as mammoth's find_child sees children."""
    if element is None:
        return {}
    found: dict = {}
    for child in _children(element):
        if child.tag not in found:
            found[child.tag] = child
    return found


def _child(element, tag: str):
    """The first child with `tag`, as mammoth's find_child sees children (fallbacks unwrapped)."""
    if element is None:
        return None
    for child in element:
        found = child.tag
        if found == tag:
            return child
        if found == ALTERNATE_CONTENT:
            fallback = next((c for c in child if c.tag == FALLBACK), None)
            inner = None if fallback is None else next((c for c in fallback if c.tag == tag), None)
            if inner is not None:
                return inner
    return None


def _path(element, *names: str):
    for name in names:
        element = _child(element, W + name)
    return element


def _val(element) -> str | None:
    return None if element is None else element.get(W_VAL)


def _inner_text(element) -> str:
    if not len(element):
        return element.text or ""
    parts = [element.text or ""]
    for child in element:
        if child.tag.__class__ is str:
            parts.append(_inner_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _on(element) -> bool:
    """A w:b-like toggle: present and not switched off (mammoth reads "off" as on)."""
    return element is not None and element.get(W_VAL) not in ("false", "0")


# -- the body reader -----------------------------------------------------------


class _Begin:
    """A complex field whose instruction is still being read."""

    def __init__(self, fld_char) -> None:
        self.fld_char = fld_char


@dataclass
class _FieldLink:
    href: str | None = None
    anchor: str | None = None


class _PartReader:
    """Reads one part's body elements (state is per part, like mammoth's)."""

    def __init__(self, relationships: _Relationships, styles: _Styles, numbering: _Numbering) -> None:
        self.relationships = relationships
        self.styles = styles
        self.numbering = numbering
        self.instr_text: list[str] = []
        self.fields: list = []
        self.deleted_content: list = []
        self._dingbats = None
        self.handlers = {
            W + "t": self._text,
            W + "r": self._run,
            W + "p": self._paragraph,
            W + "fldChar": self._fld_char,
            W + "instrText": self._instr_text,
            W + "tab": self._tab,
            W + "noBreakHyphen": self._no_break_hyphen,
            W + "softHyphen": self._soft_hyphen,
            W + "sym": self._symbol,
            W + "tbl": self._table,
            W + "tr": self._row,
            W + "tc": self._cell,
            W + "pict": self._pict,
            W + "hyperlink": self._hyperlink,
            W + "bookmarkStart": self._bookmark,
            W + "br": self._break,
            WP + "inline": self._inline,
            WP + "anchor": self._inline,
            V + "imagedata": self._imagedata,
            W + "footnoteReference": self._note_reference,
            W + "endnoteReference": self._note_reference,
            W + "commentReference": self._comment_reference,
            ALTERNATE_CONTENT: self._alternate_content,
            W + "sdt": self._sdt,
        }
        for name in ("customXml", "ins", "moveFromRangeEnd", "moveFromRangeStart", "moveTo", "moveToRangeEnd",
                     "moveToRangeStart", "object", "smartTag", "drawing", "txbxContent"):  # fmt: skip
            self.handlers[W + name] = self._read_through
        for name in ("group", "rect", "roundrect", "shape", "textbox"):
            self.handlers[V + name] = self._read_through

    def read_all(self, elements) -> list:
        out: list = []
        self.read_into(elements, out, [])  # mammoth drops what floats up past the top
        return out

    def read_into(self, elements, out: list, extra: list) -> None:
        """Read `elements` into `out`; text boxes float up into `extra` until a paragraph takes them."""
        handlers = self.handlers
        for element in elements:
            handler = handlers.get(element.tag)
            if handler is not None:
                handler(element, out, extra)

    def _read_through(self, element, out, extra) -> None:
        self.read_into(_children(element), out, extra)

    def _alternate_content(self, element, out, extra) -> None:
        fallback = _child(element, FALLBACK)
        if fallback is not None:
            self.read_into(_children(fallback), out, extra)

    # paragraphs and runs

    def _paragraph(self, element, out, extra) -> None:
        kids = _children(element)
        properties = next((k for k in kids if k.tag == P_PR), None)
        props = _first_children(properties)
        if _child(props.get(R_PR), DEL) is not None:
            self.deleted_content.extend(kids)
            return
        if self.deleted_content:
            kids = self.deleted_content + kids
            self.deleted_content = []
        style_id = _val(props.get(P_STYLE))
        style_name = self._style_name(self.styles.paragraph, style_id)
        children: list = []
        floating: list = []
        self.read_into(kids, children, floating)
        out.append(Paragraph(children, style_id, style_name, self._numbering(style_id, props.get(NUM_PR))))
        out.extend(floating)

    @staticmethod
    def _style_name(styles: dict[str, str | None], style_id: str | None) -> str | None:
        return None if style_id is None else styles.get(style_id)

    def _numbering(self, style_id: str | None, num_pr) -> tuple[str, bool] | None:
        props = _first_children(num_pr)
        num_id = _val(props.get(W + "numId"))
        level = _val(props.get(W + "ilvl"))
        if num_id is not None and level is not None:
            return self.numbering.find_level(num_id, level)
        if style_id is not None:
            found = self.numbering.by_style.get(style_id)
            if found is not None:
                return found
        if num_id is not None:
            return self.numbering.find_level(num_id, "0")
        return None

    def _run(self, element, out, extra) -> None:
        kids = _children(element)
        props = _first_children(next((k for k in kids if k.tag == R_PR), None))
        vertical = _val(props.get(W + "vertAlign"))
        children: list = []
        self.read_into(kids, children, extra)
        link = self._field_link()
        if link is not None:  # read after the run's own field characters, as mammoth does
            children = [Hyperlink(children, href=link.href, anchor=link.anchor)]
        out.append(
            Run(
                children,
                self._style_name(self.styles.character, _val(props.get(W + "rStyle"))),
                bold=_on(props.get(W + "b")),
                italic=_on(props.get(W + "i")),
                strike=_on(props.get(W + "strike")),
                vertical=vertical if vertical in ("superscript", "subscript") else None,
            )
        )

    def _text(self, element, out, extra) -> None:
        out.append(_inner_text(element))

    def _tab(self, element, out, extra) -> None:
        out.append(TAB)

    def _no_break_hyphen(self, element, out, extra) -> None:
        out.append("\u2011")

    def _soft_hyphen(self, element, out, extra) -> None:
        out.append("\u00ad")

    def _symbol(self, element, out, extra) -> None:
        if self._dingbats is None:
            # Mammoth's table of Symbol/Wingdings code points; importing it loads
            # mammoth (~0.1 s once per process), paid only by files with w:sym.
            from mammoth.docx.dingbats import dingbats

            self._dingbats = dingbats
        font, char = element.get(f"{W}font"), element.get(f"{W}char")
        if char is None:
            raise NeedsMammoth("a w:sym without a character")
        try:
            code = self._dingbats.get((font, int(char, 16)))
            if code is None and re.match("^F0..", char):
                code = self._dingbats.get((font, int(char[2:], 16)))
        except ValueError:
            raise NeedsMammoth(f"a w:sym with a bad character code {char!r}") from None
        if code is not None:
            out.append(chr(code))

    def _break(self, element, out, extra) -> None:
        kind = element.get(f"{W}type")
        if not kind or kind == "textWrapping":
            out.append(LINE_BREAK)
        elif kind == "page":
            out.append(PAGE_BREAK)
        elif kind == "column":
            out.append(COLUMN_BREAK)

    def _bookmark(self, element, out, extra) -> None:
        name = element.get(f"{W}name")
        if name != "_GoBack":  # Word's "last edit" marker
            out.append(Bookmark(name))

    def _hyperlink(self, element, out, extra) -> None:
        relationship_id = element.get(f"{R}id")
        anchor = element.get(f"{W}anchor")
        target_frame = element.get(f"{W}tgtFrame") or None
        children: list = []
        self.read_into(_children(element), children, extra)
        if relationship_id is not None:
            href = self.relationships.target(relationship_id)
            if anchor is not None:
                href = href.split("#", 1)[0] + "#" + anchor
            out.append(Hyperlink(children, href=href, target_frame=target_frame))
        elif anchor is not None:
            out.append(Hyperlink(children, anchor=anchor, target_frame=target_frame))
        else:
            out.extend(children)

    def _pict(self, element, out, extra) -> None:
        # A VML picture or text box: its content follows the paragraph.
        inner: list = []
        floating: list = []
        self.read_into(_children(element), inner, floating)
        extra.extend(floating)
        extra.extend(inner)

    def _inline(self, element, out, extra) -> None:
        doc_pr = _child(element, WP + "docPr")
        href = None
        link_id = None if doc_pr is None else _attr_or_none(_child(doc_pr, A + "hlinkClick"), f"{R}id")
        if link_id:
            href = self.relationships.target(link_id)
        blips = [element]
        for tag in (A + "graphic", A + "graphicData", PIC + "pic", PIC + "blipFill", A + "blip"):
            blips = [c for b in blips for c in _children(b) if c.tag == tag]
        for blip in blips:
            embed, link = blip.get(f"{R}embed"), blip.get(f"{R}link")
            if embed is None and link is None:
                continue  # mammoth warns and skips an image it cannot find
            self.relationships.target(embed if embed is not None else link)
            out.append(IMAGE if href is None else Hyperlink([IMAGE], href=href))

    def _imagedata(self, element, out, extra) -> None:
        relationship_id = element.get(f"{R}id")
        if relationship_id is not None:
            self.relationships.target(relationship_id)
            out.append(IMAGE)

    def _note_reference(self, element, out, extra) -> None:
        note_id = element.get(W_ID)
        if note_id is None:
            raise NeedsMammoth("a note reference without an id")
        kind = "footnote" if element.tag == W + "footnoteReference" else "endnote"
        out.append(NoteReference(kind, note_id))

    def _comment_reference(self, element, out, extra) -> None:
        if element.get(W_ID) is None:
            raise NeedsMammoth("a comment reference without an id")
        out.append(COMMENT_REFERENCE)

    # complex fields

    def _fld_char(self, element, out, extra) -> None:
        kind = element.get(f"{W}fldCharType")
        if kind == "begin":
            self.fields.append(_Begin(element))
            self.instr_text.clear()
        elif kind == "end" and self.fields:
            field_ = self.fields.pop()
            if isinstance(field_, _Begin):
                field_ = self._parse_field(field_)
            if isinstance(field_, Checkbox):
                out.append(field_)
        elif kind == "separate" and self.fields:
            self.fields.append(self._parse_field(self.fields.pop()))

    def _instr_text(self, element, out, extra) -> None:
        self.instr_text.append(_inner_text(element))

    def _parse_field(self, field_):
        instruction = "".join(self.instr_text)
        fld_char = field_.fld_char if isinstance(field_, _Begin) else None
        link = _HYPERLINK_FIELD.match(instruction)
        if link is not None:
            location = link.group(3) if link.group(2) is None else link.group(2)
            return _FieldLink(href=location) if link.group(1) is None else _FieldLink(anchor=location)
        if _CHECKBOX_FIELD.match(instruction):
            box = _path(fld_char, "ffData", "checkBox")
            checked = _child(box, W + "checked")
            return Checkbox(_on(_child(box, W + "default") if checked is None else checked))
        return None

    def _field_link(self) -> _FieldLink | None:
        return next((f for f in reversed(self.fields) if isinstance(f, _FieldLink)), None)

    # tables

    def _table(self, element, out, extra) -> None:
        rows: list = []
        self.read_into(_children(element), rows, extra)
        out.append(Table(_merge_rows(rows)))

    def _row(self, element, out, extra) -> None:
        kids = _children(element)
        properties = next((k for k in kids if k.tag == W + "trPr"), None)
        if _child(properties, W + "del") is not None:
            return  # a deleted row, children unread
        cells: list = []
        self.read_into(kids, cells, extra)
        out.append(Row(cells, is_header=_child(properties, W + "tblHeader") is not None))

    def _cell(self, element, out, extra) -> None:
        kids = _children(element)
        properties = next((k for k in kids if k.tag == W + "tcPr"), None)
        span = _val(_child(properties, W + "gridSpan"))
        colspan = 1 if span is None else _int(span)
        merge = _child(properties, W + "vMerge")
        children: list = []
        self.read_into(kids, children, extra)
        out.append(Cell(children, colspan, vmerge=merge is not None and merge.get(W_VAL) in (None, "", "continue")))

    # structured document tags (content controls)

    def _sdt(self, element, out, extra) -> None:
        content: list = []
        inner = _child(element, W + "sdtContent")
        if inner is not None:
            self.read_into(_children(inner), content, extra)
        box = _child(_child(element, W + "sdtPr"), W14 + "checkbox")
        if box is None:
            out.extend(content)
            return
        checked = _child(box, W14 + "checked")
        checkbox = Checkbox(checked is not None and checked.get(f"{W14}val") not in ("false", "0"))
        replaced = [False]
        content = [_replace_first_text(item, checkbox, replaced) for item in content]
        out.extend(content if replaced[0] else [checkbox])


def _attr_or_none(element, name: str) -> str | None:
    return None if element is None else element.get(name)


def _int(value: str) -> int:
    try:
        return int(value)
    except ValueError:
        raise NeedsMammoth(f"a bad number {value!r}") from None


def _replace_first_text(item, checkbox: Checkbox, replaced: list[bool]):
    """The content-control checkbox rule: its first non-empty text becomes the box."""
    if isinstance(item, str):
        if item and not replaced[0]:
            replaced[0] = True
            return checkbox
        return item
    children = getattr(item, "children", None)
    if children is not None:
        item.children = [_replace_first_text(child, checkbox, replaced) for child in children]
    return item


def _merge_rows(rows: list) -> list:
    """Drop the cells that continue a vertical merge (mammoth's row spans)."""
    if any(not isinstance(row, Row) for row in rows) or any(
        not isinstance(cell, Cell) for row in rows for cell in row.children
    ):
        return rows  # mammoth gives up merging and keeps every cell
    columns: dict[int, Cell] = {}
    for row in rows:
        index = 0
        for cell in row.children:
            if not (cell.vmerge and index in columns):
                columns[index] = cell
                cell.vmerge = False
            index += cell.colspan
    for row in rows:
        row.children = [cell for cell in row.children if not cell.vmerge]
    return rows


# -- the front door --------------------------------------------------------------


def read_document(archive: zipfile.ZipFile) -> WordDocument:
    """The document model of a vetted DOCX archive; NeedsMammoth when it holds what this does not model."""
    package = _relationships(archive, "_rels/.rels")
    main = _part_path(archive, package, "officeDocument", "", "word/document.xml")
    if not _exists(archive, main):
        raise NeedsMammoth("no main document part")
    relationships = _relationships(archive, _rels_path(main))
    base = _split_path(main)[0]

    def part(kind: str) -> str:
        return _part_path(archive, relationships, kind, base, f"word/{kind}.xml")

    if _exists(archive, "[Content_Types].xml"):
        _check_content_types(_parse(archive, "[Content_Types].xml"))
    styles = _read_styles(_read(archive, part("styles"))) if _exists(archive, part("styles")) else _Styles()
    numbering_part = part("numbering")
    numbering = _Numbering(_parse(archive, numbering_part) if _exists(archive, numbering_part) else None, styles)

    def reader(name: str) -> _PartReader:
        return _PartReader(_relationships(archive, _rels_path(name)), styles, numbering)

    notes: dict[tuple[str, str], Note] = {}
    for kind in ("footnote", "endnote"):
        name = part(kind + "s")
        if _exists(archive, name):
            notes.update(_read_notes(_parse(archive, name), kind, reader(name)))
    comments = part("comments")
    if _exists(archive, comments):
        _read_comments(_parse(archive, comments), reader(comments))

    root = _parse(archive, main)
    body = _child(root, W + "body")
    if body is None:
        raise NeedsMammoth("the main document has no w:body")
    return WordDocument(reader(main).read_all(_children(body)), notes)


def _check_content_types(root) -> None:
    # Mammoth reads it (for image types) and fails on an entry without its attributes.
    for element in _children(root):
        if element.tag == CT + "Default" and (element.get("Extension") is None or element.get("ContentType") is None):
            raise NeedsMammoth("a content type default without its attributes")
        if element.tag == CT + "Override" and (element.get("PartName") is None or element.get("ContentType") is None):
            raise NeedsMammoth("a content type override without its attributes")


def _read_notes(root, kind: str, reader: _PartReader) -> dict[tuple[str, str], Note]:
    notes: dict[tuple[str, str], Note] = {}
    for element in _children(root):
        if element.tag != W + kind or element.get(f"{W}type") in ("continuationSeparator", "separator"):
            continue
        note_id = element.get(W_ID)
        if note_id is None:
            raise NeedsMammoth(f"a {kind} without an id")
        notes[(kind, note_id)] = Note(kind, note_id, reader.read_all(_children(element)))
    return notes


def _read_comments(root, reader: _PartReader) -> None:
    # Comments never reach the HTML (mammoth ignores comment references by
    # default), but mammoth reads them, so what would fail there fails here.
    for element in _children(root):
        if element.tag == W + "comment":
            if element.get(W_ID) is None:
                raise NeedsMammoth("a comment without an id")
            reader.read_all(_children(element))
