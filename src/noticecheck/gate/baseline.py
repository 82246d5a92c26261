"""Baselines: record today's findings so only new ones fail the gate (old debt must not block new work).

A baseline entry is keyed by (document path, rule, section) with a count,
never by line number, so editing text above a known finding does not make
it "new". When a document has more findings under a key than the baseline
allows, the extra ones (the last in document order) are new; when it has
fewer, the difference is reported as fixed so the baseline can shrink.

The file is versioned JSON, sorted, with no timestamps, so it diffs cleanly
in a pull request:

    {"version": 1, "tool": "noticecheck", "entries": [
        {"document": "notices/pupils.md", "rule": "dpo-missing", "section": "dpo", "count": 1}]}
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from noticecheck.model import Finding
from noticecheck.pairing import pair

BASELINE_VERSION = 1

Key = tuple[str, str, str | None]  # (document, rule, section)


class BaselineError(Exception):
    """The baseline file is missing, unreadable or not a noticecheck baseline."""


def normalise_path(source: str) -> str:
    """The document path as given, made comparable: normalised, "/" separators, relative to cwd when inside it."""
    if source == "-":
        return source
    path = os.path.normpath(source)
    if os.path.isabs(path):
        try:
            path = os.path.relpath(path, os.getcwd())
        except ValueError:  # another drive on Windows
            return Path(path).as_posix()
        if path.startswith(".."):
            path = os.path.normpath(source)
    return Path(path).as_posix()


def key_of(source: str, finding: Finding) -> Key:
    return normalise_path(source), finding.rule, finding.section


@dataclass(frozen=True)
class FixedEntry:
    """Part of a baseline entry that no longer occurs: `count` of its findings are gone."""

    document: str
    rule: str
    section: str | None
    count: int


@dataclass(frozen=True)
class Baseline:
    counts: Counter  # Key -> number of findings accepted

    @classmethod
    def from_findings(cls, pairs: Iterable[tuple[str, Finding]]) -> Baseline:
        """A baseline accepting every (source, finding) given."""
        return cls(Counter(key_of(source, f) for source, f in pairs))

    def __len__(self) -> int:
        return sum(self.counts.values())

    def to_json(self) -> str:
        entries = [
            {"document": doc, "rule": rule, "section": section, "count": count}
            for (doc, rule, section), count in sorted(self.counts.items(), key=lambda kv: (kv[0][0], kv[0][1], kv[0][2] or ""))
            if count > 0
        ]
        body = {"version": BASELINE_VERSION, "tool": "noticecheck", "entries": entries}
        return json.dumps(body, indent=2, ensure_ascii=False) + "\n"

    def write(self, path: str | os.PathLike) -> None:
        try:
            Path(path).write_text(self.to_json(), encoding="utf-8")
        except OSError as exc:
            raise BaselineError(f"{path}: cannot write the baseline: {exc.strerror or exc}") from None

    def canonical(self, catalogue) -> Baseline:
        """Entries that name a renamed rule by its old id (now an alias) count for the new id."""
        counts: Counter = Counter()
        for (doc, rule, section), count in self.counts.items():
            found = catalogue.get(rule)
            counts[(doc, found.id if found is not None else rule, section)] += count
        return Baseline(counts)

    def split(self, source: str, findings: Sequence[Finding]) -> tuple[list[Finding], list[Finding]]:
        """(new, baselined) for one document's findings, in their order."""
        document = normalise_path(source)
        accepted = [key for key, count in self.counts.items() if key[0] == document for _ in range(count)]
        matched = pair(accepted, findings, key=lambda f: key_of(source, f), old_key=lambda key: key)
        return list(matched.added), [f for _, f in matched.kept]

    def fixed(self, checked: dict[str, Sequence[Finding]]) -> list[FixedEntry]:
        """Entries (or parts) whose findings are gone from the documents checked this run.

        `checked` maps each checked document's source to all its current
        findings; documents not checked this run are not judged.
        """
        gone: Counter = Counter()
        for source, findings in checked.items():
            document = normalise_path(source)
            accepted = [key for key, count in self.counts.items() if key[0] == document for _ in range(count)]
            gone.update(pair(accepted, findings, key=lambda f: key_of(source, f), old_key=lambda key: key).gone)
        ordered = sorted(gone.items(), key=lambda kv: (kv[0][0], kv[0][1], kv[0][2] or ""))
        return [FixedEntry(key[0], key[1], key[2], count) for key, count in ordered]


def load_baseline(path: str | os.PathLike) -> Baseline:
    """Read a baseline file written by `--write-baseline`."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BaselineError(f"{path}: baseline file not found (create it with --write-baseline {path})") from None
    except OSError as exc:
        raise BaselineError(f"{path}: cannot read the baseline: {exc.strerror or exc}") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BaselineError(f"{path}: not a JSON baseline file: {exc}") from None
    if not isinstance(data, dict) or data.get("tool") != "noticecheck" or "entries" not in data:
        raise BaselineError(f"{path}: not a noticecheck baseline (expected keys tool, version, entries)")
    if data.get("version") != BASELINE_VERSION:
        raise BaselineError(
            f"{path}: baseline version {data.get('version')!r} is not supported (this noticecheck writes "
            f"version {BASELINE_VERSION}); write a new one with --write-baseline"
        )
    counts: Counter = Counter()
    for i, entry in enumerate(data["entries"]):
        try:
            doc, rule, section, count = entry["document"], entry["rule"], entry.get("section"), entry["count"]
            valid = isinstance(doc, str) and isinstance(rule, str) and (section is None or isinstance(section, str))
            valid = valid and isinstance(count, int) and not isinstance(count, bool) and count > 0
        except (TypeError, KeyError):
            valid = False
        if not valid:
            raise BaselineError(f"{path}: entries[{i}] needs document, rule, section (or null) and a positive count")
        counts[(normalise_path(doc), rule, section)] += count
    return Baseline(counts)


__all__ = ["BASELINE_VERSION", "Baseline", "BaselineError", "FixedEntry", "key_of", "load_baseline", "normalise_path"]
