"""Noticecheck comments in HTML and Markdown drafts, read by the loaders and carried forward with the Text.

A draft can accept a finding on purpose, with a reason a reviewer can read:

    <!-- noticecheck: disable=dpo-missing -- we are not a public authority -->
    <!-- noticecheck: disable-next=outdated-url -- archived link, kept on purpose -->

`disable` covers the whole document; `disable-next` covers only the next
block (heading, paragraph or list item) after the comment, i.e. findings
whose line falls between that block's first line and the next block's.
Names may be rule ids or aliases, comma-separated; the reason after ` -- `
is optional but recommended.

The HTML and Markdown loaders drop comments from the blocks, so they read the
directives here from the text they decoded, with its own line numbers, and
put them on `Text.directives`. What to do with them is the CI gate's business
(gate/suppress.py); this module only reads them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from noticecheck.model import Block, Directive
from noticecheck.precompiled import regex

DIRECTIVE_MEDIA_TYPES = frozenset({"text/html", "text/markdown"})

# The head of a directive, matched only where a "<!--" was found; the body runs
# to the next "-->" (see _comments: a lazy `.*?-->` regex rescans the rest of
# the text from every unclosed opener, quadratic on "<!-- noticecheck:" * n).
_HEAD = regex(r"<!--\s*noticecheck\s*:", re.I)
_CLOSE = "-->"
MAX_BODY = 2000  # characters; a real directive is a line ("disable=a,b -- reason")
# "disable=a,b -- reason": the reason starts at the first "--" after a space or
# the "=" (ids hold single hyphens). Two searches, not one lazy regex over the
# body, so a body of many "--" costs linear time.
_ACTION = regex(r"(?P<action>disable-next|disable)\s*=\s*")
_REASON_AFTER = regex(r"(?<=[\s=])--")
_NAME = regex(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")
_LINE_BREAK = regex(r"\r\n|\r|\n")
_TAG = regex(r"<[^<>]*>")  # not [^>]*: from every "<" with no ">" after it that rescans to the end
_ANY_COMMENT = regex(r"<!--.*?(?:-->|$)", re.S)
_MENTION = regex("noticecheck", re.I)
MAX_QUOTE = 160



def find_directives(decoded: str, blocks: Sequence[Block], media_type: str) -> tuple[Directive, ...]:
    """The directives of a decoded HTML/Markdown draft (none for other types, or when it never says noticecheck)."""
    if media_type not in DIRECTIVE_MEDIA_TYPES or _MENTION.search(decoded) is None:
        return ()
    return tuple(parse_directives(decoded, blocks))


def _comments(text: str):
    """(start, end, body) of every `<!-- noticecheck: body -->` in `text`, in one pass.

    Finds the same comments as `<!--\\s*noticecheck\\s*:(.*?)-->` would, in
    linear time: an opener with no "-->" after it ends the search, because no
    later opener can be closed either.
    """
    position = 0
    while True:
        start = text.find("<!--", position)
        if start < 0:
            return
        head = _HEAD.match(text, start)
        if head is None:
            position = start + 4
            continue
        close = text.find(_CLOSE, head.end())
        if close < 0:
            return
        yield start, close + len(_CLOSE), text[head.end() : close]
        position = close + len(_CLOSE)


def parse_directives(text: str, blocks: Sequence[Block] = ()) -> list[Directive]:
    """Every noticecheck comment in `text`, with `disable-next` scopes worked out from `blocks`."""
    out = []
    counted, line = 0, 1  # lines are counted on from the previous comment, not from the top each time
    for start, end, body in _comments(text):
        line += _line_breaks(text, counted, start)
        end_line = line + _line_breaks(text, start, end)
        counted = start
        shown = _shorten(" ".join(text[start : min(end, start + 4 * MAX_QUOTE)].split()))
        directive = _parse_body(body, line, shown)
        if directive.action == "disable-next":
            rest = text[end : _line_end(text, end)]
            directive = replace(directive, scope=_next_block_scope(blocks, line, end_line, rest))
        out.append(directive)
    return out


def _parse_body(body: str, line: int, shown: str) -> Directive:
    if len(body) > MAX_BODY:
        return Directive(line, shown, None, problem=f"it is longer than {MAX_BODY} characters, so not a directive")
    m = _ACTION.match(body, len(body) - len(body.lstrip()))
    if m is None:
        return Directive(line, shown, None, problem="it is not `disable=rule-id` or `disable-next=rule-id`")
    separator = _REASON_AFTER.search(body, m.end())
    listed, reason = (body[m.end() : separator.start()], body[separator.end() :]) if separator else (body[m.end() :], "")
    names = tuple(n.strip() for n in listed.split(",") if n.strip())
    if not names:
        return Directive(line, shown, None, problem=f"`{m.group('action')}=` names no rule")
    bad = [n for n in names if not _NAME.match(n)]
    if bad:
        return Directive(line, shown, None, problem=f"{bad[0]!r} is not a rule id")
    return Directive(line, shown, m.group("action"), names, reason.strip())


def _line_breaks(text: str, start: int, end: int) -> int:
    return len(_LINE_BREAK.findall(text, start, end))


def _line_end(text: str, offset: int) -> int:
    m = _LINE_BREAK.search(text, offset)
    return m.start() if m else len(text)


def _shorten(text: str) -> str:
    return text if len(text) <= MAX_QUOTE else text[: MAX_QUOTE - 1] + "…"


def _squash(text: str) -> str:
    return " ".join(_TAG.sub(" ", text).split()).lower()


def _residue(text: str) -> str:
    """A block's text without any HTML comments."""
    return _ANY_COMMENT.sub(" ", text).strip()


def _next_block_scope(blocks: Sequence[Block], line: int, end_line: int, rest_of_line: str) -> tuple[int, int] | None:
    """Lines of the block a `disable-next` comment (lines `line`..`end_line`) is about."""
    target = None
    # Markdown keeps comments as text: a comment with the paragraph right under it
    # (no blank line) is glued to that paragraph, which is then the block meant.
    holder = next((i for i in range(len(blocks) - 1, -1, -1) if blocks[i].line <= line), None)
    if holder is not None and blocks[holder].text.lstrip().startswith("<!--") and _residue(blocks[holder].text):
        target = holder
    rest = _squash(rest_of_line)
    if target is None and rest:
        # HTML written on one line: the next block is the one whose text follows the comment.
        target = next(
            (i for i, b in enumerate(blocks) if b.line == end_line and _residue(b.text) and rest.startswith(_squash(b.text)[:20])),
            None,
        )
    if target is None:
        # Comment-only blocks (Markdown) are never "the next block".
        target = next((i for i, b in enumerate(blocks) if b.line > end_line and _residue(b.text)), None)
    if target is None:
        return None
    start = blocks[target].line
    later = next((b.line for b in blocks[target + 1 :] if b.line > start), None)
    return start, (later - 1 if later is not None else 10**9)
