"""Grade a class: every submission in its own kernel, the checkers in a process apart.

``python -m classroom.grade FOLDER --chapter CHAPTER`` grades every
``.ipynb`` under ``FOLDER`` (one per student; the student's name is the
file's path without ``.ipynb``) against the chapter's assignment (read from
the repository, never from the submissions) and writes, into ``--output``:

* ``gradebook.csv``: one row per student and exercise: student, exercise,
  variable, points, max_points, verdict, reason;
* ``totals.csv``: one row per student: points, max_points;
* ``feedback/<student>.md``: the checker's own words for every exercise, and
  what went wrong in the notebook (errors, time-outs, tampering);
* ``distribution.png``: the distribution of the totals; ``summary.json``:
  counts and the time the grading took.

How a submission is graded:

1. Its code cells run in a fresh kernel (:mod:`classroom.kernel`) with a
   memory limit, a time limit per cell (interrupted past it) and one for the
   whole notebook, in a folder of its own, importing a private copy of
   ``course``. A cell that raises does not stop the next ones (each answer
   stands on its own).
2. The assignment's variables (``answer_1`` …) leave the kernel as data
   (:mod:`classroom.values`): never pickles, never code.
3. A separate process (:mod:`classroom.checker_server`) that imported every
   checker from a snapshot of the repository *before any submission ran*
   checks them, and only it decides the points. A student's function answer
   is called in the student's kernel, on the arguments the checker asks for.
4. A submission that changed a file of ``course`` (its copy or the
   repository's) scores zero on every exercise, verdict ``tampered``; the
   repository's files are put back.

Verdicts: ``correct`` (full points), ``wrong`` (the checker's words),
``missing`` (the variable is not defined: a deleted cell, a renamed variable,
or a cell that failed first), ``ungradable`` (a value that cannot leave the
kernel), ``stopped`` (the kernel died or was killed before the answers could
be read), ``unreadable`` (the file is not a notebook), ``tampered``.

Command line::

    python -m classroom.grade submissions/ --chapter 01 --output grades/ --jobs 2
"""

from __future__ import annotations

import argparse
import ast
import csv
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from classroom.kernel import CellRun, Kernel
from classroom.spec import ROOT, Assignment, read_assignment

VERDICTS = ("correct", "wrong", "missing", "ungradable", "stopped", "unreadable", "tampered")
EXPORT_NAME = "answers.json"
_BOOT = (
    "import runpy, sys\n"
    "sys.path[:0] = sys.argv[1:]\n"
    "runpy.run_module('classroom.checker_server', run_name='__main__')\n"
)
STARTUP_NAMES = ("sitecustomize.py", "usercustomize.py")


def site_directories() -> list[str]:
    """The interpreter's site-packages folders (the checkers' process gets them without ``site``).

    Example:
        >>> any("site-packages" in folder for folder in site_directories())
        True
    """
    import site

    folders = [*site.getsitepackages(), site.getusersitepackages()]
    return [folder for folder in dict.fromkeys(folders) if Path(folder).is_dir()]


def startup_files(folders: list[str]) -> dict[str, bytes]:
    """Path → bytes of every file Python runs at start-up in ``folders`` (``*.pth``, customize).

    Example:
        >>> isinstance(startup_files(site_directories()), dict)
        True
    """
    found = {}
    for folder in folders:
        for path in sorted(Path(folder).glob("*")):
            if path.is_file() and (path.suffix == ".pth" or path.name in STARTUP_NAMES):
                found[str(path)] = path.read_bytes()
    return found


@dataclass(frozen=True)
class Limits:
    """Limits for one submission: memory (MB), seconds per cell, seconds for the notebook.

    Example:
        >>> Limits().memory_mb
        4096
    """

    memory_mb: int = 4096
    cell_seconds: float = 120
    total_seconds: float = 300
    call_seconds: float = 10


@dataclass
class Row:
    """One line of the gradebook."""

    student: str
    exercise: str
    variable: str
    points: float
    max_points: float
    verdict: str
    reason: str


@dataclass
class Graded:
    """One student's rows and the notes of their feedback file."""

    student: str
    rows: list[Row]
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0


def _tree_hashes(folder: Path) -> dict[str, str]:
    """Relative path → SHA-256 of every file under ``folder`` (caches left out)."""
    hashes = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
            hashes[path.relative_to(folder).as_posix()] = hashlib.sha256(
                path.read_bytes()
            ).hexdigest()
    return hashes


def _changes(before: dict[str, str], after: dict[str, str]) -> list[str]:
    """The files that differ between two :func:`_tree_hashes`.

    Example:
        >>> _changes({"a.py": "1", "b.py": "2"}, {"a.py": "1", "b.py": "3", "c.py": "4"})
        ['b.py (changed)', 'c.py (added)']
    """
    changed = [
        f"{name} (changed)" for name in before if name in after and before[name] != after[name]
    ]
    changed += [f"{name} (deleted)" for name in before if name not in after]
    changed += [f"{name} (added)" for name in after if name not in before]
    return sorted(changed)


def _ignore_caches(directory: str, names: list[str]) -> list[str]:
    return [name for name in names if name == "__pycache__" or name.endswith(".pyc")]


class Checkers:
    """The checkers' process (:mod:`classroom.checker_server`), started from a snapshot."""

    def __init__(self, snapshot: Path, site_folders: list[str]) -> None:
        env = {key: value for key, value in os.environ.items() if not key.startswith("PYTHON")}
        env.update(
            {"KERAS_BACKEND": "tensorflow", "TF_CPP_MIN_LOG_LEVEL": "2", "MPLBACKEND": "Agg"}
        )
        self._log = (snapshot.parent / "checkers.log").open("wb")
        # -I: no PYTHONPATH, user site or current folder; -S: no site module, so no .pth
        # file (which a submission could have written) runs; the site folders come explicitly.
        self._process = subprocess.Popen(
            [sys.executable, "-I", "-S", "-c", _BOOT, str(snapshot), *site_folders],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._log,
            cwd=str(snapshot),
            env=env,
            text=True,
        )
        self._lock = threading.Lock()
        hello = self._read()
        course_file = Path(str(hello.get("course", "")))
        if not hello.get("ready") or snapshot.resolve() not in course_file.resolve().parents:
            self.close()
            raise RuntimeError(
                f"The checkers' process loaded course from {course_file}, not from the "
                f"snapshot {snapshot}: check that no .pth file or meta-path hook forces it."
            )
        self.exercises: list[str] = list(hello["exercises"])

    def _read(self) -> dict[str, Any]:
        line = self._process.stdout.readline() if self._process.stdout else ""
        if not line:
            raise RuntimeError(
                "The checkers' process stopped; its log is "
                f"{self._log.name}: {Path(self._log.name).read_text(errors='replace')[-2000:]}"
            )
        return json.loads(line)

    def alive(self) -> bool:
        """Whether the process still runs (a submission may have killed it)."""
        return self._process.poll() is None

    def check(
        self, exercise: str, answer: dict[str, Any], calls: dict[str, Any]
    ) -> dict[str, Any]:
        """One verdict (or a request for a call to the student's function)."""
        request = json.dumps({"exercise": exercise, "answer": answer, "calls": calls})
        with self._lock:
            if self._process.stdin is None or not self.alive():
                raise RuntimeError("The checkers' process stopped.")
            try:
                self._process.stdin.write(request + "\n")
                self._process.stdin.flush()
            except OSError as error:
                raise RuntimeError(f"The checkers' process stopped ({error}).") from None
            return self._read()

    def close(self) -> None:
        """Stop the process."""
        if self._process.stdin:
            try:
                self._process.stdin.close()
            except OSError:
                pass  # it had stopped
        try:
            self._process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._process.kill()
        self._log.close()


def _kernel_helpers(values_source: str) -> str:
    """Code run in the kernel after the student's cells: load the export module privately."""
    return (
        "import sys as _classroom_sys, types as _classroom_types\n"
        "_classroom = _classroom_types.ModuleType('_classroom_values')\n"
        f"exec(compile({values_source!r}, '<classroom.values>', 'exec'), _classroom.__dict__)\n"
        "_classroom_sys.modules['_classroom_values'] = _classroom\n"
        "del _classroom, _classroom_sys, _classroom_types\n"
    )


def redefines_check(cells: list[str]) -> list[int]:
    """The (1-based) code cells that bind the name ``check`` to something of their own.

    ``from course.exercises import check`` is the course's own and does not count.

    Example:
        >>> redefines_check(["from course.exercises import check", "def check(*a):\\n    pass"])
        [2]
    """
    found = []
    for number, code in enumerate(cells, start=1):
        try:
            tree = ast.parse(code)
        except SyntaxError:
            continue
        for node in ast.walk(tree):
            binds = (
                isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
                and node.name == "check"
            ) or (
                isinstance(node, ast.Name)
                and node.id == "check"
                and isinstance(node.ctx, ast.Store)
            )
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                own = isinstance(node, ast.ImportFrom) and node.module == "course.exercises"
                binds = not own and any(
                    (alias.asname or alias.name.split(".")[0]) == "check" for alias in node.names
                )
            if binds:
                found.append(number)
                break
    return found


def read_cells(path: Path) -> list[str]:
    """The code cells of a notebook file, as text; raises ValueError when it is not one.

    Example:
        >>> import tempfile
        >>> path = Path(tempfile.mkdtemp()) / "x.ipynb"
        >>> cell = '{"cell_type": "code", "source": ["a = 1\\\\n", "b"]}'
        >>> _ = path.write_text('{"cells": [' + cell + ']}')
        >>> read_cells(path)
        ['a = 1\\nb']
    """
    try:
        data = json.loads(path.read_text(encoding="utf-8", errors="replace"))
    except json.JSONDecodeError as error:
        raise ValueError(f"the file is not a notebook (not JSON: {error})") from None
    cells = data.get("cells") if isinstance(data, dict) else None
    if not isinstance(cells, list):
        raise ValueError("the file is JSON but not a notebook (no list of cells)")
    code = []
    for cell in cells:
        if isinstance(cell, dict) and cell.get("cell_type") == "code":
            source = cell.get("source", "")
            code.append("".join(source) if isinstance(source, list) else str(source))
    return code


class Grader:
    """Grades submissions of one assignment; one instance per class."""

    def __init__(
        self,
        assignment: Assignment,
        *,
        limits: Limits | None = None,
        root: Path = ROOT,
        site_folders: list[str] | None = None,
    ) -> None:
        self.assignment = assignment
        self.limits = limits or Limits()
        self.root = root
        self.workspace = Path(tempfile.mkdtemp(prefix="classroom-grade-"))
        self.snapshot = self.workspace / "snapshot"
        for package in ("course", "classroom"):
            shutil.copytree(root / package, self.snapshot / package, ignore=_ignore_caches)
        self.repository_hashes = _tree_hashes(root / "course")
        self.snapshot_hashes = _tree_hashes(self.snapshot / "course")
        self.pristine = {
            name: (self.snapshot / "course" / name).read_bytes() for name in self.snapshot_hashes
        }
        self.values_source = (self.snapshot / "classroom" / "values.py").read_text(
            encoding="utf-8"
        )
        self.site_folders = site_directories() if site_folders is None else site_folders
        self.startup = startup_files(self.site_folders)
        self.checkers = Checkers(self.snapshot, self.site_folders)
        unknown = [e.id for e in assignment.exercises if e.id not in self.checkers.exercises]
        if unknown:
            self.close()
            raise ValueError(f"No checker for {', '.join(unknown)} in course.exercises.")
        self._counter = 0
        self.restarts = 0  # times a submission killed the checkers' process
        self.incidents: list[dict[str, Any]] = []  # shared files changed while several ran
        self._in_flight: set[str] = set()
        self._counter_lock = threading.Lock()

    def close(self) -> None:
        """Stop the checkers' process and remove the workspace."""
        self.checkers.close()
        shutil.rmtree(self.workspace, ignore_errors=True)

    def __enter__(self) -> Grader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _rows(self, student: str, verdict: str, reason: str) -> list[Row]:
        return [
            Row(student, exercise.id, exercise.variable, 0, 1, verdict, reason)
            for exercise in self.assignment.exercises
        ]

    def _kernel_env(self, site: Path, home: Path) -> dict[str, str]:
        """The kernel's environment: its own home, so that nothing it writes there (IPython
        start-up files, user site-packages) reaches another submission's kernel."""
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("PYTHON", "JPY_", "JUPYTER", "IPYTHON"))
        }
        data_home = os.environ.get("COURSE_DATA_HOME") or str(Path.home() / "course_data")
        env.update(
            {
                "HOME": str(home),
                "IPYTHONDIR": str(home / ".ipython"),
                "JUPYTER_CONFIG_DIR": str(home / ".jupyter"),
                "MPLCONFIGDIR": str(home / ".matplotlib"),
                "XDG_CACHE_HOME": str(home / ".cache"),
                "COURSE_DATA_HOME": data_home,
                "PYTHONPATH": str(site),
                "COURSE_PROFILE": "fast",
                "KERAS_BACKEND": "tensorflow",
                "MPLBACKEND": "Agg",
                "TF_CPP_MIN_LOG_LEVEL": "2",
                "PYTHONDONTWRITEBYTECODE": "1",
            }
        )
        return env

    def grade(self, path: Path, student: str) -> Graded:
        """Grade one submission file; never raises for anything the submission does."""
        started = time.monotonic()
        with self._counter_lock:
            self._in_flight.add(student)
        try:
            graded = self._grade(path, student)
        except Exception as error:  # a grader failure on one file must not stop the class
            graded = Graded(student, self._rows(student, "stopped", f"grading failed: {error}"))
        finally:
            with self._counter_lock:
                self._in_flight.discard(student)
        graded.seconds = time.monotonic() - started
        return graded

    def _ask(self, exercise: str, answer: dict[str, Any], calls: dict[str, Any]) -> dict[str, Any]:
        """The checkers' reply; if a submission killed their process, restart it and ask again."""
        try:
            return self.checkers.check(exercise, answer, calls)
        except RuntimeError:
            self._checkers_running()
            return self.checkers.check(exercise, answer, calls)

    def _checkers_running(self) -> None:
        """Restart the checkers' process if a submission killed it (from the restored snapshot)."""
        with self._counter_lock:
            if self.checkers.alive():
                return
            self._restore(self.snapshot / "course", self.snapshot_hashes)
            self.checkers.close()
            self._restore_startup()
            self.checkers = Checkers(self.snapshot, self.site_folders)
            self.restarts += 1

    def _grade(self, path: Path, student: str) -> Graded:
        try:
            cells = read_cells(path)
        except (ValueError, OSError) as problem:
            return Graded(student, self._rows(student, "unreadable", f"{problem}."))
        if not any(code.strip() for code in cells):
            reason = "the notebook has no code: no answer to grade."
            return Graded(student, self._rows(student, "missing", reason))
        with self._counter_lock:
            self._counter += 1
            folder = self.workspace / f"submission-{self._counter:03d}"
        work, site, home = folder / "work", folder / "site", folder / "home"
        work.mkdir(parents=True)
        home.mkdir()
        shutil.copytree(self.snapshot / "course", site / "course", ignore=_ignore_caches)
        notes: list[str] = []
        redefined = redefines_check(cells)
        if redefined:
            notes.append(
                f"Cell {', '.join(map(str, redefined))} defines its own `check`: the points come "
                "from the course's checkers, not from what that `check` printed."
            )
        limits = self.limits
        answers: dict[str, Any] | None = None
        stop_reason = ""
        rows: list[Row] = []
        kernel = Kernel(
            work,
            env=self._kernel_env(site, home),
            memory_mb=limits.memory_mb,
            cpu_seconds=int(2 * limits.total_seconds) + 60,
        )
        with kernel:
            deadline = time.monotonic() + limits.total_seconds
            for number, code in enumerate(cells, start=1):
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    stop_reason = (
                        f"the notebook ran past its time limit of {limits.total_seconds:g} s; "
                        f"cells {number}–{len(cells)} did not run"
                    )
                    notes.append(f"Time limit: {stop_reason}.")
                    break
                run = kernel.run(code, timeout=min(limits.cell_seconds, remaining))
                if run.status == "timeout":
                    run.error = (
                        f"ran past its time limit of {min(limits.cell_seconds, remaining):.0f} s"
                    )
                if run.failed:
                    notes.append(f"Cell {number} {_said(run)}")
                if run.status == "dead":
                    stop_reason = f"the kernel stopped at cell {number}: {run.error}"
                    break
            if kernel.alive():
                answers = self._export(kernel, folder)
                if answers is None:
                    stop_reason = "the answers could not be read out of the kernel"
            if answers is not None:
                rows = [
                    self._check(kernel, folder, student, e, answers)
                    for e in self.assignment.exercises
                ]
        if answers is None:
            rows = self._rows(student, "stopped", stop_reason + "; no answer could be read.")
        tampering = self._tampering(site, student)
        if tampering:
            notes.append(f"Tampering: {tampering}.")
            rows = self._rows(student, "tampered", f"{tampering}; no answer is graded.")
        return Graded(student, rows, notes)

    def _export(self, kernel: Kernel, folder: Path) -> dict[str, Any] | None:
        target = folder / EXPORT_NAME
        names = [exercise.variable for exercise in self.assignment.exercises]
        code = _kernel_helpers(self.values_source) + (
            "__import__('_classroom_values').export_answers("
            f"{names!r}, get_ipython().user_ns, {str(target)!r})"
        )
        run = kernel.run(code, timeout=120)
        if run.failed or not target.exists():
            return None
        try:
            answers = json.loads(target.read_text(encoding="utf-8"))
        except json.JSONDecodeError:
            return None
        return answers if isinstance(answers, dict) else None

    def _call(self, kernel: Kernel, folder: Path, variable: str, key: str) -> dict[str, Any]:
        target = folder / "call.json"
        target.unlink(missing_ok=True)
        code = (
            "__import__('_classroom_values').call_answer("
            f"get_ipython().user_ns, {variable!r}, {key!r}, {str(target)!r})"
        )
        run = kernel.run(code, timeout=self.limits.call_seconds)
        if run.status in ("timeout", "dead"):
            return {
                "error": "TimeoutError",
                "message": f"the call did not return within {self.limits.call_seconds:g} s",
            }
        try:
            return json.loads(target.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError):
            return {"error": "RuntimeError", "message": f"the call failed: {run.error}"}

    def _check(
        self, kernel: Kernel, folder: Path, student: str, exercise: Any, answers: dict[str, Any]
    ) -> Row:
        entry = answers.get(exercise.variable)
        entry = entry if isinstance(entry, dict) else {"missing": True}

        def row(verdict: str, reason: str, points: float = 0) -> Row:
            return Row(student, exercise.id, exercise.variable, points, 1, verdict, reason)

        if "value" not in entry:
            if "unanswered" in entry:
                return row("missing", f"{exercise.variable} is still `...`: no answer given.")
            if "ungradable" in entry:
                return row(
                    "ungradable", f"{exercise.variable} cannot be graded: {entry['ungradable']}."
                )
            return row(
                "missing",
                f"{exercise.variable} is not defined: put the answer in it and keep its name "
                "(a deleted cell, a renamed variable, or a cell that failed before it?).",
            )
        calls: dict[str, Any] = {}
        started = time.monotonic()
        for _ in range(100):
            reply = self._ask(exercise.id, entry["value"], calls)
            if "need" not in reply:
                break
            if time.monotonic() - started > self.limits.cell_seconds:
                return row(
                    "wrong",
                    f"the function took more than {self.limits.cell_seconds:g} s over the "
                    "checker's calls.",
                )
            calls[reply["need"]] = self._call(kernel, folder, exercise.variable, reply["need"])
        else:
            return row("wrong", "the checker needed more than 100 calls of the function.")
        if reply.get("passed"):
            return row("correct", reply["message"], 1)
        return row("wrong", reply["message"])

    def _tampering(self, site: Path, student: str) -> str:
        """What the submission changed on disk ('' if nothing); puts shared files back.

        Its own copy of ``course`` can only have been changed by it. Shared files
        (the repository's ``course``, the grader's snapshot, Python's start-up
        files) could have been changed by any submission running at the same
        time: the change counts against this one only if it ran alone, and is
        otherwise recorded in :attr:`incidents` with every suspect.
        """
        own = _changes(self.snapshot_hashes, _tree_hashes(site / "course"))
        problems = ["it changed files of the course package: " + ", ".join(own[:5])] if own else []
        shared = []
        with self._counter_lock:
            repository = _changes(self.repository_hashes, _tree_hashes(self.root / "course"))
            if repository:
                shared.append("the repository's course package: " + ", ".join(repository[:5]))
                self._restore(self.root / "course", self.repository_hashes)
            snapshot = _changes(self.snapshot_hashes, _tree_hashes(self.snapshot / "course"))
            if snapshot:
                shared.append("the grader's snapshot of course: " + ", ".join(snapshot[:5]))
                self._restore(self.snapshot / "course", self.snapshot_hashes)
            startup = self._restore_startup()
            if startup:
                shared.append("Python's start-up files: " + ", ".join(startup[:5]))
            suspects = sorted(self._in_flight)
        if shared and suspects == [student]:
            problems.append("it changed " + "; ".join(shared) + " (put back)")
        elif shared:
            self.incidents.append({"changed": shared, "suspects": suspects})
        return "; ".join(problems)

    def _restore_startup(self) -> list[str]:
        """Put the site folders' start-up files back as they were; return those that differed."""
        changed = []
        now = startup_files(self.site_folders)
        for path, data in now.items():
            if path not in self.startup:
                Path(path).unlink(missing_ok=True)
                changed.append(f"{path} (added)")
            elif data != self.startup[path]:
                Path(path).write_bytes(self.startup[path])
                changed.append(f"{path} (changed)")
        for path, data in self.startup.items():
            if path not in now:
                Path(path).write_bytes(data)
                changed.append(f"{path} (deleted)")
        return changed

    def _restore(self, folder: Path, hashes: dict[str, str]) -> None:
        """Put ``folder`` back as it was, from the bytes read before any submission ran."""
        for name in _changes(hashes, _tree_hashes(folder)):
            relative, _, how = name.rpartition(" (")
            target = folder / relative
            if how.startswith("added"):
                target.unlink(missing_ok=True)
            elif relative in self.pristine:
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(self.pristine[relative])


def _said(run: CellRun) -> str:
    if run.status == "timeout":
        return f"{run.error}: it was interrupted."
    if run.status == "dead":
        return f"stopped the kernel: {run.error}."
    return f"raised {run.error}"


def submissions(folder: Path) -> list[tuple[str, Path]]:
    """(student, path) for every ``.ipynb`` under ``folder``; the name is the path less ``.ipynb``.

    Example:
        >>> submissions(Path("/nonexistent"))
        []
    """
    found = []
    for path in sorted(folder.rglob("*.ipynb")):
        if ".ipynb_checkpoints" in path.parts:
            continue
        found.append((path.relative_to(folder).with_suffix("").as_posix(), path))
    return found


def write_gradebook(graded: list[Graded], output: Path) -> Path:
    """Write ``gradebook.csv`` and ``totals.csv``; return the gradebook's path."""
    output.mkdir(parents=True, exist_ok=True)
    gradebook = output / "gradebook.csv"
    with gradebook.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            ["student", "exercise", "variable", "points", "max_points", "verdict", "reason"]
        )
        for result in graded:
            for row in result.rows:
                writer.writerow(
                    [
                        row.student,
                        row.exercise,
                        row.variable,
                        f"{row.points:g}",
                        f"{row.max_points:g}",
                        row.verdict,
                        row.reason,
                    ]
                )
    with (output / "totals.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["student", "points", "max_points"])
        for result in graded:
            writer.writerow(
                [
                    result.student,
                    f"{sum(row.points for row in result.rows):g}",
                    f"{sum(row.max_points for row in result.rows):g}",
                ]
            )
    return gradebook


def feedback_text(result: Graded, assignment: Assignment) -> str:
    """One student's feedback file, in Markdown.

    Example:
        >>> assignment = read_assignment("05")
        >>> rows = [
        ...     Row("ann", e.id, e.variable, 0, 1, "missing", "not there.")
        ...     for e in assignment.exercises
        ... ]
        >>> print(feedback_text(Graded("ann", rows), assignment).splitlines()[0])
        # ann: 0 / 4 points
    """
    total = sum(row.points for row in result.rows)
    most = sum(row.max_points for row in result.rows)
    lines = [
        f"# {result.student}: {total:g} / {most:g} points",
        "",
        f"Assignment: {assignment.title}.",
        "",
    ]
    numbers = {exercise.id: exercise.number for exercise in assignment.exercises}
    for row in result.rows:
        mark = "✅" if row.verdict == "correct" else "❌"
        lines.append(
            f"- {mark} **Exercise {numbers.get(row.exercise, '?')}** (`{row.exercise}`, "
            f"`{row.variable}`): {row.points:g} / {row.max_points:g}, {row.verdict}. {row.reason}"
        )
    if result.notes:
        lines += ["", "## What happened when your notebook ran", ""]
        lines += [f"- {note}" for note in result.notes]
    return "\n".join(lines) + "\n"


def _file_name(student: str) -> str:
    return "".join(c if c.isalnum() or c in "-_." else "_" for c in student) or "student"


def plot_distribution(graded: list[Graded], path: Path, title: str) -> Path:
    """Draw the distribution of the students' totals into ``path`` (PNG)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    totals = [sum(row.points for row in result.rows) for result in graded]
    most = max((sum(row.max_points for row in result.rows) for result in graded), default=1)
    figure, axes = plt.subplots(figsize=(6, 3.5))
    bins = [value - 0.5 for value in range(int(most) + 2)]
    axes.hist(totals, bins=bins, color="#4c72b0", edgecolor="white")
    axes.set_xticks(range(int(most) + 1))
    axes.set_xlabel(f"points (out of {most:g})")
    axes.set_ylabel("students")
    axes.set_title(f"{title}: {len(totals)} submissions")
    figure.tight_layout()
    figure.savefig(path, dpi=120)
    plt.close(figure)
    return path


def grade_folder(
    folder: Path,
    chapter: str | Path,
    output: Path,
    *,
    jobs: int = 2,
    limits: Limits | None = None,
    root: Path = ROOT,
    site_folders: list[str] | None = None,
) -> list[Graded]:
    """Grade every submission under ``folder``; write the gradebook, feedback and plot.

    Example:
        >>> graded = grade_folder(Path("in"), "01", Path("out"))  # doctest: +SKIP
    """
    assignment = read_assignment(chapter, root)
    found = submissions(folder)
    if not found:
        raise ValueError(f"No .ipynb file under {folder}: put one notebook per student there.")
    started = time.monotonic()
    with Grader(assignment, limits=limits, root=root, site_folders=site_folders) as grader:
        with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
            graded = list(pool.map(lambda item: grader.grade(item[1], item[0]), found))
        restarts, incidents = grader.restarts, grader.incidents
    seconds = time.monotonic() - started
    write_gradebook(graded, output)
    feedback = output / "feedback"
    feedback.mkdir(parents=True, exist_ok=True)
    for result in graded:
        (feedback / f"{_file_name(result.student)}.md").write_text(
            feedback_text(result, assignment), encoding="utf-8"
        )
    plot_distribution(graded, output / "distribution.png", assignment.title)
    summary = {
        "chapter": assignment.slug,
        "submissions": len(graded),
        "jobs": jobs,
        "seconds": round(seconds, 1),
        "checker_restarts": restarts,
        "incidents": incidents,
        "verdicts": {v: sum(r.verdict == v for g in graded for r in g.rows) for v in VERDICTS},
    }
    (output / "summary.json").write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    return graded


def main(argv: list[str] | None = None) -> None:
    """Command line: ``python -m classroom.grade FOLDER --chapter CHAPTER [options]``."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path, help="folder of submitted .ipynb files")
    parser.add_argument(
        "--chapter", required=True, help="the assignment's chapter (1, slug, path)"
    )
    parser.add_argument(
        "--output", type=Path, default=None, help="default: _build/grades/<chapter>"
    )
    parser.add_argument("--jobs", type=int, default=2, help="submissions run at once")
    parser.add_argument("--memory-mb", type=int, default=Limits.memory_mb)
    parser.add_argument("--cell-timeout", type=float, default=Limits.cell_seconds)
    parser.add_argument("--timeout", type=float, default=Limits.total_seconds, help="per notebook")
    arguments = parser.parse_args(argv)
    limits = Limits(arguments.memory_mb, arguments.cell_timeout, arguments.timeout)
    assignment = read_assignment(arguments.chapter)
    output = arguments.output or ROOT / "_build" / "grades" / assignment.source.stem
    started = time.monotonic()
    graded = grade_folder(
        arguments.folder, arguments.chapter, output, jobs=arguments.jobs, limits=limits
    )
    seconds = time.monotonic() - started
    for result in graded:
        total = sum(row.points for row in result.rows)
        print(f"{result.student}: {total:g} / {len(result.rows)}  ({result.seconds:.1f} s)")
    print(f"Graded {len(graded)} submission(s) in {seconds:.1f} s with {arguments.jobs} job(s).")
    print(f"Gradebook: {output / 'gradebook.csv'}; feedback: {output / 'feedback'}/")
    summary = json.loads((output / "summary.json").read_text(encoding="utf-8"))
    for incident in summary["incidents"]:
        print(
            f"WARNING: one of {', '.join(incident['suspects'])} changed "
            f"{'; '.join(incident['changed'])} (put back). Grade them again with --jobs 1 "
            "to find which: it then scores zero, verdict tampered."
        )


if __name__ == "__main__":
    main()
