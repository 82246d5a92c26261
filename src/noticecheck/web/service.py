"""What the page and the API share: options from a form, a notice from a file, text or URL, checked.

The check itself is `Gate.check_text` from `noticecheck check` (config,
rule selection, suppression comments, the engine): one path through the code
for the command line and the page. This module only adds the web's edges:
bytes that arrived in a request, and URLs fetched with the scanner's guard.
Everything stays in memory.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from urllib.parse import urlsplit

from noticecheck.model import AUDIENCES, SCHOOL_TYPES, Document, DocumentResult, Text, UnreadableInput
from noticecheck.gate.report.formats import Outcome, Report

PASTED = "pasted text"


class BadRequest(ValueError):
    """A form value the page cannot use; the message is shown to the user as it is."""


@dataclass(frozen=True)
class Checked:
    """One checked notice: the gate's outcome, the loaded text (None when unreadable) and the original bytes."""

    outcome: Outcome
    text: Text | None
    document: Document

    @property
    def name(self) -> str:
        return self.document.source

    @property
    def result(self) -> DocumentResult:
        return self.outcome.result


@dataclass(frozen=True)
class Found:
    """A home page was given: the notices discovery found there (the user picks one)."""

    website: str
    notices: tuple  # tuple[discover.FoundNotice, ...]
    status: str
    error: str | None = None


@dataclass(frozen=True)
class FormOptions:
    """The optional context a user gives; empty means detect."""

    audience: str | None = None
    school_type: str | None = None
    age_range: tuple[int, int] | None = None
    as_of: date | None = None

    @classmethod
    def parse(cls, form) -> FormOptions:
        from noticecheck.gate.config import ConfigError, parse_age_range

        audience = (form.get("audience") or "").strip() or None
        if audience is not None and audience not in AUDIENCES:
            raise BadRequest(f"audience must be one of {', '.join(AUDIENCES)}")
        school_type = (form.get("school_type") or "").strip() or None
        if school_type is not None and school_type not in SCHOOL_TYPES:
            raise BadRequest(f"school type must be one of {', '.join(SCHOOL_TYPES)}")
        age_text = (form.get("age_range") or "").strip()
        try:
            age_range = parse_age_range(age_text, "age range") if age_text else None
        except ConfigError as exc:
            raise BadRequest(str(exc)) from None
        as_of_text = (form.get("as_of") or "").strip()
        try:
            as_of = date.fromisoformat(as_of_text) if as_of_text else None
        except ValueError:
            raise BadRequest(f"as_of: {as_of_text!r} is not a date like 2026-09-01") from None
        return cls(audience, school_type, age_range, as_of)

    def as_form(self) -> dict[str, str]:
        """The values to carry into the next form (re-check, picking a discovered notice)."""
        return {
            "audience": self.audience or "",
            "school_type": self.school_type or "",
            "age_range": f"{self.age_range[0]}-{self.age_range[1]}" if self.age_range else "",
            "as_of": self.as_of.isoformat() if self.as_of else "",
        }


def page_policy(**settings):
    """The scanner's FetchPolicy (robots.txt, address guard) with fewer retries and a shorter
    timeout than a scan's: someone is waiting at the page."""
    from noticecheck.fetch.http import FetchPolicy

    return FetchPolicy(**{"retries": 1, "timeout": 10.0, **settings})


class Checker:
    """The server's one gate (config and rules read once at start-up) and its fetch policy."""

    def __init__(self, gate, *, max_bytes: int, policy=None):
        self.gate = gate
        self.max_bytes = max_bytes
        self.policy = replace(policy or page_policy(), max_bytes=max_bytes)

    # -- inputs -----------------------------------------------------------------------

    def document_from_upload(self, filename: str, data: bytes) -> Document:
        # Only the base name: a browser may send a path, and the name is shown back.
        name = filename.replace("\\", "/").rsplit("/", 1)[-1] or "upload"
        return Document(source=name, data=data, filename=name)

    def document_from_text(self, text: str) -> Document:
        return Document(source=PASTED, data=text.encode("utf-8"), filename="pasted.txt", media_type="text/plain")

    def document_from_url(self, url: str) -> Document:
        """One notice page or document, fetched as `check URL` fetches it; UnreadableInput says why not."""
        from noticecheck.fetch.single import fetch_document, is_url

        if not is_url(url):
            raise BadRequest("the address must start with http:// or https://")
        return fetch_document(url, policy=self.policy)

    def discover(self, website: str) -> Found:
        """The notices on a school's site, found the way a scan finds them (fewer pages: someone is waiting)."""
        from noticecheck.fetch.discover import discover_notices
        from noticecheck.fetch.http import PoliteSession

        with PoliteSession(self.policy) as session:
            found = discover_notices(session, website, max_depth=2, max_pages=15)
        return Found(website, found.notices, found.status, found.error)

    @staticmethod
    def is_home_page(url: str) -> bool:
        return urlsplit(url).path in ("", "/")

    # -- the check --------------------------------------------------------------------

    def gate_for(self, options: FormOptions):
        """The server's gate with this request's context; rules and config are shared, not rebuilt."""
        base = self.gate.options
        return replace(
            self.gate,
            today=date.today(),  # a server runs for months: judge each notice as of the day it is checked
            options=replace(
                base,
                audience=options.audience or base.audience,
                school_type=options.school_type or base.school_type,
                age_range=options.age_range or base.age_range,
                as_of=options.as_of or base.as_of,
                max_bytes=self.max_bytes,
            ),
        )

    def check(self, doc: Document, options: FormOptions) -> Checked:
        from noticecheck.api import unreadable
        from noticecheck.load import to_text

        gate = self.gate_for(options)
        try:
            text = to_text(doc, max_bytes=gate.options.max_bytes)
        except UnreadableInput as exc:
            return Checked(Outcome(unreadable(doc.source, exc)), None, doc)
        return Checked(gate.check_text(text), text, doc)

    def report(self, checked: Checked) -> Report:
        return Report(outcomes=(checked.outcome,), rulebook=self.gate.selection.selected, fail_on=self.gate.fail_on)

    def rules(self) -> list[dict]:
        from noticecheck.rule_docs import rules_to_dicts

        return rules_to_dicts(self.gate.selection.catalogue, {rule.id for rule in self.gate.selection.selected.rules})
