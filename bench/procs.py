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


def run_measured(
    argv: Sequence[str],
    *,
    cwd: str | None = None,
    env: dict | None = None,
    sample_rss: float | None = None,
    timeout: float | None = None,
    stdout=subprocess.DEVNULL,
) -> Measured:
    """Run `argv` to completion and measure it. stderr is captured (the last 4 KB kept)."""
    import tempfile

    with tempfile.TemporaryFile() as err:
        started_mono = time.monotonic()
        t0 = time.perf_counter()
        proc = subprocess.Popen(list(argv), cwd=cwd, env=env, stdout=stdout, stderr=err, stdin=subprocess.DEVNULL)
        sampler = None
        if sample_rss:
            sampler = RssSampler(proc.pid, sample_rss)
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
        stderr=tail,
    )


def check_exit(measured: Measured, allowed: Sequence[int] = (0,)) -> Measured:
    """Raise with the child's stderr if it exited with a status outside `allowed`."""
    if measured.returncode not in allowed:
        raise RuntimeError(
            f"{' '.join(measured.argv)} exited with {measured.returncode}:\n{measured.stderr.strip()}"
        )
    return measured
