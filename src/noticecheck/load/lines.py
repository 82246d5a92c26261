"""One line of plain text, classified: the syntax the splitter reads before it judges.

Splitting on line breaks the way editors count lines; the shape of each
line (blank, `#` heading, setext underline, bullet, list number, clause
number "3.1", bold line, plain); and inline Markdown turned into readable
text that keeps every word and URL: `[text](url)` becomes "text (url)",
`<url>` becomes "url", emphasis markers go.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

from noticecheck.load.blocks import bullet_body, normalise
from noticecheck.precompiled import regex

SETEXT_MAX_WORDS = 20  # a longer "paragraph" above ---- is prose over a rule
BOLD_LINE_MAX_WORDS = 20

_LINE_BREAK = regex(r"\r\n|\r|\n")

_ATX = regex(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_SETEXT = regex(r"^ {0,3}(=+|-{2,})[ \t]*$")
_RULE = regex(r"^ {0,3}(?:(?:\*[ \t]*){3,}|(?:-[ \t]*){3,}|(?:_[ \t]*){3,})$")
# 1. 1) a) a. (a) (1) (iv) iv) -- but not "J. Bloggs": capitals only with ")".
_ENUM = regex(
    r"^\s*(?:(?P<num>\d{1,3})[.)]|(?:[a-z]|[ivxlc]{1,6})[.)]|[A-Z]\)|\((?:\d{1,3}|[a-zA-Z]|[ivxlc]{1,6})\))\s+(?P<body>.+)$"
)
_OUTLINE = regex(r"^\s*(?P<num>\d{1,2}(?:\.\d{1,2})+)\.?\s+(?P<body>.+)$")
_BOLD_LINE = regex(r"^\s*(\*\*|__)(?=\S)(?P<body>.+?)(?<=\S)\1\s*(?P<colon>:?)\s*$")

# Inline Markdown: keep words and URLs, drop the punctuation around them.
_IMAGE = regex(r"!\[([^\]]*)\]\([^)\s]*(?:\s+\"[^\"]*\")?\)")
_LINK = regex(r"\[([^\]]+)\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
_AUTOLINK = regex(r"<((?:https?|ftp)://[^>\s]+|mailto:[^>\s]+|[^@<>\s]+@[^@<>\s]+\.[^@<>\s]+)>", re.I)
_STRONG = regex(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_EMPHASIS = regex(r"(?<![\w*])\*(?=[^\s*])([^*\n]+?)(?<=[^\s*])\*(?![\w*])")
_CODE = regex(r"`([^`]+)`")
_ESCAPE = regex(r"\\([\\`*_{}\[\]()#+\-.!>])")
_SOFT_HYPHENS = ("\u00ad", "\x02")  # \x02 is how pdfium marks a hyphenation point


class Shape(enum.Enum):
    BLANK = "blank"
    ATX = "atx"
    SETEXT_MARK = "setext"
    BULLET = "bullet"
    ENUM = "enum"
    OUTLINE = "outline"
    BOLD = "bold"
    PLAIN = "plain"


@dataclass
class Line:
    """One input line: its number, cleaned text, shape, and layout hints from the caller.

    The run_* fields are filled in by the splitter's look-ahead, not here.
    """

    no: int
    text: str  # inline Markdown removed, whitespace normalised; markers kept
    shape: Shape
    body: str = ""  # heading text or list-item text without its marker
    level: int = 0
    number: str = ""  # "3" or "3.1" for numbered lines
    in_run: bool = False
    run_start: bool = False
    run_intro: bool = False  # the line before the run ends with ":" (a list that lost its bullets)
    soft_hyphen: bool = False  # the raw line ended in a soft hyphen: the word goes on below
    joins_above: bool = False  # layout says: this line continues the list item above
    indent: int = 0  # leading spaces (a tab counts 4)
    size_level: int = 0  # layout says: set larger than body text, heading level by size


def starts_with_bullet(line: str) -> bool:
    """Whether a raw line starts with a bullet or list number."""
    return bullet_body(line) is not None or bool(_ENUM.match(line))


def split_lines(text: str) -> list[str]:
    """Split on CR, LF or CRLF only, as editors number lines (not str.splitlines)."""
    return _LINE_BREAK.split(text)


def clean_inline(text: str) -> str:
    """Markdown inline syntax to readable text: `[t](u)` -> `t (u)`, `<u>` -> `u`, emphasis removed."""
    if "\\" in text:
        text = _ESCAPE.sub(r"\1", text)
    text = clean_links(text)
    if "<" in text:
        text = _AUTOLINK.sub(lambda m: m.group(1).removeprefix("mailto:").removeprefix("MAILTO:"), text)
    if "**" in text or "__" in text:
        text = _STRONG.sub(r"\2", text)
        text = text.replace("**", "")  # unbalanced markers left by copy-paste
    if "*" in text:
        text = _EMPHASIS.sub(r"\1", text)
    if "`" in text:
        text = _CODE.sub(r"\1", text)
    return normalise(text)


def clean_links(text: str) -> str:
    """Markdown links and images that only appear whole once wrapped lines are joined
    ("our [Local" / "Authority](http://...)"), made readable like clean_inline's."""
    if "](" in text:
        text = _IMAGE.sub(r"\1", text)
        text = _LINK.sub(_link_text, text)
    return text


def _link_text(match: re.Match[str]) -> str:
    label, url = match.group(1).strip(), match.group(2)
    shown = url.removeprefix("mailto:")
    if shown.lower() in label.lower():
        return label
    return f"{label} ({shown})"


def classify(
    lines: Sequence[str | None], breaks: Collection[int], joins: Collection[int], levels: Mapping[int, int]
) -> list[Line]:
    """Classified lines (None entries skipped, numbers kept); a setext underline marks the line above.

    `breaks`, `joins` and `levels` are layout hints by 0-based line index
    (see plain.text_to_blocks); a break becomes a blank line.
    """
    out: list[Line] = []
    for index, raw in enumerate(lines):
        if raw is None:
            continue
        no = index + 1
        if index in breaks and out and out[-1].shape is not Shape.BLANK:
            out.append(Line(no, "", Shape.BLANK))  # a gap on the page, not a line of text
        stripped = raw.strip()
        if not normalise(stripped):
            out.append(Line(no, "", Shape.BLANK))
            continue
        setext = _SETEXT.match(raw)
        if setext and out and out[-1].shape in (Shape.PLAIN, Shape.BOLD) and len(out[-1].text.split()) <= SETEXT_MAX_WORDS:
            heading = out[-1]
            heading.shape, heading.body = Shape.PLAIN, heading.body or heading.text
            heading.level = 1 if setext.group(1).startswith("=") else 2
            out.append(Line(no, "", Shape.SETEXT_MARK))
            continue
        if _RULE.match(raw):
            out.append(Line(no, "", Shape.BLANK))
            continue
        line = _classify_line(no, raw)
        line.soft_hyphen = raw.rstrip().endswith(_SOFT_HYPHENS)
        line.joins_above = index in joins and line.shape is not Shape.BULLET
        line.size_level = levels.get(index, 0)
        line.indent = len(raw.expandtabs(4)) - len(raw.expandtabs(4).lstrip())
        out.append(line)
    return out


def _classify_line(no: int, raw: str) -> Line:
    atx = _ATX.match(raw)
    if atx:
        body = clean_inline(atx.group(2) or "")
        if body:
            return Line(no, body, Shape.ATX, body=body, level=len(atx.group(1)))
        return Line(no, "", Shape.BLANK)
    bullet = bullet_body(raw)
    if bullet is not None:
        body = clean_inline(bullet)
        if body:
            return Line(no, body, Shape.BULLET, body=body)
        return Line(no, "", Shape.BLANK)  # a bare bullet symbol
    text = clean_inline(raw)
    outline = _OUTLINE.match(text)
    if outline:
        return Line(no, text, Shape.OUTLINE, body=outline.group("body"), number=outline.group("num"))
    enum_ = _ENUM.match(text)
    if enum_:
        return Line(no, text, Shape.ENUM, body=enum_.group("body"), number=enum_.group("num") or "")
    bold = _BOLD_LINE.match(raw)
    if bold and len(text.split()) <= BOLD_LINE_MAX_WORDS:
        return Line(no, text, Shape.BOLD, body=text)
    return Line(no, text, Shape.PLAIN, body=text)
