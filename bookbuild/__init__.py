"""The tools that build and verify the course: not in the ``course`` package a learner installs.

- ``bookbuild.colab``: the Colab notebooks (teacher and student editions) from the MyST chapters.
- ``bookbuild.verify_colab``: nbval over the Colab notebooks in a Colab-like runtime; fills the
  book's execution cache from that execution.
- ``bookbuild.execute``: run chosen chapters in a profile (the full-profile record's command).
- ``bookbuild.sphinx_extension``: the book's Sphinx hooks (Colab button, stale-cache guard,
  strict claims, timings).

They need the book tools (``pip install -e .[book,test]``, which ``requirements.txt`` does) and
run from the repository's root: ``python -m bookbuild.verify_colab``.
"""
