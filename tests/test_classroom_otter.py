"""The Otter-Grader export: test files, master notebook, Otter itself grading two notebooks."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from test_classroom_grade import ASSIGNMENT

from classroom.otter import export, master_notebook, otter_test_file, requirements
from classroom.spec import ROOT, read_assignment


def test_test_files_call_the_course_checker() -> None:
    exercise = read_assignment("03").exercises[3]
    source = otter_test_file(exercise)
    compile(source, "q4.py", "exec")
    assert "OK_FORMAT = False" in source and 'name = "q4"' in source
    assert "@test_case(points=1, hidden=False)\ndef test_q4(answer_4):" in source
    assert 'check("word2vec.4", answer_4)' in source


def test_master_notebook_has_one_question_per_exercise() -> None:
    assignment = read_assignment("01")
    notebook = master_notebook(assignment, colab=True, tests_url="https://example.org/t/")
    raw = [cell.source for cell in notebook.cells if cell.cell_type == "raw"]
    assert "runs_on: colab" in raw[0] and "ok_format: false" in raw[0]
    assert "  url_prefix: https://example.org/t/" in raw[0]
    assert [s for s in raw if s.startswith("# BEGIN QUESTION")] == [
        f"# BEGIN QUESTION\nname: q{n}\npoints: 1" for n in (1, 2, 3)
    ]
    solutions = [c.source for c in notebook.cells if "# SOLUTION" in c.source]
    assert [s.splitlines()[-1] for s in solutions] == [
        "answer_1 = answer  # SOLUTION",
        "answer_2 = layer  # SOLUTION",
        "answer_3 = answer  # SOLUTION",
    ]
    assert "@" in requirements() and "tensorflow-cpu" in requirements()


def _otter(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        [str(ROOT)] + [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p]
    )
    return subprocess.run(
        [sys.executable, "-m", "otter", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_otter_assigns_and_grades_two_submissions(tmp_path: Path) -> None:
    """`otter assign` on the export, then `otter run` on the key and a partly right notebook."""
    pytest.importorskip("otter", reason="Otter-Grader is in the optional 'classroom' extra")
    import nbformat

    source = tmp_path / "a.md"
    source.write_text(ASSIGNMENT, encoding="utf-8")
    master = export(source, tmp_path / "master")[0]
    assigned = _otter("assign", master.name, "dist", cwd=master.parent)
    assert assigned.returncode == 0, assigned.stdout + assigned.stderr
    dist = master.parent / "dist"
    archive = next((dist / "autograder").glob("*-autograder_*.zip"))
    student = nbformat.read(dist / "student" / "a.ipynb", as_version=4)
    for cell in student.cells:
        if cell.cell_type == "code" and cell.source.strip() == "answer_1 = ...":
            cell.source = "answer_1 = 274"
    partly = tmp_path / "partly.ipynb"
    nbformat.write(student, partly)
    scores = {}
    for name, notebook in (("key", dist / "autograder" / "a.ipynb"), ("partly", partly)):
        output = tmp_path / f"run-{name}"
        output.mkdir()
        ran = _otter(
            "run", "-a", str(archive), "-o", str(output), "--no-logo", str(notebook), cwd=tmp_path
        )
        assert ran.returncode == 0, ran.stdout + ran.stderr
        results = json.loads((output / "results.json").read_text(encoding="utf-8"))
        scores[name] = {t["name"]: t.get("score") for t in results["tests"] if "score" in t}
        if name == "partly":
            q2 = next(t for t in results["tests"] if t["name"] == "q2")["output"]
            assert "Expected the keep probabilities to hold numbers" in q2  # the checker's words
    assert scores == {
        "key": {"q1": 1, "q2": 1, "q3": 1},
        "partly": {"q1": 1, "q2": 0, "q3": 0},
    }
