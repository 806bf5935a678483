"""Otter-Grader export: a chapter's exercises as an Otter assignment.

``python -m classroom.otter CHAPTER`` writes, into ``--output``
(``_build/otter/<chapter>/``):

* ``<chapter>.ipynb``: an Otter Assign *master notebook* (format v1): one
  question per exercise, its statement, the book's solution (between
  ``# BEGIN SOLUTION`` markers, the answer line marked ``# SOLUTION``) and
  one exception-based test cell that calls the course's checker on the
  answer variable;
* ``tests/qN.py``: the same tests as Otter exception-based test files::

      from otter.test_files import test_case

      OK_FORMAT = False

      name = "q1"
      points = 1

      @test_case(points=1, hidden=False)
      def test_q1(answer_1):
          from course.exercises import check
          feedback = check("text-vectorization.1", answer_1)
          assert feedback.passed, feedback.message

* ``requirements.txt``: what the autograder installs (the course package
  from the repository, and TensorFlow for CPU).

Then ``otter assign <chapter>.ipynb dist/`` writes the student notebook and
``dist/autograder/<name>-autograder_*.zip`` for Gradescope; ``otter run -a
<zip> submission.ipynb`` grades one submission without Docker, ``otter grade``
a folder with Docker. The checks are the course's checkers, so Otter's
feedback quotes them. Otter runs the tests in the student's own process (its
model, not ours: see :mod:`classroom.grade` for grading apart from the
student's code). ``--colab`` sets ``runs_on: colab`` for notebooks that
students run on Colab (Otter then needs the tests as files: publish
``dist/student/tests/`` and give its address with ``--tests-url``, Otter's
``tests.url_prefix``, so that ``grader.check`` downloads them).

Example:
    >>> print(otter_test_file(read_assignment("05").exercises[1]).splitlines()[-1])
        assert feedback.passed, feedback.message
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from classroom.spec import ROOT, Assignment, Exercise, read_assignment

TEST_BODY = """\
def test_{question}({variable}):
    from course.exercises import check

    feedback = check("{id}", {variable})
    assert feedback.passed, feedback.message"""


def question_name(exercise: Exercise) -> str:
    """Otter's name for the exercise's question: ``q1``, ``q2`` …

    Example:
        >>> question_name(read_assignment("01").exercises[0])
        'q1'
    """
    return f"q{exercise.number}"


def otter_test_file(exercise: Exercise, *, points: float = 1, hidden: bool = False) -> str:
    """The Otter exception-based test file of one exercise."""
    question = question_name(exercise)
    body = TEST_BODY.format(question=question, variable=exercise.variable, id=exercise.id)
    return (
        "from otter.test_files import test_case\n\n"
        "OK_FORMAT = False\n\n"
        f'name = "{question}"\n'
        f"points = {points:g}\n\n\n"
        f"@test_case(points={points:g}, hidden={hidden})\n"
        f"{body}\n"
    )


def _solution_cell(exercise: Exercise) -> str:
    """The master notebook's solution cell: data imports, the solution, the answer line."""
    lines = exercise.solution.rstrip().splitlines()
    answer_line = next(
        index for index, line in enumerate(lines) if line.startswith(f"{exercise.variable} = ")
    )
    body = [line for line in lines[:answer_line] if line.strip()]
    parts = [exercise.imports] if exercise.imports else []
    if body:
        parts.append("# BEGIN SOLUTION NO PROMPT\n" + "\n".join(body) + "\n# END SOLUTION")
    parts.append(f"{lines[answer_line]}  # SOLUTION")
    return "\n".join(parts)


def _config(assignment: Assignment, *, colab: bool, tests_url: str | None = None) -> str:
    lines = [
        "# ASSIGNMENT CONFIG",
        f"name: {assignment.slug}",
        "requirements: requirements.txt",
        "overwrite_requirements: false",
        "init_cell: true",
        "check_all_cell: true",
        "export_cell: true",
        "run_tests: true",
        "solutions_pdf: false",
        "tests:",
        "  files: true",
        "  ok_format: false",
        *([f"  url_prefix: {tests_url}"] if tests_url else []),
        "generate: true",
    ]
    if colab:
        lines.append("runs_on: colab")
    return "\n".join(lines)


def master_notebook(
    assignment: Assignment, *, colab: bool = False, tests_url: str | None = None
) -> Any:
    """The chapter's exercises as an Otter Assign master notebook (``nbformat``).

    Example:
        >>> notebook = master_notebook(read_assignment("01"))
        >>> notebook.cells[0].source.splitlines()[:2]
        ['# ASSIGNMENT CONFIG', 'name: text-vectorization']
    """
    import nbformat

    v4 = nbformat.v4
    from classroom.assign import INSTRUCTIONS, SETUP_CELL

    cells = [
        v4.new_raw_cell(_config(assignment, colab=colab, tests_url=tests_url)),
        v4.new_markdown_cell(f"# Assignment: {assignment.title}\n\n{INSTRUCTIONS}"),
    ]
    if assignment.colab_setup:
        cells.append(v4.new_code_cell(assignment.colab_setup))
    cells.append(v4.new_code_cell(SETUP_CELL))
    cells.extend(v4.new_code_cell(code) for code in assignment.setup_cells)
    for exercise in assignment.exercises:
        question = question_name(exercise)
        cells += [
            v4.new_raw_cell(f"# BEGIN QUESTION\nname: {question}\npoints: 1"),
            v4.new_markdown_cell(
                f"## Exercise {exercise.number}: {exercise.title}\n\n{exercise.statement}\n\n"
                f"**Your answer goes in `{exercise.variable}`.**"
            ),
            v4.new_raw_cell("# BEGIN SOLUTION"),
            v4.new_code_cell(_solution_cell(exercise)),
            v4.new_raw_cell("# END SOLUTION"),
            v4.new_raw_cell("# BEGIN TESTS"),
            v4.new_code_cell(
                '""" # BEGIN TEST CONFIG\npoints: 1\nhidden: false\n""" # END TEST CONFIG\n'
                + TEST_BODY.format(question=question, variable=exercise.variable, id=exercise.id)
            ),
            v4.new_raw_cell("# END TESTS"),
            v4.new_raw_cell("# END QUESTION"),
        ]
    notebook = v4.new_notebook(cells=cells)
    notebook.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    return notebook


def requirements(root: Path = ROOT) -> str:
    """What Otter's autograder installs: TensorFlow for CPU and the course package.

    Example:
        >>> requirements().splitlines()[0]
        'tensorflow-cpu'
    """
    from bookbuild.colab import PACKAGE_NAME, book_config

    url = book_config(root)["repository"]["url"]
    return f"tensorflow-cpu\n{PACKAGE_NAME} @ git+{url}@main\n"


def export(
    chapter: str | Path,
    output: Path | None = None,
    *,
    colab: bool = False,
    tests_url: str | None = None,
) -> list[Path]:
    """Write the master notebook, the test files and requirements; return their paths.

    Example:
        >>> paths = export("01", Path("/tmp/otter-01"))  # doctest: +SKIP
    """
    import nbformat

    assignment = read_assignment(chapter)
    output = output or ROOT / "_build" / "otter" / assignment.source.stem
    (output / "tests").mkdir(parents=True, exist_ok=True)
    master = output / f"{assignment.source.stem}.ipynb"
    nbformat.write(master_notebook(assignment, colab=colab, tests_url=tests_url), master)
    written = [master]
    for exercise in assignment.exercises:
        path = output / "tests" / f"{question_name(exercise)}.py"
        path.write_text(otter_test_file(exercise), encoding="utf-8")
        written.append(path)
    path = output / "requirements.txt"
    path.write_text(requirements(), encoding="utf-8")
    written.append(path)
    return written


def main(argv: list[str] | None = None) -> None:
    """Command line: ``python -m classroom.otter CHAPTER [--output DIR] [--colab]``."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("chapter", help="number (1), slug (text-vectorization) or MyST path")
    parser.add_argument("--output", type=Path, default=None, help="folder to write into")
    parser.add_argument("--colab", action="store_true", help="runs_on: colab")
    parser.add_argument(
        "--tests-url",
        default=None,
        help="where students' notebooks download the test files from (Otter's tests.url_prefix)",
    )
    arguments = parser.parse_args(argv)
    paths = export(
        arguments.chapter, arguments.output, colab=arguments.colab, tests_url=arguments.tests_url
    )
    for path in paths:
        print(path)
    print(f"Next: otter assign {paths[0]} dist/")


if __name__ == "__main__":
    main()
