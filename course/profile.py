"""Run profiles: how big an experiment a chapter runs, and seeding.

Every chapter runs in one of two profiles, chosen by the environment variable
``COURSE_PROFILE``:

``full`` (the default)
    The real experiment: whole datasets, enough epochs to match the published
    results. Meant for a GPU runtime such as Colab. Stand-in data is refused.
``fast``
    A CPU-sized version that the test suite and CI run: subsets and few
    epochs, still large enough that every model beats chance or the chapter's
    naive baseline. Small generated stand-in data is allowed where a dataset
    cannot be had.

Chapters never hard-code sizes; they ask the profile::

    >>> from course.profile import get_profile
    >>> profile = get_profile("fast")
    >>> profile.choose(fast=2_000, full=25_000)
    2000
"""

from __future__ import annotations

import os
import random
import time
import warnings
from dataclasses import dataclass, field
from typing import Any, TypeVar

import numpy as np

PROFILE_ENV = "COURSE_PROFILE"
PROFILES = ("fast", "full")
DEFAULT_PROFILE = "full"
DEFAULT_SEED = 1337

T = TypeVar("T")
FrameLike = Any  # a pandas DataFrame; pandas is imported only by the caller


@dataclass(frozen=True)
class Profile:
    """A run profile. Create it with :func:`get_profile`.

    Example:
        >>> Profile("fast").is_fast
        True
    """

    name: str
    started_at: float = field(default_factory=time.monotonic, compare=False)
    run_id: str = field(
        default_factory=lambda: time.strftime("%Y%m%dT%H%M%S") + f"-{os.getpid()}", compare=False
    )

    def __post_init__(self) -> None:
        if self.name not in PROFILES:
            raise ValueError(
                f"Unknown run profile {self.name!r}. Set {PROFILE_ENV} to one of "
                f"{', '.join(PROFILES)} (for example `export {PROFILE_ENV}=fast`)."
            )

    @property
    def is_fast(self) -> bool:
        """True in the CPU-sized ``fast`` profile."""
        return self.name == "fast"

    @property
    def is_full(self) -> bool:
        """True in the ``full`` profile, the real experiment."""
        return self.name == "full"

    @property
    def allows_standins(self) -> bool:
        """Whether generated stand-in data may replace a missing dataset.

        Only the fast profile allows it; the full profile must run on real data.

        Example:
            >>> Profile("full").allows_standins
            False
        """
        return self.is_fast

    def choose(self, *, fast: T, full: T) -> T:
        """Return the value for this profile.

        Example:
            >>> Profile("full").choose(fast=3, full=20)
            20
        """
        return fast if self.is_fast else full

    def subset(
        self, frame: FrameLike, *, fast: int | None, full: int | None, seed: int = 0
    ) -> FrameLike:
        """A seeded random subset of a pandas frame, of this profile's size (None = all rows).

        Every chapter samples the same way, so two chapters that ask for the same
        sizes get the same reviews.

        Example:
            >>> import pandas as pd
            >>> frame = pd.DataFrame({"x": range(10)})
            >>> len(Profile("fast").subset(frame, fast=3, full=None))
            3
            >>> len(Profile("full").subset(frame, fast=3, full=None))
            10
        """
        size = self.choose(fast=fast, full=full)
        if size is None or size >= len(frame):
            return frame
        if size < 1:
            raise ValueError(f"A subset needs at least one row, not {size}.")
        return frame.sample(n=size, random_state=seed).reset_index(drop=True)

    def elapsed(self) -> float:
        """Seconds since this profile object was created (chapter start)."""
        return time.monotonic() - self.started_at

    def describe(self) -> str:
        """One line for the page: which profile produced the numbers on it.

        Example:
            >>> Profile("fast").describe().startswith("These results come from the **fast**")
            True
        """
        if self.is_fast:
            return (
                "These results come from the **fast** profile: CPU-sized subsets and few "
                "epochs, as the test suite runs them. Set `COURSE_PROFILE=full` for the "
                "real experiment."
            )
        return (
            "These results come from the **full** profile: whole datasets and the "
            "real number of epochs."
        )


_current: Profile | None = None


def get_profile(name: str | None = None) -> Profile:
    """The run profile named by ``name`` or, if None, by ``COURSE_PROFILE``.

    Without an argument the profile is read once per process, so that every
    call in a chapter sees the same profile (and the same start time).

    Example:
        >>> get_profile("fast").name
        'fast'
    """
    global _current
    if name is not None:
        return Profile(name.strip().lower())
    env_name = os.environ.get(PROFILE_ENV, DEFAULT_PROFILE).strip().lower() or DEFAULT_PROFILE
    if _current is None or _current.name != env_name:
        _current = Profile(env_name)
    return _current


def seed_everything(seed: int = DEFAULT_SEED) -> int:
    """Seed Python, NumPy and Keras (and its backend) so runs repeat.

    Keras is imported only here, so that modules without models stay light.

    Example:
        >>> seed_everything(7)
        7
        >>> a = np.random.rand(); _ = seed_everything(7); a == np.random.rand()
        True
    """
    random.seed(seed)
    np.random.seed(seed)
    os.environ.setdefault("PYTHONHASHSEED", str(seed))
    try:
        import keras
    except ImportError:  # pragma: no cover - keras is a dependency
        return seed
    keras.utils.set_random_seed(seed)
    return seed


def setup(seed: int = DEFAULT_SEED) -> Profile:
    """Start a chapter: read the profile, seed everything, return the profile.

    Also quiets TensorFlow's start-up log lines and Keras's warning that
    ``fit(shuffle=True)`` is ignored for ``tf.data`` input, which say nothing to
    a reader (the chapters shuffle their datasets themselves).

    Example:
        >>> profile = setup()  # doctest: +SKIP
        >>> profile.name  # doctest: +SKIP
        'fast'
    """
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    # Keras 3 warns on every fit() over a tf.data dataset, because fit's default
    # shuffle=True cannot apply to one; the chapters' datasets shuffle themselves.
    warnings.filterwarnings("ignore", message=r"`shuffle=True` was passed, but will be ignored")
    global _current
    _current = None  # restart the clock: the chapter begins now
    profile = get_profile()
    seed_everything(seed)
    return profile
