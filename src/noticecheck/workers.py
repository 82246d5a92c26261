"""Checking on every core: a pool of processes forked after the rulebook is built, results in input order.

Checking is pure Python, so threads share one core; processes do not. The
pool forks once the caller has built its rulebook (and whatever else the
task needs), so every worker starts with it in memory: no per-process
start-up, nothing pickled but the input and the result. `map` streams the
results back in the order of the inputs, whatever order the workers finish
in, so output is the same for any number of jobs. With one job, or where
fork is not available, everything runs in this process.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable, Iterable, Iterator
from typing import Any

# Tasks of the live pools, by number: set before the fork, so each worker inherits its task.
_TASKS: dict[int, Callable[[Any], Any]] = {}
_NUMBERS = itertools.count()


def default_jobs() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _run(numbered: tuple[int, Any]) -> Any:
    number, item = numbered
    return _TASKS[number](item)


class Workers:
    """`task` run over items by `jobs` forked processes (or in this process when jobs is 1)."""

    def __init__(self, task: Callable[[Any], Any], jobs: int):
        self._task = task
        self._pool = None
        self._number = next(_NUMBERS)
        if jobs > 1:
            import multiprocessing  # only here: a one-file check should not pay for its import

            if "fork" in multiprocessing.get_all_start_methods():
                _TASKS[self._number] = task
                self._pool = multiprocessing.get_context("fork").Pool(jobs)

    @property
    def parallel(self) -> bool:
        return self._pool is not None

    def map(self, items: Iterable[Any]) -> Iterator[Any]:
        """Results in the order of `items`, each as soon as it and all before it are done."""
        if self._pool is None:
            return map(self._task, items)
        return self._pool.imap(_run, ((self._number, item) for item in items), chunksize=1)

    def call(self, item: Any) -> Any:
        """One task, run by a worker; safe to call from many threads at once."""
        if self._pool is None:
            return self._task(item)
        return self._pool.apply(_run, ((self._number, item),))

    def close(self) -> None:
        if self._pool is not None:
            self._pool.terminate()  # every result wanted has been received by now
            self._pool.join()
            self._pool = None
        _TASKS.pop(self._number, None)

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
