"""One style for the package, the tests and the chapters' code cells (ruff), and the
rhythm of the chapters' code: short cells (median ≤ 8 lines, none over 25 visible),
lines of at most 99 characters."""

from __future__ import annotations

import statistics
import subprocess
import sys
from pathlib import Path

import pytest
from book_tools import ROOT

from bookbuild.colab import chapter_sources

HIDDEN = {"remove-cell", "remove-input", "hide-input", "hide-cell"}
MEDIAN_LINES, MAX_LINES, MAX_LINE_LENGTH = 8, 25, 99


def ruff(*arguments: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "ruff", *arguments], cwd=ROOT, capture_output=True, text=True
    )


def test_package_and_tests_pass_ruff():
    checked = ruff("check", "course", "bookbuild", "classroom", "colab", "tests")
    assert checked.returncode == 0, checked.stdout[-4000:]
    formatted = ruff("format", "--check", "course", "bookbuild", "classroom", "colab", "tests")
    assert formatted.returncode == 0, formatted.stdout[-4000:]


@pytest.fixture(scope="module")
def chapter_notebooks(tmp_path_factory) -> dict[str, Path]:
    import jupytext

    folder = tmp_path_factory.mktemp("chapters")
    notebooks = {}
    for source in chapter_sources():
        notebooks[source.stem] = folder / f"{source.stem}.ipynb"
        jupytext.write(jupytext.read(source), notebooks[source.stem])
    return notebooks


@pytest.mark.parametrize("chapter", [source.stem for source in chapter_sources()])
def test_chapter_code_cells_pass_ruff(chapter_notebooks, chapter):
    notebook = str(chapter_notebooks[chapter])
    checked = ruff("check", notebook)
    assert checked.returncode == 0, checked.stdout[-4000:]
    formatted = ruff("format", "--diff", notebook)
    assert formatted.returncode == 0, formatted.stdout[-4000:]


def visible_code_cells(source: Path) -> list[str]:
    import jupytext

    cells = jupytext.read(source).cells
    return [
        cell.source
        for cell in cells
        if cell.cell_type == "code" and not HIDDEN & set(cell.metadata.get("tags", []))
    ]


@pytest.mark.parametrize("source", chapter_sources(), ids=lambda source: source.stem)
def test_chapter_code_cells_are_short(source):
    cells = visible_code_cells(source)
    lengths = [len(cell.strip().splitlines()) for cell in cells]
    assert statistics.median(lengths) <= MEDIAN_LINES, f"median cell {statistics.median(lengths)}"
    long_cells = [cell.splitlines()[0] for cell, n in zip(cells, lengths) if n > MAX_LINES]
    assert not long_cells, f"cells over {MAX_LINES} lines start with: {long_cells}"
    long_lines = [
        line for cell in cells for line in cell.splitlines() if len(line) > MAX_LINE_LENGTH
    ]
    assert not long_lines, long_lines[:3]


def test_no_chapter_shows_package_code_through_literalinclude():
    for source in chapter_sources():
        assert "literalinclude" not in source.read_text(encoding="utf-8"), source.name


def cell_statistics() -> str:
    """Median and largest visible code cell per chapter (printed by the style report)."""
    rows = []
    for source in chapter_sources():
        lengths = [len(cell.strip().splitlines()) for cell in visible_code_cells(source)]
        rows.append(
            f"{source.stem}: {len(lengths)} cells, median {statistics.median(lengths)}, "
            f"largest {max(lengths)}"
        )
    return "\n".join(rows)


if __name__ == "__main__":
    print(cell_statistics())
