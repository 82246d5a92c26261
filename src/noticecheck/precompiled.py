"""Module-level regular expressions, loaded already compiled from the disk cache at start-up.

The loaders, section finder and context detectors keep a few hundred fixed
patterns at module level. Python parses and compiles each of them anew in
every process (in Python code: `re._parser`, `re._compiler`), which for a
one-file check cost about a tenth of its time; the screened ones
(matching.Screened) then parsed their pattern once more for its literals.

`regex(source, flags)` stands in for `re.compile` for such constants, and
`screened(pattern)` for `matching.Screened(pattern)`. The first process
compiles as before and, at exit, stores each pattern's compiled program
(matching._program) and literals in one pickle in the rulebook cache's
directory (rulebook_cache.cache_dir); later processes rebuild the patterns
from it with `_sre.compile`, which is C. Entries are keyed by the pattern's
own source and flags, so a changed pattern is only a miss; the file's name
is keyed by the package and Python versions and the code that makes the
entries (matching.py, this module). The result is the same `re.Pattern` in
every case; deleting the cache, or NOTICECHECK_CACHE_DIR=off, only costs time.

Only fixed patterns belong here, not ones made from input (the cache would grow without bound).
"""

from __future__ import annotations

import atexit
import re
from pathlib import Path

from noticecheck.matching import Screened, _from_program, _program, _reach_of, _sets_of, sre_parse

_KIND = "patterns"
_KEY_MODULES = ("matching.py", "precompiled.py")


class _Store:
    """Programs by (source, flags) and screened literals by (source, pattern flags), read from the
    cache on first use and written back at exit when this process added any."""

    def __init__(self) -> None:
        self.programs: dict[tuple[str, int], tuple | None] = {}
        self.literals: dict[tuple[str, int], tuple[tuple[str, ...] | None, int | None]] = {}
        self.entry: Path | None = None
        self.loaded = False
        self.added = False

    def load(self) -> None:
        self.loaded = True
        from noticecheck import __version__
        from noticecheck.rulebook_cache import cache_dir, cache_key, read_entry

        directory = cache_dir()
        if directory is None:
            return
        here = Path(__file__).parent
        try:
            key = cache_key([here / name for name in _KEY_MODULES], __version__)
        except OSError:
            return
        self.entry = directory / f"{_KIND}-{key}.pickle"
        stored = read_entry(self.entry)
        if isinstance(stored, tuple) and len(stored) == 2:
            self.programs, self.literals = stored

    def note(self) -> None:
        if not self.added and self.entry is not None:
            self.added = True
            atexit.register(self.save)

    def save(self) -> None:
        from noticecheck.rulebook_cache import store_entry

        if self.entry is not None:
            store_entry(self.entry, (self.programs, self.literals), _KIND)


_STORE = _Store()


def regex(source: str, flags: int = 0) -> re.Pattern:
    """`re.compile(source, flags)`, from the cached program when there is one."""
    if not _STORE.loaded:
        _STORE.load()
    key = (source, int(flags))
    if key in _STORE.programs:
        return _from_program(source, flags, _STORE.programs[key])
    pattern = re.compile(source, flags)
    _STORE.programs[key] = _program(source, flags)
    _STORE.note()
    return pattern


def screened(pattern: re.Pattern) -> Screened:
    """`Screened(pattern)` with its literals and reach read from the cache (or worked out now and stored)."""
    if not _STORE.loaded:
        _STORE.load()
    key = (pattern.pattern, pattern.flags)
    known = _STORE.literals.get(key)
    if known is None:
        parsed = sre_parse.parse(pattern.pattern, pattern.flags)
        sets = _sets_of(parsed)
        known = (sets[0] if sets else None, _reach_of(parsed))
        _STORE.literals[key] = known
        _STORE.note()
    return Screened.read(pattern, *known)
