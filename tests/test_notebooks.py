"""Every chapter, converted to .ipynb, executes with nbval in the current profile.

nbval runs each cell and fails on any error; numeric checks live in the chapters
themselves (``course.claim`` raises when a number leaves its band), so a chapter
whose results regress fails here. Each chapter must also fit its time budget in
the fast profile.
"""

from __future__ import annotations

import subprocess
import sys
import time

import pytest
from book_tools import FAST_PROFILE_BUDGET_S, ROOT, chapter_environment

from course.colab import chapter_sources

CHAPTERS = chapter_sources()


@pytest.mark.parametrize("source", CHAPTERS, ids=[source.stem for source in CHAPTERS])
def test_chapter_executes_with_nbval(source):
    import jupytext

    environment = chapter_environment()
    folder = ROOT / "_build" / "nbval"
    folder.mkdir(parents=True, exist_ok=True)
    notebook = folder / source.with_suffix(".ipynb").name
    jupytext.write(jupytext.read(source), notebook)

    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--no-cov",
         "--nbval-lax", "--nbval-current-env", "--nbval-cell-timeout=1800", str(notebook)],
        cwd=ROOT, env=environment, capture_output=True, text=True,
    )
    elapsed = time.monotonic() - started
    print(f"{source.stem}: {elapsed:.0f} s in the {environment['COURSE_PROFILE']} profile")
    assert result.returncode == 0, f"{source.name} failed under nbval:\n{result.stdout[-8000:]}\n{result.stderr[-2000:]}"
    if environment["COURSE_PROFILE"] == "fast":
        budget = FAST_PROFILE_BUDGET_S.get(source.stem, 300)
        assert elapsed < budget, f"{source.name} took {elapsed:.0f} s, over its fast-profile budget of {budget} s"
