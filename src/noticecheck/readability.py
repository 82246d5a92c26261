"""Reading age of text written for children (Flesch-Kincaid grade + 5).

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
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterable

_VOWEL_GROUPS = re.compile(r"[aeiouy]+")

# A chunk that spaCy keeps whole as a URL or e-mail address (never alphabetic).
_URLISH = re.compile(r"^[(\[<\"'“‘]*(?:https?://|www\.|[\w.+-]+@[\w-]+\.)|^[\w-]+(?:\.[\w-]+)+/", re.IGNORECASE)
_LEAD = re.compile(r"^[(\[{<\"'“‘«`„‚*#&_§%=—–…¿¡£$€¥,;:!?]+")
_TRAIL = re.compile(r"[)\]}>\"'”’»`,;:!?…%*_]+$")
_CLITIC = re.compile(r"(?:['’](?:s|m|re|ve|ll|d)|n['’]t)$", re.IGNORECASE)
# Split points inside a chunk: punctuation between letters, a slash after a letter or digit, and
# "end.Start" where a space is missing.
_INFIX = re.compile(r"(?<=[^\W\d_])[-–—,=:<>+*^~](?=[^\W\d_])|(?<=\w)/(?=[^\W\d_])|(?<=[a-z])\.(?=[A-Z])")
_WHOLE = frozenset({"and/or"})
# Abbreviations whose full stop stays on the token (so the token is not alphabetic).
_ABBREVIATIONS = frozenset("mr mrs ms dr st ltd co inc corp prof rev gov bros jr vs jan feb mar apr jun jul aug sep sept oct nov dec".split())

_LOCK = threading.Lock()
_TOKENIZER: list = []


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
    """A vowel-group estimate, good enough for averages over hundreds of words."""
    word = word.lower()
    count = len(_VOWEL_GROUPS.findall(word))
    if word.endswith("e") and not word.endswith(("le", "ee")) and count > 1:
        count -= 1
    return max(1, count)


def reading_age(
    sentences: list[str], words: Callable[[Iterable[str]], Iterable[list[str]]] = _plain_all
) -> float:
    """Flesch-Kincaid grade level plus five, over the given sentences (words: `spacy_words` for the reference)."""
    total = 0
    syl = 0
    counted_sentences = 0
    for tokens in words(sentences):
        if not tokens:
            continue
        counted_sentences += 1
        total += len(tokens)
        syl += sum(syllables(t) for t in tokens)
    if not total:
        return 0.0
    grade = 0.39 * (total / counted_sentences) + 11.8 * (syl / total) - 15.59
    return grade + 5
