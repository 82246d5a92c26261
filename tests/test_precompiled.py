"""The start-up cache of module-level patterns (precompiled.py): the first process stores them, later
ones rebuild the very same patterns from it without compiling, and a damaged cache is only a miss."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

from noticecheck.matching import Screened
from noticecheck.precompiled import regex, screened

# Imports every module of the check path that keeps patterns at module level, then reports: how many
# patterns this process had to compile itself (and how many of them noticecheck's modules compiled), whether it added to the store, and how each module-level pattern and screened pattern
# compares with a fresh re.compile / Screened read (re.Pattern equality compares the compiled code).
_SCRIPT = r"""
import json, re, sys
from re import _compiler
compiled = []
real = _compiler.compile
def counting(p, flags=0):
    frame = sys._getframe(1)
    while frame.f_code.co_filename.endswith(("re/__init__.py", "noticecheck/matching.py")):
        frame = frame.f_back  # re.compile itself, or matching._from_program falling back to it
    compiled.append(frame.f_code.co_filename)
    return real(p, flags)
_compiler.compile = counting
import noticecheck.audience, noticecheck.context, noticecheck.dates, noticecheck.sections, noticecheck.completeness
import noticecheck.load.lines, noticecheck.load.plain, noticecheck.load.comments, noticecheck.controls
import noticecheck.readability, noticecheck.engine, noticecheck.gate.config
from noticecheck import precompiled
from noticecheck.matching import Screened
_compiler.compile = real
same = differ = 0
for name, module in list(sys.modules.items()):
    if not name.startswith("noticecheck"):
        continue
    for value in list(vars(module).values()):
        items = value.values() if isinstance(value, dict) else value if isinstance(value, tuple) else [value]
        for item in items:
            if isinstance(item, tuple) and len(item) == 2 and isinstance(item[1], Screened):
                item = item[1]
            if isinstance(item, Screened):
                fresh = Screened(re.compile(item.regex.pattern, item.regex.flags), now=True)
                ok = item.regex == fresh.regex and (item._literals, item._reach) == (fresh._literals, fresh._reach)
            elif isinstance(item, re.Pattern):
                ok = item == re.compile(item.pattern, item.flags)
            else:
                continue
            same += ok
            differ += not ok
print(json.dumps({"compiled": len(compiled), "ours_compiled": sum("/noticecheck/" in f for f in compiled), "added": precompiled._STORE.added, "same": same, "differ": differ}))
"""


def _run(cache: str) -> dict:
    env = {**os.environ, "NOTICECHECK_CACHE_DIR": cache}
    out = subprocess.run([sys.executable, "-c", _SCRIPT], capture_output=True, text=True, env=env, timeout=120, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_the_second_process_compiles_no_module_pattern_and_gets_the_same_patterns(tmp_path):
    cache = str(tmp_path / "cache")
    first = _run(cache)
    assert first["added"] and first["compiled"] >= 50, first  # the cold process compiled them and stored them
    assert list((tmp_path / "cache").glob("patterns-*.pickle"))
    second = _run(cache)
    assert not second["added"], second
    # the standard library's own import-time patterns still compile; none that noticecheck keeps does
    assert second["ours_compiled"] == 0 and first["ours_compiled"] >= 50, (first, second)
    assert second["same"] >= 80 and second["differ"] == 0, second
    assert first["differ"] == 0


def test_a_damaged_store_is_only_a_miss(tmp_path):
    cache = tmp_path / "cache"
    _run(str(cache))
    (entry,) = cache.glob("patterns-*.pickle")
    entry.write_bytes(b"not a pickle")
    again = _run(str(cache))
    assert again["added"] and again["differ"] == 0 and again["same"] >= 80, again


def test_the_store_off_still_gives_the_patterns(tmp_path):
    result = _run("off")
    assert not result["added"] and result["differ"] == 0 and result["compiled"] >= 50, result


def test_regex_and_screened_answer_as_re_and_screened_do():
    pattern = regex(r"\b(retention|kept) (period|schedule)s?\b", re.I)
    assert pattern == re.compile(r"\b(retention|kept) (period|schedule)s?\b", re.I)
    cue = screened(pattern)
    plain = Screened(re.compile(pattern.pattern, pattern.flags), now=True)
    text = "Our Retention Schedules say how long we keep records."
    assert cue.search(text).span() == plain.search(text).span() == (4, 23)
    assert cue.search("nothing to see") is None
