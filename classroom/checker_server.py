"""The checkers' process: answers in, verdicts out, no student code inside.

The grader starts this module in a separate Python (``python -I``: no
``PYTHONPATH``, no user site, not the current folder) with a snapshot of the
repository's ``course`` package, taken before any submission ran, first on
``sys.path``. At start it imports every checker module, so that nothing a
submission later writes to disk can change a checker, and says which
``course`` it loaded. Then it reads one JSON request per line on stdin::

    {"exercise": "word2vec.2", "answer": <values.encode(...)>, "calls": {...}}

and answers one JSON line on stdout: ``{"passed": …, "message": …}``, or
``{"need": key}`` when the answer is a student's function and the checker
made a call the grader has not made yet (see
:class:`classroom.values.RemoteFunction`).

Example:
    >>> reply = handle({"exercise": "word2vec.1", "answer": {"t": "json", "v": None}})
    >>> reply["passed"], reply["message"][:9]
    (False, 'Expected ')
"""

from __future__ import annotations

import json
import os
import sys
from typing import Any


def handle(request: dict[str, Any]) -> dict[str, Any]:
    """The verdict on one request (see the module's docstring)."""
    from classroom.values import NeedCall, Ungradable, decode
    from course.exercises import check

    calls = request.get("calls") or {}
    try:
        answer = decode(request["answer"], calls)
    except Ungradable as problem:
        return {"passed": False, "message": f"The answer cannot be graded: {problem}."}
    except Exception as error:  # a corrupt encoding: graded as unreadable, never a crash
        return {
            "passed": False,
            "message": f"The answer could not be read ({type(error).__name__}: {error}).",
        }
    try:
        feedback = check(request["exercise"], answer)
    except NeedCall as need:
        return {"need": need.args[0]}
    except ValueError as error:  # an unknown exercise id
        return {"passed": False, "message": str(error)}
    return {"passed": bool(feedback.passed), "message": str(feedback.message)}


def main() -> None:
    """Serve requests on stdin until it closes."""
    protocol = os.fdopen(os.dup(sys.stdout.fileno()), "w", encoding="utf-8")
    sys.stdout = sys.stderr  # whatever a checker prints must not break the protocol
    import course
    from course.exercises import CHECKERS, _load_chapter_checkers

    _load_chapter_checkers()
    hello = {"ready": True, "course": course.__file__, "exercises": sorted(CHECKERS)}
    protocol.write(json.dumps(hello) + "\n")
    protocol.flush()
    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            reply = handle(json.loads(line))
        except Exception as error:  # report and go on: one request never ends the server
            reply = {
                "passed": False,
                "message": f"The grader failed: {type(error).__name__}: {error}",
            }
        protocol.write(json.dumps(reply) + "\n")
        protocol.flush()


if __name__ == "__main__":
    main()
