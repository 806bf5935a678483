"""Reading students' answers: one normalisation layer for every checker.

Students send the same value in many forms: ``3``, ``3.0``, ``np.int64(3)``,
``np.array(3)``, ``[3]``, a TensorFlow scalar; an array as nested lists, as
float32 or float64, as a tensor. The functions here turn any of those into one
plain Python or NumPy value, or raise :class:`AnswerError` whose message is the
feedback to show: what the answer is, what was expected, and what to change.
:func:`course.exercises.check` turns an ``AnswerError`` into a failing
:class:`~course.exercises.Feedback`, so a checker can simply write::

    count = as_integer(answer, name="the parameter count")
    vector = as_array(answer, shape=(5,), dtype=float, name="the probabilities")

and go on with checking the *values*.

- :func:`as_number`: one finite real number, as a ``float``;
- :func:`as_integer`: one whole number, as an ``int`` (``2.7`` is refused, not truncated);
- :func:`as_array`: a numeric array, optionally of a given shape and dtype family;
- :func:`as_shape`: a shape tuple such as ``(32, 40, 16)`` (``None`` allowed for the batch);
- :func:`as_text`: one string (``str``, NumPy string, ``bytes`` or a string tensor);
- :func:`rounding_hint`: says "keep more digits" when an answer was rounded too much;
- :func:`describe`: a short description of any answer, for feedback messages.
"""

from __future__ import annotations

import inspect
import numbers
import reprlib
from typing import Any

import numpy as np

__all__ = [
    "AnswerError",
    "as_array",
    "as_integer",
    "as_number",
    "as_shape",
    "as_text",
    "brief",
    "capitalise",
    "describe",
    "rounding_hint",
    "shape_problem",
    "to_python",
]

_short = reprlib.Repr()
_short.maxstring = 40
_short.maxother = 40
_short.maxlist = 4
_short.maxtuple = 4


class AnswerError(ValueError):
    """An answer that cannot be read as what the exercise asks for.

    Its message is complete feedback for the student. ``check`` catches it and
    reports the message as a failing verdict.

    Example:
        >>> str(AnswerError("Expected a number, got None."))
        'Expected a number, got None.'
    """


# Describing and unwrapping ----------------------------------------------------


def describe(answer: Any) -> str:
    """A short description of ``answer`` for feedback: its kind, and its value or shape.

    Large values are summarised (shape and dtype), never printed in full.

    Example:
        >>> describe(None)
        'None'
        >>> describe("0.95")
        "the string '0.95'"
        >>> describe(np.zeros((2, 3), dtype=np.float32))
        'an array of shape (2, 3) and dtype float32'
        >>> describe([[1, 2], [3]])
        'a list of 2 items'
        >>> describe(2.7)
        'the number 2.7'
    """
    if answer is None:
        return "None"
    if isinstance(answer, (bool, np.bool_)):
        return f"the boolean {bool(answer)}"
    if isinstance(answer, (str, np.str_)):
        return f"the string {_short.repr(str(answer))}"
    if isinstance(answer, bytes):
        return f"the bytes {_short.repr(answer)}"
    if isinstance(answer, numbers.Number):
        return f"the number {_short.repr(to_python(answer))}"
    if isinstance(answer, np.ndarray):
        if answer.ndim == 0:
            return f"a 0-d array holding {_short.repr(answer.item())}"
        return f"an array of shape {answer.shape} and dtype {answer.dtype}"
    if hasattr(answer, "shape") and hasattr(answer, "dtype"):
        shape = tuple(answer.shape) if answer.shape is not None else None
        dtype = getattr(answer.dtype, "name", answer.dtype)
        return f"{_a(type(answer).__name__)} of shape {shape} and dtype {dtype}"
    if isinstance(answer, (list, tuple, set, frozenset, dict)):
        noun = "key" if isinstance(answer, dict) else "item"
        return (
            f"{_a(type(answer).__name__)} of {len(answer)} {noun}{'' if len(answer) == 1 else 's'}"
        )
    if _is_function(answer):
        return f"the function {getattr(answer, '__name__', '?')}"
    return _a(type(answer).__name__)


def _a(noun: str) -> str:
    """``noun`` with its indefinite article: 'a list', 'an object'."""
    return f"{'an' if noun[:1].lower() in 'aeiou' else 'a'} {noun}"


def _is_function(answer: Any) -> bool:
    return inspect.isroutine(answer) or isinstance(answer, type(len))


def brief(value: Any) -> str:
    """A repr of ``value`` cut to a few items, for quoting part of an answer in feedback.

    Example:
        >>> brief(("the", "cat")), brief(list(range(100)))
        ("('the', 'cat')", '[0, 1, 2, 3, ...]')
        >>> brief(np.zeros(1000))
        'an array of shape (1000,) and dtype float64'
    """
    value = to_python(value)
    if isinstance(value, np.ndarray) and value.size > 4:
        return describe(value)
    if isinstance(value, np.ndarray):
        value = value.tolist()
    return _short.repr(value)


def to_python(value: Any) -> Any:
    """A tensor or NumPy value as a plain Python or NumPy object; other values unchanged.

    Tensors (TensorFlow, PyTorch, JAX, Keras) become NumPy arrays; NumPy scalars
    become Python scalars.

    Example:
        >>> to_python(np.float32(0.5)), to_python(np.int64(3))
        (0.5, 3)
        >>> import tensorflow as tf
        >>> to_python(tf.constant([1, 2]))
        array([1, 2], dtype=int32)
    """
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, (np.ndarray, str, bytes, numbers.Number)) or value is None:
        return value
    answer = value
    if callable(getattr(answer, "detach", None)) and callable(getattr(answer, "cpu", None)):
        try:  # a PyTorch tensor: off the autograd graph and the GPU first
            answer = answer.detach().cpu()
        except Exception:  # noqa: BLE001 - not a tensor after all
            pass
    if callable(getattr(answer, "numpy", None)):
        try:
            return answer.numpy()
        except Exception:  # noqa: BLE001 - e.g. a symbolic tensor; np.asarray gets its turn
            pass
    if type(answer).__module__.startswith(("jax", "jaxlib")):
        return np.asarray(answer)
    return answer


def _is_symbolic(answer: Any) -> bool:
    return type(answer).__name__ in {"KerasTensor", "SymbolicTensor"}


def _not_a_value(answer: Any, expected: str, name: str) -> AnswerError | None:
    """Feedback for answers that are no value at all: None, a function, a symbolic tensor."""
    if answer is None:
        return AnswerError(
            f"Expected {name} to be {expected}, got None. Did the cell or function forget to "
            "`return` (or assign) the result?"
        )
    if _is_symbolic(answer):
        return AnswerError(
            f"Expected {name} to be {expected}, got a symbolic {type(answer).__name__} (from "
            "keras.Input), which has no values: call the layer or model on real data."
        )
    if _is_function(answer):
        return AnswerError(
            f"Expected {name} to be {expected}, got {describe(answer)}: call it and pass the "
            "result it returns."
        )
    if callable(answer) and not hasattr(answer, "shape") and not isinstance(answer, type):
        return AnswerError(
            f"Expected {name} to be {expected}, got {describe(answer)}: pass what it computes "
            "(its output on the exercise's input), not the object itself."
        )
    return None


def _string_problem(answer: str | bytes, expected: str, name: str) -> AnswerError:
    text = answer.decode("utf-8", "replace") if isinstance(answer, bytes) else str(answer)
    try:
        float(text)
    except ValueError:
        return AnswerError(f"Expected {name} to be {expected}, got {describe(answer)}.")
    return AnswerError(
        f"Expected {name} to be {expected}, got {describe(answer)}: that is text. Pass the "
        f"number itself, without quotes ({text.strip()}), not a printed or formatted value."
    )


def _non_finite_problem(value: float, name: str) -> AnswerError:
    if np.isnan(value):
        return AnswerError(
            f"{capitalise(name)} is NaN (not a number). Something upstream produced it: a 0 / 0, "
            "the log or square root of a negative number, or a value that was never filled in."
        )
    return AnswerError(
        f"{capitalise(name)} is {'+' if value > 0 else '-'}inf. Something upstream overflowed or "
        "divided by zero."
    )


def capitalise(text: str) -> str:
    """``text`` with a capital first letter, unless it starts with a code name such as h_t.

    Example:
        >>> capitalise("the mask"), capitalise("h_t"), capitalise("x")
        ('The mask', 'h_t', 'x')
    """
    first = text.split(" ", 1)[0]
    if "_" in first or len(first) == 1:
        return text
    return text[:1].upper() + text[1:]


# Scalars -------------------------------------------------------------------------


def as_number(answer: Any, *, name: str = "your answer") -> float:
    """One finite real number, as a ``float``.

    Accepts Python and NumPy numbers, 0-d and one-element arrays, lists and
    tensors. Refuses booleans, strings (even ``"0.5"``), None, NaN and inf,
    complex numbers and collections of several numbers, each with its own
    feedback.

    Example:
        >>> as_number(np.float32(0.5)), as_number([3]), as_number(np.array([[2.5]]))
        (0.5, 3.0, 2.5)
        >>> import tensorflow as tf
        >>> as_number(tf.constant(0.25))
        0.25
        >>> as_number("0.5")
        Traceback (most recent call last):
        ...
        course.exercises.answers.AnswerError: Expected your answer to be a single number,
        got the string '0.5': that is text. Pass the number itself, without quotes (0.5),
        not a printed or formatted value.
        >>> as_number(float("nan"), name="the loss")
        Traceback (most recent call last):
        ...
        course.exercises.answers.AnswerError: The loss is NaN (not a number). Something
        upstream produced it: ...
        >>> as_number([0.1, 0.2])
        Traceback (most recent call last):
        ...
        course.exercises.answers.AnswerError: Expected your answer to be a single number,
        got a list of 2 items.
    """
    return float(_as_scalar(answer, name=name, whole=False))


def as_integer(answer: Any, *, name: str = "your answer") -> int:
    """One whole number, as an ``int``.

    Accepts what :func:`as_number` accepts when the value is whole: ``3``,
    ``3.0``, ``np.int64(3)``, ``np.array(3)``, ``[3]``, a scalar tensor. A value
    with a fractional part is refused, never truncated.

    Example:
        >>> [as_integer(value) for value in (3, 3.0, np.int64(3), np.array(3), [3], np.float32(3))]
        [3, 3, 3, 3, 3, 3]
        >>> as_integer(2.7, name="the batch size")
        Traceback (most recent call last):
        ...
        course.exercises.answers.AnswerError: Expected the batch size to be a whole number,
        got 2.7, which has a fractional part.
        >>> as_integer(True)
        Traceback (most recent call last):
        ...
        course.exercises.answers.AnswerError: Expected your answer to be a whole number,
        got the boolean True; write the number itself.
    """
    return int(_as_scalar(answer, name=name, whole=True))


def _as_scalar(answer: Any, *, name: str, whole: bool) -> int | float:
    expected = "a whole number" if whole else "a single number"
    if (problem := _not_a_value(answer, expected, name)) is not None:
        raise problem
    answer = to_python(answer)
    if isinstance(answer, (list, tuple, np.ndarray)):
        try:
            array = np.asarray(answer)
        except (ValueError, TypeError):
            raise AnswerError(
                f"Expected {name} to be {expected}, got {describe(answer)}."
            ) from None
        if array.size != 1:
            raise AnswerError(f"Expected {name} to be {expected}, got {describe(answer)}.")
        answer = to_python(array.reshape(-1)[0])
    if isinstance(answer, (bool, np.bool_)):
        raise AnswerError(
            f"Expected {name} to be {expected}, got {describe(answer)}; write the number itself."
        )
    if isinstance(answer, (str, bytes)):
        raise _string_problem(answer, expected, name)
    if isinstance(answer, numbers.Integral):
        return int(answer)
    if isinstance(answer, numbers.Real):
        value = float(answer)
        if not np.isfinite(value):
            raise _non_finite_problem(value, name)
        if whole and not value.is_integer():
            raise AnswerError(
                f"Expected {name} to be {expected}, got {value:g}, which has a fractional part."
            )
        return value
    if isinstance(answer, numbers.Complex):
        raise AnswerError(f"Expected {name} to be {expected}, got the complex number {answer}.")
    raise AnswerError(f"Expected {name} to be {expected}, got {describe(answer)}.")


def as_text(answer: Any, *, name: str = "your answer") -> str:
    """One string: ``str``, NumPy string, UTF-8 ``bytes``, a string tensor or a one-item list.

    Surrounding whitespace is removed; case is kept.

    Example:
        >>> as_text(np.str_("queen")), as_text(b"queen "), as_text(["queen"])
        ('queen', 'queen', 'queen')
        >>> as_text(3, name="the word")
        Traceback (most recent call last):
        ...
        course.exercises.answers.AnswerError: Expected the word to be a string, got the number 3.
    """
    if (problem := _not_a_value(answer, "a string", name)) is not None:
        raise problem
    answer = to_python(answer)
    if (
        isinstance(answer, (list, tuple, np.ndarray))
        and np.size(answer) == 1
        and np.ndim(answer) <= 1
    ):
        answer = to_python(np.asarray(answer, dtype=object).reshape(-1)[0])
    if isinstance(answer, bytes):
        answer = answer.decode("utf-8", "replace")
    if isinstance(answer, str):
        return answer.strip()
    raise AnswerError(f"Expected {name} to be a string, got {describe(answer)}.")


# Arrays ---------------------------------------------------------------------------

_FAMILIES = {float: "numbers", int: "whole numbers", bool: "booleans (True/False)"}


def as_array(
    answer: Any,
    *,
    shape: tuple[int, ...] | None = None,
    dtype: type | None = None,
    name: str = "your answer",
    finite: bool = True,
) -> np.ndarray:
    """A numeric NumPy array, checked for shape, dtype family and finiteness.

    ``dtype`` is the family the values must belong to, and the dtype returned:

    - ``None``: booleans, integers or floats, returned as they are;
    - ``float``: integers or floats, returned as float64;
    - ``int``: integers, or floats that are whole (``3.0``), returned as int64;
    - ``bool``: booleans only.

    Nested lists, tuples, tensors and float32 arrays are all accepted. The
    feedback names the problem: None, text, a ragged list, NaN or inf (with the
    first position), the wrong shape (saying when it is the transpose, or has
    extra axes of size 1).

    Example:
        >>> as_array([[1, 2], [3, 4]], dtype=float)
        array([[1., 2.],
               [3., 4.]])
        >>> as_array(np.ones((3, 2)), shape=(2, 3), name="h_t")
        Traceback (most recent call last):
        ...
        course.exercises.answers.AnswerError: Expected h_t to have shape (2, 3), got (3,
        2): that is the transpose. Swap the axes (answer.T) or check the order of a matrix
        product.
        >>> as_array([[1, 2], [3]])
        Traceback (most recent call last):
        ...
        course.exercises.answers.AnswerError: Expected your answer to be an array of
        numbers, got a ragged list: its rows have different lengths (2, 1). Every row needs
        the same number of values.
        >>> as_array([0.5, float("nan")])
        Traceback (most recent call last):
        ...
        course.exercises.answers.AnswerError: There is NaN (not a number) in your answer at
        1 position(s), first at index (1,). ...
        >>> as_array([1.0, 2.5], dtype=int)
        Traceback (most recent call last):
        ...
        course.exercises.answers.AnswerError: Expected your answer to hold whole numbers,
        got 2.5 at index (1,).
    """
    expected = "an array of numbers"
    if (problem := _not_a_value(answer, expected, name)) is not None:
        raise problem
    answer = to_python(answer)
    if isinstance(answer, (str, bytes)):
        raise _string_problem(answer, expected, name)
    if isinstance(answer, (dict, set, frozenset)):
        raise AnswerError(f"Expected {name} to be {expected}, got {describe(answer)}.")
    try:
        array = np.asarray(answer)
    except (ValueError, TypeError):
        raise _ragged_problem(answer, name) from None
    array = _numeric(array, answer, name)
    array = _in_family(array, dtype, name)
    if finite and array.dtype.kind in "fc":
        _check_finite(array, name)
    if shape is not None and array.shape != tuple(shape):
        raise AnswerError(shape_problem(array.shape, tuple(shape), name=name))
    return array


def _ragged_problem(answer: Any, name: str) -> AnswerError:
    lengths = []
    if isinstance(answer, (list, tuple)):
        lengths = [len(row) if hasattr(row, "__len__") else 1 for row in answer[:8]]
    shown = (
        f" ({', '.join(str(n) for n in lengths)}{', …' if len(answer) > 8 else ''})"
        if lengths
        else ""
    )
    return AnswerError(
        f"Expected {name} to be an array of numbers, got a ragged list: its rows have "
        f"different lengths{shown}. Every row needs the same number of values."
    )


def _numeric(array: np.ndarray, answer: Any, name: str) -> np.ndarray:
    """``array`` if it holds numbers; feedback on the first non-number otherwise."""
    if array.dtype.kind in "biuf":
        return array
    if array.dtype.kind == "c":
        raise AnswerError(f"Expected {name} to hold real numbers, got complex numbers.")
    if array.dtype.kind in "US":
        first = array.reshape(-1)[0] if array.size else ""
        raise AnswerError(
            f"Expected {name} to hold numbers, got text (for example "
            f"{_short.repr(to_python(first))}). "
            "Pass the numbers themselves, not their printed form."
        )
    if array.dtype.kind == "O":
        if array.ndim == 1 and any(
            hasattr(item, "__len__") and not isinstance(item, str) for item in array
        ):
            raise _ragged_problem(answer, name)
        for index in np.ndindex(array.shape):
            item = to_python(array[index])
            if item is None:
                raise AnswerError(
                    f"{capitalise(name)} holds None at index {index}: "
                    "every position needs a number."
                )
            if not isinstance(item, numbers.Real):
                raise AnswerError(
                    f"Expected {name} to hold numbers, got {describe(item)} at index {index}."
                )
        return np.asarray(array.tolist(), dtype=float)
    raise AnswerError(f"Expected {name} to hold numbers, got dtype {array.dtype}.")


def _in_family(array: np.ndarray, dtype: type | None, name: str) -> np.ndarray:
    kind = array.dtype.kind
    if dtype is None:
        return array
    if dtype is bool:
        if kind != "b":
            raise AnswerError(
                f"Expected {name} to hold booleans (True/False), got dtype {array.dtype}. "
                "Compare (e.g. `x != 0`) or use .astype(bool) if 0/1 stand for False/True."
            )
        return array
    if kind == "b":
        raise AnswerError(
            f"Expected {name} to hold {_FAMILIES[dtype]}, got booleans (True/False)."
        )
    if dtype is float:
        return array.astype(np.float64)
    if dtype is int:
        if kind == "f":
            _check_finite(array, name)
            fractional = array != np.round(array)
            if fractional.any():
                index = tuple(int(i) for i in np.argwhere(fractional)[0])
                raise AnswerError(
                    f"Expected {name} to hold whole numbers, "
                    f"got {array[index].item():g} at index {index}."
                )
        return array.astype(np.int64)
    raise TypeError(f"as_array: dtype must be None, float, int or bool, not {dtype!r}.")


def _check_finite(array: np.ndarray, name: str) -> None:
    for test, what, cause in (
        (
            np.isnan,
            "NaN (not a number)",
            "a 0 / 0, the log or square root of a negative number, "
            "or an entry never filled in (np.empty)",
        ),
        (np.isinf, "inf", "an overflow (exp of a large number) or a division by zero"),
    ):
        bad = test(array)
        if bad.any():
            positions = np.argwhere(bad)
            first = tuple(int(i) for i in positions[0])
            raise AnswerError(
                f"There is {what} in {name} at {len(positions)} position(s), first at index "
                f"{first}. Look for {cause}."
            )


def shape_problem(
    got: tuple[int, ...], want: tuple[int, ...], *, name: str = "your answer"
) -> str:
    """Feedback on a shape ``got`` where ``want`` was expected.

    Says when ``got`` is the transpose of ``want``, the same axes in another
    order, or the same values with extra or missing axes of size 1.

    Example:
        >>> print(shape_problem((1, 6), (6,)))
        Expected your answer to have shape (6,), got (1, 6): the same values with an extra axis
        of size 1. Take answer[0] or np.squeeze(answer).
        >>> shape_problem((2, 5), (2, 4))
        'Expected your answer to have shape (2, 4), got (2, 5).'
    """
    message = f"Expected {name} to have shape {want}, got {got}"
    if len(got) == 2 and got == want[::-1]:
        return (
            f"{message}: that is the transpose. Swap the axes (answer.T) or check the order of "
            "a matrix product."
        )
    if len(got) == len(want) > 2 and sorted(got) == sorted(want):
        return (
            f"{message}: the right sizes in the wrong order. "
            "Check which axis is which (np.transpose)."
        )
    if np.prod(got) == np.prod(want) and [n for n in got if n != 1] == [n for n in want if n != 1]:
        if len(got) > len(want):
            fix = (
                "Take answer[0] or np.squeeze(answer)."
                if got[0] == 1
                else "Use np.squeeze(answer)."
            )
            return f"{message}: the same values with an extra axis of size 1. {fix}"
        return (
            f"{message}: the same values with an axis of size 1 missing. "
            f"Use answer.reshape({want})."
        )
    return f"{message}."


def as_shape(answer: Any, *, name: str = "the shape") -> tuple[int | None, ...]:
    """A shape: a tuple of non-negative whole numbers, ``None`` allowed (an unknown size).

    Accepts tuples, lists, ``TensorShape`` and integer arrays; each size as
    :func:`as_integer` reads it, so ``2.7`` is refused rather than truncated.

    Example:
        >>> as_shape([32, 40.0, np.int64(16)]), as_shape((None, 4))
        ((32, 40, 16), (None, 4))
        >>> as_shape((32, 2.7), name="the shape of LSTM's output")
        Traceback (most recent call last):
        ...
        course.exercises.answers.AnswerError: Expected size 2 of the shape of LSTM's output
        to be a whole number, got 2.7, which has a fractional part.
        >>> as_shape("32, 4")
        Traceback (most recent call last):
        ...
        course.exercises.answers.AnswerError: Expected the shape to be a tuple of sizes
        such as (32, 4), got the string '32, 4'.
    """
    if (problem := _not_a_value(answer, "a tuple of sizes", name)) is not None:
        raise problem
    answer = to_python(answer)
    if isinstance(answer, numbers.Number) or isinstance(answer, (str, bytes, dict, set)):
        raise AnswerError(
            f"Expected {name} to be a tuple of sizes such as (32, 4), got {describe(answer)}."
        )
    if isinstance(answer, np.ndarray) and answer.ndim != 1:
        raise AnswerError(
            f"Expected {name} to be a tuple of sizes such as (32, 4), got {describe(answer)}."
        )
    try:
        sizes = list(answer)
    except TypeError:
        raise AnswerError(
            f"Expected {name} to be a tuple of sizes such as (32, 4), got {describe(answer)}."
        ) from None
    shape: list[int | None] = []
    for position, size in enumerate(sizes, start=1):
        size = getattr(size, "value", size)  # TensorFlow 1-style Dimension
        if size is None:
            shape.append(None)
            continue
        value = as_integer(size, name=f"size {position} of {name}")
        if value < 0:
            raise AnswerError(f"Size {position} of {name} is {value}; sizes cannot be negative.")
        shape.append(value)
    return tuple(shape)


def as_shapes(answer: Any, count: int) -> list[tuple[int | None, ...]]:
    """A list of ``count`` shapes (one per layer), each read by :func:`as_shape`.

    The shapes may also come as one array (or tensor) with a row per layer.

    Example:
        >>> as_shapes([(32, 494, 32), [32, 98, 32]], 2)
        [(32, 494, 32), (32, 98, 32)]
        >>> as_shapes(np.array([[32, 494, 32], [32, 98, 32]]), 2)
        [(32, 494, 32), (32, 98, 32)]
        >>> as_shapes((32, 494, 32), 2)
        Traceback (most recent call last):
        ...
        course.exercises.answers.AnswerError: That looks like a single shape, (32, 494, 32):
        give a list of 2 shapes, one per layer.
    """
    answer = to_python(answer)
    if isinstance(answer, np.ndarray):
        if answer.ndim not in (1, 2):
            raise AnswerError(
                f"Expected a list of {count} shape tuples, or an array with one row per layer, "
                f"got {describe(answer)}."
            )
        answer = [to_python(size) for size in answer] if answer.ndim == 1 else list(answer)
    if not isinstance(answer, (list, tuple)):
        raise AnswerError(
            f"Expected a list of {count} shape tuples, one per layer, got {describe(answer)}."
        )
    single = bool(answer) and all(
        size is None or (isinstance(size, numbers.Real) and not isinstance(size, bool))
        for size in answer
    )
    if single:
        raise AnswerError(
            f"That looks like a single shape, {tuple(answer)}: give a list of {count} shapes, "
            "one per layer."
        )
    if len(answer) != count:
        raise AnswerError(f"Expected one shape per layer, {count} in all; got {len(answer)}.")
    return [as_shape(shape, name=f"shape {number + 1}") for number, shape in enumerate(answer)]


# Tolerances -----------------------------------------------------------------------


def _same(a: float, b: float) -> bool:
    """Equal up to float32 noise (an answer rounded, then stored as float32)."""
    return abs(a - b) <= 1e-7 * max(1.0, abs(a))


def _decimals_shown(value: float, most: int = 6) -> int | None:
    """The fewest decimals (at most ``most``) that write ``value``, float32 noise ignored."""
    for decimals in range(most + 1):
        if _same(value, round(value, decimals)):
            return decimals
    return None


def rounding_hint(
    answer: Any,
    expected: Any,
    *,
    atol: float | np.ndarray,
    rtol: float = 1e-5,
    name: str = "your answer",
) -> str | None:
    """Feedback saying "keep more digits" when ``answer`` is ``expected`` rounded or cut short.

    Returns a message when every value that is off by more than the tolerance
    equals the expected value rounded (or truncated) to the decimals the student
    kept, and rounding lost something (the expected value needs more decimals);
    None otherwise, for the checker to carry on. ``atol`` may be an array that
    broadcasts against the answer (one tolerance per column, say).

    Example:
        >>> print(rounding_hint(0.952, 20 / 21, atol=1e-4))
        Keep more digits: rounded to the 3 decimal(s) you kept, the expected value gives your
        answer, but the check needs it within 0.0001. Pass the unrounded result (not a printed
        or .round()-ed one).
        >>> rounding_hint(0.9, 20 / 21, atol=1e-4) is None
        True
        >>> rounding_hint([3, 2], [3, 3], atol=1e-6) is None  # an off-by-one, not rounding
        True
    """
    got = np.asarray(answer, dtype=float)
    want = np.broadcast_to(np.asarray(expected, dtype=float), got.shape)
    off = ~np.isclose(got, want, atol=atol, rtol=rtol)
    if not off.any():
        return None
    kept = []
    for value, target in zip(got[off], want[off]):
        decimals = _decimals_shown(float(value))
        if (
            decimals is None
            or decimals == 0
            or _decimals_shown(float(target), decimals) is not None
        ):
            return None
        scale = 10.0**decimals
        shortened = [round(float(target), decimals)]
        if decimals >= 2:  # digits copied by hand are often cut rather than rounded
            shortened.append(np.trunc(float(target) * scale) / scale)
        if not any(_same(float(value), float(s)) for s in shortened):
            return None
        kept.append(decimals)
    values, give, them = ("value", "gives", "it") if got.ndim == 0 else ("values", "give", "them")
    within = float(np.max(atol))
    return (
        f"Keep more digits: rounded to the {max(kept)} decimal(s) you kept, the expected {values} "
        f"{give} {name}, but the check needs {them} within {within:g}. Pass the unrounded result "
        "(not a printed or .round()-ed one)."
    )
