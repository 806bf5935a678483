"""The class grader on a synthetic class: every way a submission can go wrong.

A small test assignment (three exercises with the course's real checkers: an
integer, an array, a function) is written as MyST; the tests make 17
submissions and assert the gradebook cell by cell. No timing is asserted.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
import pytest

from classroom.grade import Limits, _tree_hashes, grade_folder, read_cells, redefines_check
from classroom.spec import ROOT, read_assignment

pytest.importorskip("jupyter_client")
pytest.importorskip("ipykernel")

HEADER = """\
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

# Test assignment
"""


def _exercise(label: str, statement: str, solution: str) -> str:
    return f"""
```{{exercise-start}}
:label: {label}
```

{statement}

```{{exercise-end}}
```

```{{solution-start}} {label}
:class: dropdown
```

```{{code-cell}} ipython3
{solution}
```

```{{solution-end}}
```
"""


ASSIGNMENT = (
    HEADER
    + _exercise(
        "test-1",
        '**Target row.** Which row holds the target? `check("time-series.2", answer)`.',
        'from course.exercises import check\n\nanswer = 274\ncheck("time-series.2", answer)',
    )
    + _exercise(
        "test-2",
        '**Keep probabilities.** Check with `check("word2vec.2", answer)`.',
        "import numpy as np\n\nfrom course.exercises import check\n"
        "from course.exercises.word2vec import EXERCISE_2_FREQUENCIES, EXERCISE_2_THRESHOLD\n\n"
        "f, t = np.array(EXERCISE_2_FREQUENCIES), EXERCISE_2_THRESHOLD\n"
        "answer = np.minimum(1.0, (np.sqrt(f / t) + 1) * t / f)\n"
        'check("word2vec.2", answer)',
    )
    + _exercise(
        "test-3",
        '**Counting pairs.** Check with `check("word2vec.4", positive_pairs)`.',
        "from course.exercises import check\n\n\ndef positive_pairs(n, w):\n"
        "    return sum(min(i, w) + min(n - 1 - i, w) for i in range(n))\n\n\n"
        'check("word2vec.4", positive_pairs)',
    )
)

SETUP = "import numpy as np\nfrom course.exercises import check"
RIGHT_1 = "answer_1 = 100 + 23 * 6 + 36"
RIGHT_2 = (
    "from course.exercises.word2vec import EXERCISE_2_FREQUENCIES, EXERCISE_2_THRESHOLD\n"
    "f, t = np.array(EXERCISE_2_FREQUENCIES), EXERCISE_2_THRESHOLD\n"
    "answer_2 = np.minimum(1.0, (np.sqrt(f / t) + 1) * t / f)"
)
RIGHT_3 = "def answer_3(n, w):\n    return sum(min(i, w) + min(n - 1 - i, w) for i in range(n))"
EDIT_PACKAGE = (
    "import pathlib\nimport course.exercises\n"
    "path = pathlib.Path(course.exercises.__file__)\n"
    "path.write_text(path.read_text() + '\\nCHECKERS.clear()  # every answer passes now\\n')"
)

KILL_CHECKERS = (
    "import os, signal\n"
    "for pid in filter(str.isdigit, os.listdir('/proc')):\n"
    "    try:\n"
    "        command = open(f'/proc/{pid}/cmdline', 'rb').read()\n"
    "    except OSError:\n"
    "        continue\n"
    "    if b'classroom.checker_server' in command:\n"
    "        os.kill(int(pid), signal.SIGKILL)"
)

# student → code cells (None: the file is written as is, see RAW)
CLASS: dict[str, list[str] | None] = {
    "all_right": [SETUP, RIGHT_1, RIGHT_2, RIGHT_3],
    "all_wrong_close": [
        SETUP,
        "answer_1 = 100 + 23 * 6",  # forgot the horizon
        RIGHT_2.replace(
            "np.minimum(1.0, (np.sqrt(f / t) + 1) * t / f)", "(np.sqrt(f / t) + 1) * t / f"
        ),  # no cap
        "def answer_3(n, w):\n    return 2 * n * w",  # ignores the ends
    ],
    "all_wrong_types": [
        SETUP,
        "answer_1 = None",
        "answer_2 = np.zeros(3)",
        "answer_3 = 42",
    ],
    "partly_right": [SETUP, RIGHT_1, "answer_2 = np.ones(5)", RIGHT_3],
    "raises": [SETUP, RIGHT_1, "1 / 0\n" + RIGHT_2, RIGHT_3],
    "infinite_loop": [SETUP, RIGHT_1, "while True:\n    pass\n" + RIGHT_2, RIGHT_3],
    "list_answer": [SETUP, RIGHT_1, RIGHT_2 + "\nanswer_2 = answer_2.tolist()", RIGHT_3],
    "check_redefined": [
        SETUP,
        "def check(exercise, answer):\n    print('Correct!')\n    return True",
        "answer_1 = 1",
        "answer_2 = [0.5] * 5",
        "answer_3 = lambda n, w: 0",
    ],
    "package_edited": [SETUP, RIGHT_1, RIGHT_2, RIGHT_3, EDIT_PACKAGE],
    "cells_deleted": [SETUP, RIGHT_1],
    "kills_checkers": [SETUP, KILL_CHECKERS, "answer_1 = 0", RIGHT_2, RIGHT_3],
    "renamed": [SETUP, RIGHT_1.replace("answer_1", "my_answer"), RIGHT_2, RIGHT_3],
    "function_raises": [SETUP, RIGHT_1, RIGHT_2, "def answer_3(n, w):\n    raise ValueError(n)"],
    "function_loops": [
        SETUP,
        RIGHT_1,
        RIGHT_2,
        "def answer_3(n, w):\n    while True:\n        pass",
    ],
    "memory_hog": [SETUP, RIGHT_1, "big = np.ones(10**11)\n" + RIGHT_2, RIGHT_3],
    "kernel_exits": [SETUP, RIGHT_1, "import os\nos._exit(3)", RIGHT_2, RIGHT_3],
    "untouched": [SETUP, "answer_1 = ...", "answer_2 = ...", "answer_3 = ..."],
    "empty": [],
    "not_json": None,
}
RAW = {"not_json": "this is not a notebook {"}

# student → verdicts of the three exercises (1 point each when correct)
EXPECTED: dict[str, tuple[str, str, str]] = {
    "all_right": ("correct", "correct", "correct"),
    "all_wrong_close": ("wrong", "wrong", "wrong"),
    "all_wrong_types": ("wrong", "wrong", "wrong"),
    "partly_right": ("correct", "wrong", "correct"),
    "raises": ("correct", "missing", "correct"),
    "infinite_loop": ("correct", "missing", "correct"),
    "list_answer": ("correct", "correct", "correct"),
    "check_redefined": ("wrong", "wrong", "wrong"),
    "package_edited": ("tampered", "tampered", "tampered"),
    "cells_deleted": ("correct", "missing", "missing"),
    "kills_checkers": ("wrong", "correct", "correct"),
    "renamed": ("missing", "correct", "correct"),
    "function_raises": ("correct", "correct", "wrong"),
    "function_loops": ("correct", "correct", "wrong"),
    "memory_hog": ("correct", "missing", "correct"),
    "kernel_exits": ("stopped", "stopped", "stopped"),
    "untouched": ("missing", "missing", "missing"),
    "empty": ("missing", "missing", "missing"),
    "not_json": ("unreadable", "unreadable", "unreadable"),
}
# student → a piece of text the reason of each exercise must hold ("" : anything)
REASONS: dict[tuple[str, int], str] = {
    ("raises", 1): "answer_2 is not defined",
    ("renamed", 0): "answer_1 is not defined",
    ("function_raises", 2): "raised ValueError",
    ("function_loops", 2): "did not return within",
    ("package_edited", 0): "exercises/__init__.py (changed)",
    ("kernel_exits", 0): "the kernel stopped at cell 3",
    ("untouched", 0): "still `...`",
    ("empty", 0): "no code",
    ("not_json", 0): "not JSON",
}


def _notebook(cells: list[str]) -> str:
    return json.dumps(
        {
            "cells": [
                {
                    "cell_type": "code",
                    "metadata": {},
                    "source": code,
                    "outputs": [],
                    "execution_count": None,
                }
                for code in cells
            ],
            "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3"}},
            "nbformat": 4,
            "nbformat_minor": 5,
        }
    )


@pytest.fixture(scope="module")
def graded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Grade the synthetic class once; return the output folder."""
    base = tmp_path_factory.mktemp("class")
    source = base / "test_assignment.md"
    source.write_text(ASSIGNMENT, encoding="utf-8")
    folder = base / "submissions"
    folder.mkdir()
    for student, cells in CLASS.items():
        text = RAW[student] if cells is None else _notebook(cells)
        (folder / f"{student}.ipynb").write_text(text, encoding="utf-8")
    before = _tree_hashes(ROOT / "course")
    output = base / "grades"
    limits = Limits(memory_mb=1024, cell_seconds=4, total_seconds=60, call_seconds=3)
    grade_folder(folder, source, output, jobs=2, limits=limits)
    assert _tree_hashes(ROOT / "course") == before, "grading changed the repository's course"
    return output


def _gradebook(output: Path) -> list[dict[str, str]]:
    with (output / "gradebook.csv").open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_assignment_reads_the_test_source(tmp_path: Path) -> None:
    source = tmp_path / "a.md"
    source.write_text(ASSIGNMENT, encoding="utf-8")
    assignment = read_assignment(source)
    assert [(e.id, e.variable) for e in assignment.exercises] == [
        ("time-series.2", "answer_1"),
        ("word2vec.2", "answer_2"),
        ("word2vec.4", "answer_3"),
    ]
    assert "answer_3 = positive_pairs" in assignment.exercises[2].solution


def test_gradebook_cell_by_cell(graded: Path) -> None:
    rows = _gradebook(graded)
    assert list(rows[0]) == [
        "student",
        "exercise",
        "variable",
        "points",
        "max_points",
        "verdict",
        "reason",
    ]
    by_student: dict[str, list[dict[str, str]]] = {}
    for row in rows:
        by_student.setdefault(row["student"], []).append(row)
    assert sorted(by_student) == sorted(EXPECTED)
    for student, verdicts in EXPECTED.items():
        got = by_student[student]
        assert [row["exercise"] for row in got] == ["time-series.2", "word2vec.2", "word2vec.4"]
        assert [row["variable"] for row in got] == ["answer_1", "answer_2", "answer_3"]
        assert tuple(row["verdict"] for row in got) == verdicts, (student, got)
        points = [row["points"] for row in got]
        assert points == ["1" if v == "correct" else "0" for v in verdicts], (student, got)
        assert all(row["max_points"] == "1" for row in got)
        assert all(row["reason"] for row in got), (student, got)
    for (student, index), text in REASONS.items():
        assert text in by_student[student][index]["reason"], (student, index)


def test_reasons_are_the_checkers_own_words(graded: Path) -> None:
    from course.exercises import check

    rows = {(row["student"], row["exercise"]): row["reason"] for row in _gradebook(graded)}
    assert rows["all_wrong_close", "time-series.2"] == check("time-series.2", 238).message
    assert rows["all_wrong_types", "word2vec.2"] == check("word2vec.2", np.zeros(3)).message
    assert (
        rows["all_wrong_close", "word2vec.4"]
        == check("word2vec.4", lambda n, w: 2 * n * w).message
    )
    assert rows["all_wrong_types", "word2vec.4"] == check("word2vec.4", 42).message
    assert rows["all_right", "word2vec.4"] == check("word2vec.4", _right_3).message


def _right_3(n: int, w: int) -> int:
    return sum(min(i, w) + min(n - 1 - i, w) for i in range(n))


def test_feedback_files_and_plot(graded: Path) -> None:
    feedback = {
        path.stem: path.read_text(encoding="utf-8") for path in (graded / "feedback").glob("*.md")
    }
    assert sorted(feedback) == sorted(EXPECTED)
    assert feedback["all_right"].startswith("# all_right: 3 / 3 points")
    assert "defines its own `check`" in feedback["check_redefined"]
    assert "Cell 3 raised ZeroDivisionError" in feedback["raises"]
    assert "Cell 3 ran past its time limit" in feedback["infinite_loop"]
    assert "MemoryError" in feedback["memory_hog"]
    assert (graded / "distribution.png").read_bytes()[:4] == b"\x89PNG"
    totals = {
        row["student"]: row["points"] for row in csv.DictReader((graded / "totals.csv").open())
    }
    assert totals["all_right"] == "3" and totals["partly_right"] == "2"
    summary = json.loads((graded / "summary.json").read_text())
    assert summary["submissions"] == len(EXPECTED)
    assert summary["checker_restarts"] >= 1  # kills_checkers did kill them; the class went on


def test_read_cells_and_redefinition(tmp_path: Path) -> None:
    path = tmp_path / "x.ipynb"
    path.write_text("[1, 2]", encoding="utf-8")
    with pytest.raises(ValueError, match="not a notebook"):
        read_cells(path)
    assert redefines_check(["from course.exercises import check", "check = print"]) == [2]
    assert redefines_check(["from mymodule import check as check"]) == [1]
    assert redefines_check(["check('a.1', 1)"]) == []


def test_command_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from classroom.grade import main

    source = tmp_path / "test_assignment.md"
    source.write_text(ASSIGNMENT, encoding="utf-8")
    folder = tmp_path / "in"
    (folder / "ann").mkdir(parents=True)
    (folder / "ann" / "work.ipynb").write_text(_notebook(CLASS["all_right"]), encoding="utf-8")
    (folder / "bob.ipynb").write_text("{", encoding="utf-8")
    (folder / ".ipynb_checkpoints").mkdir()
    (folder / ".ipynb_checkpoints" / "bob-checkpoint.ipynb").write_text("{}", encoding="utf-8")
    main([str(folder), "--chapter", str(source), "--output", str(tmp_path / "out")])
    out = capsys.readouterr().out
    assert "ann/work: 3 / 3" in out and "bob: 0 / 3" in out
    assert "Graded 2 submission(s) in" in out
    assert (tmp_path / "out" / "feedback" / "ann_work.md").is_file()
    with pytest.raises(ValueError, match="No .ipynb file under"):
        main([str(tmp_path / "out" / "feedback"), "--chapter", "01"])


def test_shared_start_up_files(tmp_path: Path) -> None:
    """A .pth file planted where Python looks at start-up: put back, and blamed when provable."""
    from classroom.grade import site_directories

    source = tmp_path / "test_assignment.md"
    source.write_text(ASSIGNMENT, encoding="utf-8")
    site = tmp_path / "site"
    site.mkdir()
    (site / "kept.pth").write_text("# a file that was there\n", encoding="utf-8")
    plant = (
        f"import pathlib\nsite = pathlib.Path({str(site)!r})\n"
        "(site / 'evil.pth').write_text('import os\\n')\n"
        "(site / 'kept.pth').write_text('import sys\\n')"
    )
    folders = [*site_directories(), str(site)]
    limits = Limits(memory_mb=1024, cell_seconds=10, total_seconds=60, call_seconds=3)
    results = {}
    for jobs, slow in ((1, ""), (2, "import time\ntime.sleep(6)\n")):
        folder = tmp_path / f"jobs{jobs}"
        folder.mkdir()
        (folder / "a_plants.ipynb").write_text(_notebook([SETUP, plant, RIGHT_1]))
        (folder / "b_other.ipynb").write_text(_notebook([SETUP, slow + RIGHT_1]))
        output = tmp_path / f"out{jobs}"
        grade_folder(folder, source, output, jobs=jobs, limits=limits, site_folders=folders)
        assert sorted(path.name for path in site.iterdir()) == ["kept.pth"]
        assert (site / "kept.pth").read_text() == "# a file that was there\n"
        rows = {(r["student"], r["exercise"]): r for r in _gradebook(output)}
        results[jobs] = (rows, json.loads((output / "summary.json").read_text()))
    rows, summary = results[1]  # alone: the change is proven to be its own
    assert rows["a_plants", "time-series.2"]["verdict"] == "tampered"
    assert "start-up files" in rows["a_plants", "time-series.2"]["reason"]
    assert rows["b_other", "time-series.2"]["verdict"] == "correct"
    assert summary["incidents"] == []
    rows, summary = results[2]  # two at once: recorded with both suspects, for a regrade
    assert rows["a_plants", "time-series.2"]["verdict"] == "correct"
    assert [incident["suspects"] for incident in summary["incidents"]] == [["a_plants", "b_other"]]
