"""Fast matching of the rule and cue patterns: a literal pre-filter in front of Python's regex engine.

Checking a notice runs a few hundred case-insensitive regular expressions
over a few hundred sentences. Python's engine tries every alternative at
every position, so doing that naively costs tens of milliseconds a notice.

Every pattern, though, can only match where one of a few literal strings
occurs: `\\bretention (period|schedule)` needs "retention ". For each pattern
in a rule's or cue's list (a *part*), `required_literals` reads such a set
off the parsed pattern, preferring rare words to common ones ("data",
"information"); `AnchorIndex` finds every anchor in a document in one
Aho-Corasick pass (pyahocorasick, in C); a part's regex then runs only on
the sentences that hold one of its anchors. The pre-filter never changes
what matches, only where the engine looks: `tests/test_matching.py` compares
both ways on generated text.
"""

from __future__ import annotations

import _sre
import bisect
import functools
import re
from collections.abc import Iterable, Sequence
from re import _constants as C  # noqa: N812 - the stdlib's own opcode names
from re import _parser as sre_parse

_MAX_ALTERNATIVES = 64  # more literal alternatives than this is no useful filter

# Words so common in privacy notices that an anchor made of them filters nothing.
_COMMON = frozenset(
    """a an and are as at be by can data details for from has have he her his i if in information is it its
    law may not of on or our out personal pupil pupils school she so that the their them these they this
    to us use we what when where which who will with you your""".split()
)


def _program(source: str, flags: int, parsed=None) -> tuple | None:
    """The compiled program of a pattern, in the form `_sre.compile` takes (as re._compiler.compile
    makes it), so that a pickled rulebook rebuilds its patterns without parsing them again:
    re.Pattern pickles as its source and is parsed and compiled anew at every load, which
    costs more than the check of a notice. None where this Python's internals differ."""
    try:
        from re import _compiler

        parsed = parsed if parsed is not None else sre_parse.parse(source, flags)
        code = [int(op) for op in _compiler._code(parsed, flags)]  # opcodes are int subclasses that do not pickle
        state = parsed.state
        indexgroup = [None] * state.groups
        for name, i in state.groupdict.items():
            indexgroup[i] = name
        return (source, flags | state.flags, code, state.groups - 1, dict(state.groupdict), tuple(indexgroup))
    except Exception:  # noqa: BLE001 - a private API: fall back to re.compile
        return None


def _from_program(source: str, flags: int, program: tuple | None) -> re.Pattern:
    if program is not None:
        try:
            return _sre.compile(*program)
        except Exception:  # noqa: BLE001 - a program from another Python: compile from source
            pass
    return re.compile(source, flags)


def reduce_pattern(pattern: re.Pattern) -> tuple:
    """How a plain re.Pattern pickles in the rulebook cache: as its program (see `_program`)."""
    return _from_program, (pattern.pattern, pattern.flags, _program(pattern.pattern, pattern.flags))


class Part:
    """One pattern of a list: its regex, the lower-case literals one of which every match holds
    (`anchors`), further such sets that must all hold too (`also`), and the longest a match can
    be (None: unbounded). Pickles with its compiled program (see `_program`)."""

    __slots__ = ("regex", "anchors", "also", "reach", "_program")

    def __init__(self, regex: re.Pattern, sets: list[tuple[str, ...]], reach: int | None, program: tuple | None = None):
        self.regex = regex
        self.anchors = sets[0] if sets else None
        self.also = tuple(sets[1:])
        self.reach = reach
        self._program = program

    def __getstate__(self):
        program = self._program or _program(self.regex.pattern, self.regex.flags)
        return self.regex.pattern, self.regex.flags, program, self.anchors, self.also, self.reach

    def __setstate__(self, state) -> None:
        source, flags, self._program, self.anchors, self.also, self.reach = state
        self.regex = _from_program(source, flags, self._program)


class Matcher:
    """A list of patterns matched as one alternation, with a pre-filter per pattern."""

    __slots__ = ("source", "flags", "parts", "_regex", "_program")

    def __init__(self, source: str, flags: int, parts: tuple[Part, ...]):
        self.source = source
        self.flags = flags
        self.parts = parts
        self._regex: re.Pattern | None = None
        self._program: tuple | None = None

    def __getstate__(self):
        # the whole alternation pickles as its program, made now if no check has needed it yet
        return self.source, self.flags, self.parts, self._program or _program(self.source, self.flags)

    def __setstate__(self, state) -> None:
        self.source, self.flags, self.parts, self._program = state
        self._regex = None  # built from the program on first use: most matchers run part by part

    @property
    def regex(self) -> re.Pattern:
        """All parts as one alternation, for plain searches of short texts; compiled on first use,
        because most matchers only ever run part by part (start-up time matters for one-file checks)."""
        if self._regex is None:
            self._regex = _from_program(self.source, self.flags, self._program)
        return self._regex

    @property
    def pattern(self) -> str:
        return self.source

    def search(self, text: str, pos: int = 0, endpos: int | None = None) -> re.Match | None:
        return self.regex.search(text, pos, len(text) if endpos is None else endpos)

    def finditer(self, text: str, pos: int = 0, endpos: int | None = None):
        return self.regex.finditer(text, pos, len(text) if endpos is None else endpos)


class Screened:
    """One compiled regex searched over a whole text, behind the same literal pre-filter: when the
    lower-cased text holds none of the literals every match needs, the regex is not run at all
    (most notices never mention Wales, fees or GCSEs); when it does, the search starts where the
    first of them could begin a match (its position less the longest match), since no match can
    start earlier. The answers are the regex's own."""

    __slots__ = ("regex", "_literals", "_reach")

    def __init__(self, regex: re.Pattern, *, now: bool = False):
        """`now`: read the literals off the pattern at once (for objects kept in the rulebook cache),
        else on first use (module-level patterns: start-up time)."""
        self.regex = regex
        self._literals: tuple[str, ...] | None | bool = False
        self._reach: int | None = None
        if now:
            self._read()

    @classmethod
    def read(cls, regex: re.Pattern, literals: tuple[str, ...] | None, reach: int | None) -> Screened:
        """A Screened whose literals and reach were read off the pattern before (precompiled.screened)."""
        made = cls(regex)
        made._literals, made._reach = literals, reach
        return made

    def _read(self) -> None:
        parsed = sre_parse.parse(self.regex.pattern, self.regex.flags)
        sets = _sets_of(parsed)
        self._literals = sets[0] if sets else None
        self._reach = _reach_of(parsed)

    def _start(self, text: str, lowered: str) -> int | None:
        """Where a search must begin to find the first match; None when no match is possible."""
        if self._literals is False:
            self._read()
        if self._literals is None:
            return 0
        first = min((at for at in (lowered.find(literal) for literal in self._literals) if at >= 0), default=None)
        if first is None:
            return None
        if self._reach is None or len(lowered) != len(text):
            return 0  # unbounded matches, or offsets that lower-casing moved: search it all
        return max(0, first - self._reach)

    def search(self, text: str, lowered: str | None = None) -> re.Match | None:
        """`regex.search(text)`; `lowered` is `text.lower()`, when the caller has made it once for many searches."""
        start = self._start(text, text.lower() if lowered is None else lowered)
        return None if start is None else self.regex.search(text, start)

    def findall(self, text: str, lowered: str | None = None) -> list:
        may = self._start(text, text.lower() if lowered is None else lowered) is not None
        return self.regex.findall(text) if may else []

    def finditer(self, text: str, lowered: str | None = None):
        if self._start(text, text.lower() if lowered is None else lowered) is not None:
            yield from self.regex.finditer(text)

    def count(self, text: str) -> int:
        return len(self.findall(text))

    def subn(self, repl: str, text: str) -> tuple[str, int]:
        return self.regex.subn(repl, text) if self._start(text, text.lower()) is not None else (text, 0)


class BadPattern(ValueError):
    """A pattern in a list does not compile; `index` says which."""

    def __init__(self, index: int, error: re.error):
        super().__init__(str(error))
        self.index = index


def compile_matcher(patterns: Sequence[str], flags: int, *, named: bool = False) -> Matcher:
    """`patterns` as one Matcher. `named`: wrap each in a group c0, c1... so a match says which one fired.

    Each pattern is parsed once for its literals and reach, and compiled once."""
    wrapped = [f"(?P<c{i}>{p})" if named else f"(?:{p})" for i, p in enumerate(patterns)]
    parts = []
    for i, (source, pattern) in enumerate(zip(patterns, wrapped)):
        try:
            parsed = sre_parse.parse(source, flags)
            regex = re.compile(pattern, flags)
        except re.error as exc:
            raise BadPattern(i, exc) from None
        parts.append(Part(regex, _sets_of(parsed), _reach_of(parsed)))
    return Matcher("|".join(wrapped), flags, tuple(parts))


def required_literals(source: str, flags: int = 0) -> tuple[str, ...] | None:
    """Lower-case strings, one of which occurs in every match of `source`; None when none is known."""
    sets = required_sets(source, flags)
    return sets[0] if sets else None


def required_sets(source: str, flags: int = 0, most: int = 3) -> list[tuple[str, ...]]:
    """Up to `most` literal sets, best first, such that every match holds a member of each."""
    try:
        parsed = sre_parse.parse(source, flags)
    except re.error:
        return []
    return _sets_of(parsed, most)


def _sets_of(parsed, most: int = 3) -> list[tuple[str, ...]]:
    chosen: list[set[str]] = []
    for options in sorted(_candidates(list(parsed.data)), key=_score, reverse=True):
        score = _score(options)
        if score[0] <= -1000 or len(chosen) >= most:
            break
        if chosen and (score[0] < 0 or score[1] < 3):
            continue  # a further set of common or tiny words costs more to find than it saves
        # a set every chosen member already contains ("share" inside " share") adds nothing
        if any(all(any(b in a for b in options) for a in picked) for picked in chosen):
            continue
        chosen.append(options)
    return [tuple(sorted(s)) for s in chosen]


def _reach_of(parsed) -> int | None:
    """The longest text a match can cover, if that is bounded."""
    longest = parsed.getwidth()[1]
    return longest if longest < 2000 else None


def _rarity(literal: str) -> int:
    """Length of the longest uncommon word in a literal (0 when it is only common words like "with the")."""
    return max((len(w) for w in literal.split() if w not in _COMMON), default=0)


def _score(options: set[str]) -> tuple[int, int, int]:
    """How well a literal set filters: fewest common-word members, then its weakest member's rarity,
    then fewer members. Whitespace alone filters nothing."""
    if any(not s.strip() for s in options):
        return -1000, 0, 0
    common = sum(1 for s in options if _rarity(s) == 0)
    return -common, min(_rarity(s) for s in options), -len(options)


def _prefixes(items: list) -> set[str] | None:
    """The literal strings a sequence must start with (sre_parse factors common prefixes out of
    alternations, so "(leave|left)" arrives as "le" + "(ave|ft)"); None when it can start otherwise."""
    head: list[str] = []
    for op, av in items:
        if op is C.LITERAL:
            head.append(chr(av))
            continue
        rest: set[str] | None = None
        if op is C.SUBPATTERN:
            rest = _prefixes(list(av[3].data))
        elif op is C.BRANCH:
            parts = [_prefixes(list(branch.data)) for branch in av[1]]
            rest = set().union(*parts) if all(p is not None for p in parts) else None
        prefix = "".join(head)
        if rest is None:
            return {prefix} if prefix else None
        if len(rest) > _MAX_ALTERNATIVES:
            return {prefix} if prefix else None
        return {prefix + r for r in rest}
    return {"".join(head)}


def _required(items: list) -> set[str] | None:
    """A literal set for a sequence of parsed items: the most selective mandatory part."""
    candidates = _candidates(items)
    if not candidates:
        return None
    return max(candidates, key=_score)


def _candidates(items: list) -> list[set[str]]:
    """Every literal set that a match of this sequence must draw a member from."""
    candidates: list[set[str]] = []
    run: list[str] = []

    def close_run() -> None:
        if run:
            candidates.append({"".join(run).lower()})
            run.clear()

    for op, av in items:
        if op is C.LITERAL:
            run.append(chr(av))
            continue
        if run and op in (C.SUBPATTERN, C.BRANCH):
            joined = _prefixes([(op, av)])
            if joined and all(joined):
                candidates.append({("".join(run) + p).lower() for p in joined})
        close_run()
        inner: set[str] | None = None
        if op is C.SUBPATTERN:
            inner = _required(list(av[3].data))
        elif op is C.BRANCH:
            branches = [_required(list(branch.data)) for branch in av[1]]
            if all(branches):
                inner = set().union(*branches)
        elif op in (C.MAX_REPEAT, C.MIN_REPEAT, getattr(C, "POSSESSIVE_REPEAT", None)) and av[0] >= 1:
            body = list(av[2].data)
            if len(body) == 1 and body[0][0] is C.LITERAL:  # X{3,} needs "xxx"
                inner = {chr(body[0][1]).lower() * min(av[0], 20)}
            else:
                inner = _required(body)
        elif op is getattr(C, "ATOMIC_GROUP", None):
            inner = _required(list(av.data))
        if inner and len(inner) <= _MAX_ALTERNATIVES:
            candidates.append(inner)
    close_run()
    return candidates


# In a hits dict, anchors are strings and the prefilter's answers are keyed by part position
# (ints); this key says the prefilter ran, so a part it covers but never saw matches nothing.
_PREFILTERED = -1


def sentence_spans(text: str, starts: Sequence[int]) -> list[tuple[int, int, int]]:
    """(index, start, end) of each sentence of `text` (sentences joined by "\\n", starting at `starts`)."""
    ends = [start - 1 for start in starts[1:]] + [len(text)]
    return list(zip(range(len(starts)), starts, ends))


class AnchorIndex:
    """One automaton over the anchors of many matchers; finds them all in a document in one pass."""

    def __init__(self, matchers: Iterable[Matcher]):
        import ahocorasick

        self._known: set[str] = set()
        # id() -> part, for the parts whose anchors are all in the automaton; holding the part
        # keeps its id from being reused by another object
        self._parts: dict[int, Part] = {}
        automaton = ahocorasick.Automaton()
        for matcher in matchers:
            for part in matcher.parts:
                if part.anchors is None:
                    continue
                self._parts[id(part)] = part
                for anchor in (a for options in (part.anchors, *part.also) for a in options):
                    if anchor not in self._known:
                        self._known.add(anchor)
                        automaton.add_word(anchor, (anchor, len(anchor) - 1))  # where it starts, from where it ends
        if self._known:
            automaton.make_automaton()
        self._automaton = automaton if self._known else None
        from noticecheck.prefilter import Prefilter

        # the second filter: which of the anchored sentences each part's regex may match at all
        self._prefilter = Prefilter([part.regex for part in self._parts.values()])
        self._key_parts()

    def _key_parts(self) -> None:
        self._position = {id(part): i for i, part in enumerate(self._parts.values())}
        self._covered: frozenset[int] | None = None  # the prefilter's answered positions, once it is loaded

    # The parts are keyed by id(), which a pickle does not keep: store them as a list and key them again.
    def __getstate__(self):
        return self._known, list(self._parts.values()), self._automaton, self._prefilter

    def __setstate__(self, state) -> None:
        self._known, parts, self._automaton, self._prefilter = state
        self._parts = {id(part): part for part in parts}
        self._key_parts()

    def sentences_for(self, part: Part, hits: dict[str, frozenset[int]]) -> set[int]:
        """Sentences holding a member of each of the part's literal sets (a match lies in one sentence),
        or, where `scan` ran the prefilter, the sentences it says the part's regex may match."""
        if _PREFILTERED in hits:
            position = self._position.get(id(part))
            if position is not None and position in self._covered:
                return set(hits.get(position, ()))
        found: set[int] = set()
        for anchor in part.anchors:
            found |= hits.get(anchor, frozenset())
        for options in part.also:
            if not found:
                break
            if not all(a in self._known for a in options):
                continue
            also: set[int] = set()
            for anchor in options:
                also |= hits.get(anchor, frozenset())
            found &= also
        return found

    def within_sentences(self, part: Part, hits: dict) -> set[int] | None:
        """For a part every match of which lies within one sentence (it cannot hold a line break),
        the sentences the prefilter says it may match; None where that is not known."""
        if _PREFILTERED not in hits:
            return None
        position = self._position.get(id(part))
        if position is None or position not in self._covered or position not in self._prefilter.within_lines:
            return None
        return hits.get(position, set())

    def knows(self, part: Part) -> bool:
        """Were this part's anchors indexed? (Parts of rules added later, e.g. an LA's pack, were not.)"""
        return id(part) in self._parts

    def scan(self, text: str, starts: Sequence[int]) -> dict[str, set[int]] | None:
        """anchor -> indices of the sentences (by start offset) that contain it; None if it cannot tell."""
        lowered = text.lower()
        if self._automaton is None or len(lowered) != len(text):
            return None  # a rare character changed length when lower-cased: offsets would not line up
        # The sets are not frozen: nothing changes them after this (callers union them into their own).
        found: dict = {}
        sentence_of = functools.partial(bisect.bisect_right, starts)
        for end, (anchor, back) in self._automaton.iter(lowered):
            sentences = found.get(anchor)
            if sentences is None:
                sentences = found[anchor] = set()
            sentences.add(sentence_of(end - back) - 1)
        if self._prefiltering():
            self._record(found, text, sentence_spans(text, starts))
            found[_PREFILTERED] = frozenset()
        return found

    def add_sentences(self, hits: dict, text: str, spans: Iterable[tuple[int, int, int]]) -> None:
        """Add to `hits` the prefilter's answers for the sentences at `spans` ((index, start, end)) of
        `text`: for a sentence whose searched text differs from the one `scan` saw (placeholders
        blanked), so that the answer covers both. Does nothing where `scan` did not run the prefilter."""
        if _PREFILTERED in hits:
            self._record(hits, text, spans)

    def _prefiltering(self) -> bool:
        if self._covered is None:
            self._covered = self._prefilter.covers()
        return bool(self._covered)

    def _record(self, hits: dict, text: str, spans: Iterable[tuple[int, int, int]]) -> None:
        for position, sentences in (self._prefilter.sentences(text, spans) or {}).items():
            hits[position] = hits.get(position, frozenset()) | sentences
