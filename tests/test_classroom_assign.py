"""Assignment notebooks for every chapter, and one real chapter graded end to end."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import nbformat
import pytest

from classroom.assign import build_notebook, main, write_assignment
from classroom.spec import chapter_sources, find_chapter, read_assignment


@pytest.mark.parametrize("source", chapter_sources(), ids=lambda path: path.stem)
def test_every_chapter_makes_an_assignment(source: Path) -> None:
    from course.exercises import CHECKERS, _load_chapter_checkers

    _load_chapter_checkers()
    assignment = read_assignment(source)
    assert assignment.exercises, f"{source.name} has no exercise"
    assert assignment.colab_setup.startswith("# Set-up for Colab")
    ids = [exercise.id for exercise in assignment.exercises]
    assert all(exercise_id in CHECKERS for exercise_id in ids)
    assert [e.variable for e in assignment.exercises] == [
        f"answer_{n}" for n in range(1, len(ids) + 1)
    ]
    notebook = build_notebook(assignment)
    nbformat.validate(notebook)
    code = [cell.source for cell in notebook.cells if cell.cell_type == "code"]
    markdown = "\n".join(cell.source for cell in notebook.cells if cell.cell_type == "markdown")
    for exercise in assignment.exercises:
        assert f"**Your answer goes in `{exercise.variable}`.**" in markdown
        cell = next(c for c in code if f'check("{exercise.id}", {exercise.variable})' in c)
        assert f"{exercise.variable} = ..." in cell
        assert exercise.solution not in "\n".join(code), "the assignment holds a solution"
    assert "{exercise" not in markdown and "{solution" not in markdown and "```{" not in markdown
    # no exercise of the book needs the chapter's cells (so no model to train)
    assert assignment.setup_cells == [] and assignment.trains == []
    key = build_notebook(assignment, key=True)
    key_code = "\n".join(cell.source for cell in key.cells if cell.cell_type == "code")
    for exercise in assignment.exercises:
        assert f"{exercise.variable} = " in exercise.solution
        assert exercise.solution in key_code


def test_setup_cells_follow_what_solutions_read(tmp_path: Path) -> None:
    source = tmp_path / "chapter.md"
    source.write_text(
        "# A chapter\n\n```{code-cell} ipython3\nimport numpy as np\n```\n\n"
        "```{code-cell} ipython3\nunused = 1\n```\n\n"
        "```{code-cell} ipython3\ndata = np.arange(3)\nmodel.fit(data)\n```\n\n"
        "```{exercise-start}\n:label: x-1\n```\n\n**Sum.** Sum `data`.\n\n"
        "```{exercise-end}\n```\n\n"
        "```{solution-start} x-1\n```\n\n"
        '```{code-cell} ipython3\nanswer = data.sum()\ncheck("x.1", answer)\n```\n\n'
        "```{solution-end}\n```\n",
        encoding="utf-8",
    )
    assignment = read_assignment(source)
    assert assignment.setup_cells == ["import numpy as np", "data = np.arange(3)\nmodel.fit(data)"]
    assert len(assignment.trains) == 1
    assert assignment.exercises[0].solution.endswith('answer_1 = answer\ncheck("x.1", answer_1)')


def test_find_chapter_names_what_exists() -> None:
    assert find_chapter("01") == find_chapter("text_vectorization") == find_chapter("1")
    with pytest.raises(ValueError, match="No chapter 'nope'.*01_text_vectorization"):
        find_chapter("nope")


def test_command_line_writes_assignment_and_key(tmp_path: Path, capsys) -> None:
    main(["05", "--key", "--output", str(tmp_path)])
    assert sorted(path.name for path in tmp_path.iterdir()) == [
        "05_time_series.ipynb",
        "05_time_series_key.ipynb",
    ]
    out = capsys.readouterr().out
    assert "time-series.4 → answer_4" in out and "no model to train" in out


def test_real_chapter_graded_end_to_end(tmp_path: Path) -> None:
    """Chapter 1 (a NumPy array, a Keras layer, a count vector): key, blank, one wrong layer."""
    from classroom.grade import grade_folder

    paths = write_assignment("01", tmp_path / "handout", key=True)
    blank, key = (json.loads(path.read_text(encoding="utf-8")) for path in paths)
    folder = tmp_path / "submissions"
    folder.mkdir()
    (folder / "key.ipynb").write_text(json.dumps(key), encoding="utf-8")
    (folder / "blank.ipynb").write_text(json.dumps(blank), encoding="utf-8")
    wrong = json.loads(json.dumps(key))
    for cell in wrong["cells"]:
        source = "".join(cell["source"])
        if "exercise-2" in cell.get("metadata", {}).get("tags", []):
            cell["source"] = source.replace('output_mode="tf_idf"', 'output_mode="count"')
    (folder / "wrong_layer.ipynb").write_text(json.dumps(wrong), encoding="utf-8")
    output = tmp_path / "grades"
    grade_folder(folder, "01", output, jobs=2)
    with (output / "gradebook.csv").open(encoding="utf-8") as handle:
        rows = {(row["student"], row["exercise"]): row for row in csv.DictReader(handle)}
    verdicts = {key: row["verdict"] for key, row in rows.items()}
    assert verdicts == {
        ("blank", "text-vectorization.1"): "missing",
        ("blank", "text-vectorization.2"): "missing",
        ("blank", "text-vectorization.3"): "missing",
        ("key", "text-vectorization.1"): "correct",
        ("key", "text-vectorization.2"): "correct",
        ("key", "text-vectorization.3"): "correct",
        ("wrong_layer", "text-vectorization.1"): "correct",
        ("wrong_layer", "text-vectorization.2"): "wrong",
        ("wrong_layer", "text-vectorization.3"): "correct",
    }
    assert (
        "tf_idf" in rows["wrong_layer", "text-vectorization.2"]["reason"].replace("-", "_").lower()
    )
