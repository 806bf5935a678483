"""Answers as data: how a value leaves a student's kernel and reaches the checkers.

The grader never unpickles anything a submission wrote. In the student's
kernel, :func:`encode` turns an answer into JSON: numbers, text, lists,
tuples, dicts and sets as themselves; NumPy arrays and tensors as ``.npy``
bytes (read back with ``allow_pickle=False``); Keras layers and models as a
``.keras`` archive (read back in safe mode, and only when every class in it
comes from Keras); plain functions by name only, as a :class:`RemoteFunction`
whose calls the grader answers by calling the function in the student's
kernel. :func:`decode` rebuilds the value in the checkers' process.

This module is self-contained (standard library and NumPy): the grader sends
its source text to the student's kernel and runs it there.

Example:
    >>> import numpy as np
    >>> decode(encode([1, (2.5, "a"), np.arange(3)]))
    [1, (2.5, 'a'), array([0, 1, 2])]
"""

from __future__ import annotations

import base64
import io
import json
from typing import Any

MAX_BYTES = 50_000_000
MAX_ITEMS = 100_000  # items of a list, tuple, set or dict: exercise answers are small
_KERAS_MODULE_PREFIXES = ("keras", "builtins")


class Ungradable(Exception):
    """An answer the grader cannot take out of the kernel (an open file, a generator …)."""


def _npy(array: Any) -> str:
    import numpy as np

    buffer = io.BytesIO()
    np.save(buffer, np.asarray(array), allow_pickle=False)
    if buffer.tell() > MAX_BYTES:
        raise Ungradable(f"an array of {buffer.tell():,} bytes is too large to grade")
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def _is_keras(value: Any) -> bool:
    module = type(value).__module__ or ""
    return module.startswith("keras") and callable(getattr(value, "get_config", None))


def encode(value: Any, _depth: int = 0) -> dict[str, Any]:
    """A JSON-ready description of ``value`` (raises :class:`Ungradable` for the rest).

    Example:
        >>> encode(3)
        {'t': 'int', 'v': '3'}
        >>> encode(list(range(MAX_ITEMS + 1)))
        Traceback (most recent call last):
        ...
        classroom.values.Ungradable: a list of 100,001 items is too large to grade
    """
    if _depth > 20:
        raise Ungradable("the answer is nested more than 20 levels deep")
    import numpy as np

    if isinstance(value, (np.ndarray, np.generic)):  # first: np.float64 is also a float
        if value.dtype == object:
            if np.size(value) > MAX_ITEMS:
                raise Ungradable(f"an array of {np.size(value):,} objects is too large to grade")
            return {
                "t": "objarray",
                "shape": list(np.shape(value)),
                "v": [encode(item, _depth + 1) for item in np.ravel(value).tolist()],
            }
        kind = "ndarray" if isinstance(value, np.ndarray) else "npscalar"
        return {"t": kind, "v": _npy(value)}
    if isinstance(value, str) and len(value) > MAX_BYTES:
        raise Ungradable(f"a text of {len(value):,} characters is too large to grade")
    if value is None or isinstance(value, (bool, str)):
        return {"t": "json", "v": str(value) if isinstance(value, str) else value}
    if isinstance(value, int):
        return {"t": "int", "v": str(int(value))}
    if isinstance(value, float):
        return {"t": "float", "v": repr(float(value))}
    if isinstance(value, complex):
        return {"t": "complex", "v": [repr(value.real), repr(value.imag)]}
    if isinstance(value, (list, tuple, set, frozenset, dict)) and len(value) > MAX_ITEMS:
        raise Ungradable(f"a {type(value).__name__} of {len(value):,} items is too large to grade")
    if isinstance(value, (list, tuple, set, frozenset)):
        items = sorted(value, key=repr) if isinstance(value, (set, frozenset)) else value
        return {"t": type(value).__name__, "v": [encode(item, _depth + 1) for item in items]}
    if isinstance(value, dict):
        return {
            "t": "dict",
            "v": [[encode(k, _depth + 1), encode(v, _depth + 1)] for k, v in value.items()],
        }
    if _is_keras(value):
        return {"t": "keras", "v": _keras_archive(value)}
    if hasattr(value, "numpy") and callable(value.numpy):  # a tensor
        return {"t": "ndarray", "v": _npy(value.numpy())}
    if hasattr(value, "to_list") and type(value).__name__ == "RaggedTensor":
        return encode(value.to_list(), _depth + 1)
    if callable(value) and not isinstance(value, type):
        return {"t": "function", "v": getattr(value, "__name__", type(value).__name__)}
    raise Ungradable(f"a {type(value).__name__} cannot be graded; give a number, array or list")


def _keras_archive(value: Any) -> str:
    import os
    import tempfile

    from keras.src.saving import saving_lib

    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "answer.keras")
        saving_lib.save_model(value, path)
        with open(path, "rb") as handle:
            data = handle.read()
    if len(data) > MAX_BYTES:
        raise Ungradable(f"a Keras object of {len(data):,} bytes is too large to grade")
    return base64.b64encode(data).decode("ascii")


def dumps(value: Any) -> str:
    """``encode`` as a JSON string (keys sorted: equal values give equal strings).

    Example:
        >>> dumps((1, 2))
        '{"t": "tuple", "v": [{"t": "int", "v": "1"}, {"t": "int", "v": "2"}]}'
    """
    return json.dumps(encode(value), sort_keys=True)


class RemoteFunction:
    """A student's function, called through the grader.

    Calls it has answered before (``table``: the JSON of the arguments → the
    JSON of the result or of the exception) return at once; a new call raises
    :class:`NeedCall`, which the grader answers by calling the function in the
    student's kernel, then runs the checker again.

    Example:
        >>> double = RemoteFunction("double", {dumps(((2,), {})): {"value": encode(4)}})
        >>> double(2)
        4
    """

    def __init__(self, name: str, table: dict[str, dict[str, Any]]) -> None:
        self.__name__ = self.__qualname__ = name
        self._table = table

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        key = dumps((args, kwargs))
        if key not in self._table:
            raise NeedCall(key)
        reply = self._table[key]
        if "value" in reply:
            return decode(reply["value"])
        error = type(str(reply.get("error", "Exception")), (Exception,), {})
        raise error(reply.get("message", ""))

    def __repr__(self) -> str:
        return f"<function {self.__name__}>"


class NeedCall(BaseException):  # noqa: N818 - a request, not an error; escapes `except Exception`
    """Raised by :class:`RemoteFunction` for a call the grader has not made yet."""


def decode(data: dict[str, Any], calls: dict[str, dict[str, Any]] | None = None) -> Any:
    """The value :func:`encode` described, rebuilt without running any student code.

    Example:
        >>> decode({"t": "float", "v": "nan"})
        nan
    """
    import numpy as np

    kind, value = data["t"], data.get("v")
    if kind == "json":
        return value
    if kind == "int":
        return int(value)
    if kind == "float":
        return float(value)
    if kind == "complex":
        return complex(float(value[0]), float(value[1]))
    if kind in ("ndarray", "npscalar"):
        array = np.load(io.BytesIO(base64.b64decode(value)), allow_pickle=False)
        return array if kind == "ndarray" else array[()]
    if kind == "objarray":
        items = [decode(item, calls) for item in value]
        array = np.empty(len(items), dtype=object)
        array[:] = items
        return array.reshape(data["shape"])
    if kind in ("list", "tuple", "set", "frozenset"):
        items = [decode(item, calls) for item in value]
        return {"list": list, "tuple": tuple, "set": set, "frozenset": frozenset}[kind](items)
    if kind == "dict":
        return {decode(k, calls): decode(v, calls) for k, v in value}
    if kind == "keras":
        return _load_keras(base64.b64decode(value))
    if kind == "function":
        return RemoteFunction(str(value), calls if calls is not None else {})
    raise ValueError(f"Unknown encoded kind {kind!r}.")


def _keras_classes(config: Any) -> list[str]:
    """Every ``module`` named in a Keras config, recursively."""
    found = []
    if isinstance(config, dict):
        if "module" in config and "class_name" in config:
            found.append(str(config["module"]))
        for item in config.values():
            found += _keras_classes(item)
    elif isinstance(config, list):
        for item in config:
            found += _keras_classes(item)
    return found


def _load_keras(data: bytes) -> Any:
    import os
    import tempfile
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        config = json.loads(archive.read("config.json"))
    foreign = [
        module
        for module in _keras_classes(config)
        if not module.startswith(_KERAS_MODULE_PREFIXES)
    ]
    if foreign:
        raise Ungradable(f"the Keras object uses classes from {foreign[0]!r}, not from Keras")
    from keras.src.saving import saving_lib

    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "answer.keras")
        with open(path, "wb") as handle:
            handle.write(data)
        return saving_lib.load_model(path, safe_mode=True)


# In the student's kernel ----------------------------------------------------


def export_answers(names: list[str], namespace: dict[str, Any], path: str) -> None:
    """Write the named variables of ``namespace`` to ``path`` as JSON (run in the kernel).

    Each name maps to ``{"value": …}``, ``{"missing": true}`` or
    ``{"ungradable": reason}``.

    Example:
        >>> import tempfile, os
        >>> path = os.path.join(tempfile.mkdtemp(), "answers.json")
        >>> export_answers(["a", "b"], {"a": 1}, path)
        >>> json.load(open(path))["b"]
        {'missing': True}
    """
    answers: dict[str, Any] = {}
    for name in names:
        if name not in namespace:
            answers[name] = {"missing": True}
            continue
        if namespace[name] is Ellipsis:
            answers[name] = {"unanswered": True}
            continue
        try:
            answers[name] = {"value": encode(namespace[name])}
        except Ungradable as problem:
            answers[name] = {"ungradable": str(problem)}
        except Exception as error:  # whatever the object does when read: it is not gradable
            answers[name] = {"ungradable": f"reading it raised {type(error).__name__}: {error}"}
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(answers, handle)


def call_answer(namespace: dict[str, Any], name: str, key: str, path: str) -> None:
    """Call the function ``namespace[name]`` with the arguments ``key`` encodes (in the kernel).

    Example:
        >>> import tempfile, os
        >>> path = os.path.join(tempfile.mkdtemp(), "call.json")
        >>> call_answer({"f": lambda n: n + 1}, "f", dumps(((1,), {})), path)
        >>> decode(json.load(open(path))["value"])
        2
    """
    args, kwargs = decode(json.loads(key))
    try:
        reply: dict[str, Any] = {"value": encode(namespace[name](*args, **kwargs))}
    except Ungradable as problem:
        reply = {"error": "TypeError", "message": str(problem)}
    except Exception as error:  # the student's function failed: the checker reports it
        reply = {"error": type(error).__name__, "message": str(error)}
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(reply, handle)
