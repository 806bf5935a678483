"""A pytest plugin for nbval runs: keep what each notebook cell printed.

nbval runs every code cell of a notebook as a test item and, with
``--nbval-lax``, compares no outputs; it keeps each cell's outputs on the item
(``test_outputs``). This plugin puts them back into the notebook and, at the end
of the session, writes each notebook, executed, to
``$NBVAL_RECORD_DIR/<name>.ipynb`` (default ``nbval-executed/``), with the
seconds its cells took and the numbers of the cells that failed in its metadata
(``nbval_record``). ``python -m bookbuild.verify_colab`` loads it
(``-p nbval_record``, with this folder on ``PYTHONPATH``) so that the book is
built from the same execution that verified the Colab notebooks.

It imports nothing from ``course``: it runs where the notebooks' own set-up
cells have not installed ``course`` yet.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

import nbformat
import pytest

RECORD_DIR_ENV = "NBVAL_RECORD_DIR"
_NOTEBOOKS: dict[str, dict[str, Any]] = {}


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Any:
    """Time the cell, then store its outputs (also a failing cell's) in the notebook."""
    cell = getattr(item, "cell", None)
    notebook_file = item.parent
    if cell is None or not hasattr(notebook_file, "nb"):
        return (yield)
    state = _NOTEBOOKS.setdefault(
        str(notebook_file.path), {"file": notebook_file, "seconds": 0.0, "failed": [], "run": 0}
    )
    started = time.monotonic()
    try:
        return (yield)
    except Exception:
        state["failed"].append(item.cell_num)
        raise
    finally:
        state["seconds"] += time.monotonic() - started
        state["run"] += 1
        outputs = getattr(item, "test_outputs", None) or []
        cell.outputs = [nbformat.from_dict(dict(output)) for output in outputs]
        cell.execution_count = state["run"]
        for output in cell.outputs:
            if output.get("output_type") == "execute_result":
                output["execution_count"] = state["run"]


def pytest_sessionfinish(session: pytest.Session) -> None:
    """Write every notebook this session ran, with its outputs and its record."""
    target = Path(os.environ.get(RECORD_DIR_ENV, "nbval-executed"))
    target.mkdir(parents=True, exist_ok=True)
    for path, state in _NOTEBOOKS.items():
        notebook = state["file"].nb
        code_cells = sum(cell.cell_type == "code" for cell in notebook.cells)
        notebook.metadata["nbval_record"] = {
            "seconds": round(state["seconds"], 1),
            "failed_cells": state["failed"],
            "cells_run": state["run"],
            "code_cells": code_cells,
        }
        destination = target / Path(path).name
        partial = destination.with_name(f".{destination.name}.{os.getpid()}.part")
        nbformat.write(notebook, partial)
        partial.replace(destination)
