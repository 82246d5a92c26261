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
from collections.abc import Sequence

from noticecheck.scan.status import STATUS_LABELS
from noticecheck.scan.store import SchoolRecord

# the networks the address guard refuses by default, narrowest first, for an --allow-network suggestion
_NETWORKS = tuple(
    ipaddress.ip_network(n)
    for n in ("127.0.0.0/8", "192.168.0.0/16", "172.16.0.0/12", "10.0.0.0/8", "169.254.0.0/16", "::1/128", "fc00::/7", "fe80::/10")
)
_REFUSED = re.compile(r"it resolves to (\S+), an? [\w -]+ address")

# cause -> (pattern in the reason, what it means, what to try)
_CAUSES = {
    "connection-refused": (re.compile(r"connection refused by"), "every website refused the connection",
                           "check that this machine can reach the web (a firewall or proxy in the way?)"),
    "no-such-host": (re.compile(r"no such host|could not be resolved|does not resolve", re.I),
                     "no website's name could be looked up", "check that this machine is online and its DNS works"),
    "timeout": (re.compile(r"no answer from .* within"), "no website answered in time",
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


def common_failure(schools: Sequence[SchoolRecord]) -> str | None:
    """One sentence when every school (two or more) failed for the same reason, else None."""
    if len(schools) < 2 or len({s.status for s in schools}) != 1 or schools[0].status in ("checked", "no-website"):
        return None
    causes = [_cause(s) for s in schools]
    if any(c is None for c in causes) or len({c[0] for c in causes}) != 1:
        return None
    cause = causes[0][0]
    head = f"All {len(schools)} schools ended as \"{STATUS_LABELS.get(schools[0].status, schools[0].status)}\""
    if cause == "refused-private":
        network = _network_for({c[1] for c in causes})
        option = f"--allow-network {network}" if network else "--allow-private"
        return (f"{head}: every website resolves to a private or loopback address, which a scan refuses by "
                f"default. If these are your own test sites, scan again with {option}.")
    _, meaning, advice = _CAUSES[cause]
    return f"{head}: {meaning}; {advice}."
