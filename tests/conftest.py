"""Shared test set-up: the markers' meaning is in pyproject.toml; this file enforces their one implication.

A browser test is always slow (it starts Chromium), so `-m "not slow"` never
starts a browser even if a new browser test forgets the second marker.
"""

from __future__ import annotations

import pytest


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if item.get_closest_marker("browser") and not item.get_closest_marker("slow"):
            item.add_marker(pytest.mark.slow)
