"""Suppression comments in HTML and Markdown drafts, and the `unused-suppression` rule that polices them.

A draft can accept a finding on purpose, with a reason a reviewer can read:

    <!-- noticecheck: disable=dpo-missing -- we are not a public authority -->
    <!-- noticecheck: disable-next=outdated-url -- archived link, kept on purpose -->

`disable` covers the whole document; `disable-next` covers only the next
block (heading, paragraph or list item) after the comment, i.e. findings
whose line falls between that block's first line and the next block's.
Names may be rule ids or aliases, comma-separated; the reason after ` -- `
is optional but recommended.

Loaders drop comments (HTML) or keep them as text (Markdown), so directives
are read here from the raw decoded text, with their own line numbers.

Like ruff's RUF100, a comment that suppresses nothing is itself reported,
as rule `unused-suppression`: a comment naming an unknown rule, a comment
that cannot be read, or a rule that ran and found nothing there. A rule that
did not run (not selected, or ignored for this file) is not reported: the
comment may matter under another configuration.

Why `unused-suppression` is not in a rules/*.yaml pack: packs hold checks the
engine runs over a notice's text, and their examples are run by
tests/test_rule_examples.py through `api.check_document`, which does not
(and should not) honour suppression comments: a local authority scanning
school websites must not let a page's own comments hide its gaps. This rule
judges the comments against the engine's findings, after the engine, so it
lives here as a `Rule` value with its examples (run by tests/test_suppress.py),
and `config.load_catalogue` adds it to the rulebook as pack "meta" so
select/ignore/severity, `rules`, `explain`, SARIF and the docs all know it.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass, replace
from datetime import date

from noticecheck.gate.config import did_you_mean
from noticecheck.model import Block, Document, Finding, Severity, Text
from noticecheck.rulebook import Rule

UNUSED_SUPPRESSION = "unused-suppression"
META_PACK = "meta"
META_PACK_DESCRIPTION = "Checks on noticecheck's own suppression comments (not on the notice itself)."

UNUSED_SUPPRESSION_RULE = Rule(
    id=UNUSED_SUPPRESSION,
    pack=META_PACK,
    title="A noticecheck suppression comment suppresses nothing",
    severity=Severity.WARNING,
    source_title=(
        "UK GDPR Art 5(2) accountability: a recorded decision to accept a gap must stay true "
        "(tool housekeeping, like ruff's RUF100)"
    ),
    source_url="https://www.legislation.gov.uk/eur/2016/679/article/5",
    applies_from=date(2018, 5, 25),
    check={"kind": "suppression-comments"},
    message="This noticecheck comment suppresses nothing: {problem}.",
    fix=(
        "Delete the comment, or correct it: name a rule id from `noticecheck rules`, and put "
        "`disable-next` straight above the paragraph or heading it is about."
    ),
    examples={
        "fail": [
            "# Privacy notice\n\n<!-- noticecheck: disable-next=outdated-dpa-1998 -- old wording -->\n"
            "We use pupil data to support learning.\n",
            "# Privacy notice\n\n<!-- noticecheck: disable=no-such-rule -->\nWe use pupil data to support learning.\n",
        ],
        "pass": [
            "# Privacy notice\n\n<!-- noticecheck: disable-next=outdated-dpa-1998 -- quoted from our 2016 notice -->\n"
            "We are registered under the Data Protection Act 1998.\n",
            "# Privacy notice\n\nWe use pupil data to support learning.\n",
        ],
    },
    file="noticecheck/gate/suppress.py",
)
META_RULES = (UNUSED_SUPPRESSION_RULE,)
META_RULE_IDS = frozenset(r.id for r in META_RULES)

DIRECTIVE_MEDIA_TYPES = frozenset({"text/html", "text/markdown"})

_COMMENT = re.compile(r"<!--\s*noticecheck\s*:(?P<body>.*?)-->", re.S | re.I)
# "disable=a,b -- reason": the reason starts at the first "--" after a space (ids hold single hyphens).
_BODY = re.compile(r"\s*(?P<action>disable-next|disable)\s*=\s*(?P<names>.*?)(?:(?:(?<=\s)|(?<==))--\s*(?P<reason>.*?))?\s*", re.S)
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_TAG = re.compile(r"<[^>]*>")
_ANY_COMMENT = re.compile(r"<!--.*?(?:-->|$)", re.S)
MAX_QUOTE = 160


@dataclass(frozen=True)
class Directive:
    """One `<!-- noticecheck: ... -->` comment.

    `scope` is the inclusive line range a `disable-next` covers (None for
    `disable`, or when no block follows); `problem` says why a comment could
    not be read, in which case `action` is None.
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
class Suppressed:
    finding: Finding
    directive: Directive


@dataclass(frozen=True)
class SuppressionResult:
    findings: tuple[Finding, ...]  # what is still reported, including unused-suppression findings
    suppressed: tuple[Suppressed, ...]


# ---------------------------------------------------------------- reading comments


def raw_text(doc: Document, media_type: str) -> str | None:
    """The decoded text of an HTML/Markdown draft that mentions noticecheck; None otherwise (cheap exit)."""
    from noticecheck.load.encoding import bom_encoding, declared_charset, decode

    if media_type not in DIRECTIVE_MEDIA_TYPES:
        return None
    # UTF-16/32 drafts (BOM) hide the ASCII bytes; everything else shows them.
    if bom_encoding(doc.data) is None and re.search(rb"noticecheck", doc.data, re.I) is None:
        return None
    declared = declared_charset(doc.data, doc.media_type, html=media_type == "text/html")
    return decode(doc.data, declared=declared).text


def parse_directives(text: str, blocks: Sequence[Block] = ()) -> list[Directive]:
    """Every noticecheck comment in `text`, with `disable-next` scopes worked out from `blocks`."""
    out = []
    for match in _COMMENT.finditer(text):
        line = _line_at(text, match.start())
        end_line = _line_at(text, match.end())
        shown = _shorten(" ".join(match.group(0).split()))
        directive = _parse_body(match.group("body"), line, shown)
        if directive.action == "disable-next":
            rest = text[match.end() : _line_end(text, match.end())]
            directive = replace(directive, scope=_next_block_scope(blocks, line, end_line, rest))
        out.append(directive)
    return out


def _parse_body(body: str, line: int, shown: str) -> Directive:
    m = _BODY.fullmatch(body)
    if m is None:
        return Directive(line, shown, None, problem="it is not `disable=rule-id` or `disable-next=rule-id`")
    names = tuple(n.strip() for n in m.group("names").split(",") if n.strip())
    if not names:
        return Directive(line, shown, None, problem=f"`{m.group('action')}=` names no rule")
    bad = [n for n in names if not _NAME.match(n)]
    if bad:
        return Directive(line, shown, None, problem=f"{bad[0]!r} is not a rule id")
    return Directive(line, shown, m.group("action"), names, (m.group("reason") or "").strip())


def _line_at(text: str, offset: int) -> int:
    return 1 + len(_LINE_BREAK.findall(text, 0, offset))


def _line_end(text: str, offset: int) -> int:
    m = _LINE_BREAK.search(text, offset)
    return m.start() if m else len(text)


def _shorten(text: str) -> str:
    return text if len(text) <= MAX_QUOTE else text[: MAX_QUOTE - 1] + "…"


def _squash(text: str) -> str:
    return " ".join(_TAG.sub(" ", text).split()).lower()


def _residue(text: str) -> str:
    """A block's text without any HTML comments."""
    return _ANY_COMMENT.sub(" ", text).strip()


def _next_block_scope(blocks: Sequence[Block], line: int, end_line: int, rest_of_line: str) -> tuple[int, int] | None:
    """Lines of the block a `disable-next` comment (lines `line`..`end_line`) is about."""
    target = None
    # Markdown keeps comments as text: a comment with the paragraph right under it
    # (no blank line) is glued to that paragraph, which is then the block meant.
    holder = next((i for i in range(len(blocks) - 1, -1, -1) if blocks[i].line <= line), None)
    if holder is not None and blocks[holder].text.lstrip().startswith("<!--") and _residue(blocks[holder].text):
        target = holder
    rest = _squash(rest_of_line)
    if target is None and rest:
        # HTML written on one line: the next block is the one whose text follows the comment.
        target = next(
            (i for i, b in enumerate(blocks) if b.line == end_line and _residue(b.text) and rest.startswith(_squash(b.text)[:20])),
            None,
        )
    if target is None:
        # Comment-only blocks (Markdown) are never "the next block".
        target = next((i for i, b in enumerate(blocks) if b.line > end_line and _residue(b.text)), None)
    if target is None:
        return None
    start = blocks[target].line
    later = next((b.line for b in blocks[target + 1 :] if b.line > start), None)
    return start, (later - 1 if later is not None else 10**9)


def without_directives(text: Text) -> Text:
    """The loaded text minus noticecheck comments, which Markdown loading keeps as words.

    Left in, a directive's reason ("we are an independent school") would be
    read as part of the notice and change what the rules conclude.
    """
    if not any("<!--" in b.text for b in text.blocks):
        return text
    blocks = []
    for block in text.blocks:
        if _COMMENT.search(block.text):
            cleaned = " ".join(_COMMENT.sub(" ", block.text).split())
            if not cleaned:
                continue
            block = replace(block, text=cleaned)
        blocks.append(block)
    return replace(text, blocks=tuple(blocks))


# ---------------------------------------------------------------- applying them


def apply_suppressions(
    findings: Sequence[Finding],
    directives: Sequence[Directive],
    catalogue,
    active: Collection[str],
) -> SuppressionResult:
    """Drop the findings the directives cover and report the directives that cover nothing.

    `catalogue` is the Rulebook of every known rule (to tell an unknown name
    from a rule that is merely switched off); `active` holds the rule ids
    that ran on this document.
    """
    if not directives:
        return SuppressionResult(tuple(findings), ())
    resolved = [_resolve(d, catalogue) for d in directives]
    used: set[tuple[int, str]] = set()
    kept, suppressed = _suppress(findings, directives, resolved, used)

    meta_rule = catalogue.get(UNUSED_SUPPRESSION)
    if meta_rule is None or UNUSED_SUPPRESSION not in active:
        return SuppressionResult(tuple(kept), tuple(suppressed))
    reports = []
    for index, (directive, (ids, unknown)) in enumerate(zip(directives, resolved)):
        problem = _problem(index, directive, ids, unknown, used, active, catalogue)
        if problem:
            reports.append(_report(meta_rule, directive, problem))
    # A comment may silence the reports about comments, as ruff's `# noqa: RUF100` does.
    kept_reports, suppressed_reports = _suppress(reports, directives, resolved, used)
    findings_out = sorted([*kept, *kept_reports], key=lambda f: (-f.severity, f.line, f.rule))
    return SuppressionResult(tuple(findings_out), tuple(suppressed + suppressed_reports))


def _resolve(directive: Directive, catalogue) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(canonical rule ids, unknown names) for one directive."""
    ids, unknown = [], []
    for name in directive.names:
        rule = catalogue.get(name)
        if rule is None:
            unknown.append(name)
        else:
            ids.append(rule.id)
    return tuple(ids), tuple(unknown)


def _suppress(findings, directives, resolved, used) -> tuple[list[Finding], list[Suppressed]]:
    kept, suppressed = [], []
    for finding in findings:
        for index, directive in enumerate(directives):
            if finding.rule in resolved[index][0] and directive.covers(finding.line):
                used.add((index, finding.rule))
                suppressed.append(Suppressed(finding, directive))
                break
        else:
            kept.append(finding)
    return kept, suppressed


def _problem(index, directive, ids, unknown, used, active, catalogue) -> str | None:
    if directive.problem:
        return directive.problem
    parts = [f"{name!r} is not a rule{did_you_mean(name, catalogue, packs=False)}" for name in unknown]
    idle = [i for i in ids if i in active and i != UNUSED_SUPPRESSION and (index, i) not in used]
    if idle:
        where = "in this document" if directive.action == "disable" else _scope_words(directive)
        parts.append(f"{', '.join(idle)} found nothing {where}")
    return "; ".join(parts) or None


def _scope_words(directive: Directive) -> str:
    if directive.scope is None:
        return "(no block follows the comment)"
    return f"in the block at line {directive.scope[0]}"


def _report(rule: Rule, directive: Directive, problem: str) -> Finding:
    from noticecheck.engine import make_finding

    return make_finding(rule, rule.severity, directive.line, directive.text, kind="fault", section=None, problem=problem)


__all__ = [
    "DIRECTIVE_MEDIA_TYPES", "Directive", "META_PACK", "META_RULES", "META_RULE_IDS", "Suppressed",
    "SuppressionResult", "UNUSED_SUPPRESSION", "UNUSED_SUPPRESSION_RULE", "apply_suppressions",
    "parse_directives", "raw_text", "without_directives",
]  # fmt: skip
