"""The rulebook's disk cache: a hit gives the same rulebook, any change to an input rebuilds it,
and a cache that cannot be read or written never stops a check."""

from __future__ import annotations

import pickle
import re
from datetime import date
from pathlib import Path

from noticecheck.api import CheckOptions, check_text
from noticecheck.load import to_text
from noticecheck.matching import compile_matcher
from noticecheck.model import Document
from noticecheck.rulebook import load_rulebook, rulebook_inputs
from noticecheck.rulebook_cache import cached

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


def test_a_pickled_rulebook_checks_notices_exactly_as_a_fresh_one():
    fresh = load_rulebook()
    back = pickle.loads(pickle.dumps(fresh))
    notices = sorted((ROOT / "corpus" / "notices").iterdir())[::4]
    assert len(notices) >= 10
    options = CheckOptions()
    for path in notices:
        text = to_text(Document(str(path), path.read_bytes(), filename=path.name))
        a = check_text(text, fresh, options, today=date(2026, 11, 24))
        b = check_text(text, back, options, today=date(2026, 11, 24))
        assert (a.findings, a.sections, a.context) == (b.findings, b.sections, b.context), path.name


def test_reducers_apply_to_the_cached_pickle(tmp_path):
    from noticecheck.matching import reduce_pattern

    inputs = _inputs(tmp_path)
    pattern = re.compile(r"\bterminal[.!?]\s*$", re.IGNORECASE)
    first = cached("pat", inputs, "1.0", lambda: {"p": pattern}, tmp_path / "c", reducers={re.Pattern: reduce_pattern})
    (entry,) = (tmp_path / "c").glob("pat-*.pickle")
    assert b"_from_program" in entry.read_bytes()
    back = cached("pat", inputs, "1.0", lambda: None, tmp_path / "c")
    assert back["p"] == first["p"] and back["p"].search("It ends. Terminal.")
