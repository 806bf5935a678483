"""course.execute: a chapter runs once, is recorded, timed, and lands in the book's cache."""

import json
import shutil

import pytest

from course import claims, colab, execute

TINY = """---
jupytext:
  text_representation: {extension: .md, format_name: myst}
kernelspec: {display_name: Python 3, language: python, name: python3}
---

# 1. Tiny

```{code-cell} ipython3
import os
print("profile", os.environ["COURSE_PROFILE"])
```
"""


@pytest.fixture
def tiny_book(tmp_path, monkeypatch):
    shutil.copy(colab.ROOT / "_config.yml", tmp_path / "_config.yml")
    (tmp_path / "book").mkdir()
    (tmp_path / "book" / "01_tiny.md").write_text(TINY)
    monkeypatch.setenv(claims.RESULTS_DIR_ENV, str(tmp_path / "results"))
    monkeypatch.setenv("COURSE_PROFILE", "fast")
    return tmp_path


def test_chapters_are_found_by_number_or_name():
    assert execute.resolve_chapters(["4"]) == execute.resolve_chapters(["04_recurrent_networks"])
    assert execute.resolve_chapters([]) == colab.chapter_sources()
    with pytest.raises(ValueError, match="No chapter matches 'nope'"):
        execute.resolve_chapters(["nope"])


def test_a_chapter_executes_once_is_timed_and_cached_for_the_book(tiny_book):
    from jupyter_cache import get_cache

    source = tiny_book / "book" / "01_tiny.md"
    seconds = execute.execute_chapter(source, "full", root=tiny_book)
    assert seconds > 0
    executed = json.loads((tiny_book / "_build" / "executed" / "01_tiny.ipynb").read_text())
    outputs = [output for cell in executed["cells"] for output in cell.get("outputs", [])]
    assert any("profile full" in "".join(output.get("text", "")) for output in outputs)
    timing = json.loads((tiny_book / "results" / "timings-full.jsonl").read_text())
    assert timing["chapter"] == "01_tiny" and timing["method"] == "course.execute"
    # the book build (myst-nb, cache mode) reads the chapter the same way and finds it
    cache = get_cache(str(tiny_book / "_build" / ".jupyter_cache"))
    record = cache.match_cache_notebook(execute.read_chapter(source, tiny_book))
    assert record.data["execution_seconds"] == pytest.approx(seconds)


def test_a_failing_chapter_is_reported_and_kept_for_reading(tiny_book):
    source = tiny_book / "book" / "01_tiny.md"
    source.write_text(TINY + '\n```{code-cell} ipython3\nraise RuntimeError("boom")\n```\n')
    with pytest.raises(execute.ChapterFailedError, match="boom"):
        execute.execute_chapter(source, "fast", root=tiny_book)
    assert (tiny_book / "_build" / "executed" / "01_tiny.ipynb").is_file()
    assert not (tiny_book / "results" / "timings-fast.jsonl").exists()
