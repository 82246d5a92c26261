"""Work out the context the rules need: audience, ages, school type, jurisdiction, date.

What the caller knows (CLI options, config, a GIAS row) always wins; the rest
is detected from the notice's own words, and what cannot be detected stays
None so rules that depend on it run at a lower severity instead of guessing.
Pure: no I/O.
"""

from __future__ import annotations

import re
from datetime import date

from noticecheck.audience import detect_audience
from noticecheck.model import Context, Text
from noticecheck.precompiled import regex, screened

# --- phase / ages
# Strong signs of pupils aged 13+; a primary notice never says these.
_SECONDARY = regex(
    r"\b(GCSEs?|A[- ]levels?|sixth[- ]form|years? (7|8|9|1[0-3])\b|key stage [345]|KS[345]|"
    r"(pupils|students|young people) aged 1[3-9]|(our|this|a) secondary (school|academy)|secondary (phase|pupils|students)|"
    r"upper school|high school|pupil referral units?|alternative provision)\b",
    re.I,
)
# Weaker signs: primary notices also mention "secondary school" (where pupils go next) or keep
# the DfE template's 13+ paragraph, so these count only when nothing says primary.
_SECONDARY_WEAK = regex(
    r"\b(secondary (school|academy|education)|post[- ]?1[46]|1[346]\s?\+|aged 1[346] (and|or) (over|above)|507B|youth support)\b",
    re.I,
)
_SIXTH_FORM = regex(r"\b(sixth[- ]form|A[- ]levels?|years? 1[23]\b|key stage 5|16[- ]19|16\s?\+)\b", re.I)
_PRIMARY = regex(
    r"\b(primary (school|academy|phase|pupils|education)|infant school|junior school|reception (class|year)|"
    r"key stage [12]|KS[12]|years? [1-6]\b|first school)\b",
    re.I,
)
_NURSERY = regex(r"\b(nursery|pre-?school|early years (setting|provider)|two[- ]year[- ]olds?)\b", re.I)

PHASE_AGES = {
    "nursery": (2, 5),
    "primary": (4, 11),
    "middle deemed primary": (8, 12),
    "middle": (9, 13),
    "middle deemed secondary": (9, 13),
    "secondary": (11, 18),
    "16 plus": (16, 19),
    "all-through": (4, 18),
    "all through": (4, 18),
}

# --- school type
# "the Bursar" is a role found mostly in independent schools; a bursary is not a sign (state sixth
# forms run the 16 to 19 Bursary Fund)
_INDEPENDENT = regex(
    r"\b(independent,? (international |boarding |day |senior |prep(aratory)? |girls.? |boys.? )*(school|schools|prep)|"
    r"independent schools inspectorate|school fees|fee[- ]paying|bursar)\b",
    re.I,
)
_ACADEMY = regex(r"\b(academy|academies|multi[- ]academy trust|academy trust|free school(?!\s+meals?)|the trust)\b", re.I)
_MAINTAINED = regex(
    r"\b(maintained (school|nursery)|community (school|special school)|voluntary (aided|controlled)|foundation school|"
    r"local authority maintained|pupil referral units?|governing body of the school|county council is the)\b",
    re.I,
)

# --- jurisdiction: England is the default; the others need positive markers
_JURISDICTION_CUES = {
    "wales": regex(r"\b(welsh government|llywodraeth cymru|estyn|PLASC|in wales|cymru|welsh ministers)\b", re.I),
    "scotland": regex(r"\b(scottish government|ScotXed|SEEMiS|education scotland|scottish ministers|in scotland|local authority in scotland)\b", re.I),
    "northern-ireland": regex(r"\b(northern ireland|C2k|education authority \(EA\)|department of education \(DE\)|DE NI)\b", re.I),
}
_ENGLAND = regex(r"\b(department for education|DfE|national pupil database|in england|england)\b", re.I)
# one pass to see whether any other nation is mentioned at all (most notices: no), before counting
_ANY_NATION = regex("|".join(f"(?:{cue.pattern})" for cue in _JURISDICTION_CUES.values()), re.I)


# Each searched behind the literal pre-filter (matching.Screened, its literals from precompiled.py's cache):
# most notices hold none of the words.
(_SECONDARY, _SECONDARY_WEAK, _SIXTH_FORM, _PRIMARY, _NURSERY, _INDEPENDENT, _ACADEMY, _MAINTAINED, _ENGLAND,
 _ANY_NATION) = (screened(p) for p in (_SECONDARY, _SECONDARY_WEAK, _SIXTH_FORM, _PRIMARY, _NURSERY, _INDEPENDENT,
                                      _ACADEMY, _MAINTAINED, _ENGLAND, _ANY_NATION))  # fmt: skip
_JURISDICTION_CUES = {name: screened(cue) for name, cue in _JURISDICTION_CUES.items()}


def detect_ages(body: str, lowered: str | None = None) -> tuple[int, int] | None:
    lowered = body.lower() if lowered is None else lowered
    secondary = _SECONDARY.search(body, lowered)
    primary = _PRIMARY.search(body, lowered)
    if secondary:
        high = 18 if _SIXTH_FORM.search(body, lowered) else 16
        return (4 if primary else 11, high)
    if primary:
        return (4, 11)
    if _SECONDARY_WEAK.search(body, lowered):
        return (11, 18 if _SIXTH_FORM.search(body, lowered) else 16)
    if _NURSERY.search(body, lowered):
        return (2, 5)
    return None


def detect_school_type(body: str, lowered: str | None = None) -> str | None:
    lowered = body.lower() if lowered is None else lowered
    if _INDEPENDENT.search(body, lowered):
        return "independent"
    if _ACADEMY.search(body, lowered):
        return "academy"
    if _MAINTAINED.search(body, lowered):
        return "maintained"
    return None


def detect_jurisdiction(body: str, lowered: str | None = None) -> str:
    lowered = body.lower() if lowered is None else lowered
    if not _ANY_NATION.search(body, lowered):
        return "england"
    england = len(_ENGLAND.findall(body, lowered))
    best, best_score = "england", 0
    for name, cue in _JURISDICTION_CUES.items():
        score = len(cue.findall(body, lowered))
        if score > best_score:
            best, best_score = name, score
    return best if best_score >= 2 and best_score > england else "england"


# --- the school's name, as a notice's title or opening gives it: "Larkspur Vale Primary School"
_NAME_WORD = r"(?:[A-Z][\w'’.&-]*|of|the|and|de|la|St\.?)"
_SCHOOL_NAME = regex(
    rf"\b((?:[A-Z][\w'’.&-]*\s+)(?:{_NAME_WORD}\s+){{0,6}}(?:School|Academy|College|Nursery School|Federation))\b"
)
_NOT_A_NAME = regex(r"^(?:the|our|this|your|a|privacy|notice|how|at|data|information)\b", re.I)
_SEVERAL_SCHOOLS = regex(r"\b(trust|partnership|federation|our (schools|academies))\b", re.I)
_NAME_BLOCKS = 3  # a school names itself in its title or first lines, if anywhere (a trust's notice lists schools later)
# words that describe a kind of school: a "name" made only of these is no name ("Alternative Provision Academy")
_GENERIC = frozenset(
    "alternative provision primary secondary special community infant junior nursery school academy college "
    "federation free studio high grammar middle upper lower first church of england the and ce c e va vc catholic".split()
)


def detect_school_name(text: Text) -> str | None:
    """The school's name from the notice's title or first blocks, or None."""
    candidates = ([text.title] if text.title else []) + [b.text for b in text.blocks[:_NAME_BLOCKS]]
    if any(_SEVERAL_SCHOOLS.search(c) for c in candidates):
        return None  # a trust's notice speaks for several schools: no one school's name fits its fixes
    for candidate in candidates:
        for match in _SCHOOL_NAME.finditer(candidate):
            name = match.group(1)
            while _NOT_A_NAME.match(name):  # "Privacy notice for Larkspur Vale School" -> from "Larkspur"
                name = name.split(None, 1)[1] if " " in name else ""
            words = name.split()
            if len(words) >= 2 and name[0].isupper() and any(w.lower().strip(".") not in _GENERIC for w in words):
                return name
    return None


def resolve_context(text: Text, analysis, options, today: date) -> Context:
    """Merge what the caller knows with what the notice says about itself.

    `today` is the caller's clock: the notice is judged as of `options.as_of`, else `today`.
    """
    body = analysis.joined
    lowered = body.lower()  # once, for every detector's pre-filter
    detected: list[str] = []

    audience = options.audience
    if audience is None:
        audience = detect_audience(text)
        if audience:
            detected.append("audience")

    ages = options.age_range
    if ages is None and options.phase:
        ages = PHASE_AGES.get(options.phase.strip().lower())
    if ages is None:
        ages = detect_ages(body, lowered)
        if ages:
            detected.append("age_range")

    school_type = options.school_type
    if school_type is None:
        school_type = detect_school_type(body, lowered)
        if school_type:
            detected.append("school_type")

    jurisdiction = options.jurisdiction
    if jurisdiction is None:
        jurisdiction = detect_jurisdiction(body, lowered)
        detected.append("jurisdiction")

    school_name = getattr(options, "school_name", None)
    if school_name is None:
        school_name = detect_school_name(text)
        if school_name:
            detected.append("school_name")

    return Context(
        as_of=options.as_of or today,
        school_name=school_name,
        trust_name=getattr(options, "trust_name", None),
        audience=audience,
        age_low=ages[0] if ages else None,
        age_high=ages[1] if ages else None,
        phase=options.phase,
        school_type=school_type,
        jurisdiction=jurisdiction,
        detected=tuple(detected),
    )
