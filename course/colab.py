"""Colab notebooks from the MyST chapter sources, and the book's Colab button.

Colab opens only ``.ipynb`` files, and the chapters are MyST Markdown. So:

* :func:`build_notebooks` converts every chapter to ``.ipynb`` (no outputs)
  under ``_build/colab/book/``; publishing that folder to the repository's
  ``colab`` branch makes each launch link open a real notebook. With
  ``student=True`` it writes a student edition with the solutions removed.
* The book's Sphinx extension (:mod:`course.sphinx_extension`) runs the
  conversion after each HTML build and points the theme's Colab button at the
  ``.ipynb`` path instead of the ``.md`` source.

Each chapter's first code cell installs the ``course`` package when it is
missing (on Colab) and is hidden in the HTML; :func:`setup_cell_source` is the
one true text of that cell, and the test suite checks every chapter uses it.

Command line::

    python -m course.colab                # Colab notebooks into _build/colab
    python -m course.colab --student      # student edition into _build/student
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PACKAGE_NAME = "dl-text-sequences-course"
SOLUTION_START = re.compile(r"^```\{solution-start\}", re.MULTILINE)
SOLUTION_END = re.compile(r"^```\{solution-end\}", re.MULTILINE)


def book_config(root: Path = ROOT) -> dict[str, Any]:
    """The parsed ``_config.yml`` of the book.

    Example:
        >>> book_config()["title"]  # doctest: +SKIP
        'Deep Learning for Text and Sequences with Keras'
    """
    import yaml

    return yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8"))


def setup_cell_source(repository_url: str, branch: str = "main") -> str:
    """The first code cell of every chapter: install ``course`` where it is missing.

    Example:
        >>> print(setup_cell_source("https://github.com/org/repo").splitlines()[0])
        # Set-up for Colab: install the course package and its dependencies if missing.
    """
    return (
        "# Set-up for Colab: install the course package and its dependencies if missing.\n"
        "import importlib.util, subprocess, sys\n"
        "\n"
        f'COURSE = "{PACKAGE_NAME} @ git+{repository_url}@{branch}"\n'
        'if importlib.util.find_spec("course") is None:\n'
        '    subprocess.run([sys.executable, "-m", "pip", "install", "-q", COURSE], check=True)'
    )


def chapter_sources(root: Path = ROOT) -> list[Path]:
    """The chapter notebooks: ``book/NN_*.md`` files, in order.

    Example:
        >>> chapter_sources()[0].name  # doctest: +SKIP
        '01_text_vectorization.md'
    """
    return sorted((root / "book").glob("[0-9][0-9]_*.md"))


def strip_solutions(markdown: str) -> str:
    """Remove every gated solution (``solution-start`` … ``solution-end``) from MyST text.

    Example:
        >>> text = "a\\n```{solution-start} ex\\n```\\nsecret\\n```{solution-end}\\n```\\nb"
        >>> strip_solutions(text)
        'a\\n\\nb'
    """
    pieces = []
    position = 0
    while True:
        start = SOLUTION_START.search(markdown, position)
        if start is None:
            break
        end = SOLUTION_END.search(markdown, start.end())
        if end is None:
            raise ValueError("A {solution-start} has no matching {solution-end}.")
        closing_fence = markdown.find("```", end.end())
        pieces.append(markdown[position : start.start()])
        position = closing_fence + 3 if closing_fence != -1 else end.end()
    pieces.append(markdown[position:])
    return "".join(pieces)


def to_notebook(source: Path, *, student: bool = False) -> Any:
    """Read a MyST chapter as an ``nbformat`` notebook ready for Colab.

    Example:
        >>> notebook = to_notebook(chapter_sources()[0])  # doctest: +SKIP
        >>> notebook.cells[1].cell_type  # doctest: +SKIP
        'code'
    """
    import jupytext

    text = source.read_text(encoding="utf-8")
    if student:
        text = strip_solutions(text)
    notebook = jupytext.reads(text, fmt="md:myst")
    notebook.metadata.pop("jupytext", None)
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    notebook.metadata["accelerator"] = "GPU"
    notebook.metadata["colab"] = {"provenance": [], "gpuType": "T4"}
    return notebook


def build_notebooks(
    output: Path | None = None, *, student: bool = False, root: Path = ROOT
) -> list[Path]:
    """Write every chapter as ``<output>/book/<chapter>.ipynb``; return the paths.

    Example:
        >>> paths = build_notebooks(Path("/tmp/colab"))  # doctest: +SKIP
    """
    import nbformat

    output = output or root / "_build" / ("student" if student else "colab")
    written = []
    for source in chapter_sources(root):
        target = output / "book" / source.with_suffix(".ipynb").name
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_suffix(".ipynb.part")
        nbformat.write(to_notebook(source, student=student), temporary)
        temporary.replace(target)
        written.append(target)
    return written


def main(argv: list[str] | None = None) -> None:
    """Command line: ``python -m course.colab [--student] [--output DIR]``."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--student", action="store_true", help="remove the solutions")
    parser.add_argument("--output", type=Path, default=None, help="folder to write into")
    arguments = parser.parse_args(argv)
    for path in build_notebooks(arguments.output, student=arguments.student):
        print(path)


if __name__ == "__main__":
    main()
