"""What learners run is what CI verifies: every chapter's Colab notebook, through nbval.

The session fixture ``colab_verified`` (tests/conftest.py) runs
``python -m bookbuild.verify_colab``: the teacher edition of every chapter, exactly
as generated, executed by ``pytest --nbval-lax`` in a Colab-like runtime (Colab's
Python and Colab's versions of the packages the course touches), each notebook's
own set-up cell installing ``course`` from this checkout, claims strict. These
tests read its report.
"""

from __future__ import annotations

import pytest

from bookbuild.colab import chapter_sources
from bookbuild.verify_colab import RUNTIME_PACKAGES, constrained_versions


@pytest.mark.parametrize("source", chapter_sources(), ids=lambda source: source.stem)
def test_the_colab_notebook_runs_through_with_nbval(colab_verified, source):
    entry = colab_verified["chapters"].get(source.stem)
    assert entry and entry["ran"], (
        f"nbval did not run {source.stem}:\n{colab_verified['log'][-4000:]}"
    )
    assert not entry["failed_cells"], (
        f"{source.stem}: code cells {entry['failed_cells']} failed:\n"
        + colab_verified["log"][-6000:]
    )
    assert entry["cells_run"] == entry["code_cells"]
    assert entry["book_cache"] == "stored", entry.get("book_cache")


def test_nbval_passed_in_colabs_python(colab_verified):
    assert colab_verified["nbval_returncode"] == 0, colab_verified["log"][-6000:]
    runtime = colab_verified["runtime"]
    assert runtime["colab_python"], (
        f"Colab's Python 3.13 was not found: ran on {runtime['python']}"
    )
    assert {"pandas", "scikit-learn", "matplotlib"} <= set(runtime["preinstalled"])


def test_installing_course_changes_none_of_colabs_packages(colab_verified):
    assert colab_verified["replaced_by_install"] == []
    assert colab_verified["changed_by_run"] == []


def test_the_runtime_holds_colabs_versions():
    versions = constrained_versions()
    assert versions["ipython"] == "7.34.0"
    assert versions["tensorflow-cpu"] == versions["tensorflow"]
    assert all(package in versions for package in RUNTIME_PACKAGES if package not in ("nbval",))


def test_colabs_ipython_satisfies_the_course():
    """`course` must never ask pip to replace the IPython that Colab's kernel is built on."""
    import tomllib
    from book_tools import ROOT
    from packaging.requirements import Requirement

    requirements = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    versions = constrained_versions()
    for text in requirements:
        requirement = Requirement(text)
        name = requirement.name.lower()
        if name in versions:
            assert requirement.specifier.contains(versions[name]), (
                f"{text} refuses Colab's {name} {versions[name]}"
            )
