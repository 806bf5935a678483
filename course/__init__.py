"""Helpers for *Deep Learning for Text and Sequences with Keras*.

Every chapter starts the same way::

    import course
    profile = course.setup()          # read COURSE_PROFILE, seed everything

and states numbers only through :func:`course.claim`. The modules, by concern:

- ``course.profile``: fast and full run profiles, seeding.
- ``course.data``: the dataset registry, downloads with checksums, the mirror, loaders,
  stand-ins, the ``Dataset`` type (``course.data.dataset``), derived caches.
- ``course.claims``: declared numbers, ``claim`` (strict or learner mode), glue.
- ``course.records``: the results records and the course's published full-profile values.
- ``course.results_page``: the results page; publishing the full-profile values.
- ``course.timings``: how long each chapter took, against its speed target.
- ``course.checkpoints``: long trainings that resume after a kill (``resumable``).
- ``course.text``, ``course.word2vec``, ``course.embeddings``: chapters 1–3.
- ``course.rnn_reference``, ``course.sequences``: chapter 4.
- ``course.timeseries``: chapter 5; ``course.conv1d_reference``: chapter 6;
  ``course.language_models``: chapter 7; ``course.tagging``: chapter 8;
  ``course.seq2seq``: chapter 9; ``course.conv2d_reference``: chapter 10;
  ``course.autoencoders``: chapter 11.
- ``course.plots``: learning curves and comparisons.
- ``course.exercises``: answer checkers (``check("text-vectorization.1", answer)``).

The tools that build the book and the Colab notebooks live outside this package,
in the checkout's ``bookbuild/``.

Importing ``course`` is cheap: TensorFlow and Keras load only when a helper needs them.
"""

from course.claims import claim, glue_text, show_run_info
from course.profile import get_profile, seed_everything, setup

__version__ = "0.1.0"
__all__ = [
    "claim",
    "get_profile",
    "glue_text",
    "seed_everything",
    "setup",
    "show_run_info",
    "__version__",
]
