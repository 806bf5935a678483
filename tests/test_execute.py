"""bookbuild.execute: a chapter runs once, is recorded, timed, and lands in the book's cache."""

import json
import shutil

import pytest

from bookbuild import colab, execute
from course import claims, records

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
    monkeypatch.setenv(records.RESULTS_DIR_ENV, str(tmp_path / "results"))
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
    assert timing["chapter"] == "01_tiny" and timing["method"] == "bookbuild.execute"
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


PARTIAL = (
    TINY
    + """
```{code-cell} ipython3
:tags: [needs-jena]

weather = "jena rows"
print("used", weather)
```

```{code-cell} ipython3
print("airline part ran")
```
"""
)


def test_a_partial_run_leaves_out_the_tagged_cells_and_never_reaches_the_book(tiny_book):
    from jupyter_cache import get_cache

    source = tiny_book / "book" / "01_tiny.md"
    source.write_text(PARTIAL)
    execute.execute_chapter(source, "full", root=tiny_book, without=["jena"])
    executed = json.loads(
        (tiny_book / "_build" / "executed" / "01_tiny.without-jena.ipynb").read_text()
    )
    text = "".join(
        "".join(output.get("text", ""))
        for cell in executed["cells"]
        for output in cell.get("outputs", [])
    )
    assert "airline part ran" in text and "used jena rows" not in text
    assert not (tiny_book / "_build" / "executed" / "01_tiny.ipynb").exists()
    timing = json.loads((tiny_book / "results" / "timings-full.jsonl").read_text())
    assert timing["method"] == "bookbuild.execute --without jena"
    cache = get_cache(str(tiny_book / "_build" / ".jupyter_cache"))
    assert cache.list_cache_records() == []


def test_a_partial_run_refuses_what_would_break_or_leave_nothing_out(tiny_book):
    source = tiny_book / "book" / "01_tiny.md"
    with pytest.raises(ValueError, match="no code cell tagged needs-jena"):
        execute.execute_chapter(source, "full", root=tiny_book, without=["jena"])
    source.write_text(PARTIAL + "\n```{code-cell} ipython3\nprint(weather)\n```\n")
    with pytest.raises(ValueError, match="Code cell 4 reads weather.*Tag it needs-jena too"):
        execute.execute_chapter(source, "full", root=tiny_book, without=["jena"])
    assert not (tiny_book / "results" / "timings-full.jsonl").exists()


def test_a_function_parameter_is_not_mistaken_for_a_left_out_name():
    import nbformat

    notebook = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_code_cell("rows = 1", metadata={"tags": ["needs-jena"]}),
            nbformat.v4.new_code_cell("def count(rows):\n    return len(rows)"),
        ]
    )
    assert execute.drop_cells_needing(notebook, ["jena"]) == 1


@pytest.mark.parametrize("source", colab.chapter_sources(), ids=lambda path: path.stem)
def test_every_chapters_tagged_parts_can_be_left_out(source):
    notebook = execute.read_chapter(source)
    datasets = {
        tag.removeprefix(execute.NEEDS_TAG_PREFIX)
        for cell in notebook.cells
        for tag in cell.metadata.get("tags", [])
        if tag.startswith(execute.NEEDS_TAG_PREFIX)
    }
    for dataset in sorted(datasets):
        code_cells = sum(cell.cell_type == "code" for cell in notebook.cells)
        left_out = execute.drop_cells_needing(notebook, [dataset])
        assert 0 < left_out < code_cells, f"{source.stem} without {dataset}"


def test_a_measurement_run_records_an_out_of_band_claim_and_goes_on(tiny_book, monkeypatch):
    monkeypatch.delenv(claims.KEEP_GOING_ENV, raising=False)
    source = tiny_book / "book" / "01_tiny.md"
    source.write_text(
        TINY
        + """
```{code-cell} ipython3
from course.claims import declare, claim
declare("ch01_demo", fast=(0.9, None), full=(0.9, None), value_range=(0, 1))
print(claim("ch01_demo", 0.5, glue=False))
print("the chapter went on")
```
"""
    )
    with pytest.raises(execute.ChapterFailedError, match="outside its full-profile band"):
        execute.execute_chapter(source, "full", root=tiny_book)
    execute.execute_chapter(source, "full", root=tiny_book, keep_going=True)
    records = [json.loads(line) for line in (tiny_book / "results" / "full.jsonl").open()]
    assert [entry["within_band"] for entry in records] == [False, False]
    executed = (tiny_book / "_build" / "executed" / "01_tiny.ipynb").read_text()
    assert "OUT OF BAND" in executed and "the chapter went on" in executed
    timing = json.loads((tiny_book / "results" / "timings-full.jsonl").read_text())
    assert timing["method"] == "bookbuild.execute --keep-going"
    assert not claims.keep_going()  # the setting was for the kernel only
