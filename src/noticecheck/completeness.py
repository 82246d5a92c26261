"""Does the text look cut short? `Text` + cues (data from `rules/completeness.yaml`) -> `Incompleteness` or None. Pure.

Most notices read off school websites are not whole: the extraction stops at a
size limit (often mid-word), a page break, or a "read more" fold. On such a
text "the notice has no rights section" may only mean "the part we saw has
none", so the engine keeps those findings but says so and lowers them one
step (engine.mark_incomplete). The signs, each of which names its reason:

- the last block stops mid-sentence (no full stop on a paragraph long enough
  to be a sentence, a dangling "and"/"of"/"such as", an unclosed bracket) or
  mid-word (a last word that never occurs whole in the text but starts longer
  words in it: "informat", "Educ");
- it ends on a heading with nothing under it;
- it points forward ("see below", "set out at the end of this notice") with
  next to nothing after the pointer, or names a part ("see 'Contact us'
  below", "see section 9") that never comes;
- a table of contents lists parts that never appear.

A complete draft trips none of these: trailing page furniture (page numbers,
"last reviewed" lines, copyright) is set aside first, and an ending on a web
or e-mail address counts as an ending.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any

from noticecheck.matching import Screened
from noticecheck.model import Block, Incompleteness, Text
from noticecheck.precompiled import regex

_CLOSERS = " \t'\"”’)]}*»_"
# an ending on a web or e-mail address, a phone number or a postcode is an ending (contact details)
_ADDRESS_AT_END = regex(
    r"(https?://\S+|www\.\S+|[\w.+-]+@[\w-]+\.[\w.-]+|\+?\d[\d ()-]{6,}\d|\b[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2})$", re.I
)
_SEPARATORS = " |·•>/–—-"
_WORD = regex(r"[A-Za-z][A-Za-z'’-]*")
_NUMBERING = regex(r"^\s*(section\s+)?\(?\d{1,2}(\.\d{1,2})*[.):]?\s+", re.I)
_PAGE_REF = regex(r"(\s*\.{2,}\s*|\s+)\d{1,3}\s*$")
# The two patterns above end in `$` but start with unbounded runs: searched over a whole
# block they retry from every position (quadratic on "a+a+a+..." or long runs of spaces).
# What they look for is short and at the very end, so they (and the furniture cues) are
# searched from `_END_REACH` characters before the end only (`search(text, pos)`: `^`,
# `\b` and lookbehinds still see the text before pos, so a match there is the same match).
_END_REACH = 400


def end_search(pattern: re.Pattern, text: str) -> re.Match | None:
    """`pattern.search(text)` for a pattern that can only match near the end of `text`."""
    return pattern.search(text, max(0, len(text) - _END_REACH))


def _ends_with_address(text: str) -> bool:
    return end_search(_ADDRESS_AT_END, text) is not None


def _without_page_ref(text: str) -> str:
    match = end_search(_PAGE_REF, text)
    return text[: match.start()] if match else text
_QUOTE_CHARS = 60
_LIST_ITEMS_SEEN = 3  # how many items before the last one must agree on their punctuation


def _pointer(pattern: str) -> Screened:
    """A pointer pattern behind the literal pre-filter (its literals read now: the rulebook cache keeps them)."""
    return Screened(re.compile(pattern, re.I), now=True)


@dataclass(frozen=True)
class CompletenessCues:
    terminal: re.Pattern
    min_words: int
    furniture: re.Pattern | None
    dangling: re.Pattern
    forward: tuple[Screened, ...]
    min_words_after: int
    named: tuple[Screened, ...]
    contents_heading: re.Pattern
    min_entries: int
    max_entry_words: int
    vocabulary: frozenset[str] = frozenset()


def compile_cues(data: dict[str, Any]) -> CompletenessCues:
    """Compile the (schema-valid) data of rules/completeness.yaml; a bad pattern raises re.error."""

    ending, pointers, contents = data["ending"], data["pointers"], data["contents"]
    dangling = "|".join(f"(?:{p})" for p in ending["dangling"])
    return CompletenessCues(
        terminal=re.compile(ending["terminal"], re.I),
        min_words=ending["min_words"],
        furniture=re.compile(rf"(?:{'|'.join(f'(?:{p})' for p in ending['furniture'])})\s*$", re.I) if ending["furniture"] else None,
        # the last word (before any comma or dash) is a connective: the clause goes on somewhere else
        dangling=re.compile(rf"(?:^|[\s(])(?:{dangling})\s*[,;–—-]?$|[,;–—-]$", re.I),
        forward=tuple(_pointer(p) for p in pointers["forward"]),
        min_words_after=pointers["min_words_after"],
        named=tuple(_pointer(p) for p in pointers["named"]),
        contents_heading=re.compile(contents["heading"], re.I),
        min_entries=contents["min_entries"],
        max_entry_words=contents["max_entry_words"],
        vocabulary=frozenset(ending.get("vocabulary", "").lower().split()),
    )


def _tail(text: str, words: int = 8) -> str:
    parts = text.split()
    tail = " ".join(parts[-words:])
    return ("…" + tail if len(parts) > words else tail)[-_QUOTE_CHARS - 1 :]


def _cut_word(last: str, rest: str, known: frozenset[str] = frozenset()) -> bool:
    """A last word that never occurs whole in the text (nor among the `known` common words) but
    begins longer words there ("informat", "pastoral car")."""
    word = last.lower()
    if len(word) == 1:
        return word not in ("a", "i")
    vocabulary = {w.lower() for w in _WORD.findall(rest)} | known
    return word not in vocabulary and any(len(w) > len(word) and w.startswith(word) for w in vocabulary)


def _furniture_start(text: str, cues: CompletenessCues) -> int | None:
    """Where trailing furniture starts in `text`, if it starts at a boundary; else None."""
    pos = max(0, len(text) - _END_REACH)  # see end_search
    while cues.furniture is not None and (match := cues.furniture.search(text, pos)) is not None:
        before = text[: match.start()].rstrip()
        numbering_only = re.fullmatch(r"\W*\d{1,2}(\.\d{1,2})*\.?", before) is not None  # "4. Contact us" is a heading
        if not numbering_only and (not before or before[-1] in ".!?|·•>/–—-:" or _ends_with_address(before)):
            return match.start()
        pos = match.start() + 1
    return None


def _line_key(text: str) -> str:
    return re.sub(r"\d+", "#", " ".join(text.lower().split()))


def _without_furniture(blocks: list[Block], cues: CompletenessCues) -> list[Block]:
    counts: dict[str, int] = {}
    for block in blocks:
        # a running header or footer is a short line that is not a sentence
        if len(block.text.split()) <= cues.max_entry_words and not re.search(r"[.!?]$", block.text.strip()):
            counts[_line_key(block.text)] = counts.get(_line_key(block.text), 0) + 1
    blocks = list(blocks)
    while blocks:
        text = " ".join(blocks[-1].text.split())
        if counts.get(_line_key(text), 0) >= 2:  # a running header or footer
            blocks.pop()
            continue
        start = _furniture_start(text, cues)
        if start is None:
            break
        rest = text[:start].rstrip(_SEPARATORS)
        if rest:
            blocks[-1] = replace(blocks[-1], text=rest)
        else:
            blocks.pop()
    return blocks


def _ending(blocks: list[Block], cues: CompletenessCues) -> tuple[str, int] | None:
    blocks = _without_furniture(blocks, cues)
    if not blocks:
        return None
    last = blocks[-1]
    text = " ".join(last.text.split())
    core = text.rstrip(_CLOSERS)
    if _ends_with_address(core):
        return None
    quoted = f'"{_tail(text)}"'
    if cues.dangling.search(core):
        return f"it stops mid-sentence ({quoted})", last.line
    if text.count("(") > text.count(")"):
        return f"it stops inside a bracket ({quoted})", last.line
    if core and core[-1].isalpha():
        words = _WORD.findall(core)
        if words and core.endswith(words[-1]):
            rest = " ".join(b.text for b in blocks[:-1]) + " " + core[: -len(words[-1])]
            if _cut_word(words[-1], rest, cues.vocabulary):
                return f"it stops mid-word ({quoted})", last.line
    if last.kind.value == "list_item" and not cues.terminal.search(core) and not core.endswith(";"):
        before = [b.text.strip() for b in reversed(blocks[:-1][-_LIST_ITEMS_SEEN:]) if b.kind.value == "list_item"]
        if len(before) >= 2 and all(re.search(r"([.;]|; (and|or))$", b.rstrip(_CLOSERS)) for b in before):
            return f"it stops mid-list: the last item lacks the full stop or semicolon the others have ({quoted})", last.line
    if last.is_heading:
        return f'it ends with the heading "{_tail(text)}" and nothing under it', last.line
    if last.kind.value == "paragraph" and not cues.terminal.search(core) and len(text.split()) >= cues.min_words:
        return f"it stops mid-sentence ({quoted})", last.line
    return None


def _norm(text: str) -> str:
    text = _without_page_ref(_NUMBERING.sub("", text))
    return " ".join(re.sub(r"[^\w\s]", " ", text.lower()).split())


def _words_after(blocks: list[Block], index: int, offset_end: int) -> int:
    return len(blocks[index].text[offset_end:].split()) + sum(len(b.text.split()) for b in blocks[index + 1 :])


def _heading_like(block: Block, cues: CompletenessCues) -> bool:
    return block.is_heading or len(block.text.split()) <= cues.max_entry_words


def _pointers(blocks: list[Block], cues: CompletenessCues) -> list[tuple[str, int]]:
    found: list[tuple[str, int]] = []
    for i, block in enumerate(blocks):
        lowered = block.text.lower()
        unanswered = next(
            (
                match
                for pointer in cues.forward
                for match in pointer.finditer(block.text, lowered)
                if _words_after(blocks, i, _sentence_end(block.text, match.end())) < cues.min_words_after
            ),
            None,
        )
        if unanswered is not None:
            found.append((f'it points to text below ("{unanswered.group(0)}", line {block.line}) that is not there', block.line))
        for pointer in cues.named:
            for match in pointer.finditer(block.text, lowered):
                later = blocks[i + 1 :]
                groups = match.groupdict()
                if groups.get("target"):
                    target = _norm(groups["target"])
                    if target and not any(
                        _heading_like(b, cues) and (target in _norm(b.text) or (_norm(b.text) and _norm(b.text) in target))
                        for b in later
                    ):
                        found.append((f'it points to "{groups["target"]}" below (line {block.line}), which never comes', block.line))
                elif groups.get("number"):
                    number = re.compile(rf"^\s*(section|part)?\s*{groups['number']}\b(?!\.\d)", re.I)
                    if not any(number.search(b.text) for b in later):
                        found.append((f"it points to section {groups['number']} (line {block.line}), which never comes", block.line))
    return found


def _sentence_end(text: str, start: int) -> int:
    match = re.search(r"[.!?](\s|$)", text[start:])
    return start + match.end() if match else len(text)


def _contents(blocks: list[Block], cues: CompletenessCues) -> tuple[str, int] | None:
    for i, block in enumerate(blocks):
        if not cues.contents_heading.search(block.text):
            continue
        run: list[Block] = []
        long_text_next = False
        for entry in blocks[i + 1 :]:
            if len(entry.text.split()) > cues.max_entry_words:
                long_text_next = True
                break
            # a sentence, or a heading after plain entries, is the notice itself: the contents have ended
            if re.search(r"[.!?]$", entry.text.strip()) or (run and entry.is_heading and not run[-1].is_heading):
                break
            run.append(entry)
        after_start = i + 1 + len(run)
        if long_text_next and run:
            run.pop()  # the short line just before the first paragraph heads that paragraph
            after_start -= 1
        entries = list({_norm(e.text): e for e in run if _norm(e.text) and not cues.contents_heading.search(e.text)}.values())
        if len(entries) < cues.min_entries:
            continue
        after = [_norm(b.text) for b in blocks[after_start:] if _heading_like(b, cues)]
        missing = [e for e in entries if _norm(e.text) and not any(_norm(e.text) in a or (a and a in _norm(e.text)) for a in after)]
        if len(missing) >= 2 and 2 * len(missing) >= len(entries):
            names = ", ".join(f'"{_norm(e.text)[:40]}"' for e in missing[:3]) + (", …" if len(missing) > 3 else "")
            return f"its contents list {len(missing)} of {len(entries)} parts that never appear ({names})", block.line
    return None


def assess_completeness(text: Text, cues: CompletenessCues) -> Incompleteness | None:
    """Why the text appears cut short, or None when nothing suggests it is."""
    blocks = [b for b in text.blocks if b.text.strip()]
    if not blocks:
        return None
    signs = [s for s in (_ending(blocks, cues), _contents(blocks, cues)) if s is not None]
    signs.extend(_pointers(blocks, cues))
    if not signs:
        return None
    return Incompleteness(reasons=tuple(reason for reason, _ in signs), line=min(line for _, line in signs))
