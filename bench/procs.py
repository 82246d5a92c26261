"""Child processes timed from the outside: wall time, CPU time and peak memory (from wait4's rusage).

Peak RSS comes from the kernel's accounting of the child (ru_maxrss), which
is exact and costs nothing; `RssSampler` additionally records RSS over time
so a report can show whether memory stays flat during a long run.
"""

from __future__ import annotations

import os
import subprocess
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field


@dataclass
class Measured:
    """One finished child process."""

    argv: list[str]
    returncode: int
    wall: float  # seconds from spawn to exit (time.perf_counter)
    user: float  # CPU seconds in user mode
    system: float  # CPU seconds in the kernel
    max_rss_mb: float  # peak resident set size
    started: float  # time.monotonic() at spawn (comparable with other processes' monotonic clocks)
    ended: float
    samples: list[tuple[float, float]] = field(default_factory=list)  # (seconds since start, RSS MB)
    tree: list[tuple[float, ...]] = field(default_factory=list)  # TreeSampler's samples, if asked for
    stderr: str = ""

    @property
    def cpu(self) -> float:
        return self.user + self.system


class RssSampler(threading.Thread):
    """Reads /proc/PID/status every `interval` seconds until stopped; keeps (elapsed, MB) pairs."""

    def __init__(self, pid: int, interval: float = 0.5):
        super().__init__(daemon=True)
        self.pid = pid
        self.interval = interval
        self.samples: list[tuple[float, float]] = []
        self._halt = threading.Event()
        self._t0 = time.monotonic()

    def run(self) -> None:
        path = f"/proc/{self.pid}/status"
        while not self._halt.is_set():
            try:
                with open(path) as fh:
                    for line in fh:
                        if line.startswith("VmRSS:"):
                            self.samples.append((time.monotonic() - self._t0, int(line.split()[1]) / 1024))
                            break
            except OSError:
                return  # the process has gone
            self._halt.wait(self.interval)

    def stop(self) -> None:
        self._halt.set()


_TICK = os.sysconf("SC_CLK_TCK")


def _stat(pid: str) -> list[str] | None:
    """The fields of /proc/PID/stat after the command name (field 3 onwards), or None if it has gone."""
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None


def _machine_cpu() -> tuple[float, float]:
    """(busy, all) CPU seconds of the whole machine since boot, from /proc/stat."""
    with open("/proc/stat") as fh:
        ticks = [int(v) for v in fh.readline().split()[1:9]]
    idle = ticks[3] + ticks[4]  # idle + iowait
    return (sum(ticks) - idle) / _TICK, sum(ticks) / _TICK


class TreeSampler(RssSampler):
    """RssSampler that also follows the process's descendants (e.g. forked worker processes) and the machine.

    Each sample in `tree` is (elapsed s, RSS MB of the process, summed RSS MB of it and its live
    descendants, CPU s used so far by the tree, machine busy CPU s so far, machine CPU s so far).
    The tree's CPU counts each live process's own time plus the time of the children it has
    reaped (cutime/cstime), so a worker that has exited is still counted, once. Summed RSS
    counts pages shared by forked workers once per process, so it overstates their memory.
    """

    def __init__(self, pid: int, interval: float = 1.0):
        super().__init__(pid, interval)
        self.tree: list[tuple[float, float, float, float, float, float]] = []

    def run(self) -> None:
        page_mb = os.sysconf("SC_PAGE_SIZE") / 2**20
        root = str(self.pid)
        while not self._halt.is_set():
            stats = {pid: fields for pid in os.listdir("/proc") if pid.isdigit() and (fields := _stat(pid))}
            if root not in stats:
                return  # the process has gone
            children: dict[str, list[str]] = {}
            for pid, fields in stats.items():
                children.setdefault(fields[1], []).append(pid)  # fields[1] is the parent's pid
            tree, todo = [], [root]
            while todo:
                pid = todo.pop()
                tree.append(stats[pid])
                todo += children.get(pid, ())
            # fields 14-17 of stat (utime, stime, cutime, cstime) and 24 (rss in pages), counted from 3
            cpu = sum(int(f[11]) + int(f[12]) + int(f[13]) + int(f[14]) for f in tree) / _TICK
            own, total = int(stats[root][21]) * page_mb, sum(int(f[21]) for f in tree) * page_mb
            busy, everything = _machine_cpu()
            elapsed = time.monotonic() - self._t0
            self.samples.append((elapsed, own))
            self.tree.append((elapsed, own, total, cpu, busy, everything))
            self._halt.wait(self.interval)


def run_measured(
    argv: Sequence[str],
    *,
    cwd: str | None = None,
    env: dict | None = None,
    sample_rss: float | None = None,
    sample_tree: float | None = None,
    timeout: float | None = None,
    stdout=subprocess.DEVNULL,
) -> Measured:
    """Run `argv` to completion and measure it. stderr is captured (the last 4 KB kept).

    sample_rss: seconds between RSS samples of the process (Measured.samples);
    sample_tree: instead, seconds between TreeSampler samples (Measured.samples and Measured.tree)."""
    import tempfile

    with tempfile.TemporaryFile() as err:
        started_mono = time.monotonic()
        t0 = time.perf_counter()
        proc = subprocess.Popen(list(argv), cwd=cwd, env=env, stdout=stdout, stderr=err, stdin=subprocess.DEVNULL)
        sampler = None
        if sample_tree:
            sampler = TreeSampler(proc.pid, sample_tree)
        elif sample_rss:
            sampler = RssSampler(proc.pid, sample_rss)
        if sampler is not None:
            sampler.start()
        # Block in wait4 (no polling, so short runs are timed exactly); a timer kills a runaway child.
        killer = threading.Timer(timeout, proc.kill) if timeout else None
        if killer is not None:
            killer.daemon = True
            killer.start()
        try:
            _pid, status, usage = os.wait4(proc.pid, 0)
        except BaseException:  # Ctrl-C: do not leave the child running
            proc.kill()
            os.wait4(proc.pid, 0)
            proc.returncode = -9
            raise
        wall = time.perf_counter() - t0
        ended_mono = time.monotonic()
        proc.returncode = os.waitstatus_to_exitcode(status)  # reaped here, so Popen must not wait again
        timed_out = killer is not None and not killer.is_alive() and proc.returncode == -9
        if killer is not None:
            killer.cancel()
        if sampler is not None:
            sampler.stop()
            sampler.join()
        err.seek(0)
        tail = err.read()[-4096:].decode("utf-8", "replace")
    if timed_out:
        raise TimeoutError(f"{' '.join(argv[:3])} ... ran longer than {timeout:.0f} s:\n{tail.strip()}")
    return Measured(
        argv=list(argv),
        returncode=proc.returncode,
        wall=wall,
        user=usage.ru_utime,
        system=usage.ru_stime,
        max_rss_mb=usage.ru_maxrss / 1024,  # Linux reports KiB
        started=started_mono,
        ended=ended_mono,
        samples=sampler.samples if sampler else [],
        tree=getattr(sampler, "tree", []),
        stderr=tail,
    )


def check_exit(measured: Measured, allowed: Sequence[int] = (0,)) -> Measured:
    """Raise with the child's stderr if it exited with a status outside `allowed`."""
    if measured.returncode not in allowed:
        raise RuntimeError(
            f"{' '.join(measured.argv)} exited with {measured.returncode}:\n{measured.stderr.strip()}"
        )
    return measured
