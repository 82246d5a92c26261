"""Load, validate and select the rule packs and section cues kept as data in `rules/`.

A rule pack is a YAML file validated against `rules/schema.json`; the section
cues (`rules/sections.yaml`) against `rules/sections.schema.json`. A broken
file is a `RuleFileError` naming the file, the rule and the path of the fault,
so a DPO editing an LA pack can find their typo without reading Python.

Regular expressions in the data are compiled here, once, with IGNORECASE:
the engine only ever sees compiled patterns.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any, Iterable, Mapping

from noticecheck.matching import AnchorIndex, BadPattern, Matcher, compile_matcher
from noticecheck.model import Severity
from noticecheck.phrases import BadPhrase, phrase_patterns

SECTIONS_FILE = "sections.yaml"
COMPLETENESS_FILE = "completeness.yaml"
PACK_SCHEMA = "schema.json"
SECTIONS_SCHEMA = "sections.schema.json"
COMPLETENESS_SCHEMA = "completeness.schema.json"
# Packs the CI gate runs after the engine (rules/gate/): their check kinds judge
# the gate's suppression comments, not the notice, so the engine never loads them.
GATE_DIR = "gate"
GATE_KINDS = frozenset({"suppression-comments"})


class RuleFileError(Exception):
    """A rule or cue file is malformed; the message names file, rule and path."""


def rules_dir() -> Path:
    """Where the built-in rules live: inside the installed package, or the repo's top-level `rules/`."""
    packaged = Path(__file__).parent / "_rules"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "rules"


# ---------------------------------------------------------------- data types


def _overridden(rule: Rule, severity: Severity) -> Rule:
    """The rule at a user's severity, for every finding it makes: a severity the user
    sets also replaces the rule's own `missing_severity` for the case where what it
    looks for is absent (review-date-stale with no date at all)."""
    check = {key: value for key, value in rule.check.items() if key != "missing_severity"}
    # ...and the severities its variants set by context. Every variant stays, in place:
    # the engine finds a variant's compiled patterns by its position, and a variant that
    # now changes nothing still stops a later one from applying, as it did before.
    variants = tuple({k: v for k, v in var.items() if k != "severity"} for var in rule.variants)
    return replace(rule, severity=severity, check=check, variants=variants)


@dataclass(frozen=True)
class Rule:
    id: str
    pack: str
    title: str
    severity: Severity
    source_title: str
    source_url: str
    applies_from: date
    check: Mapping[str, Any]
    message: str
    fix: str
    examples: Mapping[str, list]
    aliases: tuple[str, ...] = ()
    applies_until: date | None = None
    applies_to: Mapping[str, Any] = field(default_factory=dict)
    # context- or content-dependent severity/message/fix; the engine picks the first whose `when` holds
    variants: tuple[Mapping[str, Any], ...] = ()
    file: str = ""
    notes: str = ""  # the law behind the rule and what is uncertain, for the docs
    # compiled forms of the check's regex lists, keyed like the check ("patterns", "unless_sentence", ...)
    compiled: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)


@dataclass(frozen=True)
class SectionCue:
    """How to recognise one checklist section: by its heading or by what its sentences say."""

    name: str
    title: str
    label: str
    core: bool
    headings: Matcher | None
    strong: Matcher | None  # one matching sentence is enough
    weak: Matcher | None  # alternatives are named groups; two different ones are needed
    weak_needed: int
    weak_min_sentences: int
    skip_negated: bool
    exclude: Matcher | None  # a sentence matching this never counts as evidence
    under_heading: Matcher | None = None  # a heading counts only with one of these under it (default: weak)
    strong_in_headings: bool = False  # strong cues may match in heading-like lines too
    titles: Matcher | None = None  # counts even in a heading-like line: the named document is the content
    allow: frozenset[str] = frozenset()  # `not_content` kinds that may still be evidence for this section


@dataclass(frozen=True)
class Cues:
    sections: tuple[SectionCue, ...]
    negation: Matcher
    # kinds of sentence that are never content ("meta", "pointer", "placeholder", ...) -> their patterns
    not_content: Mapping[str, Matcher] = field(default_factory=dict)
    placeholders: Matcher | None = None  # unfilled template text, blanked before the cues run
    index: AnchorIndex | None = field(default=None, compare=False, repr=False)  # finds every pattern's anchors at once

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(s.name for s in self.sections)

    @property
    def core(self) -> tuple[str, ...]:
        return tuple(s.name for s in self.sections if s.core)


@dataclass(frozen=True)
class Rulebook:
    rules: tuple[Rule, ...]
    cues: Cues
    packs: Mapping[str, str] = field(default_factory=dict)  # pack name -> description
    completeness: Any = None  # completeness.CompletenessCues: when the text looks cut short

    def get(self, rule_id: str) -> Rule | None:
        """Look a rule up by id or alias."""
        for rule in self.rules:
            if rule.id == rule_id or rule_id in rule.aliases:
                return rule
        return None

    def resolve_ids(self, names: Iterable[str], *, where: str = "") -> set[str]:
        """Turn rule ids, aliases or pack names into canonical rule ids; unknown names are an error."""
        out: set[str] = set()
        for name in names:
            if name in ("all", "ALL"):
                out.update(r.id for r in self.rules)
            elif name in self.packs:
                out.update(r.id for r in self.rules if r.pack == name)
            elif (rule := self.get(name)) is not None:
                out.add(rule.id)
            else:
                suffix = f" in {where}" if where else ""
                raise ValueError(f"unknown rule or pack {name!r}{suffix}")
        return out

    def selected(
        self,
        select: Iterable[str] | None = None,
        ignore: Iterable[str] = (),
        extend_select: Iterable[str] = (),
    ) -> Rulebook:
        """A rulebook holding only the chosen rules (ruff-style select / extend-select / ignore)."""
        chosen = self.resolve_ids(select) if select is not None else {r.id for r in self.rules}
        chosen |= self.resolve_ids(extend_select)
        chosen -= self.resolve_ids(ignore)
        return replace(self, rules=tuple(r for r in self.rules if r.id in chosen))

    def with_severities(self, overrides: Mapping[str, str]) -> Rulebook:
        """Override severities per rule id (or alias, or pack)."""
        if not overrides:
            return self
        new = {}
        for name, sev in overrides.items():
            for rule_id in self.resolve_ids([name]):
                new[rule_id] = Severity.parse(sev)
        return replace(self, rules=tuple(_overridden(r, new[r.id]) if r.id in new else r for r in self.rules))

    def extended(self, other_rules: Iterable[Rule]) -> Rulebook:
        """Add rules (e.g. an LA's own pack); ids must not clash."""
        rules = list(self.rules)
        packs = dict(self.packs)
        known = {r.id for r in rules} | {a for r in rules for a in r.aliases}
        sections = set(self.cues.names)
        for rule in other_rules:
            if rule.id in known:
                raise RuleFileError(f"{rule.file}: rule {rule.id!r} clashes with an existing rule id or alias")
            unknown = sorted(set(section_references(rule.check)) - sections)
            if unknown:
                raise RuleFileError(
                    f"{rule.file}: rule {rule.id!r} names section {unknown[0]!r}, which rules/sections.yaml does not define"
                    f"{closest(unknown[0], sorted(sections))}"
                )
            known.add(rule.id)
            rules.append(rule)
            packs.setdefault(rule.pack, "")
        return replace(self, rules=tuple(rules), packs=packs)


def section_references(check: Mapping[str, Any]):
    """Every section name a rule's check refers to (`section`, `sections`, `anchor`, `within`, in conditions too)."""
    for key, value in check.items():
        if key in ("section", "anchor", "within") and isinstance(value, str):
            yield value
        elif key == "sections" and isinstance(value, list):
            yield from value
        elif isinstance(value, Mapping):
            yield from section_references(value)


def closest(name: str, names: Iterable[str]) -> str:
    """" (did you mean 'x'?)" for the closest of `names`, or ""."""
    import difflib  # only on a mistake: not worth its import time on every start

    close = difflib.get_close_matches(name, list(names), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


# ---------------------------------------------------------------- loading


def _yaml_load(path: Path) -> Any:
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: same result, much faster
    try:
        with path.open("r", encoding="utf-8") as fh:
            return yaml.load(fh, Loader=loader)  # noqa: S506 - a SafeLoader
    except yaml.YAMLError as exc:
        raise RuleFileError(f"{path}: not valid YAML: {exc}") from None
    except OSError as exc:
        raise RuleFileError(f"{path}: cannot read: {exc.strerror}") from None


@functools.lru_cache(maxsize=4)
def _validator(schema_path: str):
    import json

    import jsonschema

    schema = json.loads(Path(schema_path).read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


def _validate(data: Any, schema_path: Path, file: Path) -> None:
    from jsonschema.exceptions import best_match

    errors = list(_validator(str(schema_path)).iter_errors(data))
    if not errors:
        return
    # best_match descends into oneOf/anyOf to the most specific fault
    err = best_match(errors)
    path = list(err.absolute_path)
    rule_note = ""
    if len(path) >= 2 and path[0] == "rules" and isinstance(data, dict):
        try:
            rule_note = f" (rule {data['rules'][path[1]].get('id', '#' + str(path[1]))!r})"
        except (IndexError, AttributeError, TypeError):
            pass
    where = "/".join(str(p) for p in path) or "(top level)"
    more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
    raise RuleFileError(f"{file}{rule_note}: at {where}: {err.message}{more}")


def flat_patterns(patterns) -> list[str]:
    """A pack's pattern list with any shared list in it (a YAML anchor such as *consent_named) flattened."""
    return [p for item in patterns for p in (item if isinstance(item, list) else [item])]


def _compile(patterns: list[str] | None, file: Path, owner: str, key: str, flags: int = re.IGNORECASE) -> Matcher | None:
    """One alternation of all patterns. MULTILINE: the text is one sentence per line, so ^ and $
    mean the start and end of a sentence (a list item that begins "ask to see...")."""
    if not patterns:
        return None
    patterns = flat_patterns(patterns)
    try:
        return compile_matcher(patterns, flags | re.MULTILINE)
    except BadPattern as exc:
        bad = patterns[exc.index]
        raise RuleFileError(f"{file} ({owner}): at {key}/{exc.index}: bad regular expression {bad!r}: {exc}") from None


def _compile_named(patterns: list[str] | None, file: Path, owner: str, key: str) -> Matcher | None:
    """Compile alternatives as named groups so a match says which alternative fired."""
    if not patterns:
        return None
    try:
        matcher = compile_matcher(patterns, re.IGNORECASE | re.MULTILINE, named=True)
    except BadPattern as exc:
        bad = patterns[exc.index]
        raise RuleFileError(f"{file} ({owner}): at {key}/{exc.index}: bad regular expression {bad!r}: {exc}") from None
    for i, part in enumerate(matcher.parts):
        if len(part.regex.groupindex) > 1:  # its own c{i} wrapper plus a name of the pattern's own
            raise RuleFileError(f"{file} ({owner}): at {key}/{i}: named groups are not allowed in cues")
    return matcher


_REGEX_KEYS = ("patterns", "unless_sentence", "if_sentence", "cues")


def normalise_check(check: Mapping[str, Any]) -> dict[str, Any]:
    """A check in its one current form: older spellings a pack may still use, read as what they mean.

    * `section-missing` (one section absent) is `absent` with that section, pointing at it;
    * a pattern check's `unless_document` / `when_document` are its `unless` / `when`
      conditions, searched in any sentence (they judge what the notice is about,
      so a sentence about the notice itself counts too).
    """
    check = dict(check)
    if check["kind"] == "section-missing":
        section = check.pop("section")
        check.update(kind="absent", sections=[section], anchor=section)
    for old, new in (("unless_document", "unless"), ("when_document", "when")):
        if old in check:
            if new in check:
                raise ValueError(f"`{old}` and `{new}` say the same thing: give only `{new}`")
            check[new] = {"patterns": check.pop(old), "any_sentence": True}
    return check


def _with_phrases(spec: Mapping[str, Any], file: Path, owner: str, key: str) -> list | None:
    """A mapping's `patterns` followed by its plain-word `phrases` as patterns (see phrases.py)."""
    patterns = list(spec.get("patterns") or ())
    try:
        patterns += phrase_patterns(spec.get("phrases") or [])
    except BadPhrase as exc:
        raise RuleFileError(f"{file} ({owner}): at {key}/phrases: {exc}") from None
    return patterns or None


def _compile_check(check: Mapping[str, Any], file: Path, rule_id: str) -> dict[str, Any]:
    compiled: dict[str, Any] = {}
    owner = f"rule {rule_id!r}"
    flags = 0 if check.get("case_sensitive") else re.IGNORECASE
    for key in _REGEX_KEYS:
        listed = _with_phrases(check, file, owner, "check") if key == "patterns" else check.get(key)
        if listed:
            compiled[key] = _compile(listed, file, owner, f"check/{key}", flags)
    for cond in ("when", "unless"):
        if cond in check:
            listed = _with_phrases(check[cond], file, owner, f"check/{cond}")
            if listed:
                compiled[cond] = _compile(listed, file, owner, f"check/{cond}/patterns")
    if "dated_patterns" in check:
        compiled["dated"] = [
            (date.fromisoformat(item["from"]), _compile([item["pattern"]], file, owner, f"check/dated_patterns/{i}", flags))
            for i, item in enumerate(check["dated_patterns"])
        ]
    if "moved" in check:
        compiled["moved"] = [
            (item["replacement"], _compile([item["pattern"]], file, f"rule {rule_id!r}", f"check/moved/{i}"))
            for i, item in enumerate(check["moved"])
        ]
    if check["kind"] == "missing-items":
        compiled["items"], compiled["items_when"] = {}, {}
        for name, spec in check["items"].items():
            pats = _with_phrases(spec, file, owner, f"check/items/{name}") if isinstance(spec, dict) else spec
            compiled["items"][name] = _compile(pats, file, owner, f"check/items/{name}")
            when = spec.get("when") if isinstance(spec, dict) else None
            listed = _with_phrases(when, file, owner, f"check/items/{name}/when") if when else None
            if listed:
                compiled["items_when"][name] = _compile(listed, file, owner, f"check/items/{name}/when/patterns")
    return compiled


def _compile_variants(variants: list[Mapping[str, Any]], file: Path, rule_id: str) -> dict[int, Matcher]:
    """The `when` patterns (and phrases) of each variant, keyed by the variant's index."""
    owner = f"rule {rule_id!r}"
    compiled = {}
    for i, v in enumerate(variants):
        listed = _with_phrases(v["when"], file, owner, f"variants/{i}/when")
        if listed:
            compiled[i] = _compile(listed, file, owner, f"variants/{i}/when/patterns")
    return compiled


def load_pack(path: Path, schema_dir: Path | None = None, *, gate: bool = False) -> tuple[str, str, list[Rule]]:
    """Read one pack file; returns (pack name, description, rules).

    `gate`: the pack is one of rules/gate/, whose rules only the CI gate runs;
    any other pack using one of their check kinds is refused."""
    schema_dir = schema_dir or rules_dir()
    data = _yaml_load(path)
    _validate(data, schema_dir / PACK_SCHEMA, path)
    rules = []
    seen: set[str] = set()
    for raw in data["rules"]:
        rid = raw["id"]
        if rid in seen:
            raise RuleFileError(f"{path}: rule id {rid!r} appears twice")
        try:
            check = normalise_check(raw["check"])
        except ValueError as exc:
            raise RuleFileError(f"{path} (rule {rid!r}): {exc}") from None
        if (check["kind"] in GATE_KINDS) != gate:
            where = "only in a pack of rules/gate/" if not gate else "not in rules/gate/ (the engine runs it)"
            raise RuleFileError(f"{path} (rule {rid!r}): check kind {check['kind']!r} belongs {where}")
        seen.add(rid)
        rules.append(
            Rule(
                id=rid,
                pack=data["pack"],
                title=raw["title"],
                severity=Severity.parse(raw["severity"]),
                source_title=raw["source"]["title"],
                source_url=raw["source"]["url"],
                applies_from=date.fromisoformat(raw["applies_from"]),
                applies_until=date.fromisoformat(raw["applies_until"]) if raw.get("applies_until") else None,
                applies_to=raw.get("applies_to", {}),
                check=check,
                message=raw["message"].strip(),
                fix=raw["fix"].strip(),
                notes=" ".join(raw.get("notes", "").split()),
                examples=raw["examples"],
                aliases=tuple(raw.get("aliases", ())),
                variants=tuple(raw.get("variants", ())),
                file=str(path),
                compiled={
                    **_compile_check(check, path, rid),
                    "variants": _compile_variants(raw.get("variants", []), path, rid),
                },
            )
        )
    return data["pack"], data["description"], rules


def load_cues(path: Path, schema_dir: Path | None = None) -> Cues:
    schema_dir = schema_dir or rules_dir()
    data = _yaml_load(path)
    _validate(data, schema_dir / SECTIONS_SCHEMA, path)
    sections = []
    for name, raw in data["sections"].items():
        owner = f"section {name!r}"
        sections.append(
            SectionCue(
                name=name,
                title=raw["title"],
                label=raw["label"],
                core=bool(raw.get("core", False)),
                headings=_compile(raw.get("headings"), path, owner, "headings"),
                strong=_compile(raw.get("strong"), path, owner, "strong"),
                weak=_compile_named(raw.get("weak"), path, owner, "weak"),
                weak_needed=int(raw.get("weak_needed", 2)),
                weak_min_sentences=int(raw.get("weak_min_sentences", 2)),
                skip_negated=bool(raw.get("skip_negated", False)),
                exclude=_compile(raw.get("exclude"), path, owner, "exclude"),
                titles=_compile(raw.get("titles"), path, owner, "titles"),
                under_heading=_compile(raw.get("under_heading") or raw.get("weak"), path, owner, "under_heading"),
                allow=frozenset(raw.get("allow", ())),
                strong_in_headings=bool(raw.get("strong_in_headings", False)),
            )
        )
    not_content = {
        kind: _compile(patterns, path, f"not_content {kind!r}", "patterns")
        for kind, patterns in data.get("not_content", {}).items()
    }
    for section in sections:
        unknown = section.allow - not_content.keys()
        if unknown:
            raise RuleFileError(f"{path}: section {section.name!r}: allow names unknown kinds {sorted(unknown)}")
    return Cues(
        sections=tuple(sections),
        negation=_compile(data["negation"], path, "negation", "negation"),
        not_content=not_content,
        placeholders=_compile(data.get("placeholders"), path, "placeholders", "placeholders"),
    )


def load_completeness(path: Path, schema_dir: Path | None = None):
    """rules/completeness.yaml, validated and compiled (completeness.CompletenessCues)."""
    from noticecheck.completeness import compile_cues

    data = _yaml_load(path)
    _validate(data, (schema_dir or rules_dir()) / COMPLETENESS_SCHEMA, path)
    try:
        return compile_cues(data)
    except re.error as exc:
        raise RuleFileError(f"{path}: bad regular expression: {exc}") from None


def load_gate_packs(directory: Path | None = None) -> list[tuple[str, str, list[Rule]]]:
    """The packs of `directory`/gate (default: the built-in rules), which the CI gate adds to its catalogue."""
    folder = (directory or rules_dir()) / GATE_DIR
    return [load_pack(path, directory or rules_dir(), gate=True) for path in sorted(folder.glob("*.yaml"))]


def cached_gate_packs(cache_directory: Path | None = None) -> list[tuple[str, str, list[Rule]]]:
    """The built-in gate packs from the disk cache when unchanged, like `cached_rulebook`
    (so a one-file `check` neither parses YAML nor imports jsonschema)."""
    from noticecheck import __version__
    from noticecheck.rulebook_cache import cached

    folder = rules_dir() / GATE_DIR
    inputs = [*sorted(folder.glob("*.yaml")), *rulebook_inputs()]
    return cached("gate-packs", inputs, __version__, load_gate_packs, cache_directory)


def load_rulebook(directory: Path | None = None, extra_dirs: Iterable[Path] = ()) -> Rulebook:
    """Load every pack in `directory` (default: the built-in rules) plus extra pack directories."""
    directory = directory or rules_dir()
    packs: dict[str, str] = {}
    rules: list[Rule] = []
    for path in sorted(directory.glob("*.yaml")):
        if path.name in (SECTIONS_FILE, COMPLETENESS_FILE):
            continue
        name, desc, pack_rules = load_pack(path)
        packs[name] = desc
        rules.extend(pack_rules)
    cues = load_cues(directory / SECTIONS_FILE)
    cues = replace(cues, index=AnchorIndex(_matchers(cues, rules)))
    completeness = load_completeness(directory / COMPLETENESS_FILE) if (directory / COMPLETENESS_FILE).exists() else None
    book = Rulebook(rules=(), cues=cues, packs=packs, completeness=completeness)
    book = book.extended(rules)
    for extra in extra_dirs:
        extra = Path(extra)
        if not extra.is_dir():
            raise RuleFileError(f"{extra}: extra rules directory does not exist")
        for path in sorted(extra.glob("*.yaml")):
            name, desc, pack_rules = load_pack(path)
            book = book.extended(pack_rules)
            book = replace(book, packs={**book.packs, name: desc})
    return book


def _matchers(cues: Cues, rules: Iterable[Rule]):
    """Every compiled pattern of the cues and rules, for the anchor index."""
    for cue in cues.sections:
        yield from (m for m in (cue.strong, cue.weak, cue.titles) if m is not None)
    yield from cues.not_content.values()
    for rule in rules:
        for value in rule.compiled.values():
            if isinstance(value, Matcher):
                yield value
            elif isinstance(value, dict):
                yield from value.values()
            elif isinstance(value, list):
                yield from (m for _, m in value)


def did_you_mean(name: str, book, *, packs: bool = True) -> str:
    """" (did you mean 'x'?)" for the closest rule id, alias (or pack) name, or ""."""
    names = [r.id for r in book.rules] + [a for r in book.rules for a in r.aliases]
    if packs:
        names += list(book.packs)
    return closest(name, names)


# The modules that build and pickle the rulebook or whose classes its pickle holds: a change to any of them
# makes a new cache key (tests/test_rulebook_cache.py checks this list against the imports).
_PICKLED_MODULES = (
    "rulebook.py", "matching.py", "completeness.py", "model.py", "phrases.py", "rulebook_cache.py", "precompiled.py",
    "prefilter.py",
)


def rulebook_inputs(directory: Path | None = None) -> list[Path]:
    """Every file the built-in rulebook is made from: rule and schema files, and the code that reads them."""
    directory = directory or rules_dir()
    here = Path(__file__).parent
    data = [p for p in directory.iterdir() if p.suffix in (".yaml", ".json") and p.is_file()]
    return data + [here / name for name in _PICKLED_MODULES]


def cached_rulebook(cache_directory: Path | None = None, build=load_rulebook) -> Rulebook:
    """The built-in rulebook from the disk cache (rulebook_cache.py; default directory: its
    cache_dir()) when the rule files and code have not changed since it was stored, else `build()`
    and stored."""
    from noticecheck import __version__
    from noticecheck.matching import reduce_pattern
    from noticecheck.rulebook_cache import cached

    # plain patterns (the completeness cues) pickle as compiled programs too, not as source to compile again
    return cached("rulebook", rulebook_inputs(), __version__, build, cache_directory, reducers={re.Pattern: reduce_pattern})


@functools.lru_cache(maxsize=1)
def default_rulebook() -> Rulebook:
    """The built-in rulebook, loaded once per process: from the disk cache when the rule files
    have not changed since it was built (cached_rulebook), else validated and compiled here.

    It lives as long as the process, so it is moved out of the cyclic collector's sight (gc.freeze,
    with everything made before it): otherwise the collections that follow walk its hundred
    thousand objects again and again, which cost a one-file check about a tenth of its time."""
    import gc

    book = cached_rulebook()
    gc.freeze()
    return book
