"""The student edition of the site: the book with every solution removed, not folded.

``python -m classroom.student_site`` builds the book a second time, into
``_build/student-site/_build/html``, **without executing any chapter**: it
reads the outputs from the execution cache of the normal build
(``_build/.jupyter_cache``) and stops, before building, if a chapter is
missing from it (run the normal build first, in the same profile).

It passes ``jupyter-book build`` a second configuration file, generated from
``_config.yml``, that adds this module as a Sphinx extension and points the
cache at the normal build's. The extension removes solutions where Sphinx
holds them, so they reach no output at all:

* a transform drops every ``sphinx-exercise`` solution node (the gated
  ``solution-start`` … ``solution-end`` form, code cells and their outputs
  included, and the plain ``solution`` directive) from each page's doctree,
  before the HTML, the search index or anything else is written;
* after the build, the page sources the download button offers
  (``_sources/…``) and the executed notebooks (``jupyter_execute/…``) lose
  their solution blocks and cells, and the teacher's Colab edition that the
  course's extension writes beside the site is deleted, as are Sphinx's
  private pickles (``.doctrees``, which keep each page's source text);
* the Colab launch button opens the student Colab notebooks (those the
  normal build writes to ``_build/student``, published to the
  ``colab-student`` branch).

Example:
    >>> strip_solution_text("a\\n```{solution-start} x\\n```\\nno\\n```{solution-end}\\n```\\nb")
    'a\\nb'
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

from classroom.spec import ROOT

EXTENSION = "classroom.student_site"
STUDENT_BRANCH = "colab-student"
_START = re.compile(r"^\s*(?P<fence>`{3,}|:{3,})\{solution-start\}")
_END = re.compile(r"^\s*(?P<fence>`{3,}|:{3,})\{solution-end\}")
_PLAIN = re.compile(r"^\s*(?P<fence>`{3,}|:{3,})\{solution\}")


def _strip_lines(lines: list[str], state: dict[str, Any]) -> list[str]:
    """Drop solution blocks from ``lines``; ``state`` carries an open block across calls."""
    kept = []
    for line in lines:
        if state.get("closing"):  # the fence that closes a solution-end directive
            state["closing"] = None
            if line.strip() and set(line.strip()) <= {"`", ":"}:
                continue
        if state.get("plain"):
            if line.strip() == state["plain"]:
                state["plain"] = None
            continue
        if state.get("gated"):
            if _END.match(line):
                state["gated"] = False
                state["closing"] = True
            continue
        if _START.match(line):
            state["gated"] = True
            continue
        if (match := _PLAIN.match(line)) is not None:
            state["plain"] = match["fence"]
            continue
        kept.append(line)
    return kept


def strip_solution_text(text: str) -> str:
    """MyST text with every solution directive (gated or not) removed.

    Example:
        >>> strip_solution_text("```{solution} ex-1\\nsecret\\n```\\nkept")
        'kept'
    """
    return "\n".join(_strip_lines(text.split("\n"), {}))


def strip_solution_cells(notebook: dict[str, Any]) -> dict[str, Any]:
    """A notebook (as JSON) with the cells between ``solution-start`` and ``solution-end`` removed.

    Example:
        >>> cells = [{"cell_type": "markdown", "source": "```{solution-start} a\\n```"},
        ...          {"cell_type": "code", "source": "secret = 1"},
        ...          {"cell_type": "markdown", "source": "```{solution-end}\\n```\\nnext"}]
        >>> [c["source"] for c in strip_solution_cells({"cells": cells})["cells"]]
        ['next']
    """
    state: dict[str, Any] = {}
    kept = []
    for cell in notebook.get("cells", []):
        source = cell.get("source", "")
        text = "".join(source) if isinstance(source, list) else str(source)
        if cell.get("cell_type") == "markdown":
            remaining = "\n".join(_strip_lines(text.split("\n"), state)).strip("\n")
            if remaining.strip():
                kept.append({**cell, "source": remaining})
        elif not (state.get("gated") or state.get("plain")):
            kept.append(cell)
    return {**notebook, "cells": kept}


# ----------------------------------------------------------------- the Sphinx extension


def _remove_solution_nodes(app: Any, doctree: Any) -> None:
    from sphinx_exercise.nodes import solution_end_node, solution_node, solution_start_node

    for kind in (solution_node, solution_start_node, solution_end_node):
        for node in list(doctree.findall(kind)):
            node.parent.remove(node)


def _strip_outputs(app: Any, exception: Exception | None) -> None:
    """After the build: strip page sources and executed notebooks; drop the teacher's edition."""
    if exception is not None:
        return
    outdir = Path(app.outdir)
    folders = [outdir / "_sources", outdir.parent / "jupyter_execute", outdir]
    for folder in folders:
        if not folder.is_dir():
            continue
        for path in folder.rglob("*"):
            if path.suffix == ".ipynb":
                notebook = json.loads(path.read_text(encoding="utf-8"))
                path.write_text(json.dumps(strip_solution_cells(notebook)), encoding="utf-8")
            elif path.suffix in (".md", ".txt", ".myst") and path.is_file():
                text = path.read_text(encoding="utf-8", errors="replace")
                if "{solution" in text:
                    path.write_text(strip_solution_text(text), encoding="utf-8")
    shutil.rmtree(outdir.parent / "colab", ignore_errors=True)  # the teacher's Colab edition


def setup(app: Any) -> dict[str, bool]:
    """Sphinx entry point: the student build's solution removal."""
    from sphinx.transforms import SphinxTransform

    class RemoveSolutions(SphinxTransform):
        """Drop solution nodes once ``sphinx-exercise`` has merged the gated ones (priority 10)."""

        default_priority = 500

        def apply(self, **kwargs: Any) -> None:
            _remove_solution_nodes(self.app, self.document)

    app.add_transform(RemoveSolutions)
    app.connect("doctree-read", _remove_solution_nodes, priority=100)
    app.connect("build-finished", _strip_outputs, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}


# ----------------------------------------------------------------- the build


def student_config(root: Path = ROOT, cache: Path | None = None) -> dict[str, Any]:
    """The student build's configuration: ``_config.yml`` plus this extension and the cache.

    Example:
        >>> config = student_config()
        >>> config["sphinx"]["extra_extensions"][-1], config["repository"]["branch"]
        ('classroom.student_site', 'colab-student')
    """
    import yaml

    config = yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8"))
    sphinx = config.setdefault("sphinx", {})
    local = sphinx.get("local_extensions") or {}
    # The second config file lives in the output folder: local extensions' paths
    # (relative to the config file) are made absolute, relative to the book.
    sphinx["local_extensions"] = {
        name: str((root / path).resolve()) for name, path in local.items()
    }
    if not sphinx["local_extensions"]:
        del sphinx["local_extensions"]
    extensions = sphinx.setdefault("extra_extensions", [])
    if EXTENSION not in extensions:
        extensions.append(EXTENSION)
    execute = config.setdefault("execute", {})
    execute["execute_notebooks"] = "cache"
    execute["cache"] = str((cache or root / "_build" / ".jupyter_cache").resolve())
    config.setdefault("repository", {})["branch"] = STUDENT_BRANCH
    return config


def uncached(root: Path, cache: Path, config: dict[str, Any]) -> list[str]:
    """The book's notebook pages that the execution cache does not hold (each would execute).

    Example:
        >>> uncached(ROOT, Path("/nonexistent"), student_config())[:1]
        ['book/01_text_vectorization.md']
    """
    from jupyter_cache import get_cache
    from myst_nb.core.read import read_myst_markdown_notebook

    pages = [
        path
        for path in sorted(root.rglob("*.md"))
        if "_build" not in path.parts
        and not any(part.startswith(".") for part in path.relative_to(root).parts)
        and path.read_text(encoding="utf-8").lstrip().startswith("---")
        and "format_name: myst" in path.read_text(encoding="utf-8")
    ]
    if not cache.is_dir():
        return [path.relative_to(root).as_posix() for path in pages]
    store = get_cache(str(cache))
    missing = []
    for path in pages:
        notebook = read_myst_markdown_notebook(path.read_text(encoding="utf-8"))
        try:
            store.match_cache_notebook(notebook)
        except KeyError:
            missing.append(path.relative_to(root).as_posix())
    return missing


def _check_fingerprint(cache: Path, config: dict[str, Any]) -> None:
    """Refuse a build that would make the course's extension empty the cache.

    The book's Sphinx extension empties the execution cache when the ``course``
    package or the profile differ from those that filled it; the student
    build must run in the normal build's profile.
    """
    from bookbuild.sphinx_extension import FINGERPRINT_FILE, package_fingerprint

    marker = cache / FINGERPRINT_FILE
    sphinx = config.get("sphinx", {})
    extensions = [*sphinx.get("extra_extensions", []), *(sphinx.get("local_extensions") or {})]
    if "bookbuild.sphinx_extension" not in extensions or not marker.is_file():
        return
    filled = marker.read_text(encoding="utf-8").strip()
    if filled == package_fingerprint():
        return
    profiles = [name for name in ("fast", "full") if package_fingerprint(profile=name) == filled]
    hint = (
        f"set COURSE_PROFILE={profiles[0]}, the profile of the normal build"
        if profiles
        else "the course package changed since the normal build: run the normal build again"
    )
    raise RuntimeError(
        f"The execution cache {cache} was filled in another profile or with another "
        f"version of course; building now would empty it and execute every chapter: {hint}."
    )


def build(
    root: Path = ROOT,
    output: Path | None = None,
    *,
    cache: Path | None = None,
    execute: str = "cache",
) -> Path:
    """Build the student edition into ``output`` (``_build/student-site``); return its HTML.

    ``execute="off"`` builds the pages without outputs and without the cache:
    a quick check of the removal on the real chapters (the tests use it).
    """
    import yaml

    output = (output or root / "_build" / "student-site").resolve()
    cache = (cache or root / "_build" / ".jupyter_cache").resolve()
    config = student_config(root, cache)
    if execute == "off":
        config["execute"].update(execute_notebooks="off", cache=str(output / "no-cache"))
        config["sphinx"].setdefault("config", {})["nb_execution_raise_on_error"] = False
    elif execute != "cache":
        raise ValueError(f"execute must be 'cache' or 'off', not {execute!r}.")
    if execute == "cache":
        _check_fingerprint(cache, config)
    missing = uncached(root, cache, config) if execute == "cache" else []
    if missing:
        raise RuntimeError(
            f"The execution cache {cache} lacks {', '.join(missing)}: the student edition "
            "never executes a chapter. Run the normal build first, in the same profile "
            "(COURSE_PROFILE=fast jupyter-book build .), then this command again."
        )
    output.mkdir(parents=True, exist_ok=True)
    config_file = output / "_config_student.yml"
    config_file.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        [str(ROOT)] + [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p]
    )
    command = [
        sys.executable,
        "-c",
        "import sys; from jupyter_book.cli.main import main; main(sys.argv[1:])",
        "build",
        str(root),
        "--config",
        str(config_file),
        "--path-output",
        str(output),
    ]
    subprocess.run(command, check=True, env=env, cwd=root)
    # Sphinx's private pickles keep each page's source text: never published, but gone too.
    shutil.rmtree(output / "_build" / ".doctrees", ignore_errors=True)
    return output / "_build" / "html"


def solution_snippets(root: Path = ROOT) -> list[str]:
    """Lines of the solutions' code that appear nowhere else in their chapter.

    These are what the no-solution check looks for in a student build: a line
    such as ``model = keras.Sequential(`` also occurs in the lesson, so it says
    nothing about a leak and is left out.

    Example:
        >>> any("answer = np.minimum(1.0" in line for line in solution_snippets())
        True
    """
    from classroom.spec import chapter_sources, read_assignment

    snippets = []
    for source in chapter_sources(root):
        rest = strip_solution_text(source.read_text(encoding="utf-8"))
        for exercise in read_assignment(source, root).exercises:
            for line in exercise.solution.splitlines():
                line = line.strip()
                if (
                    len(line) >= 20
                    and not line.startswith(("from ", "import ", "check(", "#", "print("))
                    and not line.startswith(exercise.variable)
                    and line not in rest
                ):
                    snippets.append(line)
    return list(dict.fromkeys(snippets))


def find_leaks(folder: Path, snippets: list[str]) -> list[tuple[str, str]]:
    """(file, snippet) for every snippet found in any file under ``folder``.

    HTML escapes quotes and ``<>&``, so each snippet is also looked for escaped.

    Example:
        >>> find_leaks(Path("/nonexistent"), ["x = 1"])
        []
    """
    import html

    forms = {
        snippet: {snippet, html.escape(snippet), html.escape(snippet, quote=False)}
        for snippet in snippets
    }
    leaks = []
    for path in sorted(folder.rglob("*")) if folder.is_dir() else []:
        if not path.is_file() or path.stat().st_size > 20_000_000:
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        plain = re.sub(r"<[^>]+>", "", text)  # highlighted code is split into <span>s
        for snippet, variants in forms.items():
            if any(form in text or form in plain for form in variants):
                leaks.append((path.relative_to(folder).as_posix(), snippet))
    return leaks


def main(argv: list[str] | None = None) -> None:
    """Command line: ``python -m classroom.student_site [--output DIR]``."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--output", type=Path, default=None, help="default: _build/student-site")
    parser.add_argument(
        "--no-outputs",
        action="store_true",
        help="build without the execution cache (pages without outputs): a quick check",
    )
    arguments = parser.parse_args(argv)
    html_folder = build(
        output=arguments.output, execute="off" if arguments.no_outputs else "cache"
    )
    leaks = find_leaks(html_folder.parent, solution_snippets())
    if leaks:
        raise SystemExit(f"Solutions remain in the student build: {leaks[:5]}")
    print(f"Student edition: {html_folder} (no solution found in {html_folder.parent}).")
    print(
        "Publish it as the students' site, and the student Colab notebooks (_build/student, "
        f"written by the normal build) on the {STUDENT_BRANCH} branch for its Colab buttons."
    )


if __name__ == "__main__":
    main()
