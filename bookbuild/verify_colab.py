"""Verify the Colab edition as learners run it: nbval, in Colab's package versions.

::

    python -m bookbuild.verify_colab                       # every chapter, COURSE_PROFILE
    python -m bookbuild.verify_colab --profile full 04 07 # chosen chapters, full profile
    python -m bookbuild.verify_colab --constraints ../shared/colab/pip-freeze-cpu.txt  # refresh

The steps:

1. The Colab notebooks (the teacher edition, exactly as published) are written
   to ``_build/colab/book/`` (:func:`bookbuild.colab.build_notebooks`).
2. A *Colab-like runtime* is made once in ``_build/colab-runtime/``: a virtual
   environment on Colab's Python (3.13) holding Colab's versions
   (``colab/constraints.txt``) of every package that Colab preinstalls and the
   course touches, with nbval, and without ``course``.
3. Installing ``course`` there must change none of those packages: pip's
   dry-run report of the install is checked (:func:`replaced_packages`).
4. ``pytest --nbval-lax`` executes the notebooks in that runtime, one kernel
   each, claims strict (``COURSE_CLAIMS=strict``). Each notebook's own set-up
   cell installs ``course``, from this checkout (``COURSE_PACKAGE``) instead of
   GitHub.
5. After the run, Colab's packages must be as they were.
6. Each chapter's execution time is recorded (method ``nbval, Colab edition``),
   and each executed chapter is stored in the book's execution cache
   (:func:`book_notebook`), so that the book build that follows shows these
   outputs and numbers instead of executing the chapter a second time: every
   chapter runs once, and the book shows what Colab learners run.

A summary goes to ``_build/colab-runtime/report.json`` (the tests read it); the
executed notebooks to ``_build/colab-executed/``.

Example:
    >>> sorted(replaced_packages({"install": [{"metadata": {"name": "IPython",
    ...     "version": "9.0.0"}}]}, {"ipython": "7.34.0"}))
    ['ipython 7.34.0 -> 9.0.0']
"""

from __future__ import annotations

import argparse
import datetime as dt
import glob
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bookbuild.colab import ROOT, build_notebooks

RUNTIME_DIR = ROOT / "_build" / "colab-runtime"
EXECUTED_DIR = ROOT / "_build" / "colab-executed"
CONSTRAINTS = ROOT / "colab" / "constraints.txt"
PLUGIN_DIR = ROOT / "colab"
COLAB_PYTHON_ENV = "COLAB_PYTHON"
COLAB_PYTHON_VERSION = (3, 13)
# What the runtime holds before any notebook runs, besides whatever of the course's
# dependencies Colab preinstalls (found by pip, see make_runtime): the kernel and the
# test runner. TensorFlow is the CPU build of Colab's version.
RUNTIME_PACKAGES = ["tensorflow-cpu", "ipython", "ipykernel", "nbval", "pytest"]
TIMING_METHOD = "nbval, Colab edition"


def canonical(name: str) -> str:
    """A package name as pip compares them.

    Example:
        >>> canonical("Scikit_Learn")
        'scikit-learn'
    """
    return re.sub(r"[-_.]+", "-", name).lower()


def write_constraints(freeze: Path, target: Path = CONSTRAINTS) -> Path:
    """Write pip constraints from a Colab ``pip freeze`` list (``name==version`` lines).

    The header says where the list came from and when. TensorFlow is added as
    ``tensorflow-cpu`` of the same version: the same code without CUDA, for CPU runners.

    Example:
        >>> write_constraints(Path("../shared/colab/pip-freeze-cpu.txt"))  # doctest: +SKIP
    """
    lines = freeze.read_text(encoding="utf-8").splitlines()
    pins = [line.strip() for line in lines if re.fullmatch(r"[A-Za-z0-9._-]+==\S+", line.strip())]
    if not pins:
        raise ValueError(f"{freeze} holds no 'name==version' lines: is it a pip freeze list?")
    versions = {canonical(pin.split("==")[0]): pin.split("==")[1] for pin in pins}
    if "tensorflow" in versions and "tensorflow-cpu" not in versions:
        pins.append(f"tensorflow-cpu=={versions['tensorflow']}")
    source_file = freeze.parent / "SOURCE"
    source = source_file.read_text(encoding="utf-8").strip() if source_file.is_file() else ""
    header = [
        "# Colab's package versions, as pip constraints for the Colab-like runtime of",
        "# `python -m bookbuild.verify_colab`. Made from googlecolab/backend-info's",
        f"# {freeze.name}",
        f"# (commit and date: {source or 'not given'}) on {dt.date.today().isoformat()}.",
        f"# Refresh: python -m bookbuild.verify_colab --constraints {freeze.name} (Colab's list).",
    ]
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.{os.getpid()}.part")
    partial.write_text("\n".join(header + sorted(pins, key=str.lower)) + "\n", encoding="utf-8")
    partial.replace(target)
    return target


def constrained_versions(path: Path = CONSTRAINTS) -> dict[str, str]:
    """Colab's version of each package in the constraints file, by canonical name.

    Example:
        >>> constrained_versions()["keras"]
        '3.13.2'
    """
    versions = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if "==" in line and not line.startswith("#"):
            name, _, version = line.strip().partition("==")
            versions[canonical(name)] = version
    return versions


def find_colab_python() -> tuple[str, bool]:
    """A Python of Colab's version (``COLAB_PYTHON``, ``python3.13``, pyenv), else this one.

    Returns the interpreter and whether it is Colab's version.
    """
    candidates = [os.environ.get(COLAB_PYTHON_ENV, ""), shutil.which("python3.13") or ""]
    pyenv_root = os.environ.get("PYENV_ROOT", str(Path.home() / ".pyenv"))
    candidates += sorted(glob.glob(f"{pyenv_root}/versions/3.13*/bin/python3.13"), reverse=True)
    wanted = ".".join(map(str, COLAB_PYTHON_VERSION))
    for candidate in filter(None, candidates):
        try:
            found = subprocess.run(
                [candidate, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
                capture_output=True,
                text=True,
                timeout=60,
            )
        except (OSError, subprocess.TimeoutExpired):
            continue
        if found.returncode == 0 and found.stdout.strip() == wanted:
            return candidate, True
    return sys.executable, False


def _pip(python: Path, *arguments: str, capture: bool = True) -> subprocess.CompletedProcess:
    command = [str(python), "-m", "pip", "--disable-pip-version-check", *arguments]
    return subprocess.run(command, capture_output=capture, text=True, check=False)


def _installed(python: Path) -> dict[str, str]:
    """Every package in the runtime and its version, by canonical name."""
    result = _pip(python, "list", "--format=json")
    if result.returncode != 0:
        raise RuntimeError(f"pip list failed in the Colab-like runtime:\n{result.stderr}")
    return {canonical(item["name"]): item["version"] for item in json.loads(result.stdout)}


def _package_source(root: Path, target: Path) -> Path:
    """A copy of what ``pip install`` of the checkout needs (the build writes into it)."""
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(
        root / "course", target / "course", ignore=shutil.ignore_patterns("__pycache__")
    )
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(root / name, target / name)
    return target


def _dry_run(python: Path, source: Path, *extra: str) -> dict[str, Any]:
    report = source.parent / "install-report.json"
    result = _pip(
        python, "install", "--dry-run", "--quiet", "--report", str(report), *extra, str(source)
    )
    if result.returncode != 0:
        raise RuntimeError(
            f"pip cannot install course in the Colab-like runtime:\n{result.stderr}"
        )
    return json.loads(report.read_text(encoding="utf-8"))


def replaced_packages(report: dict[str, Any], colab: dict[str, str]) -> list[str]:
    """The Colab packages that an install (pip's ``--report``) would replace.

    ``colab`` maps canonical names to the versions the runtime holds.
    """
    replaced = []
    for item in report.get("install", []):
        name = canonical(item["metadata"]["name"])
        if name in colab and item["metadata"]["version"] != colab[name]:
            replaced.append(f"{name} {colab[name]} -> {item['metadata']['version']}")
    return replaced


def make_runtime(
    runtime: Path = RUNTIME_DIR,
    root: Path = ROOT,
    *,
    tensorflow: str = "tensorflow-cpu",
    existing: str | None = None,
) -> tuple[Path, dict[str, Any]]:
    """Make (or reuse) the Colab-like runtime; return its Python and what it holds.

    ``tensorflow`` is the TensorFlow requirement (``tensorflow[and-cuda]`` on a GPU
    runner). ``existing`` uses a Python that already is Colab's environment (inside
    Colab's runtime container) instead of making one; only nbval is added to it.
    """
    if existing:
        python = Path(existing)
        if _pip(python, "show", "-q", "nbval").returncode != 0:
            _pip(python, "install", "-q", "nbval", capture=False)
        _pip(python, "uninstall", "-q", "-y", "dl-text-sequences-course")
        version = subprocess.run(
            [existing, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
            capture_output=True,
            text=True,
        ).stdout.strip()
        wanted = ".".join(map(str, COLAB_PYTHON_VERSION))
        return python, {"python": existing, "colab_python": version == wanted, "preinstalled": []}
    interpreter, is_colab_version = find_colab_python()
    constraints = root / "colab" / "constraints.txt"
    packages = [tensorflow, *RUNTIME_PACKAGES[1:]]
    key = hashlib.sha256(
        (constraints.read_text() + interpreter + " ".join(packages)).encode()
    ).hexdigest()
    venv = runtime / "venv"
    python = venv / "bin" / "python"
    marker = runtime / "runtime.json"
    if marker.is_file() and json.loads(marker.read_text()).get("key") == key and python.exists():
        state = json.loads(marker.read_text())
    else:
        if runtime.exists():
            shutil.rmtree(runtime)
        runtime.mkdir(parents=True)
        print(f"[colab] making the Colab-like runtime with {interpreter}", flush=True)
        subprocess.run([interpreter, "-m", "venv", str(venv)], check=True)
        _pip(python, "install", "-q", "--upgrade", "pip", capture=False)
        result = _pip(python, "install", "-q", "-c", str(constraints), *packages)
        if result.returncode != 0:
            raise RuntimeError(f"installing the Colab-like runtime failed:\n{result.stderr}")
        # Whatever of course's dependencies Colab preinstalls goes in at Colab's version.
        source = _package_source(root, runtime / "course-source")
        wanted = _dry_run(python, source, "-c", str(constraints))
        colab = constrained_versions(constraints)
        preinstalled = sorted(
            {
                canonical(item["metadata"]["name"])
                for item in wanted.get("install", [])
                if canonical(item["metadata"]["name"]) in colab
            }
        )
        if preinstalled:
            result = _pip(python, "install", "-q", "-c", str(constraints), *preinstalled)
            if result.returncode != 0:
                raise RuntimeError(f"installing Colab's packages failed:\n{result.stderr}")
        state = {
            "key": key,
            "python": interpreter,
            "colab_python": is_colab_version,
            "preinstalled": preinstalled,
        }
        marker.write_text(json.dumps(state, indent=1))
    # The set-up cells must install course every run, from the checkout as it is now.
    _pip(python, "uninstall", "-q", "-y", "dl-text-sequences-course")
    return python, state


def book_notebook(source: Path, executed: Any, root: Path = ROOT) -> Any:
    """The chapter as the book reads it, with the outputs of its executed Colab notebook.

    Code cells are matched in order by their code: the Colab edition adds
    cells (exercise starters) and wraps some (form titles, the set-up cell's
    pinned commit), but runs every code cell of the chapter, solutions included.

    Raises:
        ValueError: a code cell of the chapter has no counterpart in the notebook.
    """
    from bookbuild.colab import SETUP_CELL_START
    from bookbuild.execute import read_chapter

    def key(code: str) -> str:
        code = code.strip()
        if code.startswith(SETUP_CELL_START):
            return SETUP_CELL_START
        if code.startswith("# @title"):
            code = code.partition("\n")[2].strip()
        return code

    notebook = read_chapter(source, root)
    ran = [cell for cell in executed.cells if cell.cell_type == "code"]
    position = 0
    for number, cell in enumerate((c for c in notebook.cells if c.cell_type == "code"), 1):
        wanted = key(cell.source)
        while position < len(ran) and key(ran[position].source) != wanted:
            position += 1
        if position == len(ran):
            raise ValueError(
                f"{source.name}: code cell {number} is not in its executed Colab notebook "
                f"(it starts {cell.source[:60]!r}); the book will execute the chapter itself."
            )
        cell.outputs = ran[position].get("outputs", [])
        cell.execution_count = ran[position].get("execution_count")
        position += 1
    return notebook


def run(
    chapters: list[str],
    profile: str,
    *,
    root: Path = ROOT,
    book_cache: bool = True,
    tensorflow: str = "tensorflow-cpu",
    existing: str | None = None,
) -> dict[str, Any]:
    """Steps 1–6 of the module's text; return the report (also written to report.json).

    ``tensorflow`` and ``existing`` choose the runtime (see :func:`make_runtime`).
    """
    import nbformat

    from bookbuild.execute import _store_in_book_cache, resolve_chapters
    from course.timings import record_timing

    sources = resolve_chapters(chapters, root)
    notebooks = build_notebooks(root / "_build" / "colab", root=root)
    chosen = [path for path in notebooks if path.stem in {source.stem for source in sources}]
    python, state = make_runtime(root=root, tensorflow=tensorflow, existing=existing)
    RUNTIME_DIR.mkdir(parents=True, exist_ok=True)
    report: dict[str, Any] = {"profile": profile, "runtime": state, "chapters": {}}
    pinned = constrained_versions(root / "colab" / "constraints.txt")
    colab = {name: version for name, version in _installed(python).items() if name in pinned}
    source = _package_source(root, RUNTIME_DIR / "course-source")
    report["replaced_by_install"] = replaced_packages(_dry_run(python, source), colab)

    run_dir = root / "_build" / "colab-run"
    if run_dir.exists():
        shutil.rmtree(run_dir)
    run_dir.mkdir(parents=True)
    for path in chosen:  # Colab runs notebooks outside any checkout: a folder of their own
        shutil.copy2(path, run_dir / path.name)
    (run_dir / "pytest.ini").write_text("[pytest]\n")
    if EXECUTED_DIR.exists():
        shutil.rmtree(EXECUTED_DIR)
    environment = {
        **os.environ,
        "COURSE_PROFILE": profile,
        "COURSE_CLAIMS": "strict",
        "COURSE_PACKAGE": str(source),
        "COURSE_RESULTS_DIR": os.environ.get("COURSE_RESULTS_DIR", str(root / "results")),
        "NBVAL_RECORD_DIR": str(EXECUTED_DIR),
        "PYTHONPATH": str(root / "colab"),
        "PYTHONHASHSEED": "0",
        "TF_CPP_MIN_LOG_LEVEL": os.environ.get("TF_CPP_MIN_LOG_LEVEL", "2"),
    }
    environment.pop("VIRTUAL_ENV", None)
    command = [
        str(python), "-m", "pytest", "-c", "pytest.ini", "-p", "nbval_record",
        "-p", "no:cacheprovider", "--nbval-lax", "--nbval-current-env",
        "--nbval-cell-timeout", "3600", "-q", "-rf", *[path.name for path in chosen],
    ]  # fmt: skip
    print(f"[colab] nbval on {len(chosen)} notebooks ({profile} profile):", flush=True)
    started = time.monotonic()
    result = subprocess.run(command, cwd=run_dir, env=environment, check=False)
    report["nbval_returncode"] = result.returncode
    report["nbval_seconds"] = round(time.monotonic() - started, 1)
    after = _installed(python)
    report["changed_by_run"] = [
        f"{name} {version} -> {after.get(name, 'removed')}"
        for name, version in colab.items()
        if after.get(name) != version
    ]
    for path in chosen:
        executed_path = EXECUTED_DIR / path.name
        entry: dict[str, Any] = {"ran": executed_path.is_file()}
        report["chapters"][path.stem] = entry
        if not entry["ran"]:
            continue
        executed = nbformat.read(executed_path, as_version=4)
        record = executed.metadata.get("nbval_record", {})
        entry.update(record)
        entry["passed"] = not record.get("failed_cells") and record.get("cells_run") == record.get(
            "code_cells"
        )
        if not entry["passed"]:
            continue
        record_timing(path.stem, record["seconds"], profile=profile, method=TIMING_METHOD)
        if book_cache:
            chapter = root / "book" / f"{path.stem}.md"
            try:
                notebook = book_notebook(chapter, executed, root)
            except ValueError as error:
                entry["book_cache"] = str(error)
                continue
            _store_in_book_cache(notebook, chapter, record["seconds"], profile, root)
            entry["book_cache"] = "stored"
    report["passed"] = (
        result.returncode == 0
        and not report["replaced_by_install"]
        and not report["changed_by_run"]
        and all(entry.get("passed") for entry in report["chapters"].values())
    )
    if profile == "full" and root == ROOT and "COURSE_RESULTS_DIR" not in os.environ:
        from course.results_page import publish_full_values

        publish_full_values()  # readers' notebooks show the course's new values
    (RUNTIME_DIR / "report.json").write_text(json.dumps(report, indent=1))
    return report


def main(argv: list[str] | None = None) -> int:
    """Command line: ``python -m bookbuild.verify_colab [--profile P] [CHAPTER ...]``."""
    from course.profile import PROFILE_ENV, PROFILES

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("chapters", nargs="*", help="chapter names or numbers (default: all)")
    parser.add_argument("--profile", choices=PROFILES, default=os.environ.get(PROFILE_ENV, "full"))
    parser.add_argument(
        "--no-book-cache", action="store_true", help="leave the book's execution cache alone"
    )
    parser.add_argument(
        "--tensorflow",
        default="tensorflow-cpu",
        help='TensorFlow for the runtime ("tensorflow[and-cuda]" on a GPU runner)',
    )
    parser.add_argument(
        "--python",
        metavar="PYTHON",
        help="run in this Python's environment as it is (inside Colab's runtime container)",
    )
    parser.add_argument(
        "--constraints",
        type=Path,
        metavar="FREEZE",
        help="only rewrite colab/constraints.txt from Colab's pip freeze list FREEZE",
    )
    arguments = parser.parse_args(argv)
    if arguments.constraints:
        print(write_constraints(arguments.constraints))
        return 0
    report = run(
        arguments.chapters,
        arguments.profile,
        book_cache=not arguments.no_book_cache,
        tensorflow=arguments.tensorflow,
        existing=arguments.python,
    )
    print(f"[colab] runtime: Python {report['runtime']['python']}")
    for chapter, entry in report["chapters"].items():
        verdict = "passed" if entry.get("passed") else "FAILED"
        print(f"[colab] {chapter}: {verdict}, {entry.get('seconds', 0):.0f} s, "
              f"book cache: {entry.get('book_cache', '-')}")  # fmt: skip
    for problem in ("replaced_by_install", "changed_by_run"):
        if report[problem]:
            print(f"[colab] Colab's packages {problem.replace('_', ' ')}: {report[problem]}")
    return 0 if report["passed"] else 1


if __name__ == "__main__":
    sys.exit(main())
