"""How a school's scan ended: one enum, each status carrying its label and help text for readers.

Every school ends in exactly one of these. The scheduler decides which
(scan/scheduler.py), the store refuses any other (scan/store.py), and the
dashboard, the exports and `noticecheck report` show the label and help from
here. To add a status, add a member here and the place in the scheduler that
decides it (see CONTRIBUTING.md).
"""

from __future__ import annotations

import enum


class SchoolStatus(str, enum.Enum):
    """A school's result; compares equal to its stored string ("checked" == SchoolStatus.CHECKED)."""

    label: str
    help: str

    def __new__(cls, value: str, label: str, help: str) -> SchoolStatus:
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label
        member.help = help
        return member

    def __str__(self) -> str:
        return self.value

    CHECKED = ("checked", "Notice checked", "At least one privacy notice was found and checked.")
    NO_WEBSITE = ("no-website", "No website listed", "The school list gives no website for this school.")
    UNREACHABLE = ("unreachable", "Website could not be reached", "The website did not answer, or answered with an error.")
    BLOCKED_BY_ROBOTS = (
        "blocked-by-robots",
        "Website asks crawlers to stay away",
        "The website's robots.txt forbids automated visits, so it was not read.",
    )
    NO_NOTICE_FOUND = (
        "no-notice-found",
        "No privacy notice found",
        "The website was read, but no link to a privacy notice was found.",
    )
    NOTICE_UNREADABLE = (
        "notice-unreadable",
        "Notice found but could not be read",
        "Every notice found was unreadable (for example a scanned PDF with no text) or its link was broken.",
    )


SCHOOL_STATUSES = tuple(s.value for s in SchoolStatus)  # in the order reports list them
STATUS_LABELS = {s.value: s.label for s in SchoolStatus}  # for templates, keyed by the stored string
STATUS_HELP = {s.value: s.help for s in SchoolStatus}
