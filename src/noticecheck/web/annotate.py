"""The result page's view of one checked notice: the notice annotated, the summary, the checklist, what changed.

Pure: a DocumentResult and its Text in, plain values out for the templates
(which escape everything: notice text is never trusted). Each finding is
placed at the block holding its line (a "missing" finding's line is where the
missing part should go, as the engine chose it); its quote is marked inside
that block when it can be found there.

What changed since the last check of the same file is worked out from the
previous result's finding keys, which the browser sends back (a hidden form
field); the server keeps nothing between requests. A key is (rule, section),
counted, the same identity a baseline uses.
"""

from __future__ import annotations

import bisect
import json
from collections import Counter
from dataclasses import dataclass, field

from noticecheck.model import Block, DocumentResult, Finding, Severity, Text

# How the page says each severity: words first, so colour is never the only signal.
LABELS = {Severity.ERROR: "Must fix", Severity.WARNING: "Should fix", Severity.INFO: "Suggestion"}
PREVIOUS_LIMIT = 64 * 1024  # bytes of the carried-over previous result we read at most


@dataclass
class ShownFinding:
    id: str
    finding: Finding
    block: int
    change: str | None = None  # "new" or "still there" when there was a previous check

    @property
    def label(self) -> str:
        return LABELS[self.finding.severity]

    @property
    def css(self) -> str:
        return self.finding.severity.label

    @property
    def missing(self) -> bool:
        return self.finding.kind == "missing"


@dataclass
class ShownBlock:
    index: int
    block: Block
    sections: list[str] = field(default_factory=list)
    pieces: list[tuple[str, str | None]] = field(default_factory=list)  # (text, id of the finding it quotes)
    findings: list[ShownFinding] = field(default_factory=list)

    @property
    def tag(self) -> str:
        if self.block.is_heading:
            return f"h{min(max(self.block.level, 1) + 2, 6)}"  # the page's own h1/h2 come first
        return "li" if self.block.kind.value == "list_item" else "p"


@dataclass(frozen=True)
class Changes:
    fixed: tuple[dict, ...]
    still: int
    new: int


@dataclass
class Annotated:
    blocks: list[ShownBlock]
    findings: list[ShownFinding]  # most serious first
    counts: dict[str, int]
    checklist: list[tuple[str, bool, int | None]]  # (label, present, block index of its evidence)
    changes: Changes | None = None

    @property
    def summary(self) -> str:
        return summary_sentence(self.counts)


def summary_sentence(counts: dict[str, int]) -> str:
    """"3 things you must fix, 4 you should, 2 suggestions" in plain English."""
    must, should, maybe = counts.get("error", 0), counts.get("warning", 0), counts.get("info", 0)
    if not must and not should and not maybe:
        return "Nothing to fix: every check passed."
    parts = []
    if must:
        parts.append(f"{must} {'thing' if must == 1 else 'things'} you must fix")
    if should:
        parts.append(f"{should} you should" if parts else f"{should} {'thing' if should == 1 else 'things'} you should fix")
    if maybe:
        parts.append(f"{maybe} {'suggestion' if maybe == 1 else 'suggestions'}")
    return ", ".join(parts[:-1]) + (" and " if len(parts) > 1 else "") + parts[-1]


def _block_at(lines: list[int], line: int) -> int:
    """Index of the block holding `line`: the last block starting at or before it (the first block otherwise)."""
    return max(bisect.bisect_right(lines, line) - 1, 0)


def _place(blocks: list[Block], lines: list[int], line: int, quote: str) -> int:
    """The block for something at `line` quoting `quote` (a finding, a section's evidence). Several
    blocks can share a line (a web page written on one line): then the one holding the quote, else the first."""
    last = _block_at(lines, line)
    first = bisect.bisect_left(lines, lines[last]) if lines else 0
    if first == last:
        return last
    return next((i for i in range(first, last + 1) if _quote_span(blocks[i].text, quote)), first)


def _quote_span(text: str, quote: str) -> tuple[int, int] | None:
    """Where `quote` sits in `text`; a quote the engine shortened ("…") is found by its first part."""
    quote = quote.strip()
    if not quote:
        return None
    start = text.find(quote)
    if start >= 0:
        return start, start + len(quote)
    head = quote.split("…", 1)[0].strip()
    if len(head) >= 12 and (start := text.find(head)) >= 0:
        return start, start + len(head)
    return None


def _pieces(text: str, marks: list[tuple[int, int, str]]) -> list[tuple[str, str | None]]:
    out: list[tuple[str, str | None]] = []
    at = 0
    for start, end, ident in sorted(marks):
        if start < at:
            continue  # overlaps a quote already marked: the finding still shows beside the block
        if start > at:
            out.append((text[at:start], None))
        out.append((text[start:end], ident))
        at = end
    if at < len(text):
        out.append((text[at:], None))
    return out


def annotate(text: Text, result: DocumentResult, previous: dict | None = None) -> Annotated:
    blocks = [ShownBlock(i, b) for i, b in enumerate(text.blocks)]
    lines = [b.line for b in text.blocks]
    ordered = sorted(result.findings, key=lambda f: (-f.severity, f.line, f.rule))
    shown = [ShownFinding(f"finding-{n}", f, _place(text.blocks, lines, f.line, f.quote)) for n, f in enumerate(ordered, 1)]

    marks: dict[int, list[tuple[int, int, str]]] = {}
    for item in shown:
        if not blocks:
            break
        blocks[item.block].findings.append(item)
        if not item.missing and (span := _quote_span(blocks[item.block].block.text, item.finding.quote)):
            marks.setdefault(item.block, []).append((*span, item.id))
    for shown_block in blocks:
        shown_block.pieces = _pieces(shown_block.block.text, marks.get(shown_block.index, []))

    checklist = []
    for name, section in result.sections.items():
        label = section.label or name
        evidence = section.evidence[0] if section.evidence else None
        where = section.heading_line or (evidence.line if evidence else None)
        quote = evidence.quote if evidence and evidence.line == where else ""
        index = _place(text.blocks, lines, where, quote) if (section.present and where is not None and blocks) else None
        if index is not None:
            blocks[index].sections.append(label)
        checklist.append((label, section.present, index))

    counts = Counter(f.severity.label for f in result.findings)
    annotated = Annotated(blocks, shown, {s.label: counts.get(s.label, 0) for s in Severity}, checklist)
    if previous is not None:
        annotated.changes = compare(previous, shown)
    return annotated


# ---------------------------------------------------------------- what changed since the last check


def key_of(finding: Finding) -> tuple[str, str | None]:
    return finding.rule, finding.section


def carried(name: str, findings) -> str:
    """The previous-result field for the next check of `name`: its findings' keys and titles, as JSON."""
    items = [{"rule": f.rule, "section": f.section, "title": f.title or f.rule} for f in findings]
    return json.dumps({"name": name, "findings": items}, separators=(",", ":"))


def read_previous(raw: str | None, name: str) -> dict | None:
    """The carried-over previous result if it is well formed and for the same file, else None."""
    if not raw or len(raw) > PREVIOUS_LIMIT:
        return None
    try:
        data = json.loads(raw)
    except ValueError:
        return None
    if not isinstance(data, dict) or data.get("name") != name or not isinstance(data.get("findings"), list):
        return None
    items = []
    for item in data["findings"]:
        if isinstance(item, dict) and isinstance(item.get("rule"), str) and isinstance(item.get("section"), (str, type(None))):
            items.append({"rule": item["rule"], "section": item["section"], "title": str(item.get("title") or item["rule"])})
    return {"name": name, "findings": items}


def compare(previous: dict, shown: list[ShownFinding]) -> Changes:
    """Mark each current finding new or still there; list the previous ones now gone (fixed)."""
    before = Counter((item["rule"], item["section"]) for item in previous["findings"])
    left = Counter(before)
    new = still = 0
    for item in shown:
        key = key_of(item.finding)
        if left[key] > 0:
            left[key] -= 1
            item.change = "still there"
            still += 1
        else:
            item.change = "new"
            new += 1
    fixed = []
    for item in previous["findings"]:
        key = (item["rule"], item["section"])
        if left[key] > 0:
            left[key] -= 1
            fixed.append(item)
    return Changes(tuple(fixed), still, new)
