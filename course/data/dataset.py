"""A loaded dataset (:class:`Dataset`) and the record of what this process loaded.

The loaders (:mod:`course.data.loaders`) and the stand-ins
(:mod:`course.data.standins`) both make datasets; both import them from here,
so neither imports the other's module to get the type.

Example:
    >>> toy = Dataset("toy", {"train": [1, 2, 3]}, source="cache", notice="A toy.")
    >>> toy.is_standin
    False
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from course.data.conll import TaggedSentences

SOURCES = ("cache", "mirror", "download", "stand-in")
JENA_COLUMNS = (
    "p (mbar)",
    "T (degC)",
    "Tpot (K)",
    "Tdew (degC)",
    "rh (%)",
    "VPmax (mbar)",
    "VPact (mbar)",
    "VPdef (mbar)",
    "sh (g/kg)",
    "H2OC (mmol/mol)",
    "rho (g/m**3)",
    "wv (m/s)",
    "max. wv (m/s)",
    "wd (deg)",
)
CIFAR10_CLASS_NAMES = (
    "airplane",
    "automobile",
    "bird",
    "cat",
    "deer",
    "dog",
    "frog",
    "horse",
    "ship",
    "truck",
)


class StandInDataWarning(UserWarning):
    """Generated stand-in data replaces a dataset that could not be had."""


class Dataset(Mapping[str, Any]):
    """A loaded dataset: named splits plus where the data came from.

    Splits are read like a dict (``dataset["train"]``); extra keyword arguments
    become attributes (``text``, ``class_names``, ``words``...).

    Example:
        >>> toy = Dataset("toy", {"train": [1, 2, 3]}, source="cache", notice="A toy.")
        >>> toy["train"], toy.is_standin, list(toy)
        ([1, 2, 3], False, ['train'])
    """

    def __init__(
        self,
        name: str,
        splits: Mapping[str, Any],
        *,
        source: str,
        notice: str,
        title: str = "",
        path: Path | None = None,
        **attributes: Any,
    ) -> None:
        if source not in SOURCES:
            raise ValueError(f"source must be one of {', '.join(SOURCES)}, not {source!r}.")
        self.name = name
        self.title = title or name
        self.splits = dict(splits)
        self.source = source
        self.notice = notice
        self.path = path
        for attribute, value in attributes.items():
            setattr(self, attribute, value)

    @property
    def is_standin(self) -> bool:
        """True when the data is generated stand-in data, not the real dataset."""
        return self.source == "stand-in"

    def __getitem__(self, split: str) -> Any:
        try:
            return self.splits[split]
        except KeyError:
            raise KeyError(
                f"{self.name} has no split {split!r}; its splits are {', '.join(self.splits)}."
            ) from None

    def __iter__(self) -> Iterator[str]:
        return iter(self.splits)

    def __len__(self) -> int:
        return len(self.splits)

    def __repr__(self) -> str:
        return f"Dataset({self.name!r}, splits={list(self.splits)}, source={self.source!r})"

    def describe(self) -> str:
        """Markdown for a book page: title, source, split sizes and the notice.

        Example:
            >>> toy = Dataset("toy", {"train": "abc"}, source="mirror", notice="A toy.")
            >>> print(toy.describe())
            **toy** (from the mirror)
            <BLANKLINE>
            | split | size |
            | --- | --- |
            | train | 3 characters |
            <BLANKLINE>
            A toy.
        """
        rows = "\n".join(
            f"| {split} | {_describe_split(value)} |" for split, value in self.splits.items()
        )
        table = f"| split | size |\n| --- | --- |\n{rows}"
        if self.is_standin:
            return f"> **{self.notice}**\n\n**{self.title}** (generated stand-in)\n\n{table}"
        return f"**{self.title}** (from the {self.source})\n\n{table}\n\n{self.notice}"

    def _repr_markdown_(self) -> str:
        return self.describe()


class SplitCounts(NamedTuple):
    """How many sentences and tokens a split of a tagged corpus has."""

    sentences: int
    tokens: int


def _describe_split(value: Any) -> str:
    if isinstance(value, TaggedSentences):
        return f"{value.sentence_count:,} sentences, {value.token_count:,} tokens"
    if isinstance(value, tuple) and value and hasattr(value[0], "shape"):
        return f"{len(value[0]):,} examples of shape {tuple(value[0].shape[1:])}"
    if isinstance(value, pd.DataFrame):
        return f"{len(value):,} rows × {len(value.columns)} columns"
    if isinstance(value, str):
        return f"{len(value):,} characters"
    if isinstance(value, np.ndarray):
        return f"array of shape {value.shape}"
    return f"{len(value):,} items"


# Every dataset a ``load_*`` function returned in this process, in order. Claims
# consult it: a number from a run that loaded stand-in data is marked as such.
_LOADED: list[Dataset] = []


def record_loaded(dataset: Dataset) -> Dataset:
    """Remember that this process loaded ``dataset``; return it unchanged.

    Every ``load_*`` function passes its result through here, so
    :func:`loaded_datasets` knows what a chapter's numbers rest on.

    Example:
        >>> toy = record_loaded(Dataset("toy", {}, source="cache", notice=""))
        >>> loaded_datasets()[-1] is toy
        True
    """
    _LOADED.append(dataset)
    return dataset


def loaded_datasets() -> list[Dataset]:
    """The datasets this process loaded, oldest first (see :func:`record_loaded`).

    Example:
        >>> isinstance(loaded_datasets(), list)
        True
    """
    return list(_LOADED)
