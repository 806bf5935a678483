"""Shared by the notebook and book tests: paths, the environment chapters run in."""

from __future__ import annotations

import os
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED_MIRROR = ROOT.parent / "shared" / "data"


def chapter_environment() -> dict[str, str]:
    """The environment chapters run in under test: fast profile unless told otherwise,
    the shared mirror when it is beside the checkout, results recorded in the checkout."""
    environment = dict(os.environ)
    environment.setdefault("COURSE_PROFILE", "fast")
    if "COURSE_DATA_MIRROR" not in environment and SHARED_MIRROR.is_dir():
        environment["COURSE_DATA_MIRROR"] = str(SHARED_MIRROR)
    environment.setdefault("COURSE_RESULTS_DIR", str(ROOT / "results"))
    environment.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    environment.setdefault("PYTHONHASHSEED", "0")
    return environment


_SOLUTION = re.compile(
    r"```\{solution-start\}\s+(?P<label>\S+).*?```\{code-cell\}[^\n]*\n(?P<code>.*?)\n```",
    re.DOTALL,
)


def solution_cells(source: Path) -> list[tuple[str, str]]:
    """(exercise label, solution code) for every gated solution in a chapter."""
    return [
        (match["label"], match["code"])
        for match in _SOLUTION.finditer(source.read_text(encoding="utf-8"))
    ]


def readme_command(name: str) -> str:
    """The command after ``<!-- ci:NAME -->`` in the README (what .ci/run also reads)."""
    lines = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    start = lines.index(f"<!-- ci:{name} -->")
    fence = next(i for i in range(start, len(lines)) if lines[i].startswith("```bash"))
    return lines[fence + 1].strip()
