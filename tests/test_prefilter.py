"""The Hyperscan prefilter may only skip searches that cannot succeed: never a sentence Python's `re` matches."""

import pickle
import re
import string
import threading
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from noticecheck import prefilter
from noticecheck.api import CheckOptions, check_document
from noticecheck.load import DEFAULT_MAX_BYTES, to_text
from noticecheck.matching import _PREFILTERED, sentence_spans
from noticecheck.model import Document
from noticecheck.rulebook import default_rulebook
from noticecheck.sections import find_sections
from noticecheck.sources import read_document as _read


def read_document(path):
    return _read(path, max_bytes=DEFAULT_MAX_BYTES)

REPO = Path(__file__).resolve().parents[1]
REAL = REPO.parent / "shared" / "realnotices" / "notices"
BOOK = default_rulebook()
INDEX = BOOK.cues.index
needs_hyperscan = pytest.mark.skipif(not prefilter.available(), reason="hyperscan is not installed here")

# characters whose classes a fold could get wrong: case partners of ASCII letters outside ASCII,
# other scripts' digits, spaces that are not " ", typographic punctuation, a symbol outside the BMP
_SPECIAL = "\u212a\u017f\u0130\u0131\u00a0\u2028\u0085\u1680\u3000\u0663\uff10\u00e9\u00df\u2019\u201c\u2013\u00b2\U0001f600"
_CLASSES = [r"\w", r"\W", r"\d", r"\D", r"\s", r"\S", r"."]


def _covered_parts():
    covered = INDEX._prefilter.covers()
    return [(position, part) for position, part in enumerate(INDEX._parts.values()) if position in covered]


def test_fold_keeps_length_and_every_class_python_sees():
    chars = [chr(c) for c in range(0x3000)] + list(_SPECIAL)
    folded = prefilter.fold("".join(chars))
    assert len(folded) == len(chars) and folded.isascii()
    for char, ascii_char in zip(chars, folded):
        for cls in _CLASSES:
            assert bool(re.fullmatch(cls, char)) == bool(re.fullmatch(cls, ascii_char)), (hex(ord(char)), cls)
        for letter in string.ascii_lowercase:
            if re.fullmatch(letter, char, re.IGNORECASE):
                assert re.fullmatch(letter, ascii_char, re.IGNORECASE), (hex(ord(char)), letter)


def test_fold_leaves_ordinary_ascii_alone():
    text = "We share data with the LA (see 'Contact us').\tTel: 01632 960 123"
    assert prefilter.fold(text) is text or prefilter.fold(text) == text


@pytest.mark.parametrize(
    "pattern, flags, expected",
    [
        (r"\bretention (period|schedule)\b", re.I, True),
        (r"\bshare\b[^.]{0,90}\bwith\b", re.I, True),  # a negated set of "." alone: no substitute refused
        (r"\b[^a-z ]{2}\b", 0, False),  # refuses "x", which stands for "é"
        (r"[^ ]+", 0, False),  # refuses " ", which stands for a no-break space
        ("caf\u00e9", re.I, False),  # not ASCII
        (r"caf\u00e9", re.I, False),  # an ASCII escape for a character the fold replaces
        (r"[\u00c0-\u00ff]", 0, False),
        (r"a  b  # comment", re.X, False),  # verbose: not a flag Hyperscan takes
        (r"(?<!data protection )\bact\b", re.I, True),  # lookbehind: widened, still sound
    ],
)
def test_eligible(pattern, flags, expected):
    assert prefilter.eligible(re.compile(pattern, flags)) is expected


def _check_superset(text: str) -> int:
    """Every (covered part, sentence) that `re` matches is among the prefilter's answers; returns how
    many matches were checked, so a test cannot pass by looking at nothing."""
    spans = sentence_spans(text, [0] + [i + 1 for i, c in enumerate(text) if c == "\n"])
    sentences = [text[start:end] for _, start, end in spans]
    answers = INDEX._prefilter.sentences(text, spans)
    checked = 0
    for position, part in _covered_parts():
        listed = answers.get(position, set())
        for i, sentence in enumerate(sentences):
            if part.regex.search(sentence):
                checked += 1
                assert i in listed, (part.regex.pattern[:80], sentence[:120])
    return checked


UNICODE_WORDS = st.sampled_from(
    "We share keep retain pupil data information with the local authority Department for Education DfE NHS "
    "rights access erase object complain ICO Information Commissioner\u2019s Office controller DPO "
    "data\u00a0protection officer outside UK EEA previous school receive from census National Pupil Database "
    "youth support 13 years retention schedule Article 6(1)(e) public task consent office@example.org "
    "01632 960 123 Data Protection Act 1998 GDPR [insert name] caf\u00e9 na\u00efve \u212aeep \u017fhare "
    "\u0130CO \u0663\u0663 \uff10 \u201cContact us\u201d \u2013 sch\u00f6ol . , : ( )".split(" ")
)


@needs_hyperscan
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(UNICODE_WORDS, min_size=1, max_size=30).map(" ".join), min_size=1, max_size=12).map("\n".join))
def test_prefilter_never_drops_a_sentence_re_matches_generated(text):
    _check_superset(text)


@needs_hyperscan
@pytest.mark.corpus
def test_prefilter_never_drops_a_sentence_re_matches_on_notices():
    paths = sorted((REPO / "corpus" / "notices").glob("*.txt"))[:20] + sorted(REAL.glob("*.txt"))[:20]
    checked = 0
    for path in paths:
        text = to_text(read_document(path))
        analysis = find_sections(text, BOOK.cues)
        checked += _check_superset(analysis.joined)
    assert checked > 1000  # real matches were there to be kept


@needs_hyperscan
def test_prefilter_leaves_far_fewer_searches_than_the_anchors_alone():
    # the accelerator is engaged: most anchored (part, sentence) pairs are ruled out
    text = to_text(read_document(REPO / "corpus" / "notices" / "a12-secondary-pupils-dense-2022.txt"))
    analysis = find_sections(text, BOOK.cues)
    assert _PREFILTERED in analysis.hits
    anchors_only = {k: v for k, v in analysis.hits.items() if isinstance(k, str)}
    with_prefilter = sum(len(INDEX.sentences_for(part, analysis.hits)) for _, part in _covered_parts())
    without = sum(len(INDEX.sentences_for(part, anchors_only)) for _, part in _covered_parts())
    assert with_prefilter * 3 < without, (with_prefilter, without)


def _results(book, paths):
    options = CheckOptions()
    out = []
    for path in paths:
        result = check_document(read_document(path), book, options, today=date(2026, 11, 24))
        out.append((result.findings, tuple(sorted(result.sections.items())), result.context))
    return out


@needs_hyperscan
@pytest.mark.corpus
def test_findings_are_the_same_with_and_without_the_prefilter(monkeypatch):
    paths = sorted((REPO / "corpus" / "notices").iterdir())
    paths = [p for p in paths if p.suffix in (".txt", ".md", ".html", ".pdf", ".docx")]
    with_prefilter = _results(BOOK, paths)
    monkeypatch.setenv("NOTICECHECK_PREFILTER", "off")
    plain_book = pickle.loads(pickle.dumps(BOOK))  # a fresh index, which asks whether to prefilter on first use
    assert _results(plain_book, paths[:1]) and _PREFILTERED not in find_sections(
        to_text(read_document(paths[0])), plain_book.cues
    ).hits
    assert _results(plain_book, paths) == with_prefilter


@needs_hyperscan
def test_threads_scan_at_once():
    # the web server checks in several threads: each needs its own scratch space
    text = to_text(Document(source="t.txt", data=(REPO / "corpus" / "notices" / "a12-secondary-pupils-dense-2022.txt").read_bytes(), filename="t.txt"))
    expected = find_sections(text, BOOK.cues).sections
    errors, outcomes = [], []

    def work():
        try:
            for _ in range(15):
                outcomes.append(find_sections(text, BOOK.cues).sections == expected)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors and len(outcomes) == 60 and all(outcomes)


@pytest.mark.parametrize(
    "pattern, flags, expected",
    [
        (r"\bshare\b[^\n]{0,40}\bwith\b", re.I, False),
        (r"\bshare\b[^.\n]{0,40}\bwith\b", re.I, False),
        (r"foo .{0,9}bar", 0, False),  # "." stops at a line break
        (r"foo(?=\n)", 0, False),  # a lookahead sees the break, the match does not hold it
        (r"\bshare\b[^.]{0,90}\bwith\b", re.I, True),  # "[^.]" takes a line break
        (r"\bart\.?\s?6\b", re.I, True),  # "\s" does
        (r"(?s)foo.bar", 0, True),
        (r"foo(?s:.)bar", 0, True),
        (r"foo\W?bar", 0, True),
        (r"(a)\1", 0, True),  # a back-reference: unsure, so True
    ],
)
def test_may_match_newline(pattern, flags, expected):
    assert prefilter.may_match_newline(re.compile(pattern, flags)) is expected


@needs_hyperscan
@pytest.mark.corpus
def test_part_found_skips_a_part_only_where_it_matches_nowhere():
    # part_found returns False at once for a part that matches within sentences when no sentence
    # holding its anchors was named by the prefilter; the part must then match nowhere in the text
    # searched (the windows part_found searches otherwise can cut a word: "send your" cut to "send you")
    paths = sorted((REPO / "corpus" / "notices").glob("a1*.txt"))[:4] + sorted(REAL.glob("*.txt"))[:4]
    judged = skipped = 0
    for path in paths:
        analysis = find_sections(to_text(read_document(path)), BOOK.cues)
        for part in INDEX._parts.values():
            if not analysis._cannot_match(part):
                continue
            for content_only in (False, True):
                assert part.regex.search(analysis.searched(content_only)) is None, (path.name, part.regex.pattern[:80])
                assert not analysis.part_found(part, body_only=False, content_only=content_only)
            skipped += 1
        judged += len(INDEX._parts)
    assert skipped > judged // 2  # the shortcut was taken for most parts


@needs_hyperscan
def test_compiled_once_into_the_cache_and_not_at_all_without_one(monkeypatch, tmp_path):
    patterns = [re.compile(r"\bretention (period|schedule)\b", re.I), re.compile(r"\bDPO\b")]
    monkeypatch.setenv("NOTICECHECK_CACHE_DIR", "off")
    assert prefilter.Prefilter(patterns).covers() == frozenset()  # compiling every run would cost more than it saves
    monkeypatch.setenv("NOTICECHECK_CACHE_DIR", str(tmp_path))
    first = prefilter.Prefilter(patterns)
    assert first.covers() == {0, 1}
    stored = list(tmp_path.glob("prefilter-*.pickle"))
    assert len(stored) == 1
    before = stored[0].stat().st_mtime_ns
    again = prefilter.Prefilter(patterns)
    assert again.covers() == {0, 1} and stored[0].stat().st_mtime_ns == before  # read back, not compiled again
    assert again.sentences("Our retention schedule.\nAsk the DPO.", [(0, 0, 23), (1, 24, 36)]) == {0: {0}, 1: {1}}
