"""A total deadline for one HTTP request, however slowly the bytes arrive.

Socket timeouts bound each read, not the whole exchange: a server that sends
one byte every second never trips a 15 s read timeout while it drips a status
line, headers or a body for hours. `Deadline` closes that gap from outside the
read: a timer shuts the request's socket down when the time is up, which
wakes whatever read is blocked on it (plain or TLS), and the adapter turns the
resulting error into a timeout because `expired` is set.

The socket is registered by the connection code (safety.py) through the
calling thread's current deadline, because requests and urllib3 give the
adapter no handle on the socket a pooled connection uses. For the same
reason the connection code tells the deadline when the request is about to
be written (`sending`), after the connection and any TLS handshake are made:
the politeness scheduler spaces requests from that moment (politeness.py).
"""

from __future__ import annotations

import socket
import threading
import time

_local = threading.local()


class Deadline:
    """Armed for one request on the calling thread; shuts every watched socket down at `at`."""

    def __init__(self, at: float, on_send=None):
        self.at = at
        self._on_send = on_send  # called with no arguments each time the request is about to be written
        self.expired = False
        self._done = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(max(0.0, at - time.monotonic()), self._expire)
        self._timer.daemon = True

    def __enter__(self) -> Deadline:
        _local.current = self
        self._timer.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.disarm()
        _local.current = None

    def disarm(self) -> None:
        """The request is over (or its connection is going back to the pool): never shut it now."""
        with self._lock:
            self._done = True
        self._timer.cancel()

    def watch(self, sock: socket.socket | None) -> None:
        if sock is None:
            return
        with self._lock:
            if self._done:
                return
            self._sockets.append(sock)
            late = self.expired or time.monotonic() >= self.at
        if late:
            self._expire()

    def sending(self) -> None:
        if self._on_send is not None:
            self._on_send()

    def _expire(self) -> None:
        with self._lock:
            if self._done:
                return
            self.expired = True
            sockets = list(self._sockets)
        for sock in sockets:
            try:
                # socket.socket's own shutdown, not SSLSocket's (which would unwrap
                # TLS under a reader in another thread): the blocked read sees EOF.
                socket.socket.shutdown(sock, socket.SHUT_RDWR)
            except OSError:
                pass  # already closed


def current() -> Deadline | None:
    """The deadline armed on this thread, if any."""
    return getattr(_local, "current", None)


def watch(sock: socket.socket | None) -> None:
    """Put `sock` under this thread's deadline (no-op when none is armed)."""
    deadline = current()
    if deadline is not None:
        deadline.watch(sock)


def sending() -> None:
    """The connection is made and this thread's request is about to be written (no-op when no deadline is armed)."""
    deadline = current()
    if deadline is not None:
        deadline.sending()


__all__ = ["Deadline", "current", "sending", "watch"]
