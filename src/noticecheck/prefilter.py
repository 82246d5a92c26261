"""Which sentences could each pattern match? One Hyperscan pass per sentence answers for every pattern at once.

The anchor index (matching.AnchorIndex) narrows each pattern's search to the
sentences holding its literal words. On a typical notice that still leaves
about 15,000 (pattern, sentence) searches, almost all of which fail, and
failing them in Python's regex engine was most of a check's regex time: a
pattern such as "(receive|obtain|...) ... from ... (school|council|...)"
tries its alternatives at every position of a 900-character sentence.

Hyperscan compiles every pattern of the rulebook into one automaton. In
*prefilter* mode it accepts constructs it cannot run exactly (lookarounds,
back-references) by widening them, so what it reports is a superset: it may
say a pattern could match a sentence where it does not, never the reverse.
Python's `re` still makes every decision, on the sentences left; findings are
the same with or without this module (tests/test_prefilter.py holds both).

Hyperscan's word and space classes here are ASCII, Python's are Unicode, so
each sentence is first *folded*: every character outside ASCII becomes one
ASCII character of the same class as Python sees it (a letter "x", a digit
"0", a space, or \\x01 for anything else; a letter Python's IGNORECASE
matches with an ASCII one, like the Kelvin sign with "k", becomes that
letter). Lengths and classes are kept, so `\\b`, `\\w`, `\\s`, `\\d` and `.`
answer as in Python. Only patterns that cannot tell a substitute from the
character it stands for are compiled: ASCII patterns without a negated set
that excludes an ASCII letter, "0", a space or \\x01 (`[^a-z]` would reject
the "x" standing for "é", which Python accepts). Every other pattern keeps
the anchor index alone.

Optional: without the `hyperscan` package (it exists for x86-64 only), or
with NOTICECHECK_PREFILTER=off, the checker runs exactly as before, only
slower. The compiled database is kept in the rulebook cache directory
under a digest of the patterns, so each pattern set is compiled once (a few seconds for the built-in rules, on the
first run after an install or a change to the rules). With the cache turned
off (NOTICECHECK_CACHE_DIR=off) nothing could keep it, so the prefilter is
not used.
"""

from __future__ import annotations

import functools
import hashlib
import os
import re
import string
import threading
from collections.abc import Iterable, Sequence
from re import _constants as C  # noqa: N812 - the stdlib's own opcode names
from re import _parser as sre_parse

_ALLOWED_FLAGS = re.IGNORECASE | re.MULTILINE | re.DOTALL | re.UNICODE | re.ASCII
_OTHER = "\x01"  # stands for a character that is neither word nor space in Python's eyes
_SUBSTITUTES = frozenset(string.ascii_letters + "0 " + _OTHER)
# Python's \s also takes \x1c-\x1f, which Hyperscan's ASCII \s does not: fold those too.
_TO_FOLD = re.compile(r"[^\x00-\x1b\x20-\x7f]")  # (not precompiled.regex: precompiled imports matching, which imports this)
_LOADING = threading.Lock()  # two threads of the web server may both ask first


@functools.lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    """The ASCII character that stands for `char` (see the module's docstring)."""
    for letter in string.ascii_lowercase:
        if re.fullmatch(letter, char, re.IGNORECASE):
            return letter
    if re.match(r"\d", char):
        return "0"
    if re.match(r"\w", char):
        return "x"
    if re.match(r"\s", char):
        return " "
    return _OTHER


def fold(text: str) -> str:
    """`text` with every character Hyperscan would class differently from Python replaced; length kept."""
    return _TO_FOLD.sub(lambda m: _fold_char(m.group()), text)


def _parse(regex: re.Pattern):
    try:
        return sre_parse.parse(regex.pattern, regex.flags)
    except re.error:
        return None


def eligible(regex: re.Pattern, parsed=None) -> bool:
    """Can Hyperscan's answer on folded text stand in for `regex` on the text as written?
    (`parsed`: the pattern parsed already.)"""
    if not isinstance(regex.pattern, str) or not regex.pattern.isascii() or regex.flags & ~_ALLOWED_FLAGS:
        return False
    parsed = parsed if parsed is not None else _parse(regex)
    return parsed is not None and not _rejects_substitute(parsed)


def _leaves(items, dotall: bool = False, asserted: bool = False):
    """(op, av, dotall, asserted) for every leaf of a parsed pattern: whether DOTALL holds there (an
    inline "(?s:...)" turns it on inside its group) and whether it sits inside a lookaround. A
    conditional is given as a leaf too, and then walked into."""
    for op, av in items:
        if op is C.BRANCH:
            for branch in av[1]:
                yield from _leaves(branch, dotall, asserted)
        elif op is C.SUBPATTERN:
            yield from _leaves(av[3], dotall or bool(av[1] & re.DOTALL), asserted)
        elif op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT):
            yield from _leaves(av[2], dotall, asserted)
        elif op in (C.ASSERT, C.ASSERT_NOT):
            yield from _leaves(av[1], dotall, True)
        elif op is C.ATOMIC_GROUP:
            yield from _leaves(av, dotall, asserted)
        else:
            yield op, av, dotall, asserted
            if op is C.GROUPREF_EXISTS:
                for part in av[1:]:
                    if part is not None:
                        yield from _leaves(part, dotall, asserted)


def _rejects_substitute(items) -> bool:
    """Does the parsed pattern name a character outside ASCII (an escape such as \\u00e9: the fold
    has replaced it in the text), or hold a negated set or character that refuses a substitute?"""
    for op, av, _, _ in _leaves(items):
        if op in (C.LITERAL, C.NOT_LITERAL) and av > 0x7F:
            return True
        if op is C.NOT_LITERAL and chr(av) in _SUBSTITUTES:
            return True
        if op is C.IN and any(o in (C.LITERAL, C.RANGE) and max(a if o is C.LITERAL else a[1], 0) > 0x7F for o, a in av):
            return True
        if op is C.IN and av and av[0][0] is C.NEGATE and _set_holds_substitute(av[1:]):
            return True
    return False


def _set_holds_substitute(items) -> bool:
    for op, av in items:
        if op is C.LITERAL and chr(av) in _SUBSTITUTES:
            return True
        if op is C.RANGE and any(av[0] <= ord(char) <= av[1] for char in _SUBSTITUTES):
            return True
    return False


_NEWLINE_CATEGORIES = frozenset(
    c for c in (C.CATEGORY_SPACE, C.CATEGORY_NOT_WORD, C.CATEGORY_NOT_DIGIT, C.CATEGORY_LINEBREAK,
                C.CATEGORY_UNI_SPACE, C.CATEGORY_UNI_NOT_WORD, C.CATEGORY_UNI_NOT_DIGIT, C.CATEGORY_UNI_LINEBREAK,
                C.CATEGORY_LOC_NOT_WORD)
)  # fmt: skip
_NO_NEWLINE_CATEGORIES = frozenset(
    (C.CATEGORY_NOT_SPACE, C.CATEGORY_WORD, C.CATEGORY_DIGIT, C.CATEGORY_NOT_LINEBREAK, C.CATEGORY_UNI_NOT_SPACE,
     C.CATEGORY_UNI_WORD, C.CATEGORY_UNI_DIGIT, C.CATEGORY_UNI_NOT_LINEBREAK, C.CATEGORY_LOC_WORD)
)  # fmt: skip


def may_match_newline(regex: re.Pattern, parsed=None) -> bool:
    """Could a match of `regex` hold a "\\n"? (True when unsure.) Sentences are joined by line breaks,
    so a pattern that cannot hold one matches within one sentence. (`parsed`: parsed already.)"""
    parsed = parsed if parsed is not None else _parse(regex)
    return parsed is None or _newline_in(parsed, bool(regex.flags & re.DOTALL))


def _newline_in(items, dotall: bool) -> bool:
    for op, av, dotall_here, asserted in _leaves(items, dotall):
        if asserted or op is C.AT:
            continue  # lookarounds and anchors consume nothing: the match itself holds no text of theirs
        if op is C.LITERAL:
            if av == 10:
                return True
        elif op is C.NOT_LITERAL:
            if av != 10:
                return True
        elif op is C.ANY:
            if dotall_here:
                return True
        elif op is C.IN:
            if _set_has_newline(av):
                return True
        else:
            return True  # back-references, conditionals: unsure
    return False


def _set_has_newline(items) -> bool:
    negated = bool(items) and items[0][0] is C.NEGATE
    holds = False
    for op, av in items[1:] if negated else items:
        if op is C.LITERAL:
            holds = holds or av == 10
        elif op is C.RANGE:
            holds = holds or av[0] <= 10 <= av[1]
        elif op is C.CATEGORY:
            if av in _NEWLINE_CATEGORIES:
                holds = True
            elif av not in _NO_NEWLINE_CATEGORIES:
                return True  # unsure
        else:
            return True
    return holds != negated


def _hyperscan():
    if os.environ.get("NOTICECHECK_PREFILTER", "").lower() == "off":
        return None  # an escape hatch, and how the tests and benchmarks compare both ways
    try:
        import hyperscan
    except ImportError:
        return None
    return hyperscan


def available() -> bool:
    """Is Hyperscan installed (and so is the prefilter used)?"""
    return _hyperscan() is not None


class Prefilter:
    """The eligible patterns of a list, compiled into one Hyperscan database (built on first use).

    `sentences(text, spans)` gives, for each pattern's position in the list, the spans of the text
    it may match. Pickles as its patterns and the serialised database."""

    def __init__(self, patterns: Sequence[re.Pattern]):
        parsed = [_parse(regex) for regex in patterns]  # once for both questions
        self.positions = tuple(i for i, regex in enumerate(patterns) if eligible(regex, parsed[i]))
        # patterns no match of which holds a line break: every match lies within one sentence
        self.within_lines = frozenset(i for i in self.positions if not may_match_newline(patterns[i], parsed[i]))
        self._sources = tuple((patterns[i].pattern, patterns[i].flags) for i in self.positions)
        self._serialised: bytes | None = None
        self._ids: tuple[int, ...] = ()  # Hyperscan id -> pattern position (patterns it refused left out)
        self._database = None

    def __getstate__(self):
        self._load()
        return self.positions, self.within_lines, self._sources, self._serialised, self._ids

    def __setstate__(self, state) -> None:
        self.positions, self.within_lines, self._sources, self._serialised, self._ids = state
        self._database = None

    def _load(self):
        """The compiled database: deserialised, read from the disk cache, or compiled."""
        hyperscan = _hyperscan()
        if hyperscan is None or not self._sources:
            return None
        if self._database is None:
            with _LOADING:
                if self._database is None:
                    if self._serialised is None:
                        compiled = _compiled(self._sources, hyperscan)
                        if compiled is None:
                            return None
                        self._serialised, kept = compiled
                        self._ids = tuple(self.positions[i] for i in kept)
                    if not self._serialised:
                        return None
                    self._database = hyperscan.loadb(self._serialised, hyperscan.HS_MODE_BLOCK)
        return self._database

    def _scratch(self, database):
        """This thread's scratch space: Hyperscan's working memory for a scan, which two scans at
        once (the web server's threads) must not share."""
        local = self.__dict__.setdefault("_local", threading.local())
        scratch = getattr(local, "scratch", None)
        if scratch is None:
            import hyperscan

            scratch = local.scratch = hyperscan.Scratch(database)
        return scratch

    def covers(self) -> frozenset[int]:
        """The positions of the patterns whose answers `sentences` gives (after the first use)."""
        return frozenset(self._ids) if self._load() is not None else frozenset()

    def sentences(self, text: str, spans: Iterable[tuple[int, int, int]]) -> dict[int, set[int]] | None:
        """pattern position -> the indices of the spans of `text` it may match, for `spans` given as
        (index, start, end); None when Hyperscan is not there to answer."""
        database = self._load()
        if database is None:
            return None
        scratch = self._scratch(database)
        found: dict[int, set[int]] = {}
        ids = self._ids
        current = 0

        def on_match(hyperscan_id, start, end, flags, context):
            found.setdefault(ids[hyperscan_id], set()).add(current)

        data = fold(text).encode("ascii")  # folding keeps offsets, so spans of the text are spans of this
        for current, start, end in spans:
            if end > start:
                database.scan(data[start:end], match_event_handler=on_match, scratch=scratch)
        return found


def _compiled(sources: tuple[tuple[str, int], ...], hyperscan) -> tuple[bytes, tuple[int, ...]] | None:
    """The serialised database of `sources` and which of them it holds (a pattern Hyperscan cannot
    take even as a prefilter is left out), from the disk cache when the same set was compiled before;
    None when there is no cache to keep it in."""
    from noticecheck.rulebook_cache import cache_dir, read_entry, store_entry

    directory = cache_dir()
    if directory is None:
        # Compiling takes seconds, more than it saves unless it is kept: with the cache turned
        # off, every run would compile again, so the prefilter is not used.
        return None
    digest = hashlib.sha256(repr((getattr(hyperscan, "__version__", ""), sources)).encode()).hexdigest()[:32]
    entry = directory / f"prefilter-{digest}.pickle"
    cached = read_entry(entry)
    if isinstance(cached, tuple) and len(cached) == 2 and isinstance(cached[0], bytes):
        return cached
    flags = [_flags(regex_flags, hyperscan) for _, regex_flags in sources]
    expressions = [source.encode("ascii") for source, _ in sources]
    kept = tuple(range(len(sources)))
    try:
        database = _database(hyperscan, expressions, flags, kept)
    except hyperscan.error:
        # find the patterns it refuses, one by one (only when some are refused)
        kept = tuple(i for i in kept if _compiles(hyperscan, expressions[i], flags[i]))
        database = _database(hyperscan, expressions, flags, kept) if kept else None
    result = (hyperscan.dumpb(database) if database is not None else b"", kept)
    store_entry(entry, result, "prefilter")
    return result


def _flags(regex_flags: int, hyperscan) -> int:
    # SINGLEMATCH: one report per pattern and sentence is all that is asked
    value = hyperscan.HS_FLAG_PREFILTER | hyperscan.HS_FLAG_SINGLEMATCH | hyperscan.HS_FLAG_ALLOWEMPTY
    if regex_flags & re.IGNORECASE:
        value |= hyperscan.HS_FLAG_CASELESS
    if regex_flags & re.MULTILINE:
        value |= hyperscan.HS_FLAG_MULTILINE
    if regex_flags & re.DOTALL:
        value |= hyperscan.HS_FLAG_DOTALL
    return value


def _database(hyperscan, expressions, flags, kept):
    database = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
    database.compile(
        expressions=[expressions[i] for i in kept], ids=list(range(len(kept))), flags=[flags[i] for i in kept]
    )
    return database


def _compiles(hyperscan, expression: bytes, flags: int) -> bool:
    try:
        _database(hyperscan, [expression], [flags], (0,))
    except hyperscan.error:
        return False
    return True
