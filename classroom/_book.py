"""Where the book's build tools live, so that ``classroom`` works before and after their move.

The Colab conversion and the book's Sphinx extension moved from ``course`` (which learners
install) to ``bookbuild`` (build tools, from the checkout). ``classroom`` uses whichever
the checkout has.

Example:
    >>> colab().PACKAGE_NAME
    'dl-text-sequences-course'
"""

from __future__ import annotations

import importlib
from types import ModuleType

# The book's own Sphinx extension, under its new name and its old one.
BOOK_EXTENSIONS = ("bookbuild.sphinx_extension", "course.sphinx_extension")


def _first(*names: str) -> ModuleType:
    for name in names:
        try:
            return importlib.import_module(name)
        except ModuleNotFoundError as error:
            if error.name is None or not name.startswith(error.name):
                raise  # the module exists but one of its own imports is missing
    raise ModuleNotFoundError(f"None of {', '.join(names)} can be imported.")


def colab() -> ModuleType:
    """The Colab conversion module (``bookbuild.colab`` or ``course.colab``)."""
    return _first("bookbuild.colab", "course.colab")


def sphinx_extension() -> ModuleType:
    """The book's Sphinx extension (``bookbuild.sphinx_extension`` or ``course.sphinx_extension``).

    Example:
        >>> sphinx_extension().__name__ in BOOK_EXTENSIONS
        True
    """
    return _first(*BOOK_EXTENSIONS)
