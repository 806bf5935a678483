"""Helpers for *Deep Learning for Text and Sequences with Keras*.

Every chapter starts the same way::

    import course
    profile = course.setup()          # read COURSE_PROFILE, seed everything

and states numbers only through :func:`course.claim`. The modules, by concern:

- ``course.profile``: fast and full run profiles, seeding.
- ``course.data``: the dataset registry, downloads with checksums, the mirror, loaders, stand-ins.
- ``course.claims``: verified numbers and the results record.
- ``course.text``, ``course.word2vec``, ``course.embeddings``, ``course.rnn_reference``,
  ``course.sequences``: teaching helpers, one concern each.
- ``course.plots``: learning curves and comparisons.
- ``course.exercises``: answer checkers (``check("text-vectorization.1", answer)``).
- ``course.colab``: Colab notebooks from the chapter sources.

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
