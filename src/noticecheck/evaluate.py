"""Measure accuracy against a labelled set: precision, recall and F1 per section and per rule, audience accuracy.

Two label formats are read, one line of `labels.jsonl` per notice:

- ours (`corpus/labels.jsonl`, schema `corpus/labels.schema.json`): every
  section, every rule id a correct checker reports, the audience in our own
  vocabulary and the context a GIAS row would give;
- real notices (`shared/realnotices`, schema `schemas/reallabels.schema.json`):
  `notices/ID.txt`, the seven core sections and flags from which nine gap
  findings are derived (`FLAG_FINDINGS`), and an audience in that set's own
  vocabulary, mapped onto ours by `REAL_AUDIENCES`. A null label is not judged.

A finding counts at any severity: the labels say whether a rule should fire,
not how loudly. The checker and the keyword baseline (keyword_baseline.py)
are scored by the same code.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from noticecheck.keyword_baseline import KNOWN_RULES as KEYWORD_RULES

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
    kind: str  # "section", "rule" or "audience"
    name: str
    expected: bool | str | None
    evidence: str = ""


@dataclass
class Evaluation:
    sections: dict[str, Tally] = field(default_factory=dict)
    rules: dict[str, Tally] = field(default_factory=dict)
    mismatches: list[Mismatch] = field(default_factory=list)
    documents: int = 0
    unreadable: list[str] = field(default_factory=list)
    audience: Counter = field(default_factory=Counter)  # (label as written, detected) -> notices
    audience_right: int = 0

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

    @property
    def audience_judged(self) -> int:
        return sum(self.audience.values())

    @property
    def audience_accuracy(self) -> float:
        return self.audience_right / self.audience_judged if self.audience_judged else 1.0

    def as_dict(self) -> dict:
        return {
            "documents": self.documents,
            "unreadable": self.unreadable,
            "sections_core": self.sections_core.as_dict(),
            "sections_all": self.sections_all.as_dict(),
            "findings": self.findings.as_dict(),
            "audience": {
                "accuracy": round(self.audience_accuracy, 4), "right": self.audience_right, "judged": self.audience_judged,
                "confusion": [{"label": label, "detected": got, "notices": n} for (label, got), n in sorted(self.audience.items(), key=str)],
            },
            "per_section": {k: v.as_dict() for k, v in sorted(self.sections.items())},
            "per_rule": {k: v.as_dict() for k, v in sorted(self.rules.items())},
            "mismatches": [m.__dict__ for m in self.mismatches],
        }


# ---------------------------------------------------------------- the real-notice label format


def _negated(value: bool | None) -> bool | None:
    return None if value is None else not value


def _state_school(label: dict) -> bool:
    # independent schools have no DPO duty (Art 37(1)(a)) and send no pupil-level census to the NPD
    return label.get("school_type") != "independent"


def _english_pupil_data(label: dict) -> bool:
    return label.get("audience") in ("pupils", "mixed") and label.get("jurisdiction", "england") == "england"


def _eu_gdpr(flags: dict) -> bool | None:
    if flags.get("gdpr_any") is None or flags.get("uk_gdpr") is None:
        return None
    return bool(flags["gdpr_any"] and not flags["uk_gdpr"])


def _special_condition_missing(flags: dict) -> bool | None:
    # judged only where special category data is described; elsewhere the finding must not appear
    if flags.get("special_category_data_described") is False:
        return False
    return _negated(flags.get("special_category_condition"))


# rule id -> whether a correct checker reports it on this notice (None: not judged here)
FLAG_FINDINGS: dict[str, Callable[[dict], bool | None]] = {
    "outdated-dpa-1998": lambda label: label["flags"].get("dpa_1998"),
    "outdated-eu-gdpr": lambda label: _eu_gdpr(label["flags"]),
    "retention-period-missing": lambda label: _negated(label["flags"].get("retention_period_stated")),
    "ico-complaint-missing": lambda label: _negated(label["flags"].get("ico_complaint")),
    "dpo-missing": lambda label: _negated(label["flags"].get("dpo_named_or_contact")) if _state_school(label) else None,
    "controller-missing": lambda label: _negated(label["flags"].get("controller_identified")),
    "npd-missing": lambda label: (
        _negated(label["flags"].get("npd")) if _english_pupil_data(label) and _state_school(label) else None
    ),
    "special-category-condition-missing": lambda label: _special_condition_missing(label["flags"]),
    "placeholder-text": lambda label: label["flags"].get("placeholder_text"),
}
# In this format a broader finding answers a narrower one: no retention section at all means no
# period either. (Our own labels list exactly the ids that should fire, so there it does not apply.)
ANSWERED_BY = {"retention-period-missing": ("retention-missing",)}

# The real set's audience labels say whose data a notice covers; ours (audience.py) say whom it is
# told to among pupil-data notices and split the rest finer. The detected values accepted for each:
REAL_AUDIENCES: dict[str | None, tuple[str | None, ...]] = {
    "pupils": ("pupils", "parents"),  # pupil data, told to pupils or to their parents
    "mixed": ("pupils", "parents"),  # pupils and families (or staff too): still a pupil-data notice
    "parents": ("parents",),  # parents' own data: never "pupils"
    "workforce": ("workforce",),
    "other": ("governors", "workforce", "other"),  # governors/volunteers; job applicants (our workforce); visitors, alumni
    None: (None,),  # the text never says
}


# ---------------------------------------------------------------- cases: one labelled notice, either format


@dataclass(frozen=True)
class Case:
    file: str  # relative to the set's folder
    sections: dict[str, bool]  # judged sections only
    rules: dict[str, bool]  # judged rules; with judge_unlisted, every other rule the checker knows must not fire
    judge_unlisted: bool
    audience: str | None  # as the label writes it
    audience_accepts: tuple[str | None, ...]
    context: dict
    answered_by: dict[str, tuple[str, ...]] = field(default_factory=dict)  # rule -> broader rules that count for it


def is_real_format(label: dict) -> bool:
    return "id" in label and "flags" in label


def case_from_label(label: dict) -> Case:
    if is_real_format(label):
        judged = {rule: want(label) for rule, want in FLAG_FINDINGS.items()}
        return Case(
            file=f"notices/{label['id']}.txt",
            sections={name: v for name, v in label["sections"].items() if v is not None},
            rules={rule: v for rule, v in judged.items() if v is not None},
            judge_unlisted=False,
            audience=label.get("audience"),
            audience_accepts=REAL_AUDIENCES[label.get("audience")],
            context={},  # as a new user would run it: everything detected
            answered_by=ANSWERED_BY,
        )
    return Case(
        file=label["file"],
        sections=dict(label["sections"]),
        rules={rule: True for rule in label["findings"]},
        judge_unlisted=True,
        audience=label["audience"],
        audience_accepts=(label["audience"],),
        context=label.get("context", {}),
    )


def read_labels(path: Path) -> list[dict]:
    """The lines of a labels file, each validated against its format's schema."""
    import jsonschema

    schema_path = path.parent / "labels.schema.json"
    validators = {}
    if schema_path.exists():
        validators[False] = jsonschema.Draft202012Validator(json.loads(schema_path.read_text(encoding="utf-8")))
    real_schema = Path(__file__).parent / "schemas" / "reallabels.schema.json"
    validators[True] = jsonschema.Draft202012Validator(json.loads(real_schema.read_text(encoding="utf-8")))
    labels = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            raise LabelError(f"{path}:{n}: not JSON: {exc}") from None
        if not isinstance(item, dict):
            raise LabelError(f"{path}:{n}: not a JSON object")
        validator = validators.get(is_real_format(item))
        if validator is not None:
            errors = list(validator.iter_errors(item))
            if errors:
                raise LabelError(f"{path}:{n}: {errors[0].message}")
        elif "file" not in item:
            raise LabelError(f"{path}:{n}: neither our label format (file, sections, findings) nor the real-notice one (id, sections, flags)")
        labels.append(item)
    return labels


def options_for(context: dict):
    from noticecheck.api import CheckOptions

    ages = tuple(int(x) for x in context["age_range"].split("-")) if context.get("age_range") else None
    return CheckOptions(
        age_range=ages,
        phase=context.get("phase"),
        school_type=context.get("school_type"),
        jurisdiction=context.get("jurisdiction"),
        as_of=date.fromisoformat(context["as_of"]) if context.get("as_of") else None,
    )


# ---------------------------------------------------------------- checkers: the engine, and the baseline


@dataclass
class Outcome:
    """What a checker says about one notice, in the terms the labels use."""

    sections: dict[str, bool]
    rules: dict[str, str]  # rule id -> where it fired, for the mismatch list
    audience: str | None
    evidence: dict[str, str] = field(default_factory=dict)  # section -> the quote that made it present


class EngineChecker:
    """noticecheck itself, through the same front door as `check`."""

    def __init__(self, rulebook, today: date):
        self.rulebook = rulebook
        self.today = today  # for labels that give no as_of
        self.known_rules = frozenset(r.id for r in self.rulebook.rules)

    def run(self, path: Path, options) -> Outcome | str:
        from noticecheck.api import check_document
        from noticecheck.sources import read_document

        doc = read_document(str(path), max_bytes=options.max_bytes)
        result = check_document(doc, self.rulebook, options, today=self.today)
        if result.status != "checked":
            return result.error or result.status
        fired: dict[str, str] = {}
        for f in result.findings:
            fired.setdefault(f.rule, f"line {f.line}: {f.quote}")
        return Outcome(
            sections={name: s.present for name, s in result.sections.items()},
            rules=fired,
            audience=result.context.audience if result.context else None,
            evidence={name: s.evidence[0].quote for name, s in result.sections.items() if s.evidence},
        )


class KeywordChecker:
    """The word-spotting yardstick (keyword_baseline.py); it knows only its own few rules."""

    known_rules = KEYWORD_RULES
    partial = True  # it looks for these few rules only; a label's other rules are not held against it

    def run(self, path: Path, options) -> Outcome | str:
        from noticecheck.keyword_baseline import keyword_check
        from noticecheck.load import to_text
        from noticecheck.model import UnreadableInput
        from noticecheck.sources import read_document

        try:
            text = to_text(read_document(str(path), max_bytes=options.max_bytes), max_bytes=options.max_bytes)
        except UnreadableInput as exc:
            return str(exc)
        sections, rules, audience = keyword_check(text)
        return Outcome(sections=sections, rules={r: "" for r in rules}, audience=audience)


def score(corpus_dir: Path, labels: Sequence[dict], checker) -> Evaluation:
    """Run `checker` over every labelled notice and compare with its labels."""
    ev = Evaluation()
    for label in labels:
        case = case_from_label(label)
        ev.documents += 1
        got = checker.run(corpus_dir / case.file, options_for(case.context))
        if isinstance(got, str):
            ev.unreadable.append(f"{case.file}: {got}")
            continue
        for name, expected in case.sections.items():
            if name not in got.sections:
                continue  # a checker that does not look for this section is not judged on it
            predicted = got.sections[name]
            ev.sections.setdefault(name, Tally()).add(predicted, expected)
            if predicted != expected:
                ev.mismatches.append(Mismatch(case.file, "section", name, expected, got.evidence.get(name, "")))
        judged = dict(case.rules)
        if case.judge_unlisted:
            judged.update({rule: False for rule in checker.known_rules if rule not in judged})
        if getattr(checker, "partial", False):
            judged = {rule: v for rule, v in judged.items() if rule in checker.known_rules}
        for rule_id in sorted(judged):
            expected = judged[rule_id]
            answering = [r for r in (rule_id, *case.answered_by.get(rule_id, ())) if r in got.rules]
            predicted = bool(answering)
            ev.rules.setdefault(rule_id, Tally()).add(predicted, expected)
            if predicted != expected:
                ev.mismatches.append(Mismatch(case.file, "rule", rule_id, expected, got.rules[answering[0]] if predicted else ""))
        ev.audience[(case.audience, got.audience)] += 1
        if got.audience in case.audience_accepts:
            ev.audience_right += 1
        else:
            ev.mismatches.append(Mismatch(case.file, "audience", "audience", case.audience, f"detected {got.audience}"))
    return ev


def evaluate(corpus_dir: Path, labels: Sequence[dict], rulebook, today: date) -> Evaluation:
    """Check every labelled notice with `rulebook` and compare with its labels (`today` for labels without a date)."""
    return score(corpus_dir, labels, EngineChecker(rulebook, today))


def evaluate_naive(corpus_dir: Path, labels: Sequence[dict]) -> Evaluation:
    """Score the keyword baseline the same way, for comparison."""
    return score(corpus_dir, labels, KeywordChecker())


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
    if ev.rules:
        lines.append(f"\nRules{'':<32}   prec    rec     F1")
        for name, t in sorted(ev.rules.items()):
            if t.tp + t.fp + t.fn:
                lines.append(row(name, t))
        lines.append(row("== all findings (micro)", ev.findings))
    lines.append(f"\nAudience: {ev.audience_right}/{ev.audience_judged} right ({ev.audience_accuracy:.3f})")
    for (label, got), n in sorted(ev.audience.items(), key=str):
        lines.append(f"  labelled {label or 'not stated'}: detected {got or 'unknown'} x{n}")
    for item in ev.unreadable:
        lines.append(f"unreadable: {item}")
    if details and ev.mismatches:
        lines.append("\nMismatches (expected -> got):")
        for m in ev.mismatches:
            if m.kind == "audience":
                lines.append(f"  {m.file}: audience labelled {m.expected}, {m.evidence}")
                continue
            got = "absent" if m.expected else "present/fired"
            want = "present/fired" if m.expected else "absent"
            lines.append(f"  {m.file}: {m.kind} {m.name}: expected {want}, got {got}  {m.evidence[:100]}")
    return "\n".join(lines) + "\n"
