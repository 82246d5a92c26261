"""Website addresses as schools type them, made into URLs we can fetch and compare.

GIAS `SchoolWebsite` is free text: `www.x.org`, `http://x.sch.uk/`, `HTTPS://X.ORG/About`,
stray spaces, `n/a`. `normalise_website` turns the usable ones into an absolute
http(s) URL and the rest into None; `same_site` and `dedupe_key` are what the
crawler uses to stay on one school's site and to visit each page once.
"""

from __future__ import annotations

import ipaddress
import re
from urllib.parse import quote, urlsplit, urlunsplit

from noticecheck.precompiled import regex

_DEFAULT_PORTS = {"http": 80, "https": 443}

# "http//x", "http:/x", "https:\\x", "http;//x": typing slips seen in registry data.
_SCHEME_SLIP = regex(r"^(https?)\s*[:;]?\s*[/\\]+", re.IGNORECASE)
_OTHER_SCHEME = regex(r"^[a-z][a-z0-9+.-]*:", re.IGNORECASE)
_LABEL = regex(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
_TLD = regex(r"^(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$")


def _clean_host(host: str) -> str | None:
    """Lower-case, IDNA-encode and validate a host name or IP literal; None if unusable."""
    host = host.strip().rstrip(".").lower()
    if not host:
        return None
    try:
        ip = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        pass
    else:
        return f"[{ip}]" if ip.version == 6 else str(ip)
    if host == "localhost":
        return host
    try:
        host = host.encode("idna").decode("ascii")
    except UnicodeError:
        return None
    labels = host.split(".")
    if len(labels) < 2 or not all(_LABEL.match(label) for label in labels):
        return None
    if not _TLD.match(labels[-1]):
        return None
    return host


def _split_port(netloc: str) -> tuple[str, int | None] | None:
    """Split "host:port" (or "[v6]:port"); None when the port is not a number."""
    if netloc.startswith("["):
        end = netloc.find("]")
        if end < 0:
            return None
        host, rest = netloc[: end + 1], netloc[end + 1 :]
    else:
        host, _, port_text = netloc.partition(":")
        rest = ":" + port_text if port_text else ""
    if not rest:
        return host, None
    # ASCII digits only: "²" passes isdigit() but int() refuses it, and int() would read "١" as 1
    if not rest.startswith(":") or not (rest[1:].isascii() and rest[1:].isdigit()):
        return None
    port = int(rest[1:])
    return (host, port) if 0 < port < 65536 else None


def normalise_website(raw: str | None) -> str | None:
    """Turn a website as typed into an absolute http(s) URL, or None if it is not one.

    "www.x.org" -> "https://www.x.org/"; an explicit http:// is kept (the site's
    own redirect moves us to https); the host is lower-cased, the path, query and
    port kept, the fragment and any user:password@ dropped.
    """
    if raw is None:
        return None
    text = raw.strip().strip("\"'<>").strip()
    if not text:
        return None
    slip = _SCHEME_SLIP.match(text)
    if slip:
        scheme = slip.group(1).lower()
        rest = text[slip.end() :]
    elif _OTHER_SCHEME.match(text) and not re.match(r"^[^/:]+:\d", text):
        return None  # mailto:, ftp:, javascript: ... (but "host:8080/x" is a host with a port)
    else:
        scheme, rest = "https", text.lstrip("/")
    # Spaces in the host part are typing slips ("www. x.org"); in a path they are real.
    host_end = re.search(r"[/?#]", rest)
    cut = host_end.start() if host_end else len(rest)
    rest = re.sub(r"\s+", "", rest[:cut]) + rest[cut:]
    try:
        parts = urlsplit(f"{scheme}://{rest}")
    except ValueError:  # e.g. an unbalanced "[" read as an IPv6 literal
        return None
    netloc = parts.netloc.rpartition("@")[2]
    split = _split_port(netloc)
    if split is None:
        return None
    host = _clean_host(split[0])
    if host is None:
        return None
    port = split[1]
    if port is not None and port != _DEFAULT_PORTS[scheme]:
        host = f"{host}:{port}"
    path = quote(parts.path.strip(), safe="/%:@!$&'()*+,;=-._~") or "/"
    query = quote(parts.query, safe="=&%:@!$'()*+,;/?-._~")
    return urlunsplit((scheme, host, path, query, ""))


def _site_parts(url: str) -> tuple[str, int | None]:
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").rstrip(".").lower()
    if host.startswith("www."):
        host = host[4:]
    try:
        port = parts.port
    except ValueError:
        port = None
    if port == _DEFAULT_PORTS.get(parts.scheme.lower()):
        port = None
    return host, port


def same_site(url_a: str, url_b: str) -> bool:
    """True when both URLs are on one school's site: same host ignoring "www." and scheme.

    An explicit non-default port is part of the site (so two loopback servers on
    different ports are two sites).
    """
    site_a = _site_parts(url_a)
    return bool(site_a[0]) and site_a == _site_parts(url_b)


def dedupe_key(url: str) -> str:
    """The form of a URL used to visit it once: no fragment, lower-case scheme and host,
    no default port, "/" for an empty path."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if ":" in host:
        host = f"[{host}]"
    try:
        port = parts.port
    except ValueError:
        port = None
    if port is not None and port != _DEFAULT_PORTS.get(scheme):
        host = f"{host}:{port}"
    return urlunsplit((scheme, host, parts.path or "/", parts.query, ""))


def toggle_www(url: str) -> str | None:
    """The same URL with "www." added or removed from the host; None for IP literals."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    try:
        ipaddress.ip_address(host)
        return None
    except ValueError:
        pass
    if host == "localhost" or not host:
        return None
    other = host[4:] if host.startswith("www.") else "www." + host
    netloc = other if parts.port is None else f"{other}:{parts.port}"
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


__all__ = ["dedupe_key", "normalise_website", "same_site", "toggle_www"]
