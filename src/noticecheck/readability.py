"""Reading age of text written for children (Flesch-Kincaid grade + 5).

Uses spaCy's rule-based English tokenizer (no trained model: none is needed
to count words), loaded once and only when a reading-age rule runs, so a
check of a staff notice never pays for it.
"""

from __future__ import annotations

import re
import threading

_VOWEL_GROUPS = re.compile(r"[aeiouy]+")
_LOCK = threading.Lock()
_TOKENIZER = []


def _tokenizer():
    # A scan checks notices from many threads; build the tokenizer once, not once per thread.
    with _LOCK:
        if not _TOKENIZER:
            import spacy

            _TOKENIZER.append(spacy.blank("en").tokenizer)
        return _TOKENIZER[0]


def syllables(word: str) -> int:
    """A vowel-group estimate, good enough for averages over hundreds of words."""
    word = word.lower()
    count = len(_VOWEL_GROUPS.findall(word))
    if word.endswith("e") and not word.endswith(("le", "ee")) and count > 1:
        count -= 1
    return max(1, count)


def reading_age(sentences: list[str]) -> float:
    """Flesch-Kincaid grade level plus five, over the given sentences."""
    tokenizer = _tokenizer()
    words = 0
    syl = 0
    counted_sentences = 0
    for doc in tokenizer.pipe(sentences):
        tokens = [t.text for t in doc if t.is_alpha]
        if not tokens:
            continue
        counted_sentences += 1
        words += len(tokens)
        syl += sum(syllables(t) for t in tokens)
    if not words:
        return 0.0
    grade = 0.39 * (words / counted_sentences) + 11.8 * (syl / words) - 15.59
    return grade + 5
