"""A chapter's Colab notebook runs end to end where only a bare Colab runtime's packages are.

The notebook is the one `course.colab` writes for Colab, with one change: its
set-up cell installs `course` from a local git copy of this checkout instead of
GitHub. The kernel runs in a fresh virtual environment that holds only what a
Colab runtime has (TensorFlow, Keras, NumPy, pandas, scikit-learn, matplotlib,
Jinja2, the IPython kernel), so the set-up cell alone must bring everything else
the chapter needs. The chapter is chapter 1, the shortest, in the fast profile.

This executes chapter 1 a second time in a CI run (the book build is the
first); it is the one deliberate exception, because it tests the install path.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import pytest
from book_tools import ROOT, chapter_environment

from course import colab

# What a bare Colab runtime has (TensorFlow as the CPU build here), pinned to this
# environment's versions so that pip finds them in its cache.
COLAB_PACKAGES = [
    "tensorflow-cpu",
    "keras",
    "numpy",
    "pandas",
    "scikit-learn",
    "matplotlib",
    "jinja2",
    "ipykernel",
]
CHAPTER = "01_text_vectorization"


def _pinned(package: str) -> str:
    try:
        return f"{package}=={metadata.version(package)}"
    except metadata.PackageNotFoundError:
        return package


def _local_git_copy(target: Path) -> str:
    """The checkout's files (tracked and untracked-not-ignored) committed in a new repository."""
    files = (
        subprocess.run(
            ["git", "ls-files", "-co", "--exclude-standard", "-z"],
            cwd=ROOT,
            capture_output=True,
            check=True,
        )
        .stdout.decode()
        .split("\0")
    )
    for name in filter(None, files):
        source = ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    git = ["git", "-c", "user.name=test", "-c", "user.email=test@example.org"]
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=target, check=True)
    subprocess.run(["git", "add", "-A"], cwd=target, check=True)
    subprocess.run([*git, "commit", "-q", "-m", "copy"], cwd=target, check=True)
    return f"file://{target}"


@pytest.fixture(scope="module")
def colab_like_kernel(tmp_path_factory):
    base = tmp_path_factory.mktemp("colab")
    venv = base / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = venv / "bin" / "python"
    # Colab ships a recent pip; the one a new venv brings may not read git+file URLs.
    upgrade = [str(python), "-m", "pip", "install", "-q", "--upgrade", "pip"]
    subprocess.run(upgrade, check=True, capture_output=True)
    install = subprocess.run(
        [
            str(python),
            "-m",
            "pip",
            "install",
            "-q",
            "--disable-pip-version-check",
            *map(_pinned, COLAB_PACKAGES),
        ],
        capture_output=True,
        text=True,
    )
    assert install.returncode == 0, (
        f"installing the Colab-like runtime failed:\n{install.stderr[-3000:]}"
    )
    kernel = base / "jupyter" / "kernels" / "colab-like"
    kernel.mkdir(parents=True)
    (kernel / "kernel.json").write_text(
        json.dumps(
            {
                "argv": [str(python), "-m", "ipykernel_launcher", "-f", "{connection_file}"],
                "display_name": "Colab-like",
                "language": "python",
            }
        )
    )
    return base


def test_the_colab_notebook_runs_in_a_fresh_colab_like_runtime(colab_like_kernel, monkeypatch):
    import nbformat
    from nbclient import NotebookClient

    base = colab_like_kernel
    repository = base / "repository"
    url = _local_git_copy(repository)
    notebook = colab.to_notebook(ROOT / "book" / f"{CHAPTER}.md")
    setup = notebook.cells[next(i for i, c in enumerate(notebook.cells) if c.cell_type == "code")]
    github = colab.book_config()["repository"]["url"]
    assert github in setup.source
    setup.source = setup.source.replace(f"git+{github}", f"git+{url}")

    for name, value in chapter_environment().items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("COURSE_RESULTS_DIR", str(base / "results"))
    monkeypatch.setenv("COURSE_DATA_HOME", str(base / "data-home"))
    monkeypatch.setenv("JUPYTER_PATH", str(base / "jupyter"))
    monkeypatch.setenv("PIP_DISABLE_PIP_VERSION_CHECK", "1")
    folder = base / "content"  # Colab runs notebooks outside any checkout
    folder.mkdir()
    client = NotebookClient(
        notebook,
        timeout=1800,
        kernel_name="colab-like",
        resources={"metadata": {"path": str(folder)}},
    )
    client.execute()
    nbformat.write(notebook, base / f"{CHAPTER}.executed.ipynb")

    python = str(base / "venv" / "bin" / "python")
    subprocess.run([python, "-c", "import course"], check=True)  # the set-up cell installed it
    lacking = subprocess.run([python, "-c", "import myst_nb"], capture_output=True, text=True)
    assert "No module named 'myst_nb'" in lacking.stderr, "the runtime should lack myst-nb"
    shown = [
        output.get("data", {}).get("text/markdown", "")
        for cell in notebook.cells
        if "show_markdown" in cell.source
        for output in cell.get("outputs", [])
    ]
    assert shown and all(text and "{glue" not in text for text in shown)
    assert any(char.isdigit() for text in shown for char in text)
    assert (base / "results" / "fast.jsonl").is_file()
    assert os.environ["COURSE_PROFILE"] == "fast"
