"""Shared test set-up: the markers' meaning is in pyproject.toml; this file enforces their one implication,
and sends the rulebook disk cache to a directory of this test run, not the user's.

A browser test is always slow (it starts Chromium), so `-m "not slow"` never
starts a browser even if a new browser test forgets the second marker.
"""

from __future__ import annotations

import os

import pytest


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if item.get_closest_marker("browser") and not item.get_closest_marker("slow"):
            item.add_marker(pytest.mark.slow)


@pytest.fixture(autouse=True, scope="session")
def _own_cache_dir(tmp_path_factory):
    # set for the whole session, so the CLI processes the tests start inherit it too
    before = os.environ.get("NOTICECHECK_CACHE_DIR")
    os.environ["NOTICECHECK_CACHE_DIR"] = str(tmp_path_factory.mktemp("cache"))
    yield
    if before is None:
        os.environ.pop("NOTICECHECK_CACHE_DIR", None)
    else:
        os.environ["NOTICECHECK_CACHE_DIR"] = before
