"""Politeness: space requests out per host and per resolved IP address, across threads.

Many schools share one hosting platform, so being gentle with each host name is
not enough: the scanner also limits requests to each IP address. `Scheduler`
hands out "slots". A slot covers a set of keys (for example the host
"kent-school.org:443" and the IP "203.0.113.7"), each with its own interval.
Two guarantees hold for every key:

* start to start: a request starts no sooner than `interval` seconds after the
  previous request to that key started (so at most one request per interval,
  "1 request/s per host and per IP" by default);
* no overlap: a thread holding a slot has its keys to itself until its request
  finishes, so a slow server is never sent a second request while it is still
  answering the first, however long that takes.

A request "starts" when its bytes leave for the server: the holder reports
that moment through `Ticket.sent` (the HTTP client stamps it after the
connection and any TLS handshake are made, see fetch/transport.py), and until
then the moment the slot was granted stands in. Spacing from the start rather
than the end means an answer's latency is not added on top of the interval:
a host answering in 200 ms is asked once a second, not once every 1.2 s.
Retry-After and retry backoff (`Ticket.hold`) are measured from the END of
the answer that asked for them, and a Crawl-delay is the interval itself, so
both still hold as a minimum gap.

The scheduler is a ready-queue. Every key has a next-allowed time (the start
of its last request plus the interval, or later after a Retry-After); a
request is ready when none of its keys is in use and every next-allowed time
has passed. `max_in_flight` bounds how many slots are held at once (the scan's
concurrency): a free place goes to a ready request at once, preferring the one
whose keys have the most requests queued behind them (a shared IP is the
critical path of a scan). A request waiting for its keys' time does not hold a
place, so a scan's places are spent only on requests that can go now, and
politeness costs wall time only where one host or IP has more work than its
rate allows.

A waiting thread never holds the scheduler's lock: it sleeps until its keys'
next-allowed time (through the injectable `sleep`, so tests can drive the
scheduler with a fake clock), or waits to be woken when a key it needs is
released or a place is granted to it.
"""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field


@dataclass
class _KeyState:
    busy: bool = False  # a slot covering this key is held now
    last_start: float = float("-inf")  # when the previous request to this key started
    hold_until: float = float("-inf")  # a Retry-After or backoff pushes this forward
    waiters: set = field(default_factory=set)  # requests queued for this key


@dataclass(eq=False)
class _Waiter:
    keys: tuple[str, ...]
    intervals: Mapping[str, float]
    seq: int
    granted: bool = False
    wake: threading.Event = field(default_factory=threading.Event)


class Ticket:
    """What a slot's holder tells the scheduler: when its request left, "leave this key alone for a
    while", and "the answer is in" (which frees the keys before the holder's own work on it)."""

    def __init__(self, on_finish: Callable[[], None] | None = None) -> None:
        self.hold_seconds = 0.0
        self.sent_at: float | None = None
        self._on_finish = on_finish
        self.finished = False

    def finish(self) -> None:
        """The exchange with the server is over: free the keys and the place now, not when the `with`
        ends (what the holder does next, e.g. storing the answer in a cache, is not the server's business).
        A hold must be asked for before this; calling it again does nothing."""
        if not self.finished:
            self.finished = True
            if self._on_finish is not None:
                self._on_finish()

    def sent(self, at: float) -> None:
        """The request left for the server at `at` (the scheduler's clock): the next request to
        these keys is spaced from here rather than from the grant. The latest call counts."""
        self.sent_at = at if self.sent_at is None else max(self.sent_at, at)

    def hold(self, seconds: float) -> None:
        """Keep the slot's keys unavailable for at least `seconds` after this slot ends
        (used for Retry-After and retry backoff)."""
        self.hold_seconds = max(self.hold_seconds, seconds)


class Scheduler:
    """Thread-safe per-key request spacing with an optional bound on slots held at once; see the module docstring."""

    def __init__(
        self,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        max_in_flight: int | None = None,
    ):
        if max_in_flight is not None and max_in_flight < 1:
            raise ValueError(f"max_in_flight must be at least 1, not {max_in_flight}")
        self._clock = clock
        self._sleep = sleep
        self._max = max_in_flight
        self._lock = threading.Lock()  # guards all state; never held while sleeping or waiting
        self._states: dict[str, _KeyState] = {}
        self._for_place: set[_Waiter] = set()  # ready now, waiting only for a free place
        self._in_flight = 0
        self._queued = 0  # requests waiting for their keys' time, a key in use or a place
        self._seq = itertools.count()

    def _state(self, key: str) -> _KeyState:
        state = self._states.get(key)
        if state is None:
            state = self._states[key] = _KeyState()
        return state

    def _ready_at(self, waiter: _Waiter) -> float | None:
        """When every key of `waiter` allows its next request; None while one is in use."""
        ready = float("-inf")
        for key in waiter.keys:
            state = self._states[key]
            if state.busy:
                return None
            ready = max(ready, state.last_start + waiter.intervals[key], state.hold_until)
        return ready

    def next_free(self, key: str, interval: float) -> float:
        """When `key` may next be used by a caller asking for `interval` (clock time)."""
        with self._lock:
            state = self._state(key)
            return max(state.last_start + interval, state.hold_until)

    @property
    def in_flight(self) -> int:
        """Slots held now."""
        return self._in_flight

    @property
    def queued(self) -> int:
        """Requests waiting, for whatever reason."""
        return self._queued

    @property
    def waiting_for_place(self) -> int:
        """Requests that may go now but wait for a free place (0 unless max_in_flight binds)."""
        with self._lock:
            return len(self._for_place)

    def _place_free(self) -> bool:
        return self._max is None or self._in_flight < self._max

    def _grant(self, waiter: _Waiter) -> None:
        """Give `waiter` its keys and a place (caller holds the lock)."""
        self._for_place.discard(waiter)
        now = self._clock()
        for key in waiter.keys:
            state = self._states[key]
            state.busy = True
            state.last_start = now  # until the holder says when its request really left (Ticket.sent)
            state.waiters.discard(waiter)
        self._in_flight += 1
        self._queued -= 1
        waiter.granted = True
        waiter.wake.set()

    def _dispatch(self) -> None:
        """Give free places to the ready requests that wait for one, those whose keys
        have the most requests queued first (caller holds the lock)."""
        now = self._clock()
        while self._for_place and self._place_free():
            best, best_rank = None, None
            for waiter in list(self._for_place):
                ready = self._ready_at(waiter)
                if ready is None or ready > now:
                    self._for_place.discard(waiter)  # a key went to another request: re-plan
                    waiter.wake.set()
                    continue
                rank = (-max(len(self._states[key].waiters) for key in waiter.keys), waiter.seq)
                if best_rank is None or rank < best_rank:
                    best, best_rank = waiter, rank
            if best is None:
                return
            self._grant(best)

    def _abandon(self, waiter: _Waiter) -> None:
        """Forget a request interrupted while it waited (Ctrl-C): give back its keys and place if it got them."""
        with self._lock:
            granted = waiter.granted
            if not granted:
                self._queued -= 1
                self._for_place.discard(waiter)
                for key in waiter.keys:
                    self._states[key].waiters.discard(waiter)
        if granted:
            self._release(waiter, Ticket())

    def _queue(self, intervals: Mapping[str, float]) -> _Waiter:
        keys = tuple(sorted(intervals))
        with self._lock:
            waiter = _Waiter(keys, dict(intervals), next(self._seq))
            for key in keys:
                self._state(key).waiters.add(waiter)
            self._queued += 1
        return waiter

    def _acquire(self, waiter: _Waiter) -> None:
        """Return once `waiter` holds its keys and a place."""
        while True:
            with self._lock:
                if waiter.granted:
                    return
                ready = self._ready_at(waiter)
                delay = None if ready is None else ready - self._clock()
                if delay is not None and delay <= 0:
                    if self._place_free() and not self._for_place:
                        self._grant(waiter)
                        return
                    self._for_place.add(waiter)
                    self._dispatch()
                    if waiter.granted:
                        return
                waiter.wake.clear()
                if delay is not None and delay > 0:
                    self._for_place.discard(waiter)
            if delay is not None and delay > 0:
                # Waiting for time only: nothing can make these keys ready sooner.
                self._sleep(delay)
            else:
                # Waiting for a key in use or for a free place: woken by a release or a grant.
                waiter.wake.wait()

    def _release(self, waiter: _Waiter, ticket: Ticket) -> None:
        with self._lock:
            ended = self._clock()
            woken = set()
            for key in waiter.keys:
                state = self._states[key]
                state.busy = False
                if ticket.sent_at is not None:
                    # never later than now, never earlier than the grant
                    state.last_start = max(state.last_start, min(ticket.sent_at, ended))
                state.hold_until = max(state.hold_until, ended + ticket.hold_seconds)
                woken.update(state.waiters)
            self._in_flight -= 1
            # Those that waited on a released key now wait for its time instead: let them re-plan.
            for other in woken:
                other.wake.set()
            self._dispatch()

    @contextmanager
    def slot(self, intervals: Mapping[str, float]) -> Iterator[Ticket]:
        """Wait until every key is free and a place is, hold them for the body of the `with`,
        then free them, keeping when the request started (`Ticket.sent`) and any hold asked for.

        The interval is measured from the start of the previous request with
        the interval asked for NOW, so a Crawl-delay learnt from robots.txt
        also spaces the first page after robots.txt itself."""
        waiter = self._queue(intervals)
        try:
            self._acquire(waiter)
        except BaseException:
            self._abandon(waiter)
            raise
        ticket = Ticket(lambda: self._release(waiter, ticket))
        try:
            yield ticket
        finally:
            ticket.finish()  # unless the holder already said the answer was in


__all__ = ["Scheduler", "Ticket"]
