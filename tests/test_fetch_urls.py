"""Website text as schools type it -> URLs; site comparison; de-duplication keys."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from noticecheck.fetch.urls import dedupe_key, normalise_website, same_site, toggle_www


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("www.example.org", "https://www.example.org/"),
        ("www.example.org/", "https://www.example.org/"),
        ("http://example.camden.sch.uk", "http://example.camden.sch.uk/"),
        ("HTTPS://WWW.Example.ORG/About-Us", "https://www.example.org/About-Us"),
        ("  www.example.org  ", "https://www.example.org/"),
        ("www. example .org", "https://www.example.org/"),
        ("https://example.org/our school/", "https://example.org/our%20school/"),
        ("http//www.example.org", "http://www.example.org/"),
        ("https:\\\\www.example.org", "https://www.example.org/"),
        ("www.example.org:443", "https://www.example.org/"),
        ("http://example.org:80/x", "http://example.org/x"),
        ("example.org/page?id=3#top", "https://example.org/page?id=3"),
        ("http://user:secret@example.org/", "http://example.org/"),
        ("http://127.0.0.1:8001", "http://127.0.0.1:8001/"),
        ("école.example", "https://xn--cole-9oa.example/"),
    ],
)
def test_normalise_website(raw, expected):
    assert normalise_website(raw) == expected


@pytest.mark.parametrize("raw", [None, "", "   ", "n/a", "none", "-", "TBC", "mailto:office@example.org", "ftp://example.org", "not a website", "http://", "http://[::1",
                                 # digits int() does not read: a superscript two, an Arabic-Indic one
                                 ":\u00b2", "example.org:8\u00b2", "example.org:\u0661"])
def test_not_a_website(raw):
    assert normalise_website(raw) is None


def test_same_site():
    assert same_site("https://www.example.org/a", "http://example.org/b")
    assert same_site("https://EXAMPLE.org:443/", "https://example.org/")
    assert not same_site("https://example.org/", "https://other.org/")
    assert not same_site("https://example.org/", "https://sub.example.org/")
    assert not same_site("http://127.0.0.1:8001/", "http://127.0.0.1:8002/")


def test_dedupe_key_and_toggle_www():
    assert dedupe_key("HTTP://Example.org:80#frag") == "http://example.org/"
    assert dedupe_key("https://example.org/a?b=1#c") == "https://example.org/a?b=1"
    assert toggle_www("https://www.example.org/a") == "https://example.org/a"
    assert toggle_www("https://example.org:8080/a") == "https://www.example.org:8080/a"
    assert toggle_www("http://127.0.0.1:8001/") is None


@given(st.text(max_size=60))
def test_normalise_website_never_raises_and_is_idempotent(raw):
    url = normalise_website(raw)
    if url is not None:
        assert url.startswith(("http://", "https://"))
        assert normalise_website(url) == url
