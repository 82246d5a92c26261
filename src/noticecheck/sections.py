"""Find which checklist sections a notice contains, and the evidence for each.

Pure: `Text` + section cues (data from `rules/sections.yaml`) -> `Analysis`.

Real notices use DfE template headings, questions as headings, numbered
headings, or no headings at all, and web pages often strip structure, so a
section is judged present by what its sentences say (content cues), with
headings as a second route and as the anchor for evidence:

- a heading cue counts only when the heading has real content under it;
- one `strong` content cue in a non-heading sentence is enough;
- `weak` cues need several different cues, by default spread over two or
  more sentences, so one sentence listing "name, address and date of birth" in a youth
  support paragraph does not make a categories section.

All cue lists are compiled into one alternation per section and run once
over the whole text with `finditer`; matches are mapped back to sentences by
offset. That keeps a 3,000-word notice to a few milliseconds.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from noticecheck.matching import Matcher
from noticecheck.model import Block, BlockKind, Evidence, OutlinePart, Section, Text
from noticecheck.precompiled import regex
from noticecheck.rulebook import Cues

# Sentence ends: . ! ? followed by space and a capital/digit/quote/bracket.
# Abbreviations common in notices are protected first.
_ABBREVIATIONS = regex(
    # and dotted initials such as "U.K." (so "the U.K. GDPR" stays one sentence)
    r"\b(e\.g|i\.e|etc|Art|art|No|no|Mr|Mrs|Ms|Dr|St|Reg|reg|para|Sch|sch|s|ss|cf|approx|incl|Ltd|ltd|Co|vs|(?:[A-Z]\.)+[A-Z])\.",
)
_SENTENCE_END = regex(
    r"(?<=[.!?])[\"'”’)]?\s+(?=[\"'“‘(]?[A-Z0-9•·])"
    # web extraction often loses the space between sentences ("the process.This notice"):
    # a full stop after a lower-case word, straight before a capitalised word, ends a sentence too
    r"|(?<=[a-z]{2}[.!?])(?=[A-Z][a-z])"
)
_PLACEHOLDER = "\x00"
MAX_QUOTE = 240
HEADING_CONTENT_WORDS = 6  # words under a heading before the heading counts as a section


@dataclass(frozen=True)
class Sentence:
    text: str
    line: int
    block: int  # index into Text.blocks
    start: int  # offset in Analysis.joined
    is_heading: bool
    heading_index: int | None  # block index of the nearest heading above (or itself)


@dataclass(frozen=True)
class Analysis:
    """A notice split into sentences, with the sections found in it."""

    text: Text
    sentences: tuple[Sentence, ...]
    joined: str  # sentences joined by "\n"; rules run regexes over this once
    starts: tuple[int, ...]  # sentence start offsets, for bisect
    sections: dict[str, Section]
    members: dict[str, frozenset[int]]  # section -> indices of the sentences that belong to it
    hits: dict[str, set[int]] | None = None  # anchor literal -> sentences holding it (None: unknown); read-only
    index: object = None  # the AnchorIndex `hits` came from
    # `content`: `joined` with unfilled template text ("[insert ...]", "TBC") and the sentences that are never
    # content (about the notice, pointers, definitions, lead-ins whose list is missing) blanked,
    # offsets kept: what proves that something is *present* is looked for here
    content: str | None = None
    blanked: str | None = None  # `joined` with only the placeholders blanked
    negation: Matcher | None = None  # the cues' negation words, for rules that skip negated matches

    def candidates(self, part) -> Sequence[int]:
        """Indices of the sentences where a matcher part could match (all of them when the index cannot tell).

        A match lies within one sentence, so the sentence must hold a member of each of the part's
        literal sets."""
        return _candidates(self.index, self.hits, part, len(self.sentences))

    def _anchored(self, part) -> Sequence[int]:
        """Sentences holding one of the part's best anchors (sound for matches that reach across sentences)."""
        found: set[int] = set()
        for anchor in part.anchors:
            found |= self.hits.get(anchor, frozenset())
        return sorted(found)

    def searched(self, content_only: bool = True) -> str:
        """The text checks search: sentences that are not content blanked too (`content_only`), or
        only the placeholders; the text as written when neither was made."""
        return (self.content if content_only else self.blanked) or self.joined

    def part_found(self, part, *, body_only: bool, content_only: bool = True) -> bool:
        """Does one matcher part match anywhere in the notice (headings left out if `body_only`)?

        A match must hold one of the part's anchors, so it lies within the part's
        reach of a sentence holding one: only those windows are searched. Some
        patterns reach across sentences on purpose, hence windows, not sentences.
        A part that cannot (it holds no line break) is not searched at all when the
        prefilter named none of the sentences holding its anchors.
        """
        joined = self.searched(content_only)
        known = self.hits is not None and self.index is not None and self.index.knows(part)
        if known and self._cannot_match(part):
            return False
        if not known or part.reach is None:
            if body_only:
                text = "\n".join(joined[s.start : s.start + len(s.text)] for s in self.sentences if not s.is_heading)
            else:
                text = joined
            return part.regex.search(text) is not None
        for index in self._anchored(part):
            if body_only and self.sentences[index].is_heading:
                continue
            start = max(0, self.sentences[index].start - part.reach)
            if part.regex.search(joined, start, min(len(joined), self.end_of(index) + part.reach)):
                return True
        return False

    def _cannot_match(self, part) -> bool:
        """Is it certain that `part` matches nowhere? So for a part every match of which lies within
        one sentence (it holds no line break) when no sentence holding one of its anchors is among
        those the prefilter says it may match."""
        named = self.index.within_sentences(part, self.hits)
        return named is not None and not any(i in named for i in self._anchored(part))

    def end_of(self, index: int) -> int:
        sentence = self.sentences[index]
        return sentence.start + len(sentence.text)

    def section_text(self, name: str) -> str:
        """The body sentences of one section, each with the sentence after it (a table row, a wrapped line)."""
        chosen: set[int] = set()
        for i in self.members.get(name, ()):
            chosen.update((i, i + 1))
        members = self.members.get(name, ())
        # a heading-like line that is itself a member (a listed "Retention of Records Policy") is content too
        return "\n".join(
            self.sentences[i].text
            for i in sorted(chosen)
            if i < len(self.sentences) and (not self.sentences[i].is_heading or i in members)
        )

    @functools.cached_property
    def headings_by_line(self) -> dict[int, Block]:
        """Line -> the first heading block on that line (where a finding about a section points)."""
        found: dict[int, Block] = {}
        for block in self.text.blocks:
            if block.is_heading:
                found.setdefault(block.line, block)
        return found

    @functools.cached_property
    def body(self) -> str:
        """All sentences except headings: a heading with nothing under it ("The National Pupil
        Database") does not tell anyone anything."""
        return "\n".join(s.text for s in self.sentences if not s.is_heading)

    def sentence_at(self, offset: int) -> Sentence:
        return self.sentences[bisect.bisect_right(self.starts, offset) - 1]

    @property
    def first_line(self) -> tuple[int, str]:
        """Line and text of the first block: where a finding about something missing points by default."""
        if not self.text.blocks:
            return 1, ""
        block = self.text.blocks[0]
        return block.line, quote(block.text)


def outline(analysis: Analysis) -> tuple[OutlinePart, ...]:
    """The notice split at its own headings: what a template and a school's copy are compared by."""
    parts: list[OutlinePart] = []
    heading, body = "", []
    for sentence in analysis.sentences:
        if sentence.is_heading:
            if heading or body:
                parts.append(OutlinePart(heading, tuple(body)))
            heading, body = sentence.text, []
        else:
            body.append(sentence.text)
    if heading or body:
        parts.append(OutlinePart(heading, tuple(body)))
    return tuple(parts)


def quote(text: str, around: int | None = None, *, limit: int = MAX_QUOTE) -> str:
    """Shorten a sentence for evidence to `limit` characters, keeping the part around `around` (an offset) visible."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    if around is None or around < limit - 40:
        return text[: limit - 1].rstrip() + "…"
    start = max(0, min(around - limit // 3, len(text) - limit + 1))
    return "…" + text[start : start + limit - 2].strip() + "…"


def split_sentences(text: str) -> list[str]:
    protected = _ABBREVIATIONS.sub(lambda m: m.group(0)[:-1] + _PLACEHOLDER, text)
    parts = _SENTENCE_END.split(protected)
    return [p.replace(_PLACEHOLDER, ".").strip() for p in parts if p.strip()]


def _build_sentences(blocks: tuple[Block, ...]) -> tuple[list[Sentence], str]:
    sentences: list[Sentence] = []
    pieces: list[str] = []
    offset = 0
    heading: int | None = None
    for index, block in enumerate(blocks):
        heading_like = _is_heading(block)
        if heading_like:
            heading = index
            parts = [" ".join(block.text.split())]
        else:
            parts = split_sentences(block.text)
        for part in parts:
            sentences.append(Sentence(part, block.line, index, offset, heading_like, heading))
            pieces.append(part)
            offset += len(part) + 1
    return sentences, "\n".join(pieces)


def _is_heading(block: Block) -> bool:
    # "We share information with:" or "Contact:" standing alone is a lead-in to
    # what follows, not a heading: treat it as part of the body.
    return block.is_heading and not block.text.rstrip().endswith(":")


def _segment(blocks: tuple[Block, ...], index: int) -> range:
    """Blocks under heading `index`: up to the next heading of the same or a higher level."""
    level = blocks[index].level or 2
    end = index + 1
    while end < len(blocks):
        block = blocks[end]
        if _is_heading(block) and (block.level or 2) <= level:
            break
        end += 1
    return range(index + 1, end)


def _heading_content_words(blocks, index, sentences_of_block, sentences, counts, text_of) -> int:
    """Words of body text under heading `index`, in the sentences `counts` accepts as content."""
    return sum(
        len(text_of(i).split())
        for b in _segment(blocks, index)
        for i in sentences_of_block.get(b, ())
        if not sentences[i].is_heading and counts(i)
    )


def _says_something_of(cue, blocks, index, sentences_of_block, sentences, counts, text_of) -> bool:
    """Does the content under heading `index` hold at least one of the section's `under_heading`
    cues? A heading over text about something else (a stripped list, the next topic) is no section."""
    if cue.under_heading is None:
        return True
    return any(
        cue.under_heading.search(text_of(i))
        for b in _segment(blocks, index)
        for i in sentences_of_block.get(b, ())
        if not sentences[i].is_heading and counts(i)
    )


_LIST_ITEM_MAX_WORDS = 25  # a line longer than this, starting with a capital, reads as prose, not a list item


_QUESTION_START = regex(r"^\W*(why|what|how|who|where|when|which)\b", re.I)


def _looks_like_list_content(text: str, kind: BlockKind) -> bool:
    """Could `text` (the sentence after a lead-in) be the list the lead-in introduces? Web
    extraction often drops the bullets, so a short line counts as well as a marked list item;
    a heading, a question, another lead-in or a long sentence of prose means the list was lost."""
    text = text.strip()
    if kind is BlockKind.HEADING or not text or text.endswith((":", "?")) or _QUESTION_START.match(text):
        return False
    return kind is BlockKind.LIST_ITEM or len(text.split()) <= _LIST_ITEM_MAX_WORDS or not text[0].isupper()


def _empty_lead_ins(sentences: list[Sentence], blocks: tuple[Block, ...], kinds, text_of) -> frozenset[int]:
    """Sentences that announce a list ("We use the pupil data to:") whose list is not there.

    Web pages and PDF extraction often strip the bullets and their text, leaving only the lead-in;
    the lead-in's words ("lawful bases", "share") then say nothing about the notice's content."""
    empty = set()
    for i, sentence in enumerate(sentences):
        # (read with placeholders blanked: "share it with: [list organisations]" has no list either)
        if sentence.is_heading or not text_of(i).rstrip().endswith(":"):
            continue
        if i + 1 >= len(sentences):
            empty.add(i)
            continue
        after = sentences[i + 1]
        kind = BlockKind.HEADING if after.is_heading else blocks[after.block].kind
        if after.block == sentence.block and kind is BlockKind.LIST_ITEM:
            kind = BlockKind.PARAGRAPH  # the lead-in and what follows are one list item's text
        if kinds[i + 1] or not _looks_like_list_content(text_of(i + 1), kind):
            empty.add(i)
    return frozenset(empty)


def _candidates(index, hits, part, count: int) -> Sequence[int]:
    """Sentences where `part` could match, by the anchor index (all `count` of them when it cannot tell)."""
    if hits is None or index is None or not index.knows(part):
        return range(count)
    return sorted(index.sentences_for(part, hits))


def _not_content_kinds(sentences: list[Sentence], cues: Cues, hits=None) -> list[frozenset[str]]:
    """For each sentence, the `not_content` kinds it belongs to (meta-sentence, pointer, placeholder...).

    A sentence is of a kind when one of the kind's patterns matches it; each pattern is tried
    only on the sentences that hold its anchor literals (`hits`, from the rulebook's anchor index)."""
    if not cues.not_content:
        return [frozenset()] * len(sentences)
    found: list[set[str]] = [set() for _ in sentences]
    for kind, matcher in cues.not_content.items():
        for part in matcher.parts:
            for i in _candidates(cues.index, hits, part, len(sentences)):
                if kind not in found[i] and part.regex.search(sentences[i].text):
                    found[i].add(kind)
    kinds = [frozenset(k) for k in found]
    # "For example name, email address and date of birth." carries on the sentence before it
    # (a definition of personal data, say), so it is of the same kind
    for i in range(1, len(sentences)):
        if (
            kinds[i - 1]
            and not kinds[i]
            and sentences[i].block == sentences[i - 1].block
            and _CONTINUATION.match(sentences[i].text)
        ):
            kinds[i] = kinds[i - 1]
    return kinds


_CONTINUATION = regex(r"^\W*(for example|for instance|e\.g\.?|such as|this includes|these include|including)\b", re.I)


def _blank_spans(text: str, spans) -> str:
    """`text` with each (start, end) span, in order and not overlapping, replaced by spaces; offsets kept."""
    pieces, last = [], 0
    for start, end in spans:
        pieces.append(text[last:start])
        pieces.append(" " * (end - start))
        last = end
    pieces.append(text[last:])
    return "".join(pieces)


def _blank_placeholders(joined: str, placeholders: Matcher | None) -> str:
    """`joined` with unfilled template text ("[insert name]", "TBC") replaced by spaces, offsets kept."""
    if placeholders is None:
        return joined
    return _blank_spans(joined, [m.span() for m in placeholders.finditer(joined)])


def _blank_sentences(joined: str, sentences: Sequence[Sentence], indices: Sequence[int]) -> str:
    """`joined` with the given sentences replaced by spaces, offsets kept."""
    spans = sorted((sentences[i].start, sentences[i].start + len(sentences[i].text)) for i in set(indices))
    return _blank_spans(joined, spans)


def sentence_matches(matcher: Matcher, analysis: Analysis, haystack: str | None = None):
    """The first match of `matcher` in each sentence, in document order.

    The search is bounded by the sentence, so bounded gaps like `[^.]{0,80}`
    cannot run on into the next sentence (a heading has no full stop), and it
    only visits the sentences that hold one of the matcher's anchor literals.
    """
    tries: dict[int, list] = {}
    for part in matcher.parts:
        for index in analysis.candidates(part):
            tries.setdefault(index, []).append(part.regex)
    joined = analysis.joined if haystack is None else haystack
    for index in sorted(tries):
        start, end = analysis.sentences[index].start, analysis.end_of(index)
        found = [m for m in (regex.search(joined, start, end) for regex in tries[index]) if m is not None]
        if found:
            yield min(found, key=lambda m: (m.start(), -m.end()))


def all_matches(matcher: Matcher, analysis: Analysis, haystack: str | None = None):
    """Every match of each part, in document order (weak cues count distinct alternatives)."""
    found = []
    joined = analysis.joined if haystack is None else haystack
    for part in matcher.parts:
        for index in analysis.candidates(part):
            found.extend(part.regex.finditer(joined, analysis.sentences[index].start, analysis.end_of(index)))
    found.sort(key=lambda m: (m.start(), -m.end()))
    return iter(found)


def _all_negated(blocks, index, sentences_of_block, sentences, cues: Cues) -> bool:
    """Is everything under heading `index` a refusal ("We will not share information ... unless
    the law allows")? Then the heading ("Sharing information") is not evidence of the section."""
    body = [
        sentences[i].text
        for b in _segment(blocks, index)
        for i in sentences_of_block.get(b, ())
        if not sentences[i].is_heading
    ]
    return bool(body) and all(cues.negation.search(text) for text in body)


def is_negated(sentence: Sentence, match_start: int, negation: re.Pattern) -> bool:
    """Is the cue at `match_start` denied by a negation in the clause just before it ("we do not share")?"""
    before = sentence.text[: max(0, match_start - sentence.start)]
    # Only the clause just before the cue: "We share data with the LA; we do not sell it" must not negate.
    clause = re.split(r"[;:,]|\b(but|however|except|unless)\b", before)[-1] or ""
    return bool(negation.search(clause))


def _as_list_items(text: Text, cues: Cues) -> Text:
    """`text` with the short lines under a lead-in ("... includes:") read as list items, not headings.

    Plain text and PDFs carry no markup, so the loader guesses that a short line without a full
    stop is a heading; under a lead-in such lines are usually the list ("Attendance information").
    A line that reads as a section heading or a question stays a heading (the list was lost)."""
    blocks = list(text.blocks)
    changed = False
    in_list = False
    for i, block in enumerate(blocks):
        if block.is_heading and in_list:
            words = block.text.strip()
            if (
                words.endswith("?")
                or _QUESTION_START.match(words)
                or any(c.headings is not None and c.headings.search(words) for c in cues.sections)
            ):
                in_list = False
                continue
            blocks[i] = replace(block, kind=BlockKind.LIST_ITEM, level=0)
            changed = True
            continue
        stripped = block.text.rstrip()
        in_list = stripped.endswith(":") or (in_list and block.kind is BlockKind.LIST_ITEM)
    return replace(text, blocks=tuple(blocks)) if changed else text


# A notice whose page lost its structure arrives as one long paragraph, its
# headings run into the sentences after them: "...share include: The lawful
# basis on which we use this information We collect and use...". Only where a
# stretch of words right after a sentence boundary reads as a section heading
# and the next word starts a new sentence is the heading split out again.
_RUN_ON_MIN_WORDS = 40  # a block shorter than this kept its line breaks: leave it alone
_RUN_ON_MAX_HEADING_WORDS = 12
_RUN_ON_BOUNDARY = regex(r"(?:^|(?<=[.:?!])\s+)(?=[A-Z\u2018\u201c\"'])")
# Words that open a sentence in notices, after a heading whose line break was lost.
# A capital that is not one of these (a name, "Public Task", "Article 6") may be
# the heading's own next word, so no split is made there.
_SENTENCE_STARTERS = frozenset(
    """We Our The This These Those You Your If In Under Where When Whenever All Any Some Most Each Every It
    They There To For As At By From Please Parents Pupils Pupil Students Staff Schools Information
    Personal Data Once Unless Although While Whilst Many Further More Details""".split()
)
# A heading does not end on a word that needs more after it ("Our lawful basis is").
_NOT_LAST = frozenset(
    """a an the of to for with and or by on in at from is are be was were as our your their its this that
    which who whom include includes including such than under into about""".split()
)


def _split_run_on_headings(text: Text, cues: Cues) -> Text:
    """`text` with section headings that run into the next sentence, in long paragraphs, split out as headings."""
    headings = [c.headings for c in cues.sections if c.headings is not None]
    out: list[Block] = []
    changed = False
    for block in text.blocks:
        if block.kind is not BlockKind.PARAGRAPH or len(block.text.split()) < _RUN_ON_MIN_WORDS:
            out.append(block)
            continue
        pieces = [
            (part, is_heading)
            for piece, is_heading in _run_on_pieces(block.text, headings)
            # a lead-in ends at its colon: what follows is its list, or (when the list
            # was lost) the next sentence, which must not count as part of the lead-in
            for part in ([piece] if is_heading else _split_lead_ins(piece))
        ]
        if len(pieces) == 1:
            out.append(block)
            continue
        changed = True
        out.extend(
            Block(BlockKind.HEADING if is_heading else BlockKind.PARAGRAPH, piece, block.line, 3 if is_heading else 0)
            for piece, is_heading in pieces
        )
    return replace(text, blocks=tuple(out)) if changed else text


def _run_on_pieces(paragraph: str, headings) -> list[tuple[str, bool]]:
    """(piece, is a heading) for `paragraph` cut around the run-on headings found in it."""
    cuts: list[tuple[int, int]] = []  # (start, end) of each heading found
    for boundary in _RUN_ON_BOUNDARY.finditer(paragraph):
        start = boundary.end()
        if cuts and start < cuts[-1][1]:
            continue
        end = _run_on_heading_end(paragraph, start, headings)
        if end is not None:
            cuts.append((start, end))
    if not cuts:
        return [(paragraph, False)]
    pieces: list[tuple[str, bool]] = []
    position = 0
    for start, end in cuts:
        if paragraph[position:start].strip():
            pieces.append((paragraph[position:start].strip(), False))
        pieces.append((paragraph[start:end].strip(), True))
        position = end
    if paragraph[position:].strip():
        pieces.append((paragraph[position:].strip(), False))
    return pieces


_WORD = regex(r"\S+")
_LEAD_IN_END = regex(r"(?<=:)\s+(?=[A-Z])")
_SENTENCE_STOP = regex(r"[.?!](?=\s)")
_LEAD_IN_MAX_WORDS = 30


def _split_lead_ins(piece: str) -> list[str]:
    """`piece` cut after each lead-in ("...about you:") that another lead-in follows, capitalised
    ("We may also collect:"): the first lost its list. A lead-in is a short stretch since the
    last full stop; a long one ran its list in ("include: name, address ... are:"), and one
    followed by anything else may be followed by its own list, run in."""
    parts, start = [], 0
    for match in _LEAD_IN_END.finditer(piece):
        if _lead_in_before(piece, start, match.start()) and _lead_in_after(piece, match.end()):
            parts.append(piece[start : match.start()])
            start = match.end()
    parts.append(piece[start:])
    return [p for p in parts if p.strip()]


# Looking no further than this from a colon keeps the cutting linear in the paragraph's length.
_LEAD_IN_REACH = _LEAD_IN_MAX_WORDS * 20


def _lead_in_before(piece: str, start: int, colon: int) -> bool:
    """Is the stretch ending at `colon` (since the last full stop, or `start`) a short lead-in?"""
    since = piece[max(start, colon - _LEAD_IN_REACH) : colon]
    stops = list(_SENTENCE_STOP.finditer(since))
    stretch = since[stops[-1].end() :] if stops else since
    return 0 < len(stretch.split()) <= _LEAD_IN_MAX_WORDS and (bool(stops) or start >= colon - _LEAD_IN_REACH)


def _lead_in_after(piece: str, position: int) -> bool:
    """Does a short lead-in (a stretch without a full stop, ending in a colon) start at `position`?"""
    colon = piece.find(":", position, position + _LEAD_IN_REACH)
    if colon < 0:
        return False
    stretch = piece[position:colon]
    return not _SENTENCE_STOP.search(stretch) and 0 < len(stretch.split()) <= _LEAD_IN_MAX_WORDS


_COPULA = frozenset({"is", "are", "was", "were"})
_LINK = regex(r"https?:|www\.|@|\.(?:uk|com|org)\b", re.I)


def _run_on_heading_end(paragraph: str, start: int, headings) -> int | None:
    """Where a heading starting at `start` ends, if the words there read as one running into a sentence."""
    words: list[re.Match] = []
    # Kept as the words come (each check below once looked at every word so far): a copula among
    # the heading's words after its first, and a word ending as a sentence does before the last two.
    copula = stopped = False
    for match in _WORD.finditer(paragraph, start):
        words.append(match)
        count = len(words)
        if count > _RUN_ON_MAX_HEADING_WORDS + 2:
            return None
        if count >= 3 and words[count - 3].group(0)[-1] in ".:?!;":
            stopped = True
        if count >= 5 and words[count - 4].group(0).lower() in _COPULA:
            copula = True
        if count < 4:  # a heading word, the heading's last word, the next sentence's first and second
            continue
        last, starter, second = (w.group(0) for w in words[-3:])
        if copula:
            return None  # "The Data Protection Officer for the School is Mrs ..." is a sentence
        if stopped:
            return None  # the stretch ended as a sentence does: not a heading run into the next
        if starter not in _SENTENCE_STARTERS or not last[-1].isalpha() or last.lower() in _NOT_LAST:
            continue
        # In a Title Case heading ("What Information Do We Collect") the starter may be the
        # heading's own word: a sentence goes on in lower case ("We collect...").
        if last[0].isupper() and not second[0].islower():
            continue
        candidate = paragraph[start : words[-3].end()]
        if _LINK.search(candidate):
            return None  # "see https://..." or an email address: a pointer, not a heading
        if any(h.search(candidate) for h in headings):
            return words[-3].end()
    return None


_POSTCODE = regex(r"\b[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}\b")
_ADDRESS_LINE_MAX_WORDS = 8
_ADDRESS_MAX_LINES = 10


def _join_addresses(text: Text) -> Text:
    """`text` with a postal address laid out one line per block joined into one block.

    Web pages and PDFs give "The Data Protection Officer," / "Council Offices," / "Hamilton" /
    "ML3 0AA" as separate lines; only together do they say whom to write to and where."""
    blocks = list(text.blocks)
    out: list[Block] = []
    for block in blocks:
        words = block.text.split()
        if _POSTCODE.search(block.text) and len(words) <= _ADDRESS_LINE_MAX_WORDS:
            run = []
            while (
                out
                and len(run) < _ADDRESS_MAX_LINES - 1
                and len(out[-1].text.split()) <= _ADDRESS_LINE_MAX_WORDS
                and not out[-1].text.rstrip().endswith((".", ":", "?", "!"))
            ):
                run.insert(0, out.pop())
            if run:
                joined = ", ".join(b.text.rstrip(" ,") for b in [*run, block])
                out.append(Block(BlockKind.PARAGRAPH, joined, run[0].line))
                continue
        out.append(block)
    return replace(text, blocks=tuple(out)) if len(out) != len(blocks) else text


def find_sections(text: Text, cues: Cues) -> Analysis:
    """Classify a notice's content into the checklist's sections. Pure."""
    text = _as_list_items(_join_addresses(_split_run_on_headings(text, cues)), cues)
    sentences, joined = _build_sentences(text.blocks)
    starts = tuple(s.start for s in sentences)
    analysis_sections: dict[str, Section] = {}
    members: dict[str, frozenset[int]] = {}
    hits = cues.index.scan(joined, starts) if cues.index is not None and sentences else None
    kinds = _not_content_kinds(sentences, cues, hits)
    # cues run over the text with placeholders blanked; rules still see the text as written
    cue_text = _blank_placeholders(joined, cues.placeholders)
    if hits is not None and cue_text != joined:
        spans = [(i, s.start, s.start + len(s.text)) for i, s in enumerate(sentences)]
        cues.index.add_sentences(hits, cue_text, [(i, a, b) for i, a, b in spans if cue_text[a:b] != joined[a:b]])

    def text_of(index: int) -> str:
        sentence = sentences[index]
        return cue_text[sentence.start : sentence.start + len(sentence.text)]

    empty_lead_ins = _empty_lead_ins(sentences, text.blocks, kinds, text_of)
    content = _blank_sentences(cue_text, sentences, [i for i, k in enumerate(kinds) if k] + sorted(empty_lead_ins))
    analysis = Analysis(
        content=content,
        blanked=cue_text,
        text=text,
        sentences=tuple(sentences),
        joined=joined,
        starts=starts,
        sections=analysis_sections,
        members=members,
        hits=hits,
        index=cues.index,
        negation=cues.negation,
    )

    def index_at(offset: int) -> int:
        return bisect.bisect_right(starts, offset) - 1

    # The document's title ("Privacy notice: how we use pupil information") names the
    # whole notice, not one section, so heading cues skip it.
    heading_blocks = [
        (i, b)
        for i, b in enumerate(text.blocks)
        if _is_heading(b) and len(b.text.split()) <= 20 and not (i == 0 and b.level <= 1)
    ]
    sentences_of_block: dict[int, list[int]] = {}
    for i, s in enumerate(sentences):
        sentences_of_block.setdefault(s.block, []).append(i)
    first_sentence_of = {b: idx[0] for b, idx in sentences_of_block.items()}

    for cue in cues.sections:

        def is_content(index: int, cue=cue) -> bool:
            """May this sentence be evidence at all? Not if it is about the notice itself, points
            elsewhere, is a placeholder (unless the section allows that kind), or is a lead-in
            whose list is missing."""
            return not (kinds[index] - cue.allow) and index not in empty_lead_ins

        evidence: list[Evidence] = []
        heading_line: int | None = None
        present = False
        member: set[int] = set()

        if cue.headings is not None:
            for index, block in heading_blocks:
                if cue.headings.search(block.text):
                    if heading_line is None:
                        heading_line = block.line
                    for b in _segment(text.blocks, index):
                        member.update(sentences_of_block.get(b, ()))
                    heading_sentence = first_sentence_of.get(index)
                    if (
                        not present
                        and (heading_sentence is None or not (kinds[heading_sentence] - cue.allow))
                        and _heading_content_words(text.blocks, index, sentences_of_block, sentences, is_content, text_of)
                        >= HEADING_CONTENT_WORDS
                        and _says_something_of(cue, text.blocks, index, sentences_of_block, sentences, is_content, text_of)
                        and not (cue.skip_negated and _all_negated(text.blocks, index, sentences_of_block, sentences, cues))
                    ):
                        present = True
                        evidence.append(Evidence(block.line, quote(block.text)))

        def usable(sentence: Sentence, match: re.Match, is_content=is_content, cue=cue) -> bool:
            if (sentence.is_heading and not cue.strong_in_headings) or not is_content(index_at(match.start())):
                return False
            if cue.exclude is not None and cue.exclude.search(text_of(index_at(match.start()))):
                return False
            if cue.skip_negated and is_negated(sentence, match.start(), cues.negation):
                return False
            return True

        strong_hits: list[Sentence] = []
        if cue.strong is not None:
            seen_blocks: set[int] = set()
            for match in sentence_matches(cue.strong, analysis, cue_text):
                index = index_at(match.start())
                sentence = sentences[index]
                if not usable(sentence, match):
                    continue
                member.add(index)
                if sentence.block not in seen_blocks:
                    seen_blocks.add(sentence.block)
                    strong_hits.append(sentence)
        if cue.titles is not None:
            # a named document ("Records Retention Schedule") is content even as a bare line of a list of links
            for match in sentence_matches(cue.titles, analysis, cue_text):
                index = index_at(match.start())
                if is_content(index) and not (cue.exclude is not None and cue.exclude.search(text_of(index))):
                    member.add(index)
                    if sentences[index].block not in {s.block for s in strong_hits}:
                        strong_hits.append(sentences[index])
                    break
        if strong_hits:
            present = True
            evidence.extend(Evidence(s.line, quote(s.text)) for s in strong_hits[:2])
        elif cue.weak is not None:
            names: set[str] = set()
            hit_sentences: dict[int, Sentence] = {}
            for match in all_matches(cue.weak, analysis, cue_text):
                index = index_at(match.start())
                sentence = sentences[index]
                if not usable(sentence, match):
                    continue
                names.add(match.lastgroup or "")
                hit_sentences.setdefault(index, sentence)
            if len(names) >= cue.weak_needed and len(hit_sentences) >= cue.weak_min_sentences:
                present = True
                member.update(hit_sentences)
                evidence.extend(Evidence(s.line, quote(s.text)) for s in list(hit_sentences.values())[:2])

        if present and heading_line is None:
            # anchor on the heading above the first evidence, if there is one
            first = strong_hits[0] if strong_hits else None
            if first is not None and first.heading_index is not None:
                heading_line = text.blocks[first.heading_index].line
        analysis_sections[cue.name] = Section(
            name=cue.name,
            present=present,
            evidence=tuple(dict.fromkeys(evidence))[:3],
            heading_line=heading_line,
            label=cue.label,
        )
        members[cue.name] = frozenset(member)

    return analysis
