"""Assignment notebooks: one chapter's exercises, ready to hand out.

``python -m classroom.assign CHAPTER`` writes
``_build/assignments/<chapter>.ipynb``: a title and instructions, the
chapter's Colab set-up cell (it installs ``course`` where it is missing, so
the notebook runs on Colab), one set-up cell (Keras backend, the fast
profile, ``check``), the chapter cells the exercises read (none today; see
:mod:`classroom.spec`), and per exercise its statement and an answer cell::

    from course.exercises.text_vectorization import EXERCISE_1_SAMPLES

    # Your code here. Put the answer in answer_1 (keep that name: it is graded).
    answer_1 = ...

    check("text-vectorization.1", answer_1)

Each exercise names the variable its answer goes in, ``answer_N``; the grader
(:mod:`classroom.grade`) reads those variables. ``--key`` also writes the
teacher's key, ``<chapter>_key.ipynb``, with the book's solutions filled in.

Command line::

    python -m classroom.assign 01                 # or: text-vectorization, 1
    python -m classroom.assign 01 --key --output handout/
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from classroom.spec import ROOT, Assignment, read_assignment

SETUP_CELL = (
    "# Set-up: the Keras backend, the fast profile and the course's checker.\n"
    "import os\n"
    "\n"
    'os.environ.setdefault("KERAS_BACKEND", "tensorflow")\n'
    'os.environ.setdefault("COURSE_PROFILE", "fast")\n'
    "\n"
    "from course.exercises import check"
)
INSTRUCTIONS = """\
Each exercise below names the variable its answer goes in (`answer_1`, `answer_2`, …).
Write your code in the exercise's cell and put the answer in that variable:
**keep its name**, as your teacher grades the variables, not what `check` printed.
`check(...)` tells you at once whether an answer is right and, if not, what to change.

Before you hand the notebook in, run it from the top (*Runtime → Restart and run all*
on Colab, *Kernel → Restart & Run All* in Jupyter) and make sure every cell runs.
"""


def answer_cell(assignment: Assignment, number: int) -> str:
    """The code cell a student fills in for exercise ``number``.

    Example:
        >>> print(answer_cell(read_assignment("05"), 2))
        from course.exercises import time_series as exercise
        <BLANKLINE>
        # Your code here. Put the answer in answer_2 (keep that name: it is graded).
        answer_2 = ...
        <BLANKLINE>
        check("time-series.2", answer_2)
    """
    exercise = next(item for item in assignment.exercises if item.number == number)
    parts = [exercise.imports] if exercise.imports else []
    parts.append(
        f"# Your code here. Put the answer in {exercise.variable} "
        f"(keep that name: it is graded).\n{exercise.variable} = ..."
    )
    parts.append(f'check("{exercise.id}", {exercise.variable})')
    return "\n\n".join(parts)


def build_notebook(assignment: Assignment, *, key: bool = False) -> Any:
    """The assignment (or, with ``key=True``, the teacher's key) as an ``nbformat`` notebook.

    Example:
        >>> notebook = build_notebook(read_assignment("01"))
        >>> notebook.metadata["classroom"]["exercises"][0]
        {'id': 'text-vectorization.1', 'variable': 'answer_1'}
    """
    import nbformat

    v4 = nbformat.v4
    heading = f"# Assignment: {assignment.title}" + (" (teacher's key)" if key else "")
    cells = [v4.new_markdown_cell(f"{heading}\n\n{INSTRUCTIONS}")]
    if assignment.colab_setup:
        setup = v4.new_code_cell(assignment.colab_setup)
        setup.metadata["cellView"] = "form"
        cells.append(setup)
    cells.append(v4.new_code_cell(SETUP_CELL))
    if assignment.setup_cells:
        note = "The exercises read these cells of the chapter: run them first."
        if assignment.trains:
            note += " One of them trains a model, in the fast profile."
        cells.append(v4.new_markdown_cell(note))
        cells.extend(v4.new_code_cell(code) for code in assignment.setup_cells)
    for exercise in assignment.exercises:
        cells.append(
            v4.new_markdown_cell(
                f"## Exercise {exercise.number}: {exercise.title}\n\n{exercise.statement}\n\n"
                f"**Your answer goes in `{exercise.variable}`.**"
            )
        )
        code = exercise.solution if key else answer_cell(assignment, exercise.number)
        cell = v4.new_code_cell(code)
        cell.metadata["tags"] = [f"exercise-{exercise.number}"]
        cells.append(cell)
    notebook = v4.new_notebook(cells=cells)
    notebook.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    notebook.metadata["colab"] = {"provenance": []}
    notebook.metadata["classroom"] = {
        "chapter": assignment.slug,
        "exercises": [
            {"id": exercise.id, "variable": exercise.variable} for exercise in assignment.exercises
        ],
    }
    return notebook


def write_assignment(
    chapter: str | Path, output: Path | None = None, *, key: bool = False
) -> list[Path]:
    """Write the assignment notebook (and the key) for ``chapter``; return the paths.

    Example:
        >>> paths = write_assignment("01", Path("/tmp/handout"))  # doctest: +SKIP
    """
    import nbformat

    assignment = read_assignment(chapter)
    output = output or ROOT / "_build" / "assignments"
    output.mkdir(parents=True, exist_ok=True)
    written = []
    for is_key in (False, True) if key else (False,):
        target = output / (assignment.source.stem + ("_key" if is_key else "") + ".ipynb")
        nbformat.write(build_notebook(assignment, key=is_key), target)
        written.append(target)
    return written


def main(argv: list[str] | None = None) -> None:
    """Command line: ``python -m classroom.assign CHAPTER [--key] [--output DIR]``."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("chapter", help="number (1), slug (text-vectorization) or MyST path")
    parser.add_argument("--key", action="store_true", help="also write the teacher's key")
    parser.add_argument("--output", type=Path, default=None, help="folder to write into")
    arguments = parser.parse_args(argv)
    assignment = read_assignment(arguments.chapter)
    for path in write_assignment(arguments.chapter, arguments.output, key=arguments.key):
        print(path)
    for exercise in assignment.exercises:
        print(f"  exercise {exercise.number}: {exercise.id} → {exercise.variable}")
    if assignment.trains:
        print(f"  {len(assignment.trains)} set-up cell(s) train a model (fast profile).")
    elif assignment.setup_cells:
        print(f"  {len(assignment.setup_cells)} chapter cell(s) kept as set-up.")
    else:
        print("  no exercise reads the chapter's cells: no model to train.")


if __name__ == "__main__":
    main()
