"""What ran where: the machine, the Python, the git commit, and how busy the machine was."""

from __future__ import annotations

import os
import platform
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
VENV_PYTHON = REPO / ".venv" / "bin" / "python"
NOTICECHECK = REPO / ".venv" / "bin" / "noticecheck"


def python_exe() -> str:
    """The project's venv Python if there is one, else the interpreter running the benchmarks."""
    return str(VENV_PYTHON) if VENV_PYTHON.exists() else sys.executable


def noticecheck_exe() -> list[str]:
    """How to start the `noticecheck` command (the venv's console script, else `python -m`)."""
    if NOTICECHECK.exists():
        return [str(NOTICECHECK)]
    return [python_exe(), "-m", "noticecheck.cli"]


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.lower().startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def load_average() -> tuple[float, float, float] | None:
    try:
        return os.getloadavg()
    except OSError:
        return None


def git_state() -> dict:
    """{"commit": short hash, "subject": ..., "dirty": [changed tracked/untracked paths under src/]}."""

    def git(*args: str) -> str:
        try:
            return subprocess.run(["git", *args], cwd=REPO, capture_output=True, text=True, check=True).stdout.strip()
        except (OSError, subprocess.CalledProcessError):
            return ""

    status = git("status", "--porcelain", "--", "src")
    return {
        "commit": git("rev-parse", "--short=12", "HEAD") or "unknown",
        "subject": git("log", "-1", "--format=%s"),
        "dirty_src": [line[3:] for line in status.splitlines() if line.strip()],
    }


def machine_info() -> dict:
    """The facts RESULTS.md prints about the machine (nproc, CPU, Python, load)."""
    version = subprocess.run(
        [python_exe(), "-c", "import platform; print(platform.python_version())"], capture_output=True, text=True
    ).stdout.strip()
    return {
        "nproc": os.cpu_count(),
        "usable_cpus": len(os.sched_getaffinity(0)),
        "cpu_model": cpu_model(),
        "python": version or platform.python_version(),
        "platform": platform.platform(),
        "load_average": load_average(),
    }


def now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")
