"""A Word document model (wordxml.py) to blocks, the way mammoth + html.py made them.

The mammoth route wrote HTML and html.py parsed it back into a tree.
Here the same HTML is built as a small node tree and walked directly:

1. convert: each model element becomes the nodes mammoth's converter makes
   with our style map (STYLE_MAP) and mammoth's default one: Title,
   Heading N and list styles or numbering pick the paragraph's path;
   bold, italic, strike-through and sub/superscript wrap runs; links,
   bookmarks, tables, breaks, note references and the notes list at the end
   come out as mammoth writes them;
2. mammoth's two clean-ups: drop empty elements, then merge neighbours that
   may merge (two runs in bold become one <strong>, two runs linking to the
   same address one <a>, so the address is shown once);
3. walk the tree with html.py's rules (the same Assembler, block tags, bold
   depth and link suffixes), so bold-only paragraphs, bullets typed as text
   and line breaks are read exactly as in a web page.

Lines do not matter here: office.numbered_text numbers blocks by ordinal.
"""

from __future__ import annotations

import re

from noticecheck.load.assemble import Assembler
from noticecheck.load.blocks import link_suffix
from noticecheck.load.html import _FRESH_CONTAINERS, BLOCK_TAGS, BOLD_HEADING_CONTAINERS, BOLD_TAGS, HEADINGS
from noticecheck.load.wordxml import (
    COMMENT_REFERENCE,
    IMAGE,
    TAB,
    NeedsMammoth,
    Bookmark,
    Break,
    Cell,
    Checkbox,
    Hyperlink,
    Note,
    NoteReference,
    Paragraph,
    Row,
    Run,
    Table,
    WordDocument,
)
from noticecheck.model import Block, BlockKind
from noticecheck.precompiled import regex

# The mammoth route's style map (load/docx.py passes it); the fast route reads the same rules from it.
STYLE_MAP = "\n".join(
    (
        "p[style-name='Title'] => h1:fresh",
        "p[style-name='Subtitle'] => h2:fresh",
        "p[style-name='List Bullet'] => ul > li:fresh",
        "p[style-name='List Bullet 2'] => ul > li:fresh",
        "p[style-name='List Number'] => ol > li:fresh",
        "p[style-name='List Number 2'] => ol > li:fresh",
        "p[style-name='List Paragraph'] => ul > li:fresh",
    )
)

VOID_TAGS = frozenset({"br", "hr", "img", "input"})
UP_ARROW = "\u2191"  # mammoth's link from a note back to its reference


class _Node:
    """An HTML element as mammoth builds it; `names` are the tags it may merge into."""

    __slots__ = ("tag", "names", "attrs", "children", "collapsible")

    def __init__(self, tag: str, children: list, *, attrs: dict | None = None, collapsible: bool = False, names=None):
        self.tag = tag
        self.names = names or (tag,)
        self.attrs = attrs or {}
        self.children = children
        self.collapsible = collapsible


# Mammoth's "force write": keeps an element that has nothing else in it (table cells, bookmarks).
FORCE = object()

# -- paragraph paths -------------------------------------------------------------
# A path is the chain of elements wrapped around a paragraph's content, outermost
# first: (tag names, fresh). A fresh element never merges with its neighbour.


def _heading(level: int) -> tuple:
    return (((f"h{level}",), True),)


def _list(level: int, ordered: bool) -> tuple:
    outer = ((("ul", "ol"), False), (("li",), False)) * (level - 1)
    return (*outer, ((("ol",) if ordered else ("ul",)), False), (("li",), True))


PARAGRAPH_PATH = ((("p",), True),)
_STYLE_RULE = regex(r"^p\[style-name='([^']+)'\] => ([a-z0-9 >:]+)$")


def _our_rules(style_map: str) -> tuple:
    """The rules of STYLE_MAP (the map the mammoth route passes), so both routes read one map."""
    rules = []
    for line in style_map.splitlines():
        match = _STYLE_RULE.match(line.strip())
        if match is None:
            raise ValueError(f"style map line the fast Word reader cannot follow: {line!r}")
        path = tuple(((tag,), fresh == ":fresh") for tag, fresh in re.findall(r"([a-z0-9]+)(:fresh)?", match.group(2)))
        rules.append((None, match.group(1).upper(), None, path))
    return tuple(rules)


# (style id, style name upper-cased, numbering level, path): the first rule that
# matches wins, as in mammoth. Ours come first, then mammoth's defaults; its
# defaults that map to <p> after the list rules are left out, since <p> is what
# an unmatched paragraph gets anyway.
_RULES: tuple = (
    *_our_rules(STYLE_MAP),
    *((f"Heading{n}", None, None, _heading(n)) for n in range(1, 7)),
    *((None, f"HEADING {n}", None, _heading(n)) for n in range(1, 7)),
    ("Heading", None, None, _heading(1)),
    (None, "HEADING", None, _heading(1)),
    *((None, name, None, PARAGRAPH_PATH) for name in ("FOOTNOTE TEXT", "ENDNOTE TEXT", "ANNOTATION TEXT", "FOOTNOTE", "ENDNOTE")),
    *((None, None, (str(n - 1), False), _list(n, False)) for n in range(1, 6)),
    *((None, None, (str(n - 1), True), _list(n, True)) for n in range(1, 6)),
)  # fmt: skip


def paragraph_path(style_id: str | None, style_name: str | None, numbering: tuple[str, bool] | None) -> tuple:
    """The element chain mammoth wraps around a paragraph with this style and numbering."""
    name = None if style_name is None else style_name.upper()
    for rule_id, rule_name, rule_numbering, path in _RULES:
        if rule_id is not None and rule_id != style_id:
            continue
        if rule_name is not None and rule_name != name:
            continue
        if rule_numbering is not None and rule_numbering != numbering:
            continue
        return path
    return PARAGRAPH_PATH


def _wrap(path: tuple, nodes: list) -> list:
    for names, fresh in reversed(path):
        nodes = [_Node(names[0], nodes, names=names, collapsible=not fresh)]
    return nodes


# -- 1. convert ----------------------------------------------------------------


class _Converter:
    def __init__(self, notes: dict[tuple[str, str], Note]) -> None:
        self.notes = notes
        self.references: list[NoteReference] = []
        self.table_header = False
        self.paths: dict[tuple, tuple] = {}

    def document(self, document: WordDocument) -> list:
        nodes = self.all(document.children)
        notes = []
        for reference in self.references:
            try:
                notes.append(self.notes[(reference.note_type, reference.note_id)])
            except KeyError:
                raise NeedsMammoth(f"a reference to a missing {reference.note_type}") from None
        # The notes list, then mammoth's (always empty) comments list.
        return [*nodes, _Node("ol", self.all(notes)), _Node("dl", [])]

    def all(self, elements: list) -> list:
        out: list = []
        for element in elements:
            out.extend(self.visit(element))
        return out

    def visit(self, element) -> list:
        if isinstance(element, str):
            return [element]
        kind = type(element)
        if kind is Paragraph:
            key = (element.style_id, element.style_name, element.numbering)
            path = self.paths.get(key)
            if path is None:
                path = self.paths[key] = paragraph_path(*key)
            return _wrap(path, self.all(element.children))
        if kind is Run:
            return self.run(element)
        if kind is Hyperlink:
            href = element.href if element.anchor is None else f"#{element.anchor}"
            attrs = {"href": href}
            if element.target_frame is not None:
                attrs["target"] = element.target_frame
            return [_Node("a", self.all(element.children), attrs=attrs, collapsible=True)]
        if kind is Table:
            return [_Node("table", [FORCE, *self.table_children(element.children)])]
        if kind is Row:
            return [_Node("tr", [FORCE, *self.all(element.children)])]
        if kind is Cell:
            return [_Node("th" if self.table_header else "td", [FORCE, *self.all(element.children)])]
        if kind is Break:
            return [_Node("br", [])] if element.kind == "line" else []
        if kind is Bookmark:
            return [_Node("a", [FORCE], attrs={"id": f"{element.name}"}, collapsible=True)]
        if kind is Checkbox:
            attrs = {"type": "checkbox", **({"checked": "checked"} if element.checked else {})}
            return [_Node("input", [], attrs=attrs)]
        if kind is NoteReference:
            self.references.append(element)
            ids = {"href": f"#{element.note_type}-{element.note_id}", "id": f"{element.note_type}-ref-{element.note_id}"}
            return [_Node("sup", [_Node("a", [f"[{len(self.references)}]"], attrs=ids)])]
        if kind is Note:
            back = _Node("a", [UP_ARROW], attrs={"href": f"#{element.note_type}-ref-{element.note_id}"})
            body = [*self.all(element.body), _Node("p", [" ", back], collapsible=True)]
            return [_Node("li", body, attrs={"id": f"{element.note_type}-{element.note_id}"})]
        if element is TAB:
            return ["\t"]
        if element is IMAGE:
            return [_Node("img", [])]
        if element is COMMENT_REFERENCE:
            return []
        raise TypeError(f"no conversion for {element!r}")

    def run(self, run: Run) -> list:
        nodes = self.all(run.children)
        # Innermost first, as mammoth nests them.
        for tag, applies in (
            ("s", run.strike),
            ("sub", run.vertical == "subscript"),
            ("sup", run.vertical == "superscript"),
            ("em", run.italic),
            ("strong", run.bold),
            ("strong", run.style_name is not None and run.style_name.upper() == "STRONG"),
        ):
            if applies:
                nodes = [_Node(tag, nodes, collapsible=True)]
        return nodes

    def table_children(self, rows: list) -> list:
        head = next((i for i, row in enumerate(rows) if not isinstance(row, Row) or not row.is_header), len(rows))
        saved = self.table_header
        try:
            if head == 0:
                self.table_header = False
                return self.all(rows)
            self.table_header = True
            head_rows = self.all(rows[:head])
            self.table_header = False
            return [_Node("thead", head_rows), _Node("tbody", self.all(rows[head:]))]
        finally:
            self.table_header = saved


# -- 2. mammoth's clean-ups --------------------------------------------------------


def _strip_empty(nodes: list) -> list:
    out = []
    for node in nodes:
        if isinstance(node, str):
            if node:
                out.append(node)
        elif node is FORCE:
            out.append(node)
        else:
            children = _strip_empty(node.children)
            if children or (not node.children and node.tag in VOID_TAGS):
                node.children = children
                out.append(node)
    return out


def _collapse(nodes: list) -> list:
    out: list = []
    for node in nodes:
        if isinstance(node, _Node):
            node.children = _collapse(node.children)
        _merge_into(out, node)
    return out


def _merge_into(out: list, node) -> None:
    """Append `node`, or pour its children into the last node when mammoth would merge the two."""
    if out and isinstance(node, _Node) and node.collapsible:
        last = out[-1]
        if isinstance(last, _Node) and last.tag in node.names and last.attrs == node.attrs:
            for child in node.children:  # already collapsed, and collapsing twice changes nothing
                _merge_into(last.children, child)
            return
    out.append(node)


# -- 3. walk -------------------------------------------------------------------------


def _text_of(node: _Node) -> str:
    parts: list[str] = []
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, str):
            parts.append(current)
        elif isinstance(current, _Node):
            stack.extend(reversed(current.children))
    return "".join(parts)


def _walk(nodes: list) -> list[Block]:
    """html.py's walker over the node tree (no <div>/<p> here carries a class, so no title boxes)."""
    out = Assembler()
    bold = 0
    stack: list = [(node, False) for node in reversed(nodes)]
    while stack:
        node, leaving = stack.pop()
        if isinstance(node, str):
            out.text(node, 1, bold=bold > 0)
            continue
        if node is FORCE:
            continue
        name = node.tag
        if leaving:
            if name in BOLD_TAGS:
                bold -= 1
            elif name == "a":
                suffix = link_suffix(node.attrs.get("href"), _text_of(node))
                if suffix:
                    out.text(suffix, 1, bold=bold > 0)
            elif name in BLOCK_TAGS:
                out.close()
            continue
        if name == "br":
            out.line_break(1)
        elif name in BOLD_TAGS:
            bold += 1
        elif name in HEADINGS:
            out.open(BlockKind.HEADING, HEADINGS[name])
        elif name == "li":
            out.open(BlockKind.LIST_ITEM)
        elif name in BLOCK_TAGS:
            if out.kind is not BlockKind.PARAGRAPH and name not in _FRESH_CONTAINERS:
                out.open(out.kind, out.level)  # a <p> inside an <li> is still the item
            else:
                out.open(BlockKind.PARAGRAPH, bold_heading_ok=name in BOLD_HEADING_CONTAINERS)
        stack.append((node, True))
        stack.extend((child, False) for child in reversed(node.children))
    return out.finish()


def document_blocks(document: WordDocument) -> list[Block]:
    """The blocks of a Word document model, as the mammoth route gave them (lines still unnumbered)."""
    nodes = _Converter(document.notes).document(document)
    return _walk(_collapse(_strip_empty(nodes)))
