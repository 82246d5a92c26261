"""Small text helpers every block builder shares: whitespace and heading shape.

One definition of "normalised text" and of "short enough to be a heading"
keeps plain text, HTML, Word and ODT blocks comparable for the section finder.
"""

from __future__ import annotations

import re

from noticecheck.model import Block, BlockKind
from noticecheck.precompiled import regex

# Invisible characters that split words in copy-pasted text; removed, not spaced.
_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff\ufffe\x02"), None)
# Other C0 controls become spaces so neighbouring words stay apart.
_CONTROLS = {c: " " for c in range(0x20) if chr(c) not in "\t\n\r"} | {0x7F: " "}
_TRANSLATE = _CONTROLS | _INVISIBLE  # invisible wins for \x02 (pdfium's soft hyphen)

HEADING_MAX_WORDS = 12
HEADING_MAX_CHARS = 90
# Closing quotes and brackets that may follow a full stop.
TRAILERS = "\"'’”)]*_"


# A UTF-8 no-break space read as Windows-1252 becomes "Â" + no-break space; web pages made from
# Word documents are full of it ("registered as a ‘DataÂ Controller’"). A capital Â at the end of
# a word is never Welsh or French (those write it before a letter), so it goes.
_MOJIBAKE_NBSP = regex(r"\u00c2(?=[\s\u00a0]|$)")


def normalise(text: str) -> str:
    """Collapse runs of whitespace to one space and strip; keep every word."""
    return " ".join(_MOJIBAKE_NBSP.sub("", text.translate(_TRANSLATE)).split())


def last_char(text: str) -> str:
    """The last character that is not a closing quote or bracket ('' if none)."""
    stripped = text.rstrip().rstrip(TRAILERS)
    return stripped[-1] if stripped else ""


def ends_sentence(text: str) -> bool:
    return last_char(text) in (".", "!", "?")


def is_short_title(text: str) -> bool:
    """Short, and not ending like a sentence or a clause: the shape of a heading.

    Used for text that is already marked out (bold on its own line), so it
    only checks length and the final punctuation.
    """
    words = text.split()
    return 0 < len(words) <= HEADING_MAX_WORDS and len(text) <= HEADING_MAX_CHARS and last_char(text) not in ".,;!"


def make_block(kind: BlockKind, text: str, line: int, level: int = 0) -> Block | None:
    """A Block with normalised text, or None when nothing but whitespace is left."""
    text = normalise(text)
    if not text:
        return None
    return Block(kind, text, max(line, 1), level if kind is BlockKind.HEADING else 0)


# Bullet symbols that are never the start of a word may hug the text; dashes,
# asterisks and a lone "o" (Word's second-level bullet pasted as text) need a space.
SYMBOL_BULLET = regex(r"^\s*[•·○◦▪▫■□●►▸➢✓✔❖]\s*(.*)$", re.S)
DASH_BULLET = regex(r"^\s*(?:[-*+–—]|o)\s+(.+)$", re.S)


def bullet_body(text: str) -> str | None:
    """The text after a leading bullet marker, or None when the text has no bullet."""
    match = SYMBOL_BULLET.match(text) or DASH_BULLET.match(text)
    return match.group(1) if match else None


_URL = regex(r"https?://|www\.|\S@\S", re.I)


def has_address(text: str) -> bool:
    """A URL or an email address: such lines are content, never headings."""
    return bool(_URL.search(text))


def link_suffix(href: object, link_text: str) -> str | None:
    """" (https://...)" or " (name@example.org)" to show after a link's text, or None.

    Rules look for URLs and email addresses in the text, and a page often
    hides them behind "click here". Relative links and links whose text
    already shows the address add nothing.
    """
    if not isinstance(href, str):
        return None
    href = href.strip()
    lowered = href.lower()
    if lowered.startswith("mailto:"):
        shown = href[7:].split("?", 1)[0]
    elif lowered.startswith(("http://", "https://")):
        shown = href
    else:
        return None
    if not shown or shown.lower() in normalise(link_text).lower():
        return None
    return f" ({shown})"
