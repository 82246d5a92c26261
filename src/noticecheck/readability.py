"""How hard a notice written for children is to read: a school-year band, and the hardest sentences.

The measure is Flesch-Kincaid grade + 5 (a reading age in years), over the
notice's body sentences, reported as the school year in England whose
pupils are that age ("Year 8 (age 12-13)"), capped at "beyond Year 13":
a reading age of 35 means nothing to a teacher, "beyond Year 13" does.
The three sentences with the highest grade are the evidence: they are
what to rewrite first.

Counting words is the only language processing this needs. The reference is
spaCy's rule-based English tokenizer (no trained model): its alphabetic
tokens are the words. Importing spaCy costs about a second, so the common
path counts words with `plain_words`, a few regular expressions that split a
sentence the way that tokenizer does where notices need it (clitics such as
"'s" and "n't", hyphens and slashes between words, addresses and URLs kept
whole, sentence-final full stops, common abbreviations).
`tests/test_readability.py` checks that both give the same reading age on
every notice in corpus/ and ../shared/realnotices; `spacy_words` stays the
reference and is imported only when asked for.

Syllables are counted by vowel groups, by hand, not with pyphen: measured
on 48 words of the kind notices use (information, safeguarding,
rectification, people, create...) against dictionary syllable counts, the
vowel-group count was exact for 40 and off by 8 syllables in all, pyphen's
hyphenation points (+1) exact for 27-33 and off by 17-25 (en_GB and en_US,
with and without its 2-letter margins): hyphenation points are not
syllable breaks. textstat, the other candidate, pulls in nltk (0.3 s to
import) for the same pyphen count.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from noticecheck.precompiled import regex

_VOWEL_GROUPS = regex(r"[aeiouy]+")

# A chunk that spaCy keeps whole as a URL or e-mail address (never alphabetic).
_URLISH = regex(r"^[(\[<\"'“‘]*(?:https?://|www\.|[\w.+-]+@[\w-]+\.)|^[\w-]+(?:\.[\w-]+)+/", re.IGNORECASE)
_LEAD = regex(r"^[(\[{<\"'“‘«`„‚*#&_§%=—–…¿¡£$€¥,;:!?]+")
_TRAIL = regex(r"[)\]}>\"'”’»`,;:!?…%*_]+$")
_CLITIC = regex(r"(?:['’](?:s|m|re|ve|ll|d)|n['’]t)$", re.IGNORECASE)
# Split points inside a chunk: punctuation between letters, a slash after a letter or digit, and
# "end.Start" where a space is missing.
_INFIX = regex(r"(?<=[^\W\d_])[-–—,=:<>+*^~](?=[^\W\d_])|(?<=\w)/(?=[^\W\d_])|(?<=[a-z])\.(?=[A-Z])")
_WHOLE = frozenset({"and/or"})
# Abbreviations whose full stop stays on the token (so the token is not alphabetic).
_ABBREVIATIONS = frozenset("mr mrs ms dr st ltd co inc corp prof rev gov bros jr vs jan feb mar apr jun jul aug sep sept oct nov dec".split())

_LOCK = threading.Lock()
_TOKENIZER: list = []

OLDEST_YEAR = 13  # Year 13: age 17-18, the last school year
HARDEST = 3  # sentences given as evidence
_MIN_WORDS_TO_RANK = 6  # a four-word heading-like line is never "the hardest sentence"


def _keeps_full_stop(chunk: str) -> bool:
    """Does a chunk ending in "." keep it (an abbreviation, an initial, "DfE.")?"""
    stem = chunk[:-1]
    if len(stem) == 1 and stem.isalpha():
        return True
    if stem.lower() in _ABBREVIATIONS and (stem[0].isupper() or stem in ("co", "vs")):
        return True
    prev = stem[-1]
    # the stop splits off after a lower-case letter, punctuation, or two capitals ("ICO.")
    if prev.islower() or not prev.isalnum():
        return False
    return not (len(stem) > 1 and prev.isupper() and stem[-2].isupper())


def plain_words(sentence: str) -> list[str]:
    """The alphabetic tokens of a sentence, as spaCy's English tokenizer would give them."""
    out: list[str] = []
    for chunk in sentence.split():
        if chunk.isalpha() and chunk.lower() != "cannot":
            # most chunks are one plain word: nothing below (links, punctuation, clitics,
            # infixes) can apply to letters alone
            out.append(chunk)
            continue
        if _URLISH.search(chunk):
            continue
        chunk = _LEAD.sub("", chunk)
        while True:
            before = chunk
            chunk = _CLITIC.sub("", _TRAIL.sub("", chunk))
            if len(chunk) > 1 and chunk.endswith(".") and not _keeps_full_stop(chunk):
                chunk = chunk[:-1]
            if chunk == before:
                break
        if not chunk or chunk.lower() in _WHOLE:
            continue
        for piece in _INFIX.split(chunk):
            if not piece.isalpha():
                continue
            if piece.lower() == "cannot":  # one of the tokenizer's exceptions: "can" + "not"
                out.extend((piece[:3], piece[3:]))
            else:
                out.append(piece)
    return out


def spacy_words(sentences: Iterable[str]) -> Iterable[list[str]]:
    """The reference: spaCy's alphabetic tokens per sentence (imports spaCy on first use)."""
    with _LOCK:  # a scan checks notices from many threads; build the tokenizer once
        if not _TOKENIZER:
            import spacy

            _TOKENIZER.append(spacy.blank("en").tokenizer)
    for doc in _TOKENIZER[0].pipe(sentences):
        yield [t.text for t in doc if t.is_alpha]


def _plain_all(sentences: Iterable[str]) -> Iterable[list[str]]:
    return (plain_words(s) for s in sentences)


def syllables(word: str) -> int:
    """A vowel-group estimate, good enough for averages over hundreds of words (see the module docstring)."""
    word = word.lower()
    count = len(_VOWEL_GROUPS.findall(word))
    if word.endswith("e") and not word.endswith(("le", "ee")) and count > 1:
        count -= 1
    return max(1, count)


def _grade(words: int, sentences: int, syl: int) -> float:
    return 0.39 * (words / sentences) + 11.8 * (syl / words) - 15.59


@dataclass(frozen=True)
class Readability:
    age: float  # Flesch-Kincaid grade + 5, uncapped (for thresholds)
    hardest: tuple[int, ...]  # indexes of the hardest sentences, hardest first

    @property
    def band(self) -> str:
        return reading_band(self.age)


def measure(sentences: list[str], words: Callable[[Iterable[str]], Iterable[list[str]]] = _plain_all) -> Readability:
    """Reading age over all the sentences, and which of them are hardest (words: `spacy_words` for the reference)."""
    total = syl = counted = 0
    scored: list[tuple[float, int]] = []
    for index, tokens in enumerate(words(sentences)):
        if not tokens:
            continue
        counted += 1
        n_syl = sum(syllables(t) for t in tokens)
        total += len(tokens)
        syl += n_syl
        if len(tokens) >= _MIN_WORDS_TO_RANK:
            scored.append((_grade(len(tokens), 1, n_syl), index))
    if not total:
        return Readability(0.0, ())
    scored.sort(key=lambda item: (-item[0], item[1]))
    return Readability(_grade(total, counted, syl) + 5, tuple(index for _, index in scored[:HARDEST]))


def reading_age(sentences: list[str], words: Callable[[Iterable[str]], Iterable[list[str]]] = _plain_all) -> float:
    """Flesch-Kincaid grade level plus five, over the given sentences."""
    return measure(sentences, words).age


def reading_band(age: float) -> str:
    """A reading age as the school year (England) of pupils that age, capped beyond Year 13.

    Year N pupils are N+4 at the start of the year and N+5 by its end.
    """
    whole = int(age)
    if whole < 5:
        return "Reception (age 4-5)"
    year = whole - 4
    if year > OLDEST_YEAR:
        return f"beyond Year {OLDEST_YEAR} (adult, university-level text)"
    return f"Year {year} (age {year + 4}-{year + 5})"
