"""The rule reference, generated from the rule files: docs/rules.md and `noticecheck explain`.

    python -m noticecheck.rule_docs > docs/rules.md

The built-in packs (rules/*.yaml) plus the `meta` pack (unused-suppression)
are rendered in a fixed order, so the output only changes when a rule does;
tests/test_rule_docs.py fails when docs/rules.md is out of date.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable

from noticecheck.pattern_examples import examples_of
from noticecheck.rulebook import flat_patterns

REGENERATE = "python -m noticecheck.rule_docs > docs/rules.md"

_CONTEXT_WORDS = {
    "audiences": "audience is {}",
    "school_types": "school type is {}",
    "jurisdictions": "jurisdiction is {}",
}


def _quoted(phrases) -> str:
    return ", ".join(f'"{p}"' for p in phrases)


def _looks_for(spec) -> str:
    """What a mapping with patterns and/or phrases matches, in words: phrases are quoted, as written."""
    said = []
    if spec.get("phrases"):
        said.append(f"says one of {_quoted(spec['phrases'])}")
    if spec.get("patterns"):
        count = len(flat_patterns(spec["patterns"]))
        examples = examples_of(spec["patterns"])
        if count == 1:
            said.append(f"says something like {_quoted(examples)}" if examples else "matches its pattern")
        else:
            such_as = f", such as {_quoted(examples)}" if examples else ""
            said.append(f"matches one of {count} patterns{such_as}")
    return " or ".join(said)


def describe_check(rule) -> str:
    """One sentence saying when the rule fires, from its check kind, then its `when`/`unless` conditions."""
    return _describe_kind(rule.check) + _describe_conditions(rule.check)


def _condition_words(spec) -> str:
    said = [f"has a `{s}` section" for s in spec.get("sections", ())]
    looks_for = _looks_for(spec)
    if looks_for:
        said.append(
            looks_for
            + (" (in any sentence, including those about the notice itself)" if spec.get("any_sentence") else "")
            + (" (not where it is denied: \"we do not ...\")" if spec.get("skip_negated") else "")
        )
    return " or ".join(said)


def _describe_conditions(check) -> str:
    parts = []
    if check.get("when"):
        parts.append(f" It runs only when the notice {_condition_words(check['when'])}.")
    if check.get("unless"):
        parts.append(f" It does not run when the notice {_condition_words(check['unless'])}.")
    return "".join(parts)


def _describe_kind(check) -> str:
    kind = check.get("kind")
    if kind == "pattern":
        limit = check.get("max_findings")
        cap = f", at most {limit} per notice" if limit else ""
        also = ""
        if check.get("if_sentence"):
            shown = examples_of(check["if_sentence"])
            also = f" and, in the same sentence, {'something like ' + _quoted(shown) if shown else 'one of its `if_sentence` patterns'}"
        negated = " (a match denied by a negation just before it does not count)" if check.get("skip_negated") else ""
        return f"Fires once for each sentence that {_looks_for(check)}{also}{cap}{negated}."
    if kind == "absent":
        sections = check.get("sections", ())
        if sections and not (check.get("patterns") or check.get("phrases")):
            named = " or ".join(f"`{s}`" for s in sections)
            parts = [f"Fires when the notice has no {named} section (found by headings and sentence cues)"]
        else:
            parts = [f"Fires when the notice mentions none of what it looks for (a sentence that {_looks_for(check)})"]
            if sections:
                parts.append(" and has no " + " or ".join(f"`{s}`" for s in sections) + " section")
        if check.get("anchor") and list(sections) != [check["anchor"]]:
            parts.append(f"; the finding points at the `{check['anchor']}` section")
        return "".join(parts) + "."
    if kind == "missing-items":
        items = ", ".join(f"{name} (only where its condition holds)" if isinstance(spec, dict) else name
                          for name, spec in check["items"].items())
        need = check.get("min_missing", 1)
        worst = f"; {check['all_missing_severity']} when none of them is mentioned" if "all_missing_severity" in check else ""
        return f"Fires when at least {need} of these is not mentioned: {items}{worst}."
    if kind == "stale-date":
        return (
            f"Fires when the newest review or update date is more than {check['max_age_days']} days before the "
            "date the notice is judged on, or when the notice has no such date."
        )
    if kind == "reading-age":
        return f"Fires when text written for children reads above a reading age of {check['max_reading_age']}."
    if kind == "suppression-comments":
        return "Fires for each `<!-- noticecheck: ... -->` comment that suppresses nothing or cannot be read."
    return f"Check kind `{kind}`."


def describe_applies(rule) -> str:
    """When the rule applies: dates and the context conditions."""
    parts = [f"from {rule.applies_from.isoformat()}"]
    if rule.applies_until:
        parts.append(f"until {rule.applies_until.isoformat()}")
    cond = rule.applies_to
    for key, words in _CONTEXT_WORDS.items():
        if key in cond:
            parts.append(words.format(" or ".join(cond[key])))
    if "except_school_types" in cond:
        parts.append(f"not when the school type is {' or '.join(cond['except_school_types'])}")
    if "min_age" in cond:
        parts.append(f"the school has pupils aged {cond['min_age']} or over")
    if cond.get("unknown") == "skip":
        parts.append("not run when that is unknown")
    elif any(k in cond for k in ("audiences", "school_types", "jurisdictions", "min_age")):
        parts.append("one severity lower when that is unknown")
    return "; ".join(parts)


def describe_variant(variant) -> str:
    """When a variant replaces the rule's severity, message or fix, in words."""
    when = variant["when"]
    parts = [_CONTEXT_WORDS[key].format(" or ".join(when[key])) for key in _CONTEXT_WORDS if key in when]
    if "min_age" in when:
        parts.append(f"the oldest pupils are {when['min_age']} or over")
    if "max_age" in when:
        parts.append(f"the oldest pupils are {when['max_age']} or under")
    if any(k in when for k in ("sections", "patterns", "phrases")):
        parts.append("the notice " + " or ".join(
            [f"has a `{s}` section" for s in when.get("sections", ())] + ([_looks_for(when)] if _looks_for(when) else [])
        ))
    return "When " + " and ".join(parts)


def _variant_lines(rule) -> list[str]:
    """One line per variant for the reference: what changes, and when."""
    lines = []
    for variant in rule.variants:
        changes = []
        if "severity" in variant:
            changes.append(f"severity {variant['severity']}.")
        if "message" in variant:
            changes.append(f"Message: {_placeholders(' '.join(variant['message'].split()))}")
        if "fix" in variant:
            changes.append(f"Fix: {_placeholders(' '.join(variant['fix'].split()))}")
        lines.append(f"{describe_variant(variant)}: " + " ".join(changes))
    return lines


def _example_text(example) -> tuple[str, str]:
    if isinstance(example, str):
        return example, ""
    context = dict(example.get("context") or {})
    if "severity" in example:
        context["severity"] = example["severity"]
    note = ", ".join(f"{k.replace('_', ' ')}: {v}" for k, v in context.items())
    return example["text"], note


def _fence(text: str) -> str:
    longest = max((len(m) for m in re.findall(r"`+", text)), default=0)
    return "`" * max(3, longest + 1)


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def _placeholders(text: str) -> str:
    return re.sub(r"\{([a-z_]+)\}", r"<\1>", text)


def ordered_packs(book) -> list[str]:
    """Packs in a fixed order: as the rulebook lists them, `meta` last."""
    seen: list[str] = []
    for rule in book.rules:
        if rule.pack not in seen:
            seen.append(rule.pack)
    return sorted(seen, key=lambda p: (p == "meta", seen.index(p)))


def ordered_rules(book) -> list:
    """Every rule, pack by pack in `ordered_packs` order (how `rules` lists them)."""
    return [rule for pack in ordered_packs(book) for rule in book.rules if rule.pack == pack]


def rule_to_dict(rule, selected: bool) -> dict:
    """One rule as `rules --format json` and the self-check page's GET /api/rules give it."""
    return {
        "id": rule.id,
        "title": rule.title,
        "severity": rule.severity.label,
        "pack": rule.pack,
        "selected": selected,
        "aliases": list(rule.aliases),
        "source": {"title": rule.source_title, "url": rule.source_url},
        "applies_from": rule.applies_from.isoformat(),
        "applies_until": rule.applies_until.isoformat() if rule.applies_until else None,
        "applies_to": dict(rule.applies_to),
        "message": rule.message,
        "fix": rule.fix,
    }


def rules_to_dicts(book, selected_ids) -> list[dict]:
    """Every rule of `book` in pack order, each marked selected or not."""
    return [rule_to_dict(rule, rule.id in selected_ids) for rule in ordered_rules(book)]


def rule_markdown(rule) -> list[str]:
    lines = [f"### `{rule.id}`", "", f"**{rule.title}**", ""]
    lines.append(f"- Severity: {rule.severity.label}")
    if rule.aliases:
        lines.append(f"- Also known as: {', '.join(f'`{a}`' for a in rule.aliases)}")
    lines.append(f"- Source: [{rule.source_title}]({rule.source_url})")
    lines.append(f"- Applies: {describe_applies(rule)}")
    lines.append(f"- Check: {describe_check(rule)}")
    lines += ["", f"Message: {_placeholders(rule.message)}", "", f"Fix: {_placeholders(rule.fix)}", ""]
    if rule.variants:
        lines += [f"- {line}" for line in _variant_lines(rule)] + [""]
    if rule.notes:
        lines += [f"Notes: {rule.notes}", ""]
    for outcome, label in (("fail", "Fires on"), ("pass", "Does not fire on")):
        for example in rule.examples.get(outcome, []):
            text, note = _example_text(example)
            fence = _fence(text)
            lines.append(f"{label}" + (f" ({note})" if note else "") + ":")
            lines += ["", f"{fence}text", text.rstrip("\n"), fence, ""]
    return lines


def render_markdown(book) -> str:
    """The whole rule reference as Markdown."""
    lines = [
        "# noticecheck rules",
        "",
        f"Generated from the rule files by `{REGENERATE}`. Do not edit by hand.",
        "",
        "Use these ids in `select`, `ignore`, `severity`, suppression comments and baselines "
        "(see [Use in CI](../README.md#use-in-ci)). `noticecheck explain RULE` prints one rule.",
        "",
        "| Rule | Severity | Pack | Title |",
        "|---|---|---|---|",
    ]
    packs = ordered_packs(book)
    for pack in packs:
        for rule in (r for r in book.rules if r.pack == pack):
            lines.append(f"| [`{rule.id}`](#{rule.id}) | {rule.severity.label} | {pack} | {_cell(rule.title)} |")
    for pack in packs:
        lines += ["", f"## Pack `{pack}`", ""]
        if book.packs.get(pack):
            lines += [" ".join(book.packs[pack].split()), ""]
        for rule in (r for r in book.rules if r.pack == pack):
            lines += rule_markdown(rule)
    return "\n".join(lines).rstrip("\n") + "\n"


def explain_text(rule, book) -> str:
    """A rule's full text for a terminal (`noticecheck explain`)."""
    lines = [f"{rule.id}: {rule.title}", ""]
    lines.append(f"Severity:   {rule.severity.label}")
    lines.append(f"Pack:       {rule.pack}" + (f" ({' '.join(book.packs[rule.pack].split())})" if book.packs.get(rule.pack) else ""))
    if rule.aliases:
        lines.append(f"Aliases:    {', '.join(rule.aliases)}")
    lines.append(f"Source:     {rule.source_title}")
    lines.append(f"            {rule.source_url}")
    lines.append(f"Applies:    {describe_applies(rule)}")
    lines.append(f"Check:      {describe_check(rule).replace('`', '')}")
    lines += ["", "Message:", f"  {_placeholders(rule.message)}", "", "Fix:", f"  {_placeholders(rule.fix)}"]
    if rule.variants:
        lines += ["", "Variants:"] + [f"  {line}" for line in _variant_lines(rule)]
    if rule.notes:
        lines += ["", "Notes:", f"  {rule.notes}"]
    for outcome, label in (("fail", "Fires on"), ("pass", "Does not fire on")):
        for example in rule.examples.get(outcome, []):
            text, note = _example_text(example)
            lines += ["", f"{label}" + (f" ({note})" if note else "") + ":"]
            lines += [f"  | {line}" for line in text.rstrip("\n").split("\n")]
    return "\n".join(lines) + "\n"


def builtin_book():
    """The built-in rules plus the meta pack: what docs/rules.md documents."""
    from noticecheck.gate.config import Config, load_catalogue

    return load_catalogue(Config())


def main(argv: Iterable[str] | None = None) -> int:
    sys.stdout.write(render_markdown(builtin_book()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
