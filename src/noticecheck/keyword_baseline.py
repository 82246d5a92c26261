"""BASELINE ONLY: a deliberately naive keyword checker, the yardstick accuracy is compared with.

Not used by `check`. A section is "present" when one of its obvious words
appears anywhere in the text; a gap finding fires when its obvious word is
absent (or, for outdated wording, present); the audience is the first group
word in the opening. `noticecheck eval --naive` scores it with the same code
that scores the real checker, so the README can show both side by side: what
the checker adds over word-spotting is the difference.
"""

from __future__ import annotations

from noticecheck.model import Text

SECTION_KEYWORDS = {
    "purposes": ("purpose", "why we collect", "why do we collect", "we use"),
    "categories": ("categor", "types of information", "information we collect"),
    "recipients": ("share", "sharing", "recipient"),
    "retention": ("retain", "retention", "how long", "keep"),
    "rights": ("right",),
    "contacts": ("contact",),
    "lawful_basis": ("lawful basis", "legal basis", "article 6"),
}

# rule id -> (words, fires when any is present (True) or when none is (False))
RULE_KEYWORDS = {
    "outdated-dpa-1998": (("data protection act 1998",), True),
    "ico-complaint-missing": (("information commissioner", "ico"), False),
    "dpo-missing": (("data protection officer", "dpo"), False),
    "controller-missing": (("controller",), False),
    "npd-missing": (("national pupil database",), False),
    "special-category-condition-missing": (("article 9",), False),
    "retention-period-missing": (("years", "retention policy", "retention schedule"), False),
    "placeholder-text": (("[insert", "xxx"), True),
}

# the first of these words in the opening names the audience
AUDIENCE_KEYWORDS = (("staff", "workforce"), ("governor", "governors"), ("parent", "parents"), ("pupil", "pupils"))
_OPENING_CHARS = 400


def keyword_sections(lowered: str) -> dict[str, bool]:
    return {name: any(w in lowered for w in words) for name, words in SECTION_KEYWORDS.items()}


def keyword_rules(lowered: str) -> set[str]:
    fired = {rule for rule, (words, when_present) in RULE_KEYWORDS.items() if any(w in lowered for w in words) == when_present}
    if "gdpr" in lowered and "uk gdpr" not in lowered:
        fired.add("outdated-eu-gdpr")
    return fired


def keyword_audience(lowered: str) -> str | None:
    opening = lowered[:_OPENING_CHARS]
    found = [(opening.find(word), audience) for word, audience in AUDIENCE_KEYWORDS if word in opening]
    return min(found)[1] if found else None


KNOWN_RULES = frozenset(RULE_KEYWORDS) | {"outdated-eu-gdpr"}


def keyword_check(text: Text) -> tuple[dict[str, bool], set[str], str | None]:
    """(sections present, rule ids fired, audience) by word-spotting alone."""
    lowered = " ".join([text.title or ""] + [b.text for b in text.blocks]).lower()
    return keyword_sections(lowered), keyword_rules(lowered), keyword_audience(lowered)
