"""Shared test fixtures."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def isolated_data_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty data home; no mirror; downloads switched off. Nothing touches ~/course_data."""
    home = tmp_path / "data_home"
    home.mkdir()
    monkeypatch.setenv("COURSE_DATA_HOME", str(home))
    monkeypatch.delenv("COURSE_DATA_MIRROR", raising=False)
    monkeypatch.setenv("COURSE_DATA_OFFLINE", "1")
    return home


@pytest.fixture(autouse=True)
def close_figures():
    """Close the figures a test drew, so that they do not pile up over the session."""
    yield
    import sys

    if "matplotlib.pyplot" in sys.modules:
        sys.modules["matplotlib.pyplot"].close("all")
