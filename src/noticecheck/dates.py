"""Find dates in the free text of a notice ("Reviewed: September 2019", "01/09/2021", "Autumn Term 2020").

Schools write dates every way there is; this returns the calendar dates it
can read, each with its span, so the review-date rule can judge staleness.
Ambiguous forms resolve to the latest plausible day of the period (a notice
"updated 2019" is given the benefit of the doubt: 31 December 2019).
"""

from __future__ import annotations

import calendar
import re
from datetime import date

from noticecheck.precompiled import regex

_MONTHS = {
    name: i
    for i, names in enumerate(
        [
            (),
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ]
    )
    for name in names
}
_MONTH_RE = "|".join(sorted(_MONTHS, key=len, reverse=True))
_SEASONS = {"spring": 4, "summer": 7, "autumn": 12, "fall": 12, "winter": 2}

_PATTERNS = [
    # 2021-09-01
    ("iso", regex(r"\b(20\d\d|19\d\d)-(\d{1,2})-(\d{1,2})\b")),
    # 01/09/2021, 1.9.21, 01-09-2021 (UK day-first)
    ("dmy", regex(r"\b(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}|\d{2})\b")),
    # 1st September 2021, 1 Sept 2021
    ("d_month_y", regex(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+({_MONTH_RE})\.?,?\s+(\d{{4}})\b", re.I)),
    # September 1st, 2021
    ("month_d_y", regex(rf"\b({_MONTH_RE})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})\b", re.I)),
    # September 2021, Sept. 2021
    ("month_y", regex(rf"\b({_MONTH_RE})\.?,?\s+(\d{{4}})\b", re.I)),
    # Autumn 2021, Spring Term 2022
    ("season_y", regex(r"\b(spring|summer|autumn|fall|winter)(?:\s+term)?\s+(\d{4})\b", re.I)),
    # 2021/22 or 2021-2022 academic year: the later year's summer
    ("academic", regex(r"\b(20\d\d)\s?[/-]\s?(20\d\d|\d\d)\b")),
    # a bare year
    ("year", regex(r"\b(19[89]\d|20[0-4]\d)\b")),
]
# "the Data Protection Act 2018" or "Regulations 2013" name a law, not when the notice was written
_LAW_BEFORE = regex(r"\b(act|acts|regulations?|order|rules|bill|directive|code|gdpr|census)[\s,(]*$", re.I)


def _safe(year: int, month: int, day: int) -> date | None:
    if not (1 <= month <= 12 and 1990 <= year <= 2100):
        return None
    day = min(max(day, 1), calendar.monthrange(year, month)[1])
    return date(year, month, day)


def _end_of_month(year: int, month: int) -> date | None:
    return _safe(year, month, 31)


def find_dates(text: str) -> list[tuple[date, int, int]]:
    """All dates in `text` as (date, start, end); a span claimed by a more specific form is not re-read."""
    found: list[tuple[date, int, int]] = []
    taken: list[tuple[int, int]] = []

    def free(start: int, end: int) -> bool:
        return all(end <= s or start >= e for s, e in taken)

    for kind, pattern in _PATTERNS:
        for m in pattern.finditer(text):
            if not free(m.start(), m.end()):
                continue
            g = m.groups()
            value: date | None
            if kind == "iso":
                value = _safe(int(g[0]), int(g[1]), int(g[2]))
            elif kind == "dmy":
                year = int(g[2])
                year = year + 2000 if year < 100 else year
                value = _safe(year, int(g[1]), int(g[0])) if int(g[0]) <= 31 else None
            elif kind == "d_month_y":
                value = _safe(int(g[2]), _MONTHS[g[1].lower()], int(g[0]))
            elif kind == "month_d_y":
                value = _safe(int(g[2]), _MONTHS[g[0].lower()], int(g[1]))
            elif kind == "month_y":
                value = _end_of_month(int(g[1]), _MONTHS[g[0].lower()])
            elif kind == "season_y":
                value = _end_of_month(int(g[1]), _SEASONS[g[0].lower()])
            elif kind == "academic":
                later = int(g[1]) if len(g[1]) == 4 else 2000 + int(g[1])
                value = _end_of_month(later, 7) if later - int(g[0]) == 1 else None
            elif _LAW_BEFORE.search(text[max(0, m.start() - 20) : m.start()]):
                value = None
            else:
                value = _safe(int(g[0]), 12, 31)
            if value is not None:
                found.append((value, m.start(), m.end()))
                taken.append((m.start(), m.end()))
    return sorted(found, key=lambda t: t[1])
