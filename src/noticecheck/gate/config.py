"""Project configuration for `noticecheck check`: discovery, parsing, validation, and the rule selection it implies.

Discovery works like ruff and yamllint: `--config FILE` wins; otherwise the
nearest `noticecheck.toml`, `.noticecheck.toml` or `pyproject.toml` holding a
`[tool.noticecheck]` table, walking up from the first checked path (from the
current directory for stdin); otherwise built-in defaults.

Keys (kebab-case, as in ruff):

    select, extend-select, ignore      rule ids, aliases or pack names ("dfe")
    per-source-ignores                 {glob: [ids]} matched against document paths
                                       (per-file-ignores is another name for it, as in ruff)
    exclude, extend-exclude            globs of files and folders a directory walk passes over;
                                       exclude replaces the list, extend-exclude adds to it
    severity                           {rule: "error" | "warning" | "info"}
    fail-on                            "error" | "warning" | "info" | "none"
    audience, age-range, phase,        what is known about every notice checked
    school-type, jurisdiction
    extends                            another config file, relative to this one
    extra-rules                        directories of extra rule-pack YAML files

Every fault is a `ConfigError` naming the file and the key, because the
person reading it is editing that file. Rule names are checked against the
rulebook only in `select_rules`, once extra rule packs are loaded.
"""

from __future__ import annotations

import functools
import fnmatch
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from noticecheck.context import PHASE_AGES
from noticecheck.model import AUDIENCES, JURISDICTIONS, SCHOOL_TYPES
from noticecheck.precompiled import regex
from noticecheck.rulebook import did_you_mean

CONFIG_NAMES = ("noticecheck.toml", ".noticecheck.toml")
PYPROJECT = "pyproject.toml"
FAIL_ON = ("error", "warning", "info", "none")
SEVERITIES = ("error", "warning", "info")

# Phases the context module knows ages for; another value would silently do nothing.
PHASES = tuple(PHASE_AGES)

_LIST_KEYS = ("select", "extend-select", "ignore", "extra-rules", "exclude", "extend-exclude")
# another name a ruff user will try -> the key it means
ALIASES = {"per-file-ignores": "per-source-ignores"}
_CHOICE_KEYS = {
    "fail-on": FAIL_ON,
    "audience": AUDIENCES,
    "school-type": SCHOOL_TYPES,
    "jurisdiction": JURISDICTIONS,
    "phase": PHASES,
}
KEYS = (
    "select", "extend-select", "ignore", "per-source-ignores", "severity", "fail-on",
    "audience", "age-range", "phase", "school-type", "jurisdiction", "extends", "extra-rules",
    "exclude", "extend-exclude",
)  # fmt: skip


class ConfigError(Exception):
    """A configuration file (or an option standing in for one) is wrong; the message names file and key."""


@dataclass(frozen=True)
class PathGlob:
    """A glob over document paths, relative to `base` (the config file's folder, or the current one for options)."""

    pattern: str
    base: Path

    def matches(self, source: str) -> bool:
        """Does this glob match the document path (relative to `base`), or its file name for a bare glob?"""
        if source == "-":
            return False
        path = Path(source)
        absolute = path if path.is_absolute() else Path.cwd() / path
        candidates = [Path(os.path.normpath(absolute)).as_posix()]
        try:
            candidates.append(Path(os.path.normpath(absolute)).relative_to(self.base).as_posix())
        except ValueError:
            pass
        candidates.append(Path(os.path.normpath(source)).as_posix())
        if "/" not in self.pattern:
            candidates.append(path.name)
        # fnmatch's "*" also crosses "/", so "drafts/*" covers nested folders too.
        return any(fnmatch.fnmatchcase(c, self.pattern) for c in candidates)


@dataclass(frozen=True)
class SourceIgnore(PathGlob):
    """One `per-source-ignores` entry: a glob, the directory it is relative to, and the names it ignores."""

    names: tuple[str, ...] = ()
    origin: str = ""  # "file: key" for error messages


@dataclass(frozen=True)
class Config:
    """Settings from a config file (and the files it extends); None means "not set here"."""

    path: Path | None = None  # the file discovered or given; None for built-in defaults
    select: tuple[str, ...] | None = None
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    per_source_ignores: tuple[SourceIgnore, ...] = ()
    severity: Mapping[str, str] = field(default_factory=dict)
    fail_on: str | None = None
    audience: str | None = None
    age_range: tuple[int, int] | None = None
    phase: str | None = None
    school_type: str | None = None
    jurisdiction: str | None = None
    extra_rules: tuple[Path, ...] = ()
    exclude: tuple[PathGlob, ...] = ()
    extend_exclude: tuple[PathGlob, ...] = ()
    # key -> "file: key", so later checks (unknown rule ids) can say where a value came from
    origins: Mapping[str, str] = field(default_factory=dict)

    def where(self, key: str) -> str:
        return self.origins.get(key, f"option --{key}")


# ---------------------------------------------------------------- discovery


def find_config(start: Path) -> Path | None:
    """The nearest config file at or above `start` (a file or a directory), or None."""
    start = start.resolve()
    directory = start if start.is_dir() else start.parent
    for folder in (directory, *directory.parents):
        for name in CONFIG_NAMES:
            candidate = folder / name
            if candidate.is_file():
                return candidate
        pyproject = folder / PYPROJECT
        if pyproject.is_file() and _has_tool_table(pyproject):
            return pyproject
    return None


# In TOML a [tool.noticecheck] table can only be opened on a line that names tool and then noticecheck
# (a table header, a dotted key, an inline table: none of them spans lines), or by a noticecheck key
# under a [tool] header; a quoted key could also spell either word with \u escapes. A pyproject.toml
# with none of these (most projects', this one's too) is not parsed: TOML parsing is pure Python and
# cost a one-file check run inside a project a twentieth of its time.
_TOOL_HEADER = regex(r"""^[ \t]*\[[ \t]*(?:tool|"tool"|'tool')[ \t]*\]""", re.MULTILINE)
_TOOL_THEN_OURS = regex(r"tool.*noticecheck")  # '.' stops at a line break


def _may_hold_tool_table(text: str) -> bool:
    return "\\u" in text or "\\U" in text or bool(_TOOL_THEN_OURS.search(text) or _TOOL_HEADER.search(text))


def _has_tool_table(pyproject: Path) -> bool:
    try:
        text = pyproject.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return False  # someone else's unreadable pyproject is not our config
    if not _may_hold_tool_table(text):
        return False
    import tomllib  # only where there is a file to read (module imports count at every start)

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return False  # someone else's broken pyproject is not our config
    return isinstance(data.get("tool"), dict) and "noticecheck" in data["tool"]


def discover(explicit: str | os.PathLike | None, paths: Sequence[str], *, isolated: bool = False) -> Config:
    """The Config for a run: `--config`, else the nearest file above the first path, else defaults."""
    if isolated:
        return Config()
    if explicit is not None:
        path = Path(explicit)
        if not path.is_file():
            raise ConfigError(f"{path}: config file not found")
        return load_config(path)
    first = next((p for p in paths if p != "-"), None)
    start = Path(first) if first is not None else Path.cwd()
    if not start.exists():
        start = start.parent if start.parent.exists() else Path.cwd()
    found = find_config(start)
    return load_config(found) if found is not None else Config()


# ---------------------------------------------------------------- loading


def load_config(path: Path) -> Config:
    """Read one config file, following `extends` (cycles are an error)."""
    return _load(Path(path).resolve(), ())


def _read_table(path: Path) -> dict[str, Any]:
    import tomllib

    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    if path.name == PYPROJECT:
        tool = data.get("tool", {})
        table = tool.get("noticecheck") if isinstance(tool, dict) else None
        if table is None:
            raise ConfigError(f"{path}: has no [tool.noticecheck] table")
        if not isinstance(table, dict):
            raise ConfigError(f"{path}: tool.noticecheck must be a table")
        return table
    return data


def _load(path: Path, chain: tuple[Path, ...]) -> Config:
    if path in chain:
        loop = " -> ".join(str(p) for p in (*chain, path))
        raise ConfigError(f"{chain[-1]}: extends: circular extends: {loop}")
    table = _read_table(path)
    where = str(path)
    for alias, key in ALIASES.items():
        if alias in table:
            if key in table:
                raise ConfigError(f"{where}: {alias} and {key} are the same setting; keep one")
            table[key] = table.pop(alias)
    for key in table:
        if key not in KEYS:
            import difflib  # only on a mistake

            close = difflib.get_close_matches(key.replace("_", "-"), KEYS, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else f"; known keys: {', '.join(KEYS)}"
            raise ConfigError(f"{where}: unknown key {key!r}{hint}")

    base = Config()
    if "extends" in table:
        target = table["extends"]
        if not isinstance(target, str) or not target.strip():
            raise ConfigError(f"{where}: extends: expected the path of another config file, got {target!r}")
        parent = (path.parent / target).resolve()
        if not parent.is_file():
            raise ConfigError(f"{where}: extends: {target!r} not found (looked for {parent})")
        base = _load(parent, (*chain, path))

    values: dict[str, Any] = {}
    origins = dict(base.origins)
    for key, raw in table.items():
        if key == "extends":
            continue
        origins[key] = f"{where}: {key}"
        values[key] = _parse_value(key, raw, path)
    return _merge(base, values, path, origins)


def _parse_value(key: str, raw: Any, path: Path) -> Any:
    where = f"{path}: {key}"
    if key in _LIST_KEYS:
        items = _string_list(raw, where)
        if key == "extra-rules":
            return tuple(_directory(path.parent, item, where) for item in items)
        if key in ("exclude", "extend-exclude"):
            return tuple(PathGlob(item, path.parent) for item in items)
        return items
    if key in _CHOICE_KEYS:
        return _choice(raw, _CHOICE_KEYS[key], where)
    if key == "severity":
        table = _table(raw, where)
        for name, level in table.items():
            _choice(level, SEVERITIES, f"{where}.{name}")
        return {name: level.strip().lower() for name, level in table.items()}
    if key == "per-source-ignores":
        table = _table(raw, where)
        return tuple(
            SourceIgnore(pattern, path.parent, _string_list(ids, f"{where}.{pattern!r}"), f"{where} {pattern!r}")
            for pattern, ids in table.items()
        )
    if key == "age-range":
        return parse_age_range(raw, where)
    raise AssertionError(key)  # KEYS and this function list the same keys


def _merge(base: Config, values: Mapping[str, Any], path: Path, origins: dict[str, str]) -> Config:
    """The extending file's keys replace the base's, key by key (lists are not concatenated)."""
    attrs = {key.replace("-", "_"): value for key, value in values.items()}
    return replace(base, path=path, origins=origins, **attrs)


def _string_list(raw: Any, where: str) -> tuple[str, ...]:
    if isinstance(raw, str):
        raw = [raw]
    if not isinstance(raw, list) or not all(isinstance(x, str) and x.strip() for x in raw):
        raise ConfigError(f"{where}: expected a list of names, got {raw!r}")
    return tuple(x.strip() for x in raw)


def _table(raw: Any, where: str) -> dict[str, Any]:
    if not isinstance(raw, dict):
        raise ConfigError(f"{where}: expected a table, got {raw!r}")
    return raw


def _choice(raw: Any, allowed: Sequence[str], where: str) -> str:
    value = raw.strip().lower() if isinstance(raw, str) else raw
    if value not in allowed:
        raise ConfigError(f"{where}: {raw!r} is not one of {', '.join(allowed)}")
    return value


def _directory(base: Path, item: str, where: str) -> Path:
    folder = (base / item).resolve()
    if not folder.is_dir():
        raise ConfigError(f"{where}: {item!r} is not a directory (looked for {folder})")
    return folder


_AGE_RANGE = regex(r"\s*(\d{1,2})\s*(?:-|–|to)\s*(\d{1,2})\s*")


def parse_age_range(raw: Any, where: str) -> tuple[int, int]:
    """"11-18", "11 to 18" or [11, 18] -> (11, 18)."""
    low = high = None
    if isinstance(raw, str) and (m := _AGE_RANGE.fullmatch(raw)):
        low, high = int(m.group(1)), int(m.group(2))
    elif isinstance(raw, list) and len(raw) == 2 and all(isinstance(x, int) and not isinstance(x, bool) for x in raw):
        low, high = raw
    if low is None or high is None or not 0 <= low <= high <= 25:
        raise ConfigError(f"{where}: {raw!r} is not an age range like \"11-18\"")
    return low, high


# ---------------------------------------------------------------- rules


@dataclass(frozen=True)
class RuleSelection:
    """The rules a run knows about and the rules it runs, per document.

    `catalogue` holds every rule (built-in, the suppression meta rule, extra
    packs) with severity overrides applied: suppression comments and
    `explain` look names up here. `selected` is what select/ignore chose.
    The engine gets `engine_book(source)`: selected, minus per-source
    ignores, minus meta rules (which the suppression step applies, not the
    engine); one Rulebook per distinct ignore set, built once.
    """

    catalogue: Any  # Rulebook
    selected: Any  # Rulebook
    per_source: tuple[tuple[SourceIgnore, frozenset[str]], ...] = ()
    _cache: dict = field(default_factory=dict, compare=False, repr=False)

    def ignored_for(self, source: str) -> frozenset[str]:
        out: set[str] = set()
        for entry, ids in self.per_source:
            if entry.matches(source):
                out |= ids
        return frozenset(out)

    def active_ids(self, source: str) -> frozenset[str]:
        """Rule ids that run on this document (meta rules included)."""
        return frozenset(r.id for r in self.selected.rules) - self.ignored_for(source)

    def engine_book(self, source: str):
        from noticecheck.rulebook import GATE_KINDS

        ignored = self.ignored_for(source)
        book = self._cache.get(ignored)
        if book is None:
            # the gate's own rules (unused-suppression) run after the engine, not in it
            kept = tuple(r for r in self.selected.rules if r.id not in ignored and r.check["kind"] not in GATE_KINDS)
            book = replace(self.selected, rules=kept)
            self._cache[ignored] = book
        return book


def resolve_names(book, names: Iterable[str], where: str) -> set[str]:
    """Rule ids for `names` (ids, aliases, packs, "all"); an unknown name is a ConfigError saying where."""
    out: set[str] = set()
    for name in names:
        try:
            out |= book.resolve_ids([name])
        except ValueError:
            raise ConfigError(f"{where}: unknown rule or pack {name!r}{did_you_mean(name, book)}") from None
    return out


@functools.lru_cache(maxsize=1)
def _gate_packs():
    from noticecheck.rulebook import cached_gate_packs

    return tuple(cached_gate_packs())


def load_catalogue(config: Config, base=None):
    """The built-in rulebook plus the gate's own packs (rules/gate/: the suppression meta rule) and the config's extra rule packs."""
    from noticecheck.rulebook import RuleFileError, default_rulebook, load_pack

    book = base if base is not None else default_rulebook()
    for name, description, rules in _gate_packs():
        if name not in book.packs:
            book = book.extended(rules)
            book = replace(book, packs={**book.packs, name: description})
    for folder in config.extra_rules:
        for pack_file in sorted(folder.glob("*.yaml")):
            try:
                name, description, rules = load_pack(pack_file)
                book = book.extended(rules)
            except RuleFileError as exc:
                raise ConfigError(f"{config.where('extra-rules')}: {exc}") from None
            book = replace(book, packs={**book.packs, name: description})
    return book


def select_rules(config: Config, base=None) -> RuleSelection:
    """Apply the config's rule keys to the rulebook; unknown names are errors naming file and key."""
    catalogue = load_catalogue(config, base)
    if config.severity:
        overrides = {}
        for name, level in config.severity.items():
            for rule_id in resolve_names(catalogue, [name], config.where("severity")):
                overrides[rule_id] = level
        catalogue = catalogue.with_severities(overrides)
    select = None if config.select is None else resolve_names(catalogue, config.select, config.where("select"))
    extend = resolve_names(catalogue, config.extend_select, config.where("extend-select"))
    ignore = resolve_names(catalogue, config.ignore, config.where("ignore"))
    selected = catalogue.selected(select, ignore, extend)
    per_source = tuple(
        (entry, frozenset(resolve_names(catalogue, entry.names, entry.origin))) for entry in config.per_source_ignores
    )
    return RuleSelection(catalogue=catalogue, selected=selected, per_source=per_source)


def with_overrides(config: Config, **options: Any) -> Config:
    """Command-line values win over the file; None (an option not given) leaves the file's value.

    `select` replaces the file's list; `extend_select` and `ignore` add to it, as in ruff.
    """
    changes: dict[str, Any] = {}
    origins = dict(config.origins)
    for name, value in options.items():
        if value is None or value == ():
            continue
        key = name.replace("_", "-")
        if name in ("extend_select", "ignore", "extend_exclude") and getattr(config, name):
            value = tuple(getattr(config, name)) + tuple(value)
            origins[key] = f"{config.where(key)} or option --{key}"
        else:
            origins[key] = f"option --{key}"
        changes[name] = value
    return replace(config, origins=origins, **changes) if changes else config


__all__ = [
    "CONFIG_NAMES", "Config", "ConfigError", "FAIL_ON", "KEYS", "PathGlob", "RuleSelection", "SourceIgnore",
    "discover", "find_config", "load_catalogue", "load_config", "parse_age_range", "resolve_names",
    "select_rules", "with_overrides",
]  # fmt: skip
