"""The book's own Sphinx extension, listed in ``_config.yml``.

Four small hooks around a Jupyter Book build:

1. Before anything is read, claims are made strict (``COURSE_CLAIMS=strict``:
   a value outside its band fails the build, never a note), and the execution
   cache is emptied if the ``course`` package or the run profile changed since
   the chapters were executed. The
   cache keys on a chapter's code alone, so without this a changed helper (or a
   fast-profile run) would leave stale outputs and numbers on the page.
2. The theme's Colab button links the ``.md`` source, which Colab cannot open;
   it is pointed at the ``.ipynb`` that :mod:`bookbuild.colab` generates.
3. After an HTML build, the Colab notebooks (both editions) are written to
   ``_build/colab`` and ``_build/student``.
4. After the build, each chapter executed by it has its execution time
   appended to the timings record (:mod:`course.timings`).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import time
from pathlib import Path
from typing import Any

PACKAGE_FOLDER = Path(__file__).resolve().parent.parent / "course"
FINGERPRINT_FILE = "course-package.sha256"


def package_fingerprint(folder: Path = PACKAGE_FOLDER, *, profile: str | None = None) -> str:
    """SHA-256 over the run profile and the ``course`` package's files (names and contents).

    ``profile`` defaults to ``COURSE_PROFILE`` (as the chapters read it).

    Example:
        >>> package_fingerprint(profile="fast") != package_fingerprint(profile="full")
        True
    """
    from course.profile import get_profile

    digest = hashlib.sha256()
    digest.update(f"profile={get_profile(profile).name}\n".encode())
    for path in sorted([*folder.rglob("*.py"), *folder.rglob("*.yaml")]):
        digest.update(path.relative_to(folder).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def invalidate_stale_cache(cache: Path, fingerprint: str) -> bool:
    """Empty ``cache`` unless it was filled with this package fingerprint; True if emptied.

    Example:
        >>> invalidate_stale_cache(Path("/nonexistent/cache"), "abc")
        False
    """
    marker = cache / FINGERPRINT_FILE
    emptied = False
    if cache.is_dir() and (not marker.is_file() or marker.read_text().strip() != fingerprint):
        shutil.rmtree(cache)
        emptied = True
    if cache.parent.is_dir():
        cache.mkdir(exist_ok=True)
        marker.write_text(fingerprint + "\n")
    return emptied


def _on_config_inited(app: Any, config: Any) -> None:
    app.course_build_started = time.time()  # chapters executed after this are timed
    os.environ["COURSE_CLAIMS"] = "strict"  # the kernels inherit it: no learner mode here
    cache = Path(config.nb_execution_cache_path or Path(app.outdir).parent / ".jupyter_cache")
    if invalidate_stale_cache(cache, package_fingerprint()):
        print(f"[course] course package or profile changed: emptied the execution cache {cache}")


def record_execution_times(app: Any) -> list[str]:
    """Append the execution time of every chapter this build executed; return their names.

    Chapters taken from the execution cache were timed when they ran.
    """
    from myst_nb.sphinx_ import NbMetadataCollector

    from course.profile import get_profile
    from course.timings import record_timing

    profile = get_profile().name
    started = getattr(app, "course_build_started", 0.0)
    timed = []
    for docname in sorted(app.env.found_docs):
        if not os.path.basename(docname)[:2].isdigit():
            continue
        try:
            data = NbMetadataCollector.get_exec_data(app.env, docname)
        except KeyError:
            data = None
        if not data or data.get("runtime") is None or data.get("mtime", 0) < started:
            continue
        if data.get("succeeded"):
            record_timing(
                os.path.basename(docname), data["runtime"], profile=profile, method="book build"
            )
            timed.append(docname)
    return timed


def point_colab_button_at_notebook(
    app: Any, pagename: str, templatename: str, context: dict, doctree: Any
) -> None:
    """Rewrite the theme's Colab launch link from ``<page>.md`` to ``<page>.ipynb``."""
    for button in context.get("header_buttons", []):
        for item in button.get("buttons", []) if isinstance(button, dict) else []:
            url = item.get("url", "")
            if "colab.research.google.com" in url and url.endswith(".md"):
                item["url"] = url[: -len(".md")] + ".ipynb"


def _after_build(app: Any, exception: Exception | None) -> None:
    from bookbuild.colab import build_notebooks

    if exception is None:
        record_execution_times(app)
    if exception is None and app.builder.name == "html":
        build_notebooks(Path(app.outdir).parent / "colab", root=Path(app.srcdir))
        build_notebooks(Path(app.outdir).parent / "student", student=True, root=Path(app.srcdir))


def setup(app: Any) -> dict[str, bool]:
    """Sphinx entry point."""
    app.connect("config-inited", _on_config_inited)
    app.connect("html-page-context", point_colab_button_at_notebook, priority=600)
    app.connect("build-finished", _after_build)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
