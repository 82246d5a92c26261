"""Plain text and Markdown to blocks; also the splitter PDF text goes through.

Real notices arrive as text pasted out of web pages and Word: headings are
just short lines, bullets are "·" or "-", Markdown turns up half-applied, and
blank lines are unreliable. PDF text is hard-wrapped with no blank lines at
all. The splitter therefore works line by line with a little look-behind and
look-ahead:

* explicit structure first: `#` and setext headings, a `**bold line**` on
  its own, bullet and number markers;
* a plain line is a heading when it is short, does not end like a sentence or
  a clause, starts with a capital or digit and stands on its own (after a
  blank, a heading, a list or a finished sentence; before a blank, a list or
  a capitalised line);
* a line continues the block above when that block stopped mid-sentence and
  the line starts in lower case, or (in hard-wrapped text) when the line above
  ran to near the wrap width;
* three or more short lines in a row (an address, a contents list, a list
  that lost its bullets) are one block each, never headings.

Line numbers are those of the original file; the caller may pass None for
lines it removed (PDF page furniture) so numbering stays true. What each
line is made of (markers, Markdown) is read by lines.py; this module judges
what the lines mean together.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence

from noticecheck.load.blocks import (
    HEADING_MAX_CHARS,
    HEADING_MAX_WORDS,
    TRAILERS,
    ends_sentence,
    has_address,
    last_char,
    make_block,
)
from noticecheck.load.comments import find_directives
from noticecheck.load.encoding import declared_charset, decode
from noticecheck.load.errors import empty
from noticecheck.load.lines import Line, Shape, classify, clean_links, split_lines
from noticecheck.load.pages import FORM_FEED, paged_text_lines
from noticecheck.load.sniff import MARKDOWN
from noticecheck.model import Block, BlockKind, Document, Text
from noticecheck.precompiled import regex

# "Tel: 01234 567890", "Date reviewed: 12/02/2025": a label (a few words, one of
# them a contact or date word), a colon, a value. Contact details, not headings.
_LABEL_VALUE = regex(r"^(?P<label>[^:]{1,40}):\s*\S")
_LABEL_WORDS = frozenset(
    "tel telephone phone mobile fax email e-mail web website address postcode dpo name role date dated "
    "updated reviewed review approved version ref reference issued adopted published officer contact "
    "controller headteacher head manager lead clerk".split()
)
_MONTHS = "jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec"
_DATE_ONLY = regex(
    rf"^(?:(?:\d{{1,2}}(?:st|nd|rd|th)?\s+)?(?:{_MONTHS})[a-z]*\.?,?\s+\d{{4}}|\d{{1,2}}[/.-]\d{{1,2}}[/.-]\d{{2,4}})$",
    re.I,
)
# "Updated April 2013", "Last reviewed September 2026": a date stamp, not a heading.
_DATE_STAMP = regex(
    r"^(?:last\s+)?(?:updated|reviewed|revised|amended|issued|approved|published|version|review date|date)\b.*\d{4}$",
    re.I,
)
_POSTCODE_END = regex(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}$")
_SUBJECT_PRONOUNS = frozenset("i we you they he she it".split())
# Words a heading never ends on but a wrapped line often does.
_DANGLING = frozenset("and or but the a an of our your their its that which if".split())
# Last words of a clause that leads into a list ("We rely on:", "Data we keep:").
_LEADS_IN = frozenset(
    "to on with for by from of in at as into about include includes including are is be keep hold use "
    "collect share following below that we they you such".split()
)
_FIRST_LETTER = regex(r"[^\W_]")
SHORT_RUN_WORDS = 8
SHORT_RUN_CHARS = 60
SHORT_RUN_MIN = 3
QUESTION_MAX_WORDS = 20
COLON_MAX_WORDS = 4
LONG_LINE_SHARE = 0.6  # of the wrap width: a line this long was probably wrapped


def text_to_blocks(
    lines: Sequence[str | None],
    *,
    wrapped: bool | None = None,
    breaks: Collection[int] = (),
    joins: Collection[int] = (),
    heading_levels: Mapping[int, int] | None = None,
) -> list[Block]:
    """Blocks from the lines of one document (None = a removed line, skipped but counted).

    `wrapped` says the text is hard-wrapped (PDF); None detects it from line
    lengths. Layout the text cannot show comes as 0-based line indexes:
    `breaks` are lines a paragraph break precedes although no blank line
    does (extra vertical space), `joins` lines that continue the list item
    above (indented under its text), `heading_levels` lines set in a larger
    font than the body, with a level by size.
    """
    parsed = classify(lines, breaks, joins, heading_levels or {})
    if not parsed:
        return []
    width = _wrap_width(parsed)
    if wrapped is None:
        wrapped = _looks_wrapped(parsed, width)
    explicit = sum(1 for line in parsed if line.shape is Shape.ATX or (line.level and line.shape is Shape.PLAIN))
    splitter = _Splitter(parsed, width=width, wrapped=wrapped, infer=explicit < 2)
    _mark_short_runs(parsed, splitter)
    return splitter.run()


def _wrap_width(parsed: list[Line]) -> int:
    lengths = sorted(len(line.text) for line in parsed if line.text)
    if not lengths:
        return 0
    return lengths[int(0.9 * (len(lengths) - 1))]


def _looks_wrapped(parsed: list[Line], width: int) -> bool:
    """Hard-wrapped text: lines stop near one width (web and Word exports have one line per paragraph)."""
    lengths = [len(line.text) for line in parsed if line.shape is Shape.PLAIN]
    if len(lengths) < 6 or not 30 <= width <= 130:
        return False
    near_width = sum(1 for n in lengths if n >= 0.75 * width)
    return near_width / len(lengths) >= 0.3


def _starts_upper(text: str) -> bool:
    first = _FIRST_LETTER.search(text)
    return bool(first) and (first.group().isupper() or first.group().isdigit()) and first.start() <= 2


def _starts_lower(text: str) -> bool:
    first = _FIRST_LETTER.search(text)
    return bool(first) and first.group().islower() and first.start() <= 2


def is_all_caps(text: str) -> bool:
    """SHOUTED headings like "PRIVACY NOTICE"; not postcodes ("ME14 1XQ") or lone acronyms."""
    if text.upper() != text:
        return False  # a letter that upper-casing changes is a letter not in capitals: most lines, at C speed
    letters = [ch for ch in text if ch.isalpha()]
    if len(letters) < 4 or any(not ch.isupper() for ch in letters):
        return False
    return any(len(word) >= 3 for word in re.findall(r"[^\W\d_]+", text))


def heading_shaped(text: str) -> bool:
    """Could this line be a heading on its own merits (ignoring its neighbours)?"""
    if not text or has_address(text) or not _starts_upper(text):
        return False
    words = text.split()
    end = last_char(text)
    if end in ".,;!":
        return False
    if end == "?":
        return len(words) <= QUESTION_MAX_WORDS and len(text) <= 2 * HEADING_MAX_CHARS
    if end == ":":
        return colon_heading(text)
    if len(words) > HEADING_MAX_WORDS or len(text) > HEADING_MAX_CHARS:
        return False
    if words[-1] in _DANGLING or _DATE_ONLY.match(text) or _DATE_STAMP.match(text) or _POSTCODE_END.search(text):
        return False
    if len(words) >= 4 and words[0].lower() in _SUBJECT_PRONOUNS:
        return False  # "We will review this notice every year": a sentence that lost its full stop
    return not _is_label_value(text)


def _is_label_value(text: str) -> bool:
    match = _LABEL_VALUE.match(text)
    if not match:
        return False
    label = match.group("label").lower().split()
    return len(label) <= 3 and any(word.strip(".") in _LABEL_WORDS for word in label)


def _short_line(line: Line, splitter: _Splitter) -> bool:
    if line.shape is not Shape.PLAIN or line.level:
        return False
    text = line.text
    if len(text.split()) > SHORT_RUN_WORDS or len(text) > SHORT_RUN_CHARS or ends_sentence(text):
        return False
    return not (splitter.wrapped and splitter.is_long(line))


def _mark_short_runs(parsed: list[Line], splitter: _Splitter) -> None:
    start = 0
    while start < len(parsed):
        end = start
        while end < len(parsed) and _short_line(parsed[end], splitter):
            # A lower-case next line means this one is wrapped prose, not a list.
            following = parsed[end + 1] if end + 1 < len(parsed) else None
            if following is not None and following.shape is Shape.PLAIN and _starts_lower(following.text):
                break
            end += 1
        first = start
        intro = parsed[start - 1] if start else None
        if end > start and _introduces_list(parsed[start]):
            intro, first = parsed[start], start + 1  # "We share data with:" leads its own run
        has_intro = intro is not None and _introduces_list(intro)
        if end - first >= (SHORT_RUN_MIN - 1 if has_intro else SHORT_RUN_MIN):
            for line in parsed[first:end]:
                line.in_run = True
                line.run_intro = has_intro
            parsed[first].run_start = True
        start = end + 1 if end == start else end


def _introduces_list(line: Line) -> bool:
    """A clause ending in a colon ("We use the data to:"), as opposed to a "Contact:" heading."""
    return line.shape is Shape.PLAIN and last_char(line.text) == ":" and not colon_heading(line.text)


def colon_heading(text: str) -> bool:
    """"Contact:" or "Data protection officer:" is a heading; "We rely on:" and "About pupils, we keep:" lead a list."""
    words = text.rstrip(":" + TRAILERS).split()
    if not words or len(words) > COLON_MAX_WORDS or "," in text:
        return False
    # "We use the information:" is a clause even when short.
    return words[-1].lower() not in _LEADS_IN and words[0].lower() not in _SUBJECT_PRONOUNS


class _Splitter:
    """One pass over classified lines; holds the block being built."""

    def __init__(self, lines: list[Line], *, width: int, wrapped: bool, infer: bool):
        self.lines = lines
        self.width = width
        self.wrapped = wrapped
        self.infer = infer
        self.blocks: list[Block] = []
        self._kind: BlockKind | None = None
        self._parts: list[str] = []
        self._first_line = 0
        self._marker_indent: int | None = None  # indent of the bullet/number that opened the block
        self._level = 0
        self.prev: Line | None = None
        self.prev_status = "blank"  # blank | heading | para | list

    def is_long(self, line: Line) -> bool:
        return self.width > 0 and len(line.text) > LONG_LINE_SHARE * self.width

    # -- building -------------------------------------------------------

    def _flush(self) -> None:
        if self._kind is not None:
            block = make_block(self._kind, _join_wrapped(self._parts), self._first_line, self._level)
            if block:
                self.blocks.append(block)
        self._kind, self._parts = None, []

    def _open(
        self, kind: BlockKind, text: str, line: Line, *, marker_indent: int | None = None, level: int = 0
    ) -> None:
        self._flush()
        self._kind, self._parts, self._first_line, self._level = kind, [text], line.no, level
        self._marker_indent = marker_indent
        self.prev_status = {BlockKind.LIST_ITEM: "list", BlockKind.HEADING: "heading"}.get(kind, "para")

    def _append(self, line: Line) -> None:
        if self.prev is not None and self.prev.soft_hyphen:
            self._parts[-1] += line.text  # "informa\xad" + "tion"
        else:
            self._parts.append(line.text)

    def _heading(self, text: str, line: Line, level: int) -> None:
        self._flush()
        if not level:
            # The first thing in the file, when heading-like, is the title.
            level = 1 if not self.blocks else 2
        block = make_block(BlockKind.HEADING, text, line.no, level)
        if block:
            self.blocks.append(block)
        self.prev_status = "heading"

    # -- decisions ------------------------------------------------------

    def _stands_alone(self) -> bool:
        if self.prev is None or self.prev_status in ("blank", "heading"):
            return True
        if ends_sentence(self.prev.text):
            return True
        # After a list item, unless that item ran to the wrap width mid-sentence.
        return self.prev_status == "list" and not (self.wrapped and self.is_long(self.prev))

    @staticmethod
    def _next_allows_heading(following: Line | None) -> bool:
        if following is None or following.shape is not Shape.PLAIN:
            return True
        return _starts_upper(following.text)

    def _is_heading(self, line: Line, following: Line | None) -> bool:
        if not self.infer:
            return False
        text = line.text
        if is_all_caps(text) and len(text.split()) <= HEADING_MAX_WORDS and last_char(text) not in ".,;!":
            return self._stands_alone()
        if not heading_shaped(text):
            return False
        if (
            self.wrapped
            and len(text) > 0.75 * self.width
            and following is not None
            and following.shape is Shape.PLAIN
            and last_char(text) != "?"
        ):
            return False  # a long line running into the next: wrapped prose
        return self._stands_alone() and self._next_allows_heading(following)

    def _continues(self, line: Line) -> bool:
        if line.shape is not Shape.PLAIN or line.level:
            return False  # a marker or heading syntax always starts a block
        if self._kind is None or self.prev is None or self.prev_status not in ("para", "list"):
            return False
        if line.joins_above:
            return True
        if self._marker_indent is not None and line.indent > self._marker_indent + 1:
            return True  # hanging indent under a bullet or clause number
        above = self.prev.text
        if not ends_sentence(above) and not _starts_upper(line.text):
            return True
        if self.wrapped and self.is_long(self.prev):
            if self._kind is BlockKind.LIST_ITEM:
                return not ends_sentence(above)
            return True
        return False

    def _sized_heading(self, line: Line) -> bool:
        """A line in a heading-sized font: a heading, or the next line of one (titles wrap)."""
        above = self.prev
        if (
            self._kind is BlockKind.HEADING
            and above is not None
            and above.size_level == line.size_level
            and above.shape is not Shape.BLANK
        ):
            self._append(line)
            return True
        if len(line.text.split()) > QUESTION_MAX_WORDS or last_char(line.text) in ".,;":
            return False  # large print, but prose
        self._open(BlockKind.HEADING, line.text, line, level=line.size_level)
        return True

    def _numbered(self, index: int, line: Line, following: Line | None) -> None:
        """ "3. Who we share data with" is a heading; "1. names" among its siblings is a list item;
        "3.1 We use this information to:" is a numbered paragraph."""
        neighbours = (self._neighbour(index, -1), self._neighbour(index, 1))
        # Only digit-numbered siblings make "4." part of a list: the "(e)" or "*" items
        # that end section 3 do not make heading "4." an item.
        in_list = any(n is not None and n.shape is Shape.ENUM and n.number for n in neighbours)
        headingish = (
            self.infer
            and bool(line.number)
            and heading_shaped(line.text)
            and _starts_upper(line.body)
            and self._next_allows_heading(following)
            and not (self.wrapped and self.is_long(line) and following is not None and following.shape is Shape.PLAIN)
        )
        if line.shape is Shape.OUTLINE:
            if headingish:
                self._heading(line.text, line, min(2 + line.number.count("."), 6))
            else:
                self._open(BlockKind.PARAGRAPH, line.text, line, marker_indent=line.indent)
        elif headingish and (not in_list or is_all_caps(line.body)) and self._stands_alone():
            self._heading(line.text, line, 2)
        else:
            self._open(BlockKind.LIST_ITEM, line.body, line, marker_indent=line.indent)

    def _neighbour(self, index: int, step: int) -> Line | None:
        index += step
        while 0 <= index < len(self.lines):
            if self.lines[index].shape is not Shape.BLANK:
                return self.lines[index]
            index += step
        return None

    def _in_run(self, line: Line) -> None:
        text = line.text
        if line.run_start and self.infer and self._stands_alone():
            if is_all_caps(text) or (last_char(text) == ":" and colon_heading(text)):
                self._heading(text, line, 0)
                return
        self._open(BlockKind.LIST_ITEM if line.run_intro else BlockKind.PARAGRAPH, text, line)

    def run(self) -> list[Block]:
        lines = self.lines
        for index, line in enumerate(lines):
            following = lines[index + 1] if index + 1 < len(lines) else None
            shape = line.shape
            if shape is Shape.BLANK:
                self._flush()
                self.prev_status = "blank"
            elif shape is Shape.SETEXT_MARK:
                self.prev_status = "heading"
            elif shape is Shape.ATX or line.level:
                self._heading(line.body, line, line.level)
            elif shape is Shape.BULLET:
                self._open(BlockKind.LIST_ITEM, line.body, line, marker_indent=line.indent)
            elif (line.joins_above or self._marker_indent is not None) and self._continues(line):
                self._append(line)
            elif shape is Shape.BOLD:
                if last_char(line.text) in ".,;!":
                    self._open(BlockKind.PARAGRAPH, line.text, line)
                else:
                    self._heading(line.text, line, 0)
            elif line.size_level and shape is Shape.PLAIN and self._sized_heading(line):
                pass
            elif line.in_run:
                self._in_run(line)
            elif shape in (Shape.ENUM, Shape.OUTLINE):
                self._numbered(index, line, following)
            elif self._is_heading(line, following):
                self._heading(line.text, line, 0)
            elif self._continues(line):
                self._append(line)
            else:
                self._open(BlockKind.PARAGRAPH, line.text, line)
            if shape is not Shape.SETEXT_MARK:
                self.prev = line
        self._flush()
        return self.blocks


def _join_wrapped(parts: list[str]) -> str:
    """Join the lines of one block; a word split by a hyphen at a line end stays one word."""
    out = parts[0]
    for part in parts[1:]:
        if out.endswith("-") and len(out) > 1 and out[-2].isalpha() and _starts_lower(part):
            out += part  # "well-\nbeing" -> "well-being"
        else:
            out += " " + part
    # a link wrapped over two lines was not whole in either, so it is read here
    return clean_links(out) if len(parts) > 1 else out


def drop_html_comments(lines: list[str | None]) -> list[str | None]:
    """Markdown drafts carry `<!-- ... -->` comments (authors' notes, noticecheck directives);
    they are not part of the notice. A line left empty by the removal becomes None, so
    line numbers of the rest stay true."""
    out: list[str | None] = []
    inside = False
    for line in lines:
        if line is None:
            out.append(None)
            continue
        kept, rest = [], line
        while rest:
            if inside:
                end = rest.find("-->")
                if end == -1:
                    rest = ""
                    break
                rest, inside = rest[end + 3 :], False
            else:
                start = rest.find("<!--")
                if start == -1:
                    kept.append(rest)
                    break
                kept.append(rest[:start])
                rest, inside = rest[start + 4 :], True
        text = "".join(kept)
        out.append(text if text.strip() or not line.strip() else None)
    return out


def load_plain(doc: Document, media_type: str) -> Text:
    """Decode a txt/md document and split it into blocks."""
    decoded = decode(doc.data, declared=declared_charset(doc.data, doc.media_type, html=False))
    lines: list[str | None] = list(split_lines(decoded.text))
    if media_type == MARKDOWN:
        lines = drop_html_comments(lines)
    notes = [decoded.note]
    if FORM_FEED in decoded.text:
        lines, dropped = paged_text_lines(lines)
        if dropped:
            notes.append(f"dropped {dropped} repeated page header/footer line(s)")
    blocks = text_to_blocks(lines)
    if not blocks:
        if decoded.text.strip():
            raise empty("the file has no words, only punctuation or symbols")
        raise empty("the file contains only whitespace")
    title = blocks[0].text if blocks[0].is_heading else None
    return Text(
        source=doc.source,
        blocks=tuple(blocks),
        media_type=media_type,
        title=title,
        notes=tuple(notes),
        directives=find_directives(decoded.text, blocks, media_type),
    )
