"""When every school of a scan failed the same way, one closing note saying so, with the option that would change it.

A scan run on a laptop without `--allow-network`, or offline, or behind a
firewall, marks every school unreachable; 600 identical rows on a
dashboard do not tell the user what to do. This reads the stored reasons
(plain English, from fetch/http.py and fetch/safety.py), sorts each into a
cause, and when one cause covers every school, says it once. No I/O.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable

from noticecheck.precompiled import regex
from noticecheck.scan.status import STATUS_LABELS
from noticecheck.scan.store import SchoolRecord

# the networks the address guard refuses by default, narrowest first, for an --allow-network suggestion
_NETWORKS = tuple(
    ipaddress.ip_network(n)
    for n in ("127.0.0.0/8", "192.168.0.0/16", "172.16.0.0/12", "10.0.0.0/8", "169.254.0.0/16", "::1/128", "fc00::/7", "fe80::/10")
)
_REFUSED = regex(r"it resolves to (\S+), an? [\w -]+ address")

# cause -> (pattern in the reason, what it means, what to try)
_CAUSES = {
    "connection-refused": (regex(r"connection refused by"), "every website refused the connection",
                           "check that this machine can reach the web (a firewall or proxy in the way?)"),
    "no-such-host": (regex(r"no such host|could not be resolved|does not resolve", re.I),
                     "no website's name could be looked up", "check that this machine is online and its DNS works"),
    "timeout": (regex(r"no answer from .* within"), "no website answered in time",
                "if the network is slow, give each request longer with --timeout 60"),
}


def _network_for(addresses: set[str]) -> str | None:
    """The narrowest default-refused network holding every address, as --allow-network wants it."""
    try:
        ips = [ipaddress.ip_address(a.strip("[]")) for a in addresses]
    except ValueError:
        return None
    for network in _NETWORKS:
        if all(ip.version == network.version and ip in network for ip in ips):
            return str(network)
    return None


def _cause(record: SchoolRecord) -> tuple[str, str] | None:
    """(cause, the refused address or "") for one failed school, or None when its reason is not a shared kind."""
    reason = record.error or ""
    refused = _REFUSED.search(reason)
    if refused:
        return "refused-private", refused.group(1)
    for name, (pattern, _, _) in _CAUSES.items():
        if pattern.search(reason):
            return name, ""
    return None


def common_failure(schools: Iterable[SchoolRecord]) -> str | None:
    """One sentence when every school (two or more) failed for the same reason, else None.

    One walk over the schools (a stored run is read as it goes), stopped at the first that differs."""
    status = cause = None
    count = 0
    details = set()
    for school in schools:
        if status is None:
            status = school.status
            if status in ("checked", "no-website"):
                return None
        elif school.status != status:
            return None
        found = _cause(school)
        if found is None or (cause is not None and found[0] != cause):
            return None
        cause = found[0]
        details.add(found[1])
        count += 1
    if count < 2:
        return None
    head = f"All {count} schools ended as \"{STATUS_LABELS.get(status, status)}\""
    if cause == "refused-private":
        network = _network_for(details)
        option = f"--allow-network {network}" if network else "--allow-private"
        return (f"{head}: every website resolves to a private or loopback address, which a scan refuses by "
                f"default. If these are your own test sites, scan again with {option}.")
    _, meaning, advice = _CAUSES[cause]
    return f"{head}: {meaning}; {advice}."
