"""Control characters from untrusted input, made harmless in every output.

File names, school names, URLs and document text come from strangers. A
name such as `x\\e[2J\\e]0;pwned\\a.pdf` printed raw clears the reader's
terminal and sets its title; a raw ESC or BEL in a spreadsheet cell or an XML
file spoils it. So:

* text meant for a terminal shows each control character escaped (`\\x1b`),
  keeping line breaks and tabs, and the colour codes our own renderer adds;
* CSV cells lose control characters and cannot start a formula;
* XML loses the characters XML 1.0 forbids (see gate/report/junit.py).
"""

from __future__ import annotations

import re

from noticecheck.precompiled import regex

# C0 and C1 controls, DEL, and the bidirectional overrides that reorder what is shown.
_CONTROLS = "\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069"
_ANY_CONTROL = regex(f"[{_CONTROLS}]")
_LINE_CONTROL = regex(f"[{_CONTROLS}\t\n]")
# ESC is allowed only as the start of a colour (SGR) sequence, which is all rich writes.
_CONTROL_BUT_COLOUR = regex("\x1b(?!\\[[0-9;]*m)|[\x00-\x08\x0b-\x1a\x1c-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _escaped(match: re.Match) -> str:
    code = ord(match.group(0))
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str, *, colour: bool = False) -> str:
    """`text` for a terminal: control characters escaped, line breaks and tabs kept.

    `colour=True` keeps SGR colour sequences (ESC [ ... m) that a renderer added.
    """
    return (_CONTROL_BUT_COLOUR if colour else _ANY_CONTROL).sub(_escaped, text)


def one_line(text: str) -> str:
    """A single-line value (a path, a name) for a terminal: line breaks and tabs escaped too."""
    return _LINE_CONTROL.sub(_escaped, text)


def csv_cell(value: object) -> object:
    """A spreadsheet-safe cell: control characters dropped, a formula start quoted with an apostrophe."""
    if not isinstance(value, str):
        return value
    value = _ANY_CONTROL.sub("", value)
    return "'" + value if value.startswith(_FORMULA_START) else value


__all__ = ["csv_cell", "one_line", "printable"]
