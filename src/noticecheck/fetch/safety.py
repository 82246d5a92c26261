"""Refusing private targets: resolve each host once, check every address, connect only to those.

A school website address is data typed by a stranger, so the scanner must not be
turned into a way to reach the LA's own network (SSRF). `AddressGuard` resolves a
host with `getaddrinfo`, refuses it when ANY resolved address is private,
loopback, link-local, multicast, reserved or unspecified (unless the policy
allows it), and remembers the checked answer for the rest of the session.

The connection classes built by `AddressGuard.pool_classes()` connect to those
remembered, checked addresses themselves instead of letting urllib3 resolve the
name again. That closes the DNS-rebinding gap (a name that answers with a public
address when checked and a private one when connected), and TLS still verifies
the certificate against the host name because only the socket's target changes.
"""

from __future__ import annotations

import ipaddress
import socket
import threading
from collections.abc import Callable, Iterable
from socket import timeout as SocketTimeout

from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import ConnectTimeoutError, NewConnectionError
from urllib3.util import connection as urllib3_connection

from noticecheck.fetch import deadline

Resolver = Callable[[str, int], Iterable[str]]
Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Address = ipaddress.IPv4Address | ipaddress.IPv6Address


class AddressRefused(Exception):
    """A host resolved to an address the policy does not allow us to contact."""

    def __init__(self, host: str, address: str, reason: str):
        super().__init__(f"refused {host}: it resolves to {address}, a {reason} address")
        self.host = host
        self.address = address
        self.reason = reason


class HostUnresolvable(Exception):
    """DNS gave no usable address for a host."""


def resolve_host(host: str, port: int) -> list[str]:
    """The default resolver: every address `getaddrinfo` gives for a TCP connection, in order.

    Tests monkeypatch this module attribute (or pass `resolver=` to the session)
    to make a name resolve to whatever they need without touching real DNS.
    """
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [info[4][0] for info in infos]


def parse_networks(cidrs: Iterable[str]) -> tuple[Network, ...]:
    """Parse an allow-list such as ("127.0.0.1/32",); a bad entry is a ValueError naming it."""
    networks = []
    for cidr in cidrs:
        try:
            networks.append(ipaddress.ip_network(cidr, strict=False))
        except ValueError as exc:
            raise ValueError(f"allowed_networks: {cidr!r} is not a network in CIDR form ({exc})") from None
    return tuple(networks)


def _embedded_ipv4(ip: Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address hidden in an IPv4-mapped, 6to4 or Teredo IPv6 address, if any."""
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return ip.ipv4_mapped
        if ip.sixtofour is not None:
            return ip.sixtofour
        if ip.teredo is not None:
            return ip.teredo[1]
    return None


_REFUSED_KINDS = (
    ("is_loopback", "loopback"),
    ("is_link_local", "link-local"),
    ("is_multicast", "multicast"),
    ("is_unspecified", "unspecified"),
    ("is_reserved", "reserved"),
    ("is_private", "private"),
)


# Python's ipaddress tables (which differ between patch releases) miss some
# blocks that must never be contacted; tests/test_address_registries.py checks
# the whole guard against the IANA special-purpose registries.
_SPECIAL_NETWORKS = (
    (ipaddress.ip_network("192.0.0.0/24"), "reserved"),  # IETF protocol assignments (RFC 6890)
    (ipaddress.ip_network("fec0::/10"), "site-local"),  # deprecated by RFC 3879, still routed inside some networks
    (ipaddress.ip_network("3fff::/20"), "documentation"),  # RFC 9637 (2024)
)
# Every IPv6 address a public web server can have is global unicast (RFC 4291);
# the rest of the space is reserved by the IETF, multicast or local.
_GLOBAL_UNICAST_V6 = ipaddress.ip_network("2000::/3")


def refusal_reason(address: str, allowed: tuple[Network, ...] = ()) -> str | None:
    """Why `address` must not be contacted ("loopback", "private", ...), or None if it may.

    Addresses inside `allowed` are always accepted; an IPv6 address wrapping an
    IPv4 one is judged by the IPv4 address it carries.
    """
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return "unparseable"
    inner = _embedded_ipv4(ip)
    candidates = [ip] if inner is None else [inner, ip]  # name the IPv4 problem first
    if any(candidate in network for candidate in candidates for network in allowed if candidate.version == network.version):
        return None
    for candidate in candidates:
        for attribute, kind in _REFUSED_KINDS:
            if getattr(candidate, attribute):
                return kind
        for network, kind in _SPECIAL_NETWORKS:
            if candidate in network:
                return kind
        if not candidate.is_global:
            return "non-global"  # e.g. 100.64.0.0/10 carrier-grade NAT
        if candidate.version == 6 and candidate not in _GLOBAL_UNICAST_V6:
            return "reserved"
    return None


class AddressGuard:
    """Resolves and checks each host once per session, then pins connections to that answer."""

    def __init__(self, *, allow_private: bool = False, allowed_networks: Iterable[str] = (), resolver: Resolver | None = None):
        self.allow_private = allow_private
        self.allowed = parse_networks(allowed_networks)
        # Look the default resolver up at call time so monkeypatching
        # `noticecheck.fetch.safety.resolve_host` takes effect for live sessions.
        self._resolver: Resolver = resolver or (lambda host, port: resolve_host(host, port))
        self._lock = threading.Lock()
        self._host_locks: dict[str, threading.Lock] = {}
        self._answers: dict[str, tuple[str, ...] | Exception] = {}

    def check(self, host: str, addresses: Iterable[str]) -> tuple[str, ...]:
        """Return the addresses if all may be contacted; raise AddressRefused for the first that may not."""
        unique = tuple(dict.fromkeys(addresses))
        if not unique:
            raise HostUnresolvable(f"could not resolve {host}: no addresses")
        if not self.allow_private:
            for address in unique:
                reason = refusal_reason(address, self.allowed)
                if reason is not None:
                    raise AddressRefused(host, address, reason)
        return unique

    def addresses(self, host: str, port: int) -> tuple[str, ...]:
        """The checked addresses for `host`, resolving on first use; raises
        HostUnresolvable or AddressRefused (and keeps raising it for this session)."""
        key = host.lower().rstrip(".")
        with self._lock:
            answer = self._answers.get(key)
            host_lock = self._host_locks.setdefault(key, threading.Lock())
        if answer is None:
            # One resolution per host even when many threads ask at once; the
            # global lock is not held while DNS is slow.
            with host_lock:
                answer = self._answers.get(key)
                if answer is None:
                    answer = self._resolve_and_check(key, port)
                    with self._lock:
                        self._answers[key] = answer
        if isinstance(answer, Exception):
            raise answer
        return answer

    def _resolve_and_check(self, host: str, port: int) -> tuple[str, ...] | Exception:
        try:
            resolved = list(self._resolver(host, port))
        except (OSError, UnicodeError) as exc:
            return HostUnresolvable(f"could not resolve {host}: {exc}")
        try:
            return self.check(host, resolved)
        except (AddressRefused, HostUnresolvable) as exc:
            return exc

    def pool_classes(self) -> dict[str, type[HTTPConnectionPool]]:
        """urllib3 pool classes whose connections go only to this guard's checked addresses."""
        guard = self
        http_conn = type("PinnedHTTPConnection", (_PinnedConnectionMixin, HTTPConnection), {"guard": guard})
        https_conn = type("PinnedHTTPSConnection", (_PinnedConnectionMixin, HTTPSConnection), {"guard": guard})
        return {
            "http": type("PinnedHTTPConnectionPool", (HTTPConnectionPool,), {"ConnectionCls": http_conn}),
            "https": type("PinnedHTTPSConnectionPool", (HTTPSConnectionPool,), {"ConnectionCls": https_conn}),
        }


class _PinnedConnectionMixin:
    """Replaces urllib3's `_new_conn` so the socket goes to a checked address, never a fresh DNS answer.

    Every socket, new or reused from the pool, is also put under the calling
    thread's request deadline (deadline.py) before it is written to or read,
    and the deadline is told when the request is about to be written.
    """

    guard: AddressGuard

    def request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        deadline.watch(self.sock)  # type: ignore[attr-defined]  # a reused connection (None when new)
        if self.sock is None:  # type: ignore[attr-defined]
            # http.client would connect on its first write; connecting first lets the moment
            # the request leaves be stamped after the TCP and TLS handshakes (politeness.py)
            self.connect()  # type: ignore[attr-defined]
        deadline.sending()
        return super().request(*args, **kwargs)  # type: ignore[misc]

    def getresponse(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        deadline.watch(self.sock)  # type: ignore[attr-defined]
        return super().getresponse(*args, **kwargs)  # type: ignore[misc]

    def _new_conn(self) -> socket.socket:  # type: ignore[override]
        host, port = self.host, self.port  # type: ignore[attr-defined]
        try:
            addresses = self.guard.addresses(host, port)
        except HostUnresolvable as exc:
            raise NewConnectionError(self, str(exc)) from exc  # type: ignore[arg-type]
        error: Exception | None = None
        for address in addresses:
            try:
                sock = urllib3_connection.create_connection(
                    (address, port),
                    self.timeout,  # type: ignore[attr-defined]
                    source_address=self.source_address,  # type: ignore[attr-defined]
                    socket_options=self.socket_options,  # type: ignore[attr-defined]
                )
            except SocketTimeout:
                error = ConnectTimeoutError(self, f"connection to {host} ({address}) timed out")
            except OSError as exc:
                error = NewConnectionError(self, f"could not connect to {host} ({address}): {exc}")  # type: ignore[arg-type]
                error.__cause__ = exc  # raised after the loop: keep the errno for http.plain_reason
            else:
                deadline.watch(sock)
                # Belt and braces: the peer must be the address we checked.
                peer = sock.getpeername()[0]
                if peer != address:
                    try:
                        self.guard.check(host, [peer])
                    except AddressRefused:
                        sock.close()
                        raise
                return sock
        assert error is not None
        raise error


__all__ = ["AddressGuard", "AddressRefused", "HostUnresolvable", "parse_networks", "refusal_reason", "resolve_host"]
