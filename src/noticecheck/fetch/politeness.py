"""Politeness: space requests out per host and per resolved IP address, across threads.

Many schools share one hosting platform, so being gentle with each host name is
not enough: the scanner also limits requests to each IP address. `Scheduler`
hands out "slots". A slot covers a set of keys (for example the host
"kent-school.org:443" and the IP "203.0.113.7"), each with its own interval. A
thread holding a slot has the keys to itself until its request finishes, and
the next slot for any of those keys starts no sooner than `interval` seconds
after the previous one ended (so start-to-start spacing is at least the
interval too, and a slow server is never sent overlapping requests).

Each key has its own lock, taken in sorted order (so two threads can never wait
on each other in a cycle). A thread waiting for its turn holds only the locks of
its own keys, never a global lock, so requests to other hosts and IPs proceed in
parallel. The clock and sleep functions are injectable so tests can drive the
scheduler with a fake clock.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field


@dataclass
class _KeyState:
    lock: threading.Lock = field(default_factory=threading.Lock)
    last_end: float = float("-inf")  # when the previous slot for this key ended
    hold_until: float = float("-inf")  # a Retry-After or backoff pushes this forward


class Ticket:
    """What a slot's holder may say about the future: "leave this key alone for a while"."""

    def __init__(self) -> None:
        self.hold_seconds = 0.0

    def hold(self, seconds: float) -> None:
        """Keep the slot's keys unavailable for at least `seconds` after this slot ends
        (used for Retry-After and retry backoff)."""
        self.hold_seconds = max(self.hold_seconds, seconds)


class Scheduler:
    """Thread-safe per-key request spacing; see the module docstring."""

    def __init__(self, *, clock: Callable[[], float] = time.monotonic, sleep: Callable[[float], None] = time.sleep):
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Lock()  # guards the dict only; never held while sleeping
        self._states: dict[str, _KeyState] = {}

    def _state(self, key: str) -> _KeyState:
        with self._lock:
            state = self._states.get(key)
            if state is None:
                state = self._states[key] = _KeyState()
            return state

    def next_free(self, key: str, interval: float) -> float:
        """When `key` may next be used by a caller asking for `interval` (clock time)."""
        state = self._state(key)
        return max(state.last_end + interval, state.hold_until)

    @contextmanager
    def slot(self, intervals: Mapping[str, float]) -> Iterator[Ticket]:
        """Wait until every key is free, hold them for the body of the `with`, then
        record when the slot ended (and any hold the ticket asked for).

        The interval is measured from the end of the previous slot with the
        interval asked for NOW, so a Crawl-delay learnt from robots.txt also
        spaces the first page after robots.txt itself."""
        keys = sorted(intervals)
        states = [self._state(key) for key in keys]
        acquired: list[_KeyState] = []
        try:
            for state in states:
                state.lock.acquire()
                acquired.append(state)
            while True:
                ready = max(max(state.last_end + intervals[key], state.hold_until) for key, state in zip(keys, states))
                wait = ready - self._clock()
                if wait <= 0:
                    break
                self._sleep(wait)
            ticket = Ticket()
            try:
                yield ticket
            finally:
                ended = self._clock()
                for state in states:
                    state.last_end = ended
                    state.hold_until = max(state.hold_until, ended + ticket.hold_seconds)
        finally:
            for state in reversed(acquired):
                state.lock.release()


__all__ = ["Scheduler", "Ticket"]
