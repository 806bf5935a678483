"""The book's own Sphinx extension, listed in ``_config.yml``.

Three small hooks around a Jupyter Book build:

1. Before anything is read, the execution cache is emptied if the ``course``
   package changed since the chapters were executed. The cache keys on a
   chapter's code alone, so without this a changed helper would leave stale
   outputs (and stale numbers) on the page.
2. The theme's Colab button links the ``.md`` source, which Colab cannot open;
   it is pointed at the ``.ipynb`` that :mod:`course.colab` generates.
3. After an HTML build, the Colab notebooks are written to ``_build/colab``.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path
from typing import Any

PACKAGE_FOLDER = Path(__file__).resolve().parent
FINGERPRINT_FILE = "course-package.sha256"


def package_fingerprint(folder: Path = PACKAGE_FOLDER) -> str:
    """SHA-256 over the ``course`` package's Python files (names and contents).

    Example:
        >>> len(package_fingerprint())
        64
    """
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*.py")):
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
    cache = Path(config.nb_execution_cache_path or Path(app.outdir).parent / ".jupyter_cache")
    if invalidate_stale_cache(cache, package_fingerprint()):
        print(f"[course] the course package changed: emptied the execution cache {cache}")


def point_colab_button_at_notebook(app: Any, pagename: str, templatename: str, context: dict, doctree: Any) -> None:
    """Rewrite the theme's Colab launch link from ``<page>.md`` to ``<page>.ipynb``."""
    for button in context.get("header_buttons", []):
        for item in button.get("buttons", []) if isinstance(button, dict) else []:
            url = item.get("url", "")
            if "colab.research.google.com" in url and url.endswith(".md"):
                item["url"] = url[: -len(".md")] + ".ipynb"


def _write_notebooks_after_build(app: Any, exception: Exception | None) -> None:
    from course.colab import build_notebooks

    if exception is None and app.builder.name == "html":
        build_notebooks(Path(app.outdir).parent / "colab", root=Path(app.srcdir))


def setup(app: Any) -> dict[str, bool]:
    """Sphinx entry point."""
    app.connect("config-inited", _on_config_inited)
    app.connect("html-page-context", point_colab_button_at_notebook, priority=600)
    app.connect("build-finished", _write_notebooks_after_build)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
