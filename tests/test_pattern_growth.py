"""Every rule and cue pattern runs in linear time, even on text built to make it backtrack.

Python's regex engine backtracks: `\\b[\\w.-]*direct\\.gov\\.uk\\b` over "a.a.a.a..."
scans to the end of the text from every start position, so 80 KB took 30 s.
A notice is text from a stranger, so every pattern in the packs (rules and
section cues) and the suppression-comment parser must grow linearly with the
input.

Only a pattern with an unbounded repeat (`*`, `+`, `{n,}`) can grow worse than
linearly (a bounded one costs a constant per start position), so each such
pattern is run over adversarial inputs built from its own literals: every
prefix of its shortest match repeated, and every pair of its characters and
literal runs repeated ("a." for `[\\w.-]*`), at two sizes. The test fails any
input whose time grows by much more than the size does (a ratio of two
measurements in the same run, never an absolute time).
"""

from __future__ import annotations

import re
import time
from re import _constants as C  # noqa: N812 - the stdlib's own opcode names
from re import _parser as sre_parse

import pytest

from noticecheck import completeness
from noticecheck.load import comments
from noticecheck.load.plain import drop_html_comments
from noticecheck.matching import Matcher
from noticecheck.rulebook import default_rulebook

SMALL = 1_000  # characters
GROWTH = 8  # the large input is this many times the small one
# Linear growth gives a time ratio near GROWTH, quadratic near GROWTH**2 = 64.
MAX_RATIO = GROWTH * 4
FLOOR = 0.005  # seconds: below this at the large size no pattern is slow enough to measure
_REPEATS = (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT)
_CATEGORY_CHARS = {
    C.CATEGORY_DIGIT: "1", C.CATEGORY_NOT_DIGIT: "a", C.CATEGORY_WORD: "a", C.CATEGORY_NOT_WORD: ".",
    C.CATEGORY_SPACE: " ", C.CATEGORY_NOT_SPACE: "a",
}
_GENERIC = (" ", "a", ".", "1", "-")


def _all_patterns() -> list[tuple[str, re.Pattern]]:
    book = default_rulebook()
    found: list[tuple[str, re.Pattern]] = []

    def add(owner: str, matcher: Matcher | None) -> None:
        if matcher is not None:
            found.extend((f"{owner}/{i}", part.regex) for i, part in enumerate(matcher.parts))

    for cue in book.cues.sections:
        for kind in ("headings", "strong", "weak", "exclude"):
            add(f"sections.yaml {cue.name} {kind}", getattr(cue, kind))
    for rule in book.rules:
        for key, value in rule.compiled.items():
            if isinstance(value, Matcher):
                add(f"{rule.id} {key}", value)
            elif isinstance(value, dict):
                for name, matcher in value.items():
                    add(f"{rule.id} {key}.{name}", matcher)
            elif isinstance(value, list):
                for i, (_, matcher) in enumerate(value):
                    add(f"{rule.id} {key}[{i}]", matcher)
    cues = book.completeness
    if cues is not None:
        for name in ("terminal", "furniture", "dangling", "contents_heading"):
            if getattr(cues, name, None) is not None:
                found.append((f"completeness.yaml {name}", getattr(cues, name)))
        for kind in ("forward", "named"):
            found.extend((f"completeness.yaml {kind}/{i}", p.regex) for i, p in enumerate(getattr(cues, kind, ())))
    for module in (comments, completeness):  # regexes compiled in code; searched as the engine would not, whole
        for name in dir(module):
            value = getattr(module, name)
            if isinstance(value, re.Pattern):
                found.append((f"{module.__name__.rsplit('.', 1)[-1]}.{name}", value))
    return found


def _unbounded(items) -> bool:
    for op, av in items:
        if op in _REPEATS:
            if av[1] == C.MAXREPEAT or _unbounded(av[2].data):
                return True
        elif op is C.SUBPATTERN and _unbounded(av[3].data):
            return True
        elif op is C.BRANCH and any(_unbounded(b.data) for b in av[1]):
            return True
        elif op in (C.ASSERT, C.ASSERT_NOT) and _unbounded(av[1].data):
            return True
        elif op is C.ATOMIC_GROUP and _unbounded(av.data):
            return True
    return False


def _shortest(items) -> str:
    """A shortest string the sequence can match (assertions and boundaries add nothing)."""
    out = []
    for op, av in items:
        if op is C.LITERAL:
            out.append(chr(av))
        elif op is C.NOT_LITERAL or op is C.ANY:
            out.append("a" if av != ord("a") else "b")
        elif op is C.IN:
            out.append(_class_chars(av)[0])
        elif op in _REPEATS:
            out.append(_shortest(av[2].data) * av[0])
        elif op is C.SUBPATTERN:
            out.append(_shortest(av[3].data))
        elif op is C.ATOMIC_GROUP:
            out.append(_shortest(av.data))
        elif op is C.BRANCH:
            out.append(min((_shortest(b.data) for b in av[1]), key=len))
    return "".join(out)


def _class_chars(items) -> list[str]:
    chars = []
    negated = any(op is C.NEGATE for op, _ in items)
    for op, av in items:
        if op is C.LITERAL:
            chars.append(chr(av))
        elif op is C.RANGE:
            chars.append(chr(av[0]))
        elif op is C.CATEGORY:
            chars.append(_CATEGORY_CHARS.get(av, "a"))
    if negated:
        chars = [c for c in _GENERIC if c not in chars]
    return chars or ["a"]


def _atoms(items, into: set[str]) -> None:
    """Characters and literal runs the pattern is built from."""
    run = []
    for op, av in items:
        if op is C.LITERAL:
            run.append(chr(av))
            into.add(chr(av))
            continue
        if len(run) > 1:
            into.add("".join(run))
        run = []
        if op is C.IN:
            into.update(_class_chars(av))
        elif op in _REPEATS:
            _atoms(av[2].data, into)
        elif op is C.SUBPATTERN:
            _atoms(av[3].data, into)
        elif op is C.ATOMIC_GROUP:
            _atoms(av.data, into)
        elif op is C.BRANCH:
            for branch in av[1]:
                _atoms(branch.data, into)
        elif op in (C.ASSERT, C.ASSERT_NOT):
            _atoms(av[1].data, into)
    if len(run) > 1:
        into.add("".join(run))


def adversarial_units(regex: re.Pattern) -> list[str]:
    """Strings to repeat: prefixes of a shortest match, and pairs of the pattern's own pieces."""
    items = list(sre_parse.parse(regex.pattern, regex.flags).data)
    while len(items) == 1 and items[0][0] is C.SUBPATTERN:
        items = list(items[0][1][3].data)  # the (?:...) wrapper the matcher adds
    units: set[str] = set()
    for cut in range(1, len(items) + 1):
        units.add(_shortest(items[:cut]))
    atoms: set[str] = set(_GENERIC)
    _atoms(items, atoms)
    atoms = sorted(atoms, key=lambda a: (len(a), a))[:10]
    units.update(atoms)
    units.update(a + b for a in atoms for b in atoms if a != b)
    return sorted(u for u in units if u and "\n" not in u)


def _every_match(regex: re.Pattern):
    """The pattern as the engine runs it: every match over the whole text."""

    def run(text: str) -> None:
        for _match in regex.finditer(text):
            pass

    return run


def _time(run, text: str, tries: int = 5) -> float:
    best = float("inf")
    for _ in range(tries):
        started = time.perf_counter()
        run(text)
        best = min(best, time.perf_counter() - started)
    return best


def _repeat(unit: str, size: int) -> str:
    return (unit * (size // len(unit) + 1))[:size]


def growth(run, unit: str, size: int = SMALL, factor: int = GROWTH) -> tuple[float, float, float]:
    """(time at `size`, time at `size` * `factor`, ratio) for `unit` repeated; ratio 0 when too fast to matter.

    `run` is a compiled pattern (all its matches are found) or a function of the text.
    """
    if isinstance(run, re.Pattern):
        run = _every_match(run)
    big = _time(run, _repeat(unit, size * factor), tries=1)
    if big < FLOOR:
        return 0.0, big, 0.0
    big = min(big, _time(run, _repeat(unit, size * factor), tries=4))
    small = _time(run, _repeat(unit, size))
    return small, big, big / max(small, 1e-9)


PATTERNS = _all_patterns()
UNBOUNDED = [(owner, regex) for owner, regex in PATTERNS if _unbounded(sre_parse.parse(regex.pattern, regex.flags).data)]


def test_the_packs_were_read():
    assert len(PATTERNS) > 400
    assert any(owner.startswith("comments._HEAD") for owner, _ in UNBOUNDED)
    assert END_ANCHORED <= {owner for owner, _ in PATTERNS}  # the special cases still exist


def test_the_generator_finds_the_known_quadratic_shapes():
    """The inputs the issue reported come out of the generator for a pattern of that shape."""
    assert "a." in adversarial_units(re.compile(r"\b[\w.-]*direct\.gov\.uk\b", re.I))
    assert "<!--noticecheck:" in adversarial_units(re.compile(r"<!--\s*noticecheck\s*:(?P<body>.*?)-->", re.S | re.I))
    assert growth(re.compile(r"<!--\s*noticecheck\s*:(?P<body>.*?)-->", re.S | re.I), "<!--noticecheck:")[2] > MAX_RATIO
    slow = re.compile(r"\b[\w.-]*direct\.gov\.uk\b", re.I)
    assert growth(slow, "a.")[2] > MAX_RATIO  # the check can fail


# Patterns that can only match at the very end of a block, which the code searches
# from a fixed distance before the end (completeness.end_search): timed that way.
END_ANCHORED = {"completeness._ADDRESS_AT_END", "completeness._PAGE_REF", "completeness.yaml furniture"}


def _near_the_end(regex: re.Pattern):
    def run(text: str) -> None:
        completeness.end_search(regex, text)

    return run


_LINEAR_REFERENCE = re.compile(r"\b\w+ \w+")  # every pair of words: linear by construction, slow enough to time


def _allowed_now(ratio: float) -> float:
    """MAX_RATIO, or more while the machine is so busy that even a linear search grows faster
    than GROWTH (a loaded shared machine stretches the larger run most): 4 x what a linear
    search shows right now, which a quadratic pattern (x GROWTH**2) still exceeds."""
    if ratio <= MAX_RATIO:
        return MAX_RATIO
    base = growth(_LINEAR_REFERENCE, "We keep pupil records safe. ", size=SMALL * 20)[2]
    return max(MAX_RATIO, 4 * base)


@pytest.mark.parametrize("owner,regex", UNBOUNDED, ids=[owner for owner, _ in UNBOUNDED])
def test_pattern_grows_linearly(owner, regex):
    worst = []
    runner = _near_the_end(regex) if owner in END_ANCHORED else regex
    for unit in adversarial_units(regex):
        small, big, ratio = growth(runner, unit)
        for _ in range(2):
            if ratio <= _allowed_now(ratio):
                break
            # Measure again before blaming the pattern: another process may have had the core.
            small, big, ratio = growth(runner, unit)
        if ratio > _allowed_now(ratio):
            # Still too fast a growth: judge on an input twice as large again, where linear and
            # quadratic part further (x16 against x256) than any load on a shared machine can blur.
            small, big, ratio = growth(runner, unit, factor=2 * GROWTH)
            if ratio > 4 * 2 * GROWTH:
                worst.append(f"{unit!r}: {small * 1000:.2f} ms at {SMALL} chars, {big * 1000:.1f} ms at {SMALL * 2 * GROWTH} (x{ratio:.0f})")
                break  # one input is proof enough
    assert not worst, f"{owner} {regex.pattern!r} grows faster than the input:\n" + "\n".join(worst[:5])


def assert_grows_like_prose(run, unit: str, size: int) -> None:
    """Fail when `run` over `unit` repeated grows much faster than the same code over ordinary
    prose of the same sizes (which shows what the allocator, caches and other processes add
    to the growth on this machine right now)."""
    prose = "We use pupil information to support learning and keep children safe. "
    for _ in range(3):  # measure again before blaming the code: another process may have had the core
        small, big, ratio = growth(run, unit, size=size)
        base = _time(run, _repeat(prose, size * GROWTH)) / max(_time(run, _repeat(prose, size)), 1e-9)
        allowed = 3 * max(GROWTH, base)
        if ratio <= allowed:
            return
    raise AssertionError(
        f"{unit!r}: {small * 1000:.2f} ms at {size} chars, {big * 1000:.1f} ms at {size * GROWTH} "
        f"(x{ratio:.0f}; on ordinary prose x{base:.0f})"
    )


# Suppression comments are read by code around a few patterns; time that code
# on the inputs that made the old single regex quadratic (16 s at 293 KB).
_DIRECTIVE_UNITS = (
    "<!-- noticecheck: ",  # openers that never close
    "<!-- noticecheck: disable=a -->\n",  # many closed comments (line numbers)
    " --",  # inside one long body: reason separators
    "<",  # tags that never close, for the squashed comparison text
    "<!--",
)


@pytest.mark.parametrize("unit", _DIRECTIVE_UNITS)
def test_reading_suppression_comments_grows_linearly(unit):
    from noticecheck.model import Block, BlockKind

    def read(text: str) -> None:
        body = "<!-- noticecheck: disable-next=a" + text + "-->\nnext paragraph"
        blocks = (Block(BlockKind.PARAGRAPH, text, 1), Block(BlockKind.PARAGRAPH, "next paragraph", 3))
        comments.parse_directives(text + "\n" + body, blocks)
        drop_html_comments((text + "\n" + body).split("\n"))
        comments._squash(text)

    assert_grows_like_prose(read, unit, 32_000)


# The whole check, as `noticecheck check` runs it, on the inputs the issue reported.
_CHECK_UNITS = ("a.", "a@", "-1", "<!-- noticecheck: ", "x ")


@pytest.mark.parametrize("unit", _CHECK_UNITS)
def test_checking_a_notice_grows_linearly(unit):
    from datetime import date

    from noticecheck.api import CheckOptions, check_document
    from noticecheck.model import Document

    book = default_rulebook()

    def check(text: str) -> None:
        # all of it inside a comment reads as unreadable: nothing to check, quickly
        data = (text + " see direct.gov.uk or email dpo@school.gsi.gov.uk for details.").encode()
        check_document(Document(source="x.md", data=data, filename="x.md"), book, CheckOptions(), today=date(2026, 11, 24))

    assert_grows_like_prose(check, unit, 4_000)
