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


@pytest.fixture(scope="session")
def colab_verified() -> dict:
    """nbval over every chapter's Colab notebook in a Colab-like runtime, once per session.

    ``python -m bookbuild.verify_colab`` executes the notebooks (fast profile unless
    ``COURSE_PROFILE`` says otherwise) and stores each executed chapter in the book's
    execution cache, so the book build that follows does not execute it again.
    Returns its report; its output is in ``_build/colab-verify.log``.
    """
    import json
    import subprocess
    import sys

    from book_tools import ROOT, chapter_environment

    from bookbuild.verify_colab import RUNTIME_DIR

    environment = chapter_environment()
    report_file = RUNTIME_DIR / "report.json"
    report_file.unlink(missing_ok=True)
    log = ROOT / "_build" / "colab-verify.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("w") as output:
        command = [sys.executable, "-m", "bookbuild.verify_colab", "--profile"]
        command.append(environment["COURSE_PROFILE"])
        subprocess.run(command, cwd=ROOT, env=environment, stdout=output, stderr=subprocess.STDOUT)
    if not report_file.is_file():
        pytest.fail(f"bookbuild.verify_colab wrote no report:\n{log.read_text()[-6000:]}")
    report = json.loads(report_file.read_text())
    report["log"] = log.read_text()
    return report
