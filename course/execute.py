"""Run chapters as notebooks in a chosen profile: the full-profile record's one command.

::

    COURSE_PROFILE=full python -m course.execute 04_recurrent_networks
    python -m course.execute --profile full            # every chapter
    python -m course.execute --profile fast 01 02      # chapter numbers work too

Each chapter is read exactly as the book reads it (myst-nb's reader), executed
once with a Jupyter kernel in ``book/``, and

* its claims go to ``results/<profile>.jsonl`` (the chapter's own ``claim``
  calls append them; a claim outside its band stops the chapter),
* its execution time goes to ``results/timings-<profile>.jsonl``,
* the executed notebook is written to ``_build/executed/<chapter>.ipynb``, and
* it is stored in the book's execution cache, so that a following
  ``COURSE_PROFILE=<profile> jupyter-book build .`` shows these outputs instead
  of executing the chapter a second time.

Example:
    >>> [path.stem for path in resolve_chapters(["01"])]
    ['01_text_vectorization']
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from typing import Any

from course.colab import ROOT, chapter_sources
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

    from course.colab import book_config

    extensions = book_config(root).get("parse", {}).get("myst_enable_extensions", [])
    config = MdParserConfig(enable_extensions=set(extensions))
    return read_myst_markdown_notebook(
        source.read_text(encoding="utf-8"), config=config, path=str(source)
    )


def execute_chapter(
    source: Path, profile: str, *, root: Path = ROOT, book_cache: bool = True
) -> float:
    """Execute one chapter in ``profile``; write, cache and time it; return the seconds.

    ``book_cache=False`` leaves the book's execution cache alone (for drafts).

    Raises:
        ChapterFailedError: a cell failed; the executed notebook (with the
            traceback) is still written, for reading.
    """
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    from course.timings import record_timing

    notebook = read_chapter(source, root)
    os.environ[PROFILE_ENV] = profile  # the kernel inherits it
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
    seconds = time.monotonic() - started
    target = root / "_build" / "executed" / f"{source.stem}.ipynb"
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".ipynb.part")
    nbformat.write(notebook, partial)
    partial.replace(target)
    if failure is not None:
        raise ChapterFailedError(f"{source.name} failed in the {profile} profile:\n{failure}")
    record_timing(source.stem, seconds, profile=profile, method="course.execute")
    if book_cache:
        _store_in_book_cache(notebook, source, seconds, profile, root)
    return seconds


def _store_in_book_cache(
    notebook: Any, source: Path, seconds: float, profile: str, root: Path
) -> None:
    """Put an executed chapter where ``jupyter-book build`` (cache mode) finds it."""
    from jupyter_cache import get_cache
    from jupyter_cache.base import CacheBundleIn

    from course.sphinx_extension import invalidate_stale_cache, package_fingerprint

    cache_dir = root / "_build" / ".jupyter_cache"
    cache_dir.parent.mkdir(parents=True, exist_ok=True)
    invalidate_stale_cache(cache_dir, package_fingerprint(profile=profile))
    bundle = CacheBundleIn(notebook, str(source), data={"execution_seconds": seconds})
    get_cache(str(cache_dir)).cache_notebook_bundle(bundle, check_validity=False, overwrite=True)


def main(argv: list[str] | None = None) -> int:
    """Command line: ``python -m course.execute [--profile P] [CHAPTER ...]``."""
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
                source, arguments.profile, book_cache=not arguments.no_book_cache
            )
        except ChapterFailedError as error:
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
