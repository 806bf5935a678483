"""Exercise checkers a student calls from any notebook.

Each exercise in the book has an id such as ``"text-vectorization.1"`` (the
chapter's slug, a dot, the exercise number). A student checks an answer with::

    from course.exercises import check
    check("text-vectorization.1", my_answer)

:func:`check` returns a :class:`Feedback`: it shows as a short message in a
notebook, is truthy when the answer is right, and says *what* is wrong
otherwise (a shape, a type, which values differ).

Adding an exercise: write a function ``answer -> Feedback`` in the chapter's
module (``course/exercises/text_vectorization.py`` for chapter 1; every module
in this package is imported on the first check), decorate it with
``@checker("slug.N")``, and put the exercise with a gated solution in the
chapter. ``tests/test_exercises.py`` runs every solution in the book against
its checker.

Read the answer with the normalisation layer in :mod:`course.exercises.answers`
(``as_number``, ``as_integer``, ``as_array``, ``as_shape``, ``as_text``): it
accepts the forms students send (lists, float32, tensors, ``[3]``) and raises
:class:`~course.exercises.answers.AnswerError` with specific feedback for the
rest (None, text, NaN, ragged lists, wrong or transposed shapes); :func:`check`
reports that message. Then test what the answer *does* or *is*, not its type,
and compare numbers with :func:`compare_values`, which says "keep more digits"
when an answer was rounded too far.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from course.exercises.answers import AnswerError, as_array, capitalise, rounding_hint

Checker = Callable[[Any], "Feedback"]
CHECKERS: dict[str, Checker] = {}
history: list[tuple[str, Feedback]] = []  # every check made in this process


@dataclass(frozen=True)
class Feedback:
    """The verdict on an answer.

    Example:
        >>> bool(Feedback(True, "Correct."))
        True
    """

    passed: bool
    message: str

    def __bool__(self) -> bool:
        return self.passed

    def __str__(self) -> str:
        return ("✅ " if self.passed else "❌ ") + self.message

    def _repr_markdown_(self) -> str:
        return str(self)

    def __repr__(self) -> str:
        return str(self)


def correct(message: str = "Correct.") -> Feedback:
    """A passing verdict."""
    return Feedback(True, message)


def wrong(message: str) -> Feedback:
    """A failing verdict with a message that says what to change."""
    return Feedback(False, message)


def checker(exercise_id: str) -> Callable[[Checker], Checker]:
    """Register a checker function under an exercise id.

    Example:
        >>> @checker("demo.1")
        ... def _demo(answer):
        ...     return correct() if answer == 42 else wrong("Try 6 × 7.")
        >>> bool(check("demo.1", 42))
        True
    """

    def register(function: Checker) -> Checker:
        if exercise_id in CHECKERS:
            raise ValueError(f"Exercise {exercise_id!r} already has a checker.")
        CHECKERS[exercise_id] = function
        return function

    return register


def check(exercise_id: str, answer: Any) -> Feedback:
    """Check a student's answer to exercise ``exercise_id``.

    Example:
        >>> check("text-vectorization.3", [0, 1]).passed
        False
    """
    _load_chapter_checkers()
    if exercise_id not in CHECKERS:
        close = difflib.get_close_matches(exercise_id, CHECKERS, n=1)
        hint = f" Did you mean {close[0]!r}?" if close else ""
        raise ValueError(
            f"No exercise {exercise_id!r}.{hint} Known exercises: {', '.join(sorted(CHECKERS))}."
        )
    try:
        feedback = CHECKERS[exercise_id](answer)
    except AnswerError as problem:  # the answer could not be read: its message says why
        feedback = wrong(str(problem))
    except Exception as error:  # a malformed answer must give feedback, not a traceback
        feedback = wrong(
            f"Checking the answer raised {type(error).__name__}: {error}. "
            "Look at the type and shape the exercise asks for."
        )
    history.append((exercise_id, feedback))
    return feedback


def _load_chapter_checkers() -> None:
    """Import every chapter module in this package; importing registers its checkers."""
    import importlib
    import pkgutil

    for module in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{module.name}")


# Reusable pieces for checkers ------------------------------------------------


def expect_array(
    answer: Any,
    *,
    shape: tuple[int, ...] | None = None,
    kind: str | None = None,
    name: str = "your answer",
) -> tuple[np.ndarray | None, Feedback | None]:
    """Convert to a NumPy array and check shape and dtype kind ('f', 'i', 'b' …).

    Returns ``(array, None)`` when fine, ``(None, feedback)`` otherwise; test
    the second with ``is not None`` (a failing Feedback is falsy). New checkers
    should call :func:`~course.exercises.answers.as_array`, which raises instead.

    Example:
        >>> array, problem = expect_array([[1, 2]], shape=(1, 3))
        >>> problem.message
        'Expected your answer to have shape (1, 3), got (1, 2).'
    """
    try:
        array = as_array(answer, shape=shape, name=name)
    except AnswerError as problem:
        return None, wrong(str(problem))
    if kind is not None and array.dtype.kind not in kind:
        kinds = {"f": "floats", "i": "integers", "u": "unsigned integers", "b": "booleans"}
        wanted = " or ".join(kinds.get(k, k) for k in kind)
        return None, wrong(f"Expected {name} to hold {wanted}, got dtype {array.dtype}.")
    return array, None


def _shown(value: Any) -> str:
    value = value.item() if isinstance(value, np.generic) else value
    return f"{value!r}"


def compare_values(
    array: np.ndarray,
    expected: np.ndarray,
    *,
    atol: float | np.ndarray = 1e-6,
    rtol: float = 1e-5,
    name: str = "your answer",
) -> Feedback:
    """Compare element-wise and report where the first differences are.

    An answer rounded too far (it equals the expected values rounded to the
    decimals it shows) gets "keep more digits" instead. ``atol`` may be an
    array that broadcasts against ``expected`` (one tolerance per column).

    Example:
        >>> print(compare_values(np.array([1, 2, 3]), np.array([1, 2, 4])).message)
        Your answer differs from the expected values at 1 position(s), first at index (2,):
        got 3, expected 4.
        >>> print(compare_values(np.array([0.333]), np.array([1 / 3])).message)
        Keep more digits: rounded to the 3 decimal(s) you kept, the expected values give ...
    """
    mismatch = ~np.isclose(array, expected, atol=atol, rtol=rtol)
    if not mismatch.any():
        return correct()
    hint = rounding_hint(array, expected, atol=atol, rtol=rtol, name=name)
    if hint is not None:
        return wrong(hint)
    positions = np.argwhere(mismatch)
    first = tuple(int(i) for i in positions[0])
    return wrong(
        f"{capitalise(name)} differs from the expected values at {len(positions)} "
        f"position(s), first at index {first}: "
        f"got {_shown(array[first])}, expected {_shown(expected[first])}."
    )
