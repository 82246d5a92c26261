"""The frozen values that travel through noticecheck, in the order data flows.

    Document (bytes + where from)  ->  Text (blocks with line numbers)
    ->  Section (is this part of the checklist there, and where)
    ->  Finding (what is wrong, the evidence, the fix)  ->  DocumentResult

Nothing here does I/O or knows about a file format; loaders build `Text`,
`sections.py` builds `Section`, `engine.py` builds `Finding`.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date


class Severity(enum.IntEnum):
    """How bad a finding is; ordered so `severity >= Severity.WARNING` works."""

    INFO = 10
    WARNING = 20
    ERROR = 30

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, value: str | Severity) -> Severity:
        if isinstance(value, Severity):
            return value
        try:
            return cls[value.strip().upper()]
        except KeyError:
            raise ValueError(f"unknown severity {value!r} (expected error, warning or info)") from None

    def lowered(self) -> Severity:
        """One step less severe; used when the context a rule depends on is unknown."""
        return Severity.INFO if self <= Severity.WARNING else Severity.WARNING


class BlockKind(str, enum.Enum):
    HEADING = "heading"
    PARAGRAPH = "paragraph"
    LIST_ITEM = "list_item"


@dataclass(frozen=True)
class Document:
    """Raw input: the bytes of one notice and where they came from.

    `source` is the path or URL exactly as the user gave it (or "-" for stdin);
    `filename` is used for the extension when sniffing; `media_type` is a hint
    (e.g. an HTTP Content-Type) that sniffing may override.
    """

    source: str
    data: bytes
    filename: str | None = None
    media_type: str | None = None


@dataclass(frozen=True)
class Block:
    """One structural unit of a notice: a heading, a paragraph or a list item.

    `line` is 1-based and points into the original file where the format has
    lines (txt, md, html); for PDF and Word it is the line in the extracted
    text. `level` is the heading level (1 = top) and 0 for non-headings.
    """

    kind: BlockKind
    text: str
    line: int
    level: int = 0

    @property
    def is_heading(self) -> bool:
        return self.kind is BlockKind.HEADING


@dataclass(frozen=True)
class Directive:
    """One `<!-- noticecheck: ... -->` comment in an HTML or Markdown draft, as its loader found it.

    `scope` is the inclusive line range a `disable-next` covers (None for
    `disable`, or when no block follows); `problem` says why a comment could
    not be read, in which case `action` is None. Only the CI gate acts on
    them (gate/suppress.py); a scan of school websites ignores them.
    """

    line: int
    text: str
    action: str | None
    names: tuple[str, ...] = ()
    reason: str = ""
    scope: tuple[int, int] | None = None
    problem: str | None = None

    def covers(self, line: int) -> bool:
        if self.action == "disable":
            return True
        return self.scope is not None and self.scope[0] <= line <= self.scope[1]


@dataclass(frozen=True)
class Text:
    """A notice reduced to ordered blocks, format-independent."""

    source: str
    blocks: tuple[Block, ...]
    media_type: str
    title: str | None = None
    notes: tuple[str, ...] = ()  # e.g. "decoded as cp1252", "main content extracted"
    directives: tuple[Directive, ...] = ()  # noticecheck comments the loader found (HTML, Markdown)
    page_starts: tuple[int, ...] = ()  # PDF: the line number each page starts at (1 for page 1)

    @property
    def word_count(self) -> int:
        return sum(len(b.text.split()) for b in self.blocks)


class UnreadableInput(Exception):
    """The input cannot be turned into text. `code` is stable, `str()` is for people.

    Codes: empty, binary, unknown-type, encrypted, no-text-layer, corrupt,
    too-large, too-large-decompressed, too-long, too-deeply-nested, zip-bomb, not-found, not-a-file, permission-denied.
    """

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class Evidence:
    line: int
    quote: str


@dataclass(frozen=True)
class Section:
    """Whether one checklist section is present, with the evidence for it."""

    name: str
    present: bool
    evidence: tuple[Evidence, ...] = ()
    heading_line: int | None = None  # where a heading for it sits, if any
    label: str = ""  # its short name for reports, from rules/sections.yaml


AUDIENCES = ("pupils", "parents", "workforce", "governors", "other")  # what each means: audience.py
SCHOOL_TYPES = ("academy", "maintained", "independent")
JURISDICTIONS = ("england", "wales", "scotland", "northern-ireland")


@dataclass(frozen=True)
class Context:
    """What the rules need to know about the notice and the school behind it.

    None means unknown; rules that depend on an unknown value apply at a
    lower severity instead of guessing.
    """

    as_of: date
    audience: str | None = None
    age_low: int | None = None
    age_high: int | None = None
    phase: str | None = None
    school_type: str | None = None
    jurisdiction: str | None = "england"
    detected: tuple[str, ...] = ()  # which fields were inferred from the text
    school_name: str | None = None  # fills "[school name]" in fix wording
    trust_name: str | None = None  # fills "[trust name]"

    def to_dict(self) -> dict:
        """Plain data, as the JSON report and the scan store keep it."""
        return {
            "as_of": self.as_of.isoformat(),
            "audience": self.audience,
            "age_range": [self.age_low, self.age_high] if self.age_low is not None else None,
            "phase": self.phase,
            "school_type": self.school_type,
            "jurisdiction": self.jurisdiction,
            "detected": list(self.detected),
            "school_name": self.school_name,
        }


@dataclass(frozen=True)
class Finding:
    """One thing wrong with a notice.

    `kind` is "fault" when a quoted sentence is at fault and "missing" when
    something is absent; for "missing", `line`/`quote` point to where it
    should go (nearest related heading, or line 1).
    """

    rule: str
    severity: Severity
    message: str
    line: int
    quote: str
    fix: str
    source_link: str
    title: str = ""
    pack: str = ""
    section: str | None = None
    kind: str = "fault"
    column: int = 1
    note: str | None = None  # e.g. why a "missing" finding may only mean "not in the part we saw"
    location: str = ""  # for people: "page 3, line 12" (PDF), "paragraph 14" (Word, ODT), else "line 111"

    @property
    def where(self) -> str:
        """The location for people, "line N" when the pipeline set none."""
        return self.location or f"line {self.line}"

    def to_dict(self) -> dict:
        """Plain data: the JSON report's shape, which every other record of a finding picks from."""
        return {
            "rule": self.rule,
            "severity": self.severity.label,
            "title": self.title,
            "pack": self.pack,
            "message": self.message,
            "line": self.line,
            "column": self.column,
            "location": self.where,
            "quote": self.quote,
            "fix": self.fix,
            "source_link": self.source_link,
            "section": self.section,
            "kind": self.kind,
            "note": self.note,
        }


@dataclass(frozen=True)
class Incompleteness:
    """Why a notice's text appears cut short (completeness.py); `line` is where the first sign is."""

    reasons: tuple[str, ...]
    line: int

    @property
    def note(self) -> str:
        return "the text appears incomplete: " + "; ".join(self.reasons)


@dataclass(frozen=True)
class OutlinePart:
    """One part of a notice under one of its own headings ("" for text before the first heading)."""

    heading: str
    sentences: tuple[str, ...]


@dataclass(frozen=True)
class DocumentResult:
    """Everything the engine says about one input."""

    source: str
    status: str  # "checked" or "unreadable"
    context: Context | None = None
    sections: dict[str, Section] = field(default_factory=dict)
    findings: tuple[Finding, ...] = ()
    error_code: str | None = None
    error: str | None = None
    media_type: str | None = None
    word_count: int = 0
    incomplete: Incompleteness | None = None
    # (rule id, why) for each rule of the rulebook that did not run on this notice
    not_applied: tuple[tuple[str, str], ...] = ()
    # findings a suppression comment set aside (gate/suppress.Suppressed), when the caller asked for that step
    suppressed: tuple = ()
    page_starts: tuple[int, ...] = ()  # Text.page_starts, so reports can place section evidence too
    # the notice as its author laid it out: (heading, its body sentences) per part, for drift.py
    outline: tuple[OutlinePart, ...] = ()
