"""Run chapters as notebooks in a chosen profile: the full-profile record's one command.

::

    COURSE_PROFILE=full python -m bookbuild.execute 04_recurrent_networks
    python -m bookbuild.execute --profile full            # every chapter
    python -m bookbuild.execute --profile fast 01 02      # chapter numbers work too

Each chapter is read exactly as the book reads it (myst-nb's reader), executed
once with a Jupyter kernel in ``book/``, and

* its claims go to ``results/<profile>.jsonl`` (the chapter's own ``claim``
  calls append them; a claim outside its band stops the chapter),
* its execution time goes to ``results/timings-<profile>.jsonl``,
* the executed notebook is written to ``_build/executed/<chapter>.ipynb``, and
* it is stored in the book's execution cache, so that a following
  ``COURSE_PROFILE=<profile> jupyter-book build .`` shows these outputs instead
  of executing the chapter a second time.

A part of a chapter that needs a dataset this machine cannot have (Jena here:
no offline copy) or cannot train in a session (CIFAR-10's full profile on two
CPU cores) can be left out of a *partial* run: its code cells carry the tag
``needs-<dataset>`` and ``--without <dataset>`` drops them before execution::

    python -m bookbuild.execute --profile full --without jena 05

The claims of the parts that run are recorded as usual; the ones left out stay
"not yet measured". A partial run is timed with its method saying what it left
out, writes ``_build/executed/<chapter>.without-<dataset>.ipynb`` and never
enters the book's cache, so no page is built from it.

A *measurement run* (``--keep-going``) records a claim outside its band and
goes on (see :mod:`course.claims`): the way to measure a chapter whose full
bands are still guesses in one run instead of one run per wrong guess. It too
never fills the book's cache, as its pages may state out-of-band numbers.

Example:
    >>> [path.stem for path in resolve_chapters(["01"])]
    ['01_text_vectorization']
"""

from __future__ import annotations

import argparse
import ast
import os
import sys
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from bookbuild.colab import ROOT, chapter_sources
from course.claims import KEEP_GOING_ENV, MODE_ENV
from course.profile import PROFILE_ENV, PROFILES

EXECUTED_DIR = ROOT / "_build" / "executed"
CACHE_DIR = ROOT / "_build" / ".jupyter_cache"


class ChapterFailedError(RuntimeError):
    """A chapter raised an error (a failing cell, or a claim outside its band)."""


def resolve_chapters(names: list[str], root: Path = ROOT) -> list[Path]:
    """Chapter sources for names such as ``04``, ``4``, ``04_recurrent_networks`` (all if empty).

    Example:
        >>> resolve_chapters(["99"])
        Traceback (most recent call last):
        ...
        ValueError: No chapter matches '99'. Chapters: 01_text_vectorization, ...
    """
    sources = chapter_sources(root)
    if not names:
        return sources
    chosen = []
    for name in names:
        stem = Path(name).stem
        matches = [
            source
            for source in sources
            if source.stem == stem or (stem.isdigit() and source.stem[:2] == f"{int(stem):02d}")
        ]
        if not matches:
            known = ", ".join(source.stem for source in sources)
            raise ValueError(f"No chapter matches {name!r}. Chapters: {known}.")
        chosen.extend(match for match in matches if match not in chosen)
    return chosen


def read_chapter(source: Path, root: Path = ROOT) -> Any:
    """The chapter as the book reads it: myst-nb's reader, the book's Markdown settings."""
    from myst_nb.core.read import read_myst_markdown_notebook
    from myst_parser.config.main import MdParserConfig

    from bookbuild.colab import book_config

    extensions = book_config(root).get("parse", {}).get("myst_enable_extensions", [])
    config = MdParserConfig(enable_extensions=set(extensions))
    return read_myst_markdown_notebook(
        source.read_text(encoding="utf-8"), config=config, path=str(source)
    )


NEEDS_TAG_PREFIX = "needs-"


def names_bound_and_read(source: str) -> tuple[set[str], set[str]]:
    """Names a cell binds and names it reads (IPython ``%``/``!`` lines are skipped).

    Example:
        >>> names_bound_and_read("y = x + 1")
        ({'y'}, {'x'})

    Scopes are not told apart: a name bound anywhere in the cell counts as bound.
    """
    lines = [line for line in source.splitlines() if not line.lstrip().startswith(("%", "!"))]
    tree = ast.parse("\n".join(lines))
    bound: set[str] = set()
    read: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            (read if isinstance(node.ctx, ast.Load) else bound).add(node.id)
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            bound.add(node.name)
        elif isinstance(node, ast.alias):
            bound.add((node.asname or node.name).split(".")[0])
        elif isinstance(node, ast.arg):  # a function's parameters are its own names
            bound.add(node.arg)
    return bound, read


def drop_cells_needing(notebook: Any, datasets: Iterable[str]) -> int:
    """Remove the code cells tagged ``needs-<dataset>``; return how many were removed.

    The cells that stay must not read a name that only removed cells define
    (else the partial run would fail halfway, or worse, use a stale value).

    Example:
        >>> import nbformat
        >>> notebook = nbformat.v4.new_notebook(cells=[
        ...     nbformat.v4.new_code_cell("x = 1", metadata={"tags": ["needs-jena"]}),
        ...     nbformat.v4.new_code_cell("y = 2"),
        ... ])
        >>> drop_cells_needing(notebook, ["jena"]), [cell.source for cell in notebook.cells]
        (1, ['y = 2'])
        >>> notebook.cells.append(nbformat.v4.new_code_cell("print(x)"))
        >>> notebook.cells.insert(0, nbformat.v4.new_code_cell(
        ...     "x = 1", metadata={"tags": ["needs-jena"]}))
        >>> drop_cells_needing(notebook, ["jena"])
        Traceback (most recent call last):
        ...
        ValueError: Code cell 3 reads x, which only cells tagged needs-jena define. ...
    """
    tags = {NEEDS_TAG_PREFIX + dataset for dataset in datasets}
    if not tags:
        return 0

    def left_out(cell: Any) -> bool:
        return cell.cell_type == "code" and bool(tags & set(cell.metadata.get("tags", [])))

    removed = [cell for cell in notebook.cells if left_out(cell)]
    bound_by_removed: set[str] = set()
    for cell in removed:
        bound_by_removed |= names_bound_and_read(cell.source)[0]
    bound_by_kept: set[str] = set()
    code_cells = [cell for cell in notebook.cells if cell.cell_type == "code"]
    for code_number, cell in enumerate(code_cells, start=1):
        if left_out(cell):
            continue
        bound, read = names_bound_and_read(cell.source)
        missing = sorted((read - bound_by_kept - bound) & bound_by_removed)
        if missing:
            raise ValueError(
                f"Code cell {code_number} reads {', '.join(missing)}, which only cells tagged "
                f"{' or '.join(sorted(tags))} define. Tag it {' or '.join(sorted(tags))} too, "
                "or define the name in an untagged cell."
            )
        bound_by_kept |= bound
    notebook.cells = [cell for cell in notebook.cells if not left_out(cell)]
    return len(removed)


def execute_chapter(
    source: Path,
    profile: str,
    *,
    root: Path = ROOT,
    book_cache: bool = True,
    without: Iterable[str] = (),
    keep_going: bool = False,
) -> float:
    """Execute one chapter in ``profile``; write, cache and time it; return the seconds.

    ``book_cache=False`` leaves the book's execution cache alone (for drafts).
    ``without`` names datasets whose ``needs-<dataset>`` cells are left out:
    a partial run, which never enters the book's cache (see the module's text).
    ``keep_going`` makes it a measurement run: out-of-band claims are recorded
    and do not stop the chapter; it never enters the book's cache either.

    Raises:
        ChapterFailedError: a cell failed; the executed notebook (with the
            traceback) is still written, for reading.
    """
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    from course.timings import record_timing

    notebook = read_chapter(source, root)
    without = sorted(set(without))
    if without:
        if not drop_cells_needing(notebook, without):
            raise ValueError(
                f"{source.name} has no code cell tagged "
                f"{' or '.join(NEEDS_TAG_PREFIX + name for name in without)}: nothing to leave "
                "out. Run it without --without."
            )
        book_cache = False
    os.environ[PROFILE_ENV] = profile  # the kernel inherits it
    os.environ[MODE_ENV] = "strict"  # a claim outside its band stops the chapter
    earlier_keep_going = os.environ.pop(KEEP_GOING_ENV, None)
    if keep_going:
        os.environ[KEEP_GOING_ENV] = "1"  # for the kernel only: restored below
        book_cache = False
    client = NotebookClient(
        notebook,
        timeout=None,
        kernel_name="python3",
        record_timing=False,  # per-cell timestamps would change the cache's hash
        resources={"metadata": {"path": str(source.parent)}},
    )
    started = time.monotonic()
    failure: CellExecutionError | None = None
    try:
        client.execute()
    except CellExecutionError as error:
        failure = error
    finally:
        os.environ.pop(KEEP_GOING_ENV, None)
        if earlier_keep_going is not None:
            os.environ[KEEP_GOING_ENV] = earlier_keep_going
    seconds = time.monotonic() - started
    suffix = "".join(f".without-{name}" for name in without)
    target = root / "_build" / "executed" / f"{source.stem}{suffix}.ipynb"
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".ipynb.part")
    nbformat.write(notebook, partial)
    partial.replace(target)
    if failure is not None:
        raise ChapterFailedError(f"{source.name} failed in the {profile} profile:\n{failure}")
    method = "bookbuild.execute" + "".join(f" --without {name}" for name in without)
    method += " --keep-going" if keep_going else ""
    record_timing(source.stem, seconds, profile=profile, method=method)
    if book_cache:
        _store_in_book_cache(notebook, source, seconds, profile, root)
    if profile == "full" and root == ROOT:
        from course.results_page import publish_full_values

        publish_full_values()  # readers' notebooks show the course's new values
    return seconds


def _store_in_book_cache(
    notebook: Any, source: Path, seconds: float, profile: str, root: Path
) -> None:
    """Put an executed chapter where ``jupyter-book build`` (cache mode) finds it."""
    from jupyter_cache import get_cache
    from jupyter_cache.base import CacheBundleIn

    from bookbuild.sphinx_extension import invalidate_stale_cache, package_fingerprint

    cache_dir = root / "_build" / ".jupyter_cache"
    cache_dir.parent.mkdir(parents=True, exist_ok=True)
    invalidate_stale_cache(cache_dir, package_fingerprint(profile=profile))
    bundle = CacheBundleIn(notebook, str(source), data={"execution_seconds": seconds})
    get_cache(str(cache_dir)).cache_notebook_bundle(bundle, check_validity=False, overwrite=True)


def main(argv: list[str] | None = None) -> int:
    """Command line: ``python -m bookbuild.execute [--profile P] [CHAPTER ...]``."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("chapters", nargs="*", help="chapter names or numbers (default: all)")
    parser.add_argument(
        "--profile",
        choices=PROFILES,
        default=os.environ.get(PROFILE_ENV, "full"),
        help=f"run profile (default: ${PROFILE_ENV}, else full)",
    )
    parser.add_argument(
        "--no-book-cache",
        action="store_true",
        help="do not store the executed chapters in the book's execution cache",
    )
    parser.add_argument(
        "--without",
        action="append",
        default=[],
        metavar="DATASET",
        help="leave out the cells tagged needs-DATASET (a partial run; repeatable)",
    )
    parser.add_argument(
        "--keep-going",
        action="store_true",
        help="a measurement run: record out-of-band claims and go on (no book cache)",
    )
    arguments = parser.parse_args(argv)
    try:
        chapters = resolve_chapters(arguments.chapters)
    except ValueError as error:
        parser.error(str(error))
    failed = []
    for source in chapters:
        print(f"== {source.stem}: executing in the {arguments.profile} profile", flush=True)
        try:
            seconds = execute_chapter(
                source,
                arguments.profile,
                book_cache=not arguments.no_book_cache,
                without=arguments.without,
                keep_going=arguments.keep_going,
            )
        except (ChapterFailedError, ValueError) as error:
            print(error, file=sys.stderr, flush=True)
            failed.append(source.stem)
            continue
        print(f"== {source.stem}: {seconds:.0f} s", flush=True)
    if failed:
        print(
            f"Failed: {', '.join(failed)} (executed notebooks in _build/executed/)",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
