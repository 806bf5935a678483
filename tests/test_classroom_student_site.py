"""The student edition of the site: no solution anywhere, and no chapter executed again.

The test builds a two-page toy book (a chapter with a gated exercise whose
solution is a code cell with output) twice: the normal build, which executes
the chapter and fills the cache, then the student edition from that cache.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from classroom.spec import ROOT
from classroom.student_site import (
    build,
    find_leaks,
    solution_snippets,
    strip_solution_cells,
    strip_solution_text,
    student_config,
    uncached,
)

SECRET = "secret_solution_value = 6 * 7 + 1000"
CHAPTER = f"""\
---
jupytext:
  text_representation:
    extension: .md
    format_name: myst
kernelspec:
  display_name: Python 3
  language: python
  name: python3
---

# 1. A toy chapter

```{{code-cell}} ipython3
print("lesson output", 2 + 2)
```

## Exercises

```{{exercise-start}}
:label: toy-1
```

**Add.** What is six times seven, plus a thousand? Put it in `answer`.

```{{exercise-end}}
```

```{{solution-start}} toy-1
:class: dropdown
```

The product first, then the sum.

```{{code-cell}} ipython3
{SECRET}
print("solution output", secret_solution_value)
```

```{{solution-end}}
```

After the exercises.
"""


def _toy_book(folder: Path) -> Path:
    (folder / "book").mkdir(parents=True)
    (folder / "intro.md").write_text("# Toy book\n\nThe introduction.\n", encoding="utf-8")
    (folder / "book" / "01_toy.md").write_text(CHAPTER, encoding="utf-8")
    (folder / "_toc.yml").write_text(
        "format: jb-book\nroot: intro\nchapters:\n  - file: book/01_toy\n", encoding="utf-8"
    )
    (folder / "_config.yml").write_text(
        "title: Toy\nonly_build_toc_files: true\nexclude_patterns: [_build]\n"
        "execute:\n  execute_notebooks: cache\n"
        "sphinx:\n  extra_extensions: [sphinx_exercise]\n"
        "repository:\n  url: https://github.com/org/toy\n  branch: colab\n"
        "launch_buttons:\n  colab_url: https://colab.research.google.com\n",
        encoding="utf-8",
    )
    return folder


def test_strip_helpers() -> None:
    text = (
        "keep\n```{solution-start} a\n:class: dropdown\n```\nsecret\n```{solution-end}\n```\nalso"
    )
    assert strip_solution_text(text) == "keep\nalso"
    notebook = {
        "cells": [
            {
                "cell_type": "markdown",
                "source": "```{exercise-end}\n```\n\n```{solution-start} a\n```",
            },
            {"cell_type": "code", "source": SECRET},
            {"cell_type": "markdown", "source": ["```{solution-end}\n", "```\n", "After."]},
        ]
    }
    assert [c["source"] for c in strip_solution_cells(notebook)["cells"]] == [
        "```{exercise-end}\n```",
        "After.",
    ]
    assert student_config()["execute"]["cache"].endswith("_build/.jupyter_cache")
    assert len(solution_snippets()) > 40


def test_student_build_has_no_solution_and_executes_nothing(tmp_path: Path) -> None:
    pytest.importorskip("jupyter_book")
    book = _toy_book(tmp_path / "toy")
    cache = book / "_build" / ".jupyter_cache"
    with pytest.raises(RuntimeError, match="lacks book/01_toy.md.*Run the normal build first"):
        build(book, tmp_path / "student")
    normal = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from jupyter_book.cli.main import main; main(sys.argv[1:])",
            "build",
            str(book),
        ],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=600,
    )
    assert normal.returncode == 0, normal.stdout[-3000:] + normal.stderr[-3000:]
    assert find_leaks(book / "_build", [SECRET]), "the normal build shows the solution"
    assert uncached(book, cache, student_config(book, cache)) == []
    records = sorted(cache.rglob("*"))
    html = build(book, tmp_path / "student", cache=cache)
    assert sorted(cache.rglob("*")) == records, "the student build executed a chapter"
    page = (html / "book" / "01_toy.html").read_text(encoding="utf-8")
    assert "What is six times seven" in page and "After the exercises" in page
    assert "lesson output" in page  # outputs come from the cache
    assert "solution output" not in page and "The product first" not in page
    assert find_leaks(tmp_path / "student", [SECRET, "The product first"]) == []
    assert "colab-student" in page


def test_real_book_student_build_has_no_solution(tmp_path: Path) -> None:
    """The real chapters, built without outputs: no solution's code anywhere in the output."""
    pytest.importorskip("jupyter_book")
    snippets = solution_snippets()
    assert len(find_leaks(ROOT / "book", snippets)) >= len(snippets)  # the check can fail
    html = build(ROOT, tmp_path / "student", execute="off")
    page = (html / "book" / "01_text_vectorization.html").read_text(encoding="utf-8")
    assert "One-hot by hand" in page and "TF-IDF bigrams in Keras" in page
    assert (html / "_sources" / "book" / "01_text_vectorization.md").is_file()
    assert find_leaks(tmp_path / "student", snippets) == []


def test_refuses_a_cache_of_another_profile(tmp_path: Path, monkeypatch) -> None:
    from bookbuild.sphinx_extension import package_fingerprint

    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / "course-package.sha256").write_text(package_fingerprint(profile="full") + "\n")
    monkeypatch.setenv("COURSE_PROFILE", "fast")
    with pytest.raises(RuntimeError, match="set COURSE_PROFILE=full"):
        build(ROOT, tmp_path / "out", cache=cache)
    assert not (tmp_path / "out").exists()
