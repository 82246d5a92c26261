"""Getting notices off school websites: school lists, a polite HTTP client, notice discovery.

    registry.py   read_schools(): GIAS exports and simple CSVs -> School records
    urls.py       normalise_website(), same_site(): website text -> fetchable URLs
    http.py       PoliteSession / FetchPolicy / FetchResult: polite, safe fetching
    discover.py   discover_notices(): find a school's privacy notices on its site

Supporting modules, one concern each: safety.py (refusing private addresses,
pinned connections), politeness.py (per-host and per-IP spacing), robots.py
(robots.txt per RFC 9309), transport.py (the capped, timed requests adapter).

Import the submodule you need; this package imports nothing itself so that
reading a CSV does not pull in the HTTP stack.
"""
