"""The address guard against the IANA special-purpose address registries (IPv4 and IPv6).

The entries below are data taken from IANA's "IANA IPv4 Special-Purpose
Address Registry" and "IANA IPv6 Special-Purpose Address Registry" (RFC 6890
and later updates; blocks and their "Globally Reachable" column as published
in 2024-2025), plus the IPv6 address-space blocks that are not global unicast
(fec0::/10 is there, "Reserved by IETF" since RFC 3879 deprecated site-local
addresses). Every block that is not globally reachable must be refused at its
first, middle and last address; no web server a school uses can live there.
A block marked globally reachable (anycast services such as AS112) may be
refused too: refusing more is safe, contacting less is the point.
"""

from __future__ import annotations

import ipaddress

import pytest

from noticecheck.fetch.safety import refusal_reason

# (block, name, globally reachable) - IANA IPv4 Special-Purpose Address Registry
IPV4_SPECIAL = (
    ("0.0.0.0/8", "This network", False),
    ("0.0.0.0/32", "This host on this network", False),
    ("10.0.0.0/8", "Private-Use", False),
    ("100.64.0.0/10", "Shared Address Space", False),
    ("127.0.0.0/8", "Loopback", False),
    ("169.254.0.0/16", "Link Local", False),
    ("172.16.0.0/12", "Private-Use", False),
    ("192.0.0.0/24", "IETF Protocol Assignments", False),
    ("192.0.0.0/29", "IPv4 Service Continuity Prefix", False),
    ("192.0.0.8/32", "IPv4 dummy address", False),
    ("192.0.0.9/32", "Port Control Protocol Anycast", True),
    ("192.0.0.10/32", "Traversal Using Relays around NAT Anycast", True),
    ("192.0.0.170/32", "NAT64/DNS64 Discovery", False),
    ("192.0.0.171/32", "NAT64/DNS64 Discovery", False),
    ("192.0.2.0/24", "Documentation (TEST-NET-1)", False),
    ("192.31.196.0/24", "AS112-v4", True),
    ("192.52.193.0/24", "AMT", True),
    ("192.88.99.0/24", "Deprecated (6to4 Relay Anycast)", None),
    ("192.168.0.0/16", "Private-Use", False),
    ("192.175.48.0/24", "Direct Delegation AS112 Service", True),
    ("198.18.0.0/15", "Benchmarking", False),
    ("198.51.100.0/24", "Documentation (TEST-NET-2)", False),
    ("203.0.113.0/24", "Documentation (TEST-NET-3)", False),
    ("240.0.0.0/4", "Reserved", False),
    ("255.255.255.255/32", "Limited Broadcast", False),
)

# IANA IPv6 Special-Purpose Address Registry
IPV6_SPECIAL = (
    ("::1/128", "Loopback Address", False),
    ("::/128", "Unspecified Address", False),
    ("::ffff:0:0/96", "IPv4-mapped Address", False),
    ("64:ff9b::/96", "IPv4-IPv6 Translat.", True),
    ("64:ff9b:1::/48", "IPv4-IPv6 Translat.", False),
    ("100::/64", "Discard-Only Address Block", False),
    ("100:0:0:1::/64", "Dummy IPv6 Prefix", False),
    ("2001::/23", "IETF Protocol Assignments", False),
    ("2001::/32", "TEREDO", None),
    ("2001:1::1/128", "Port Control Protocol Anycast", True),
    ("2001:1::2/128", "Traversal Using Relays around NAT Anycast", True),
    ("2001:1::3/128", "DNS-SD Service Registration Protocol Anycast", True),
    ("2001:2::/48", "Benchmarking", False),
    ("2001:3::/32", "AMT", True),
    ("2001:4:112::/48", "AS112-v6", True),
    ("2001:10::/28", "Deprecated (previously ORCHID)", None),
    ("2001:20::/28", "ORCHIDv2", True),
    ("2001:30::/28", "Drone Remote ID Protocol Entity Tags (DETs) Prefix", True),
    ("2001:db8::/32", "Documentation", False),
    ("2002::/16", "6to4", None),
    ("2620:4f:8000::/48", "Direct Delegation AS112 Service", True),
    ("3fff::/20", "Documentation", False),
    ("5f00::/16", "Segment Routing (SRv6) SIDs", False),
    ("fc00::/7", "Unique-Local", False),
    ("fe80::/10", "Link-Local Unicast", False),
)

# Internet Protocol Version 6 Address Space: blocks outside global unicast (2000::/3)
# and multicast, some of which no special-purpose entry covers.
IPV6_NOT_GLOBAL_UNICAST = (
    ("fec0::/10", "Reserved by IETF (deprecated site-local, RFC 3879)"),
    ("4000::/3", "Reserved by IETF"),
    ("e000::/4", "Reserved by IETF"),
    ("fe00::/9", "Reserved by IETF"),
    ("ff00::/8", "Multicast"),
    ("224.0.0.0/4", "IPv4 multicast"),
)


def _samples(block: str) -> list[str]:
    network = ipaddress.ip_network(block)
    first, last = network.network_address, network.broadcast_address
    middle = first + (network.num_addresses // 2)
    return [str(a) for a in dict.fromkeys((first, middle, last))]


NOT_REACHABLE = [(b, n) for b, n, g in IPV4_SPECIAL + IPV6_SPECIAL if g is False] + list(IPV6_NOT_GLOBAL_UNICAST)


@pytest.mark.parametrize("block,name", NOT_REACHABLE, ids=[b for b, _ in NOT_REACHABLE])
def test_every_block_not_globally_reachable_is_refused(block, name):
    for address in _samples(block):
        assert refusal_reason(address) is not None, f"{address} ({name}, {block}) is not refused"


def test_old_site_local_ipv6_is_refused_by_name():
    assert refusal_reason("fec0::1") == "site-local"
    assert refusal_reason("feff:ffff::1") == "site-local"


def test_tunnels_are_judged_by_the_ipv4_address_they_carry():
    # 6to4 carries the site's IPv4 address in bits 16-48; Teredo (inside 2001::/23) is refused whole.
    assert refusal_reason("2002:a00:1::1") == "private"  # 10.0.0.1
    assert refusal_reason("2002:7f00:1::1") == "loopback"
    assert refusal_reason("2002:808:808::1") is None  # 8.8.8.8
    assert refusal_reason("2001:0:4136:e378:8000:63bf:80ff:fffe") is not None


@pytest.mark.parametrize("address", ["8.8.8.8", "151.101.0.1", "2a00:1450:4009:81f::2004", "2606:4700::6810:84e5"])
def test_ordinary_public_addresses_are_allowed(address):
    assert refusal_reason(address) is None


def test_the_registry_tables_are_well_formed():
    for block, _, reachable in IPV4_SPECIAL + IPV6_SPECIAL:
        assert ipaddress.ip_network(block).with_prefixlen == block or ipaddress.ip_network(block).compressed == block
        assert reachable in (True, False, None)


def test_a_school_site_resolving_to_site_local_ipv6_is_never_contacted():
    from loopback import loopback_policy

    from noticecheck.fetch.http import PoliteSession

    # A stubbed DNS answer: the name resolves to fec0::1; the guard refuses before any socket opens.
    with PoliteSession(loopback_policy(), resolver=lambda host, port: ["fec0::1"]) as session:
        result = session.get("http://school.example/")
    assert result.outcome == "refused-private"
    assert "site-local" in result.error
