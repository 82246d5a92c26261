"""Measure accuracy against a labelled corpus: precision, recall and F1 per section and per rule.

Labels (`corpus/labels.jsonl`, schema `corpus/labels.schema.json`) say what a
careful human reviewer concludes about each notice; this module compares the
checker's output with them. A finding counts at any severity: the labels say
whether a rule should fire, not how loudly.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

CORE_SECTIONS = ("purposes", "categories", "recipients", "retention", "rights", "contacts", "lawful_basis")


class LabelError(Exception):
    pass


@dataclass
class Tally:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, predicted: bool, expected: bool) -> None:
        if predicted and expected:
            self.tp += 1
        elif predicted:
            self.fp += 1
        elif expected:
            self.fn += 1

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def merged(self, other: Tally) -> Tally:
        return Tally(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)

    def as_dict(self) -> dict:
        return {"tp": self.tp, "fp": self.fp, "fn": self.fn, "precision": round(self.precision, 4),
                "recall": round(self.recall, 4), "f1": round(self.f1, 4)}


@dataclass
class Mismatch:
    file: str
    kind: str  # "section" or "rule"
    name: str
    expected: bool
    evidence: str = ""


@dataclass
class Evaluation:
    sections: dict[str, Tally] = field(default_factory=dict)
    rules: dict[str, Tally] = field(default_factory=dict)
    mismatches: list[Mismatch] = field(default_factory=list)
    documents: int = 0
    unreadable: list[str] = field(default_factory=list)

    def total(self, tallies: Iterable[Tally]) -> Tally:
        out = Tally()
        for t in tallies:
            out = out.merged(t)
        return out

    @property
    def sections_all(self) -> Tally:
        return self.total(self.sections.values())

    @property
    def sections_core(self) -> Tally:
        return self.total(t for name, t in self.sections.items() if name in CORE_SECTIONS)

    @property
    def findings(self) -> Tally:
        return self.total(self.rules.values())

    def as_dict(self) -> dict:
        return {
            "documents": self.documents,
            "unreadable": self.unreadable,
            "sections_core": self.sections_core.as_dict(),
            "sections_all": self.sections_all.as_dict(),
            "findings": self.findings.as_dict(),
            "per_section": {k: v.as_dict() for k, v in sorted(self.sections.items())},
            "per_rule": {k: v.as_dict() for k, v in sorted(self.rules.items())},
            "mismatches": [m.__dict__ for m in self.mismatches],
        }


def read_labels(path: Path) -> list[dict]:
    import jsonschema

    schema_path = path.parent / "labels.schema.json"
    validator = None
    if schema_path.exists():
        validator = jsonschema.Draft202012Validator(json.loads(schema_path.read_text(encoding="utf-8")))
    labels = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            raise LabelError(f"{path}:{n}: not JSON: {exc}") from None
        if validator is not None:
            errors = list(validator.iter_errors(item))
            if errors:
                raise LabelError(f"{path}:{n}: {errors[0].message}")
        labels.append(item)
    return labels


def options_for(label: dict):
    from noticecheck.api import CheckOptions

    ctx = label.get("context", {})
    ages = tuple(int(x) for x in ctx["age_range"].split("-")) if ctx.get("age_range") else None
    return CheckOptions(
        age_range=ages,
        phase=ctx.get("phase"),
        school_type=ctx.get("school_type"),
        jurisdiction=ctx.get("jurisdiction"),
        as_of=date.fromisoformat(ctx["as_of"]),
    )


# A naive keyword checker, the yardstick the sections are compared with: a section
# is "present" when one of its obvious words appears anywhere in the text.
NAIVE_KEYWORDS = {
    "purposes": ("purpose", "why we collect", "why do we collect", "we use"),
    "categories": ("categor", "types of information", "information we collect"),
    "recipients": ("share", "sharing", "recipient"),
    "retention": ("retain", "retention", "how long", "keep"),
    "rights": ("right",),
    "contacts": ("contact",),
    "lawful_basis": ("lawful basis", "legal basis", "article 6"),
}


def evaluate_naive(corpus_dir: Path, labels: Sequence[dict]) -> Evaluation:
    """Score the naive keyword checker on the core sections, for comparison."""
    from noticecheck.load import to_text
    from noticecheck.sources import read_document

    ev = Evaluation()
    for label in labels:
        doc = read_document(str(corpus_dir / label["file"]), max_bytes=50 * 1024 * 1024)
        text = " ".join(b.text for b in to_text(doc).blocks).lower()
        ev.documents += 1
        for name, words in NAIVE_KEYWORDS.items():
            ev.sections.setdefault(name, Tally()).add(any(w in text for w in words), label["sections"][name])
    return ev


def evaluate(corpus_dir: Path, labels: Sequence[dict], rulebook=None) -> Evaluation:
    """Check every labelled notice and compare with its labels."""
    from noticecheck.api import check_document
    from noticecheck.rulebook import default_rulebook
    from noticecheck.sources import read_document

    rulebook = rulebook or default_rulebook()
    known_rules = {r.id for r in rulebook.rules}
    ev = Evaluation()
    for label in labels:
        path = corpus_dir / label["file"]
        options = options_for(label)
        doc = read_document(str(path), max_bytes=options.max_bytes)
        result = check_document(doc, rulebook, options)
        ev.documents += 1
        if result.status != "checked":
            ev.unreadable.append(f"{label['file']}: {result.error}")
            continue
        for name, expected in label["sections"].items():
            section = result.sections.get(name)
            predicted = bool(section and section.present)
            ev.sections.setdefault(name, Tally()).add(predicted, expected)
            if predicted != expected:
                quote = section.evidence[0].quote if section and section.evidence else ""
                ev.mismatches.append(Mismatch(label["file"], "section", name, expected, quote))
        fired = {f.rule: f for f in result.findings}
        expected_rules = set(label["findings"])
        for rule_id in sorted(known_rules | expected_rules):
            predicted, expected = rule_id in fired, rule_id in expected_rules
            ev.rules.setdefault(rule_id, Tally()).add(predicted, expected)
            if predicted != expected:
                quote = f"line {fired[rule_id].line}: {fired[rule_id].quote}" if predicted else ""
                ev.mismatches.append(Mismatch(label["file"], "rule", rule_id, expected, quote))
    return ev


def format_table(ev: Evaluation, *, details: bool = False) -> str:
    lines = []

    def row(name: str, t: Tally) -> str:
        return f"  {name:<36} {t.precision:6.3f} {t.recall:6.3f} {t.f1:6.3f}   tp={t.tp:<3} fp={t.fp:<3} fn={t.fn:<3}"

    lines.append(f"Documents: {ev.documents} ({len(ev.unreadable)} unreadable)")
    lines.append(f"\nSections{'':<29}   prec    rec     F1")
    for name, t in sorted(ev.sections.items()):
        lines.append(row(name, t))
    lines.append(row("== core seven (micro)", ev.sections_core))
    lines.append(row("== all sections (micro)", ev.sections_all))
    if ev.rules:  # the naive yardstick scores sections only
        lines.append(f"\nRules{'':<32}   prec    rec     F1")
        for name, t in sorted(ev.rules.items()):
            if t.tp + t.fp + t.fn:
                lines.append(row(name, t))
        lines.append(row("== all findings (micro)", ev.findings))
    for item in ev.unreadable:
        lines.append(f"unreadable: {item}")
    if details and ev.mismatches:
        lines.append("\nMismatches (expected -> got):")
        for m in ev.mismatches:
            got = "absent" if m.expected else "present/fired"
            want = "present/fired" if m.expected else "absent"
            lines.append(f"  {m.file}: {m.kind} {m.name}: expected {want}, got {got}  {m.evidence[:100]}")
    return "\n".join(lines) + "\n"
