"""How hard a notice written for children is to read: a school-year band, and the hardest sentences.

The measure is Flesch-Kincaid grade + 5 (a reading age in years), over the
notice's body sentences, reported as the school year in England whose
pupils are that age ("Year 8 (age 12-13)"), capped at "beyond Year 13":
a reading age of 35 means nothing to a teacher, "beyond Year 13" does.
The three sentences with the highest grade are the evidence: they are
what to rewrite first.

Words are counted with spaCy's rule-based English tokenizer (no trained
model: none is needed to count words), loaded once and only when a
reading-age rule runs, so a check of a staff notice never pays for it.

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
from dataclasses import dataclass

_VOWEL_GROUPS = re.compile(r"[aeiouy]+")
_LOCK = threading.Lock()
_TOKENIZER = []

OLDEST_YEAR = 13  # Year 13: age 17-18, the last school year
HARDEST = 3  # sentences given as evidence
_MIN_WORDS_TO_RANK = 6  # a four-word heading-like line is never "the hardest sentence"


def _tokenizer():
    # A scan checks notices from many threads; build the tokenizer once, not once per thread.
    with _LOCK:
        if not _TOKENIZER:
            import spacy

            _TOKENIZER.append(spacy.blank("en").tokenizer)
        return _TOKENIZER[0]


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


def measure(sentences: list[str]) -> Readability:
    """Reading age over all the sentences, and which of them are hardest."""
    tokenizer = _tokenizer()
    words = syl = counted = 0
    scored: list[tuple[float, int]] = []
    for index, doc in enumerate(tokenizer.pipe(sentences)):
        tokens = [t.text for t in doc if t.is_alpha]
        if not tokens:
            continue
        counted += 1
        n_syl = sum(syllables(t) for t in tokens)
        words += len(tokens)
        syl += n_syl
        if len(tokens) >= _MIN_WORDS_TO_RANK:
            scored.append((_grade(len(tokens), 1, n_syl), index))
    if not words:
        return Readability(0.0, ())
    scored.sort(key=lambda item: (-item[0], item[1]))
    return Readability(_grade(words, counted, syl) + 5, tuple(index for _, index in scored[:HARDEST]))


def reading_age(sentences: list[str]) -> float:
    """Flesch-Kincaid grade level plus five, over the given sentences."""
    return measure(sentences).age


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
