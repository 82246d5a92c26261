"""Plain-word phrases, as a data protection officer would write a check, turned into regular expressions.

Most checks look for words, not shapes of text. A rule may list them under
`phrases:` beside (or instead of) `patterns:`, and the rulebook turns each
phrase into the regular expression the engine runs:

    phrases:
      - Data Protection Act 1998
      - keep|retain|hold ... for 40 days
      - record* ... kept for

A phrase is words separated by spaces. Words match whole, in any case, with
any run of spaces or line breaks between them. Three marks, and only these,
are special:

* `a|b|c`  any one of the words (`keep|retain|hold`);
* `word*`  any word that starts so (`retain*`: retain, retained, retaining);
* `...`    up to six words in between ("keep ... for" finds "keep pupil
  records for").

Every other character means itself: "£10", "gov.uk", "Art 13(1)(c)" and
"s.7" need no escaping. Phrases are for words; a shape that words cannot
say (an email address, "a year from 2018 or earlier") stays a pattern.
"""

from __future__ import annotations

import re

from noticecheck.precompiled import regex

GAP = "..."
MAX_GAP_WORDS = 6
_WORD_CHAR = regex(r"\w")


class BadPhrase(ValueError):
    """A phrase the rulebook cannot turn into a pattern (empty, or a mark used wrongly)."""


def phrase_pattern(phrase: str) -> str:
    """The regular expression for one phrase (matched with re.IGNORECASE by the rulebook)."""
    tokens = phrase.split()
    if not tokens or all(t == GAP for t in tokens):
        raise BadPhrase(f"phrase {phrase!r} has no words")
    if tokens[0] == GAP or tokens[-1] == GAP:
        raise BadPhrase(f"phrase {phrase!r} starts or ends with '...'; a gap goes between words")
    if any(a == GAP and b == GAP for a, b in zip(tokens, tokens[1:])):
        raise BadPhrase(f"phrase {phrase!r} has two '...' in a row")
    out: list[str] = []
    last = len(tokens) - 1
    for index, token in enumerate(tokens):
        if token == GAP:
            continue
        if out:
            # after a gap: up to MAX_GAP_WORDS whole words, lazily, so the nearest match wins
            out.append(rf"(?:\s+\S+){{0,{MAX_GAP_WORDS}}}?\s+" if tokens[index - 1] == GAP else r"\s+")
        # inside the phrase the spaces already part the words; only its two ends need \b
        out.append(_token(token, phrase, first=index == 0, final=index == last))
    return "".join(out)


def _token(token: str, phrase: str, *, first: bool, final: bool) -> str:
    choices = token.split("|")
    if any(not c for c in choices):
        raise BadPhrase(f"phrase {phrase!r}: {token!r} has an empty choice around '|'")
    parts = [_word(choice, phrase, first, final) for choice in choices]
    return parts[0] if len(parts) == 1 else "(?:" + "|".join(parts) + ")"


def _word(word: str, phrase: str, first: bool, final: bool) -> str:
    stem = word.endswith("*") and len(word) > 1
    body = word[:-1] if stem else word
    if "*" in body:
        raise BadPhrase(f"phrase {phrase!r}: '*' may only end a word ({word!r})")
    # \b only beside a word character: "£10" and "(DPA)" have none at their edges
    start = r"\b" if first and _WORD_CHAR.match(body[0]) else ""
    if stem:
        end = r"\w*"
    else:
        end = r"\b" if final and _WORD_CHAR.match(body[-1]) else ""
    return start + re.escape(body) + end


def phrase_patterns(phrases: list[str]) -> list[str]:
    """Every phrase of a list as its pattern, in order."""
    return [phrase_pattern(p) for p in phrases]
