"""The rulebook's disk cache: a hit gives the same rulebook, any change to an input rebuilds it,
and a cache that cannot be read or written never stops a check."""

from __future__ import annotations

import dataclasses
import os
import pickle
import re
import shutil
import subprocess
import sys
from collections.abc import Mapping
from datetime import date
from enum import Enum
from pathlib import Path

import pytest

from noticecheck.api import CheckOptions, check_text
from noticecheck.load import to_text
from noticecheck.matching import AnchorIndex, Matcher, Part, Screened, compile_matcher
from noticecheck.model import Document
from noticecheck.rulebook import cached_rulebook, load_rulebook, rulebook_inputs, rules_dir
from noticecheck.rulebook_cache import cache_key, cached

ROOT = Path(__file__).resolve().parents[1]


class Builds:
    """A build function that counts its calls."""

    def __init__(self):
        self.calls = 0

    def __call__(self):
        self.calls += 1
        return {"built": self.calls}


def _inputs(tmp_path: Path) -> list[Path]:
    a, b = tmp_path / "a.yaml", tmp_path / "b.json"
    a.write_text("rules: []\n")
    b.write_text("{}")
    return [a, b]


def test_second_call_is_read_from_the_cache(tmp_path):
    inputs, build = _inputs(tmp_path), Builds()
    first = cached("thing", inputs, "1.0", build, tmp_path / "cache")
    second = cached("thing", inputs, "1.0", build, tmp_path / "cache")
    assert build.calls == 1 and first == second == {"built": 1}
    assert len(list((tmp_path / "cache").glob("thing-*.pickle"))) == 1


def test_a_changed_input_or_version_rebuilds(tmp_path):
    inputs, build = _inputs(tmp_path), Builds()
    cache = tmp_path / "cache"
    cached("thing", inputs, "1.0", build, cache)
    inputs[0].write_text("rules: [x]\n")  # same name, new bytes
    assert cached("thing", inputs, "1.0", build, cache) == {"built": 2}
    assert cached("thing", inputs, "1.1", build, cache) == {"built": 3}
    # and the unchanged combination is still a hit
    assert cached("thing", inputs, "1.1", build, cache) == {"built": 3}
    assert build.calls == 3


def test_a_corrupt_or_deleted_entry_is_rebuilt(tmp_path):
    inputs, build = _inputs(tmp_path), Builds()
    cache = tmp_path / "cache"
    cached("thing", inputs, "1.0", build, cache)
    (entry,) = cache.glob("thing-*.pickle")
    entry.write_bytes(b"not a pickle")
    assert cached("thing", inputs, "1.0", build, cache) == {"built": 2}
    entry.unlink()
    assert cached("thing", inputs, "1.0", build, cache) == {"built": 3}
    assert cached("thing", inputs, "1.0", build, cache) == {"built": 3}


def test_an_unwritable_cache_dir_is_not_an_error(tmp_path):
    inputs, build = _inputs(tmp_path), Builds()
    blocker = tmp_path / "file"
    blocker.write_text("a file where the cache directory would go")
    assert cached("thing", inputs, "1.0", build, blocker / "cache") == {"built": 1}
    assert cached("thing", inputs, "1.0", build, blocker / "cache") == {"built": 2}


def test_the_rulebook_inputs_cover_rules_schemas_and_code():
    names = {p.name for p in rulebook_inputs()}
    assert {"sections.yaml", "schema.json", "sections.schema.json", "matching.py", "rulebook.py"} <= names


def test_patterns_read_back_from_a_pickle_are_the_same_patterns():
    matcher = compile_matcher([r"\bretention (period|schedule)s?\b", r"^keep(?P<x>ing)?"], re.IGNORECASE | re.MULTILINE)
    back = pickle.loads(pickle.dumps(matcher))
    assert back.regex == matcher.regex
    for old, new in zip(matcher.parts, back.parts):
        assert new.regex == old.regex and new.anchors == old.anchors and new.reach == old.reach
        assert new.regex.groupindex == old.regex.groupindex


def _shape(value):
    """Everything a rulebook holds, as plain data that compares by value: every dataclass field
    (compare=False ones too), each pattern's source, flags and groups, each part's anchors and reach.
    An unknown type is an error, so a new kind of object in the rulebook must be added here."""
    if value is None or isinstance(value, (str, int, float, date, Enum)):
        return value
    if isinstance(value, re.Pattern):
        return ("re", value.pattern, value.flags, dict(value.groupindex))
    if isinstance(value, Part):
        return ("part", _shape(value.regex), value.anchors, value.also, value.reach)
    if isinstance(value, Matcher):
        return ("matcher", value.source, value.flags, [_shape(p) for p in value.parts])
    if isinstance(value, Screened):
        return ("screened", _shape(value.regex), value._literals, value._reach)
    if isinstance(value, AnchorIndex):
        return ("index", sorted(value._known), [_shape(p) for p in value._parts.values()])
    if dataclasses.is_dataclass(value):
        return (type(value).__name__, {f.name: _shape(getattr(value, f.name)) for f in dataclasses.fields(value)})
    if isinstance(value, Mapping):
        return {key: _shape(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_shape(item) for item in value]
    if isinstance(value, (set, frozenset)):
        return sorted(value)
    raise TypeError(f"the rulebook holds a {type(value).__name__}: say here how to compare it")


def _parts(book):
    """Every part of every matcher in the rulebook that the anchor index should know."""
    from noticecheck.rulebook import _matchers

    return [part for matcher in _matchers(book.cues, book.rules) for part in matcher.parts if part.anchors is not None]


@pytest.fixture(scope="module")
def fresh_and_cached(tmp_path_factory):
    """A rulebook built from the rule files now, and one read back from the disk cache as default_rulebook reads it."""
    directory = tmp_path_factory.mktemp("rulebook-cache")
    builds = []

    def build():
        builds.append(1)
        return load_rulebook()

    written = cached_rulebook(directory, build)
    back = cached_rulebook(directory, build)
    assert len(builds) == 1 and back is not written  # the second one really came from the pickle
    return load_rulebook(), back


def test_a_cached_rulebook_holds_everything_a_fresh_one_holds(fresh_and_cached):
    fresh, back = fresh_and_cached
    assert _shape(back) == _shape(fresh)
    # the fields later issues added are there and not empty, so the comparison above covers them
    assert any(rule.variants for rule in back.rules)
    assert back.cues.not_content and back.cues.placeholders is not None
    assert back.completeness is not None and back.completeness.named
    # the anchor index finds parts by identity: the pickle must keep it pointing at the rulebook's own parts
    parts = _parts(back)
    assert parts and all(back.cues.index.knows(part) for part in parts)


def test_a_cached_rulebook_checks_the_corpus_exactly_as_a_fresh_one(fresh_and_cached):
    fresh, back = fresh_and_cached
    notices = sorted(p for p in (ROOT / "corpus").rglob("*") if p.is_file() and p.parent.name == "notices")
    assert len(notices) >= 90
    for i, path in enumerate(notices):
        # every notice as it comes, and every fifth one also as if addressed to pupils
        for options in (CheckOptions(), *((CheckOptions(audience="pupils"),) if i % 5 == 0 else ())):
            text = to_text(Document(str(path), path.read_bytes(), filename=path.name))
            a = check_text(text, fresh, options, today=date(2026, 11, 24))
            b = check_text(text, back, options, today=date(2026, 11, 24))
            assert a == b, path.name


def test_any_change_to_a_rule_file_or_a_new_one_changes_the_cache_key(tmp_path):
    rules = tmp_path / "rules"
    shutil.copytree(rules_dir(), rules)
    key = cache_key(rulebook_inputs(rules), "1")
    for name in sorted(p.name for p in rules.glob("*.yaml")):
        original = (rules / name).read_bytes()
        (rules / name).write_bytes(original + b"\n# an edit\n")
        assert cache_key(rulebook_inputs(rules), "1") != key, name
        (rules / name).write_bytes(original)
    assert cache_key(rulebook_inputs(rules), "1") == key
    (rules / "la-pack.yaml").write_text("pack: la\n")
    assert cache_key(rulebook_inputs(rules), "1") != key


def test_the_cache_key_covers_all_the_code_that_builds_or_is_pickled_in_the_rulebook(tmp_path):
    """Every noticecheck module imported while the rulebook is built, and every one whose objects
    its pickle names, is among the cache key's inputs (so editing it invalidates the cache)."""
    script = r"""
import pathlib, pickletools, sys
before = set(sys.modules)
from noticecheck.rulebook import cached_rulebook, rulebook_inputs
cached_rulebook(pathlib.Path(sys.argv[1]))  # an empty directory: built, then stored
used = set(sys.modules) - before
(entry,) = pathlib.Path(sys.argv[1]).glob("rulebook-*.pickle")
strings = [arg for op, arg, _ in pickletools.genops(entry.read_bytes()) if isinstance(arg, str)]
used |= {s.split(" ")[0] for s in strings if s.startswith("noticecheck")}  # STACK_GLOBAL's module, or GLOBAL's
files = sorted({sys.modules[m].__file__ for m in used if m.startswith("noticecheck") and getattr(sys.modules.get(m), "__file__", None)})
inputs = {str(p.resolve()) for p in rulebook_inputs()}
inputs.add(sys.modules["noticecheck"].__file__)  # the package's __init__: only __version__, which the key holds
print("\n".join(f for f in files if f not in inputs))
print("CHECKED", len(files))
"""
    out = subprocess.run([sys.executable, "-c", script, str(tmp_path)], capture_output=True, text=True, check=True).stdout.splitlines()
    assert out[-1].startswith("CHECKED") and int(out[-1].split()[1]) >= 5, out
    missing = [line for line in out[:-1] if line]
    assert missing == [], f"modules missing from rulebook_inputs: {missing}"


def test_reducers_apply_to_the_cached_pickle(tmp_path):
    from noticecheck.matching import reduce_pattern

    inputs = _inputs(tmp_path)
    pattern = re.compile(r"\bterminal[.!?]\s*$", re.IGNORECASE)
    first = cached("pat", inputs, "1.0", lambda: {"p": pattern}, tmp_path / "c", reducers={re.Pattern: reduce_pattern})
    (entry,) = (tmp_path / "c").glob("pat-*.pickle")
    assert b"_from_program" in entry.read_bytes()
    back = cached("pat", inputs, "1.0", lambda: None, tmp_path / "c")
    assert back["p"] == first["p"] and back["p"].search("It ends. Terminal.")


def test_a_check_with_a_warm_cache_imports_no_spacy_jsonschema_or_yaml(tmp_path):
    """Start-up (issue 11): once the rulebook and the gate's pack are cached, checking one notice
    parses no rule file, validates nothing and never needs spaCy, even for a pupils' notice."""
    notice = tmp_path / "n.txt"
    notice.write_text("How we use pupil information\n\nWe hold pupils' names and attendance records.\n", encoding="utf-8")
    script = (
        "import sys\n"
        "from noticecheck.cli import main\n"
        "try:\n"
        f"    main(['check', {str(notice)!r}, '--audience', 'pupils', '--exit-zero'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'spacy', 'jsonschema', 'yaml'}))\n"
    )
    env = {**os.environ, "NOTICECHECK_CACHE_DIR": str(tmp_path / "cache")}
    runs = [subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=120) for _ in range(2)]
    assert all(run.returncode == 0 for run in runs), runs[-1].stderr
    assert runs[0].stdout.strip().splitlines()[-1] != "[]", "the cold run builds the rulebook (so the check can fail)"
    assert runs[1].stdout.strip().splitlines()[-1] == "[]", runs[1].stdout[-500:]
