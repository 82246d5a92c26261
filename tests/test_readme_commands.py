"""The README's commands work as written after its two set-up commands (issue 12).

A new user copies them in order. This test does the same in a temporary
directory holding the repository's files and this checkout's `.venv`: it
runs `make demo`, then every shell block of the README (fenced as ```sh,
```bash or with no language) as one `bash -e` script, in order, as typed.
Blocks fenced as ```text are examples that name the reader's own files
(`draft-notice.docx`, a GIAS export), and ```yaml/```toml are files, not
commands. Everything runs on loopback: the demo's school sites listen on
127.0.0.x.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[1]
RUNNABLE = {"", "sh", "bash", "shell"}
_FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.M | re.S)


def readme_blocks(text: str) -> list[str]:
    """The shell blocks a reader would type, in order."""
    return [body for lang, body in _FENCE.findall(text) if lang in RUNNABLE]


def _set_up_commands(block: str) -> bool:
    return bool(re.search(r"^make demo\b", block, re.M))


@pytest.fixture(scope="module")
def after_demo(tmp_path_factory) -> Path:
    """A copy of the repository's files with this checkout's .venv, after `make demo` (as the README says)."""
    if not (REPO / ".venv" / "bin" / "noticecheck").exists():
        pytest.skip("needs the checkout's .venv (make setup)")
    root = tmp_path_factory.mktemp("fresh-clone")
    for name in ("corpus", "rules", "docs"):
        shutil.copytree(REPO / name, root / name, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("Makefile", "pyproject.toml", "README.md"):
        shutil.copy2(REPO / name, root / name)  # copy2 keeps mtimes: make sees .venv as up to date
    (root / ".venv").symlink_to(REPO / ".venv")
    # `-o .venv/.installed`: the symlinked .venv stands in for the one `make demo` would build (and is built)
    done = subprocess.run(["make", "-o", ".venv/.installed", "demo"], cwd=root, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    return root


def test_the_readme_has_set_up_commands_and_commands_to_run_after_them():
    blocks = readme_blocks((REPO / "README.md").read_text(encoding="utf-8"))
    assert _set_up_commands(blocks[0])
    assert any("noticecheck report" in block for block in blocks[1:])


def test_every_readme_command_works_as_written_after_make_demo(after_demo):
    blocks = readme_blocks((after_demo / "README.md").read_text(encoding="utf-8"))
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "GITHUB_ACTIONS", "GITHUB_STEP_SUMMARY")}
    # The reader's PATH has no noticecheck on it: the README must say how to reach it.
    env["PATH"] = os.pathsep.join(p for p in env.get("PATH", "").split(os.pathsep) if not p.startswith(str(REPO)))
    assert shutil.which("noticecheck", path=env["PATH"]) is None
    for block in blocks[1:]:
        if _set_up_commands(block):
            continue
        script = "set -e\n" + block
        done = subprocess.run(["bash", "-c", script], cwd=after_demo, env=env, capture_output=True, text=True,
                              timeout=300)
        assert done.returncode == 0, f"README block failed:\n{block}\n--- stdout\n{done.stdout[-3000:]}\n--- stderr\n{done.stderr[-3000:]}"


def test_report_without_db_points_at_the_demo_history(after_demo):
    noticecheck = str(after_demo / ".venv" / "bin" / "noticecheck")
    done = subprocess.run([noticecheck, "report", "--run", "latest", "--since", "previous"], cwd=after_demo,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert "--db reports/demo/demo.sqlite" in done.stderr
