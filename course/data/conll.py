"""Readers for the two column formats of tagged text: CoNLL-U and CoNLL-2003.

Both return :class:`TaggedSentences`: one list of tokens and one list of tags
per sentence. A line that breaks the format raises :class:`ConllFormatError`,
whose message names the file and the line number.

- **CoNLL-U** (Universal Dependencies): ten tab-separated fields per word;
  ``#`` comment lines; a blank line ends a sentence. Multi-word token lines
  (ID ``1-2``) and empty nodes (ID ``8.1``) are skipped: the words of a
  sentence are the lines with an integer ID, and their tag is the UPOS field.
- **CoNLL-2003**: four space-separated fields per token (word, POS tag, chunk
  tag, entity tag); ``-DOCSTART-`` lines separate documents; a blank line ends
  a sentence. Entity tags are returned in IOB2 (every entity starts with
  ``B-``), whichever of IOB1 or IOB2 the file uses.

Example:
    >>> lines = ["EU NNP B-NP B-ORG", "rejects VBZ B-VP O", ""]
    >>> corpus = parse_conll2003(lines, source="eng.train")
    >>> corpus.tokens, corpus.tags
    ([['EU', 'rejects']], [['B-ORG', 'O']])
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import NamedTuple

from course.data.fetch import DataError

CONLLU_FIELDS = 10
CONLL2003_FIELDS = 4
DOCSTART = "-DOCSTART-"
_ENTITY_TAG = re.compile(r"O|[BI]-[A-Z]+")
# IDs are ASCII digits: str.isdigit() also accepts "²", which int() refuses, and \d "١".
_WORD_ID = re.compile(r"[0-9]+")
_RANGE_OR_DECIMAL_ID = re.compile(r"[0-9]+-[0-9]+|[0-9]+\.[0-9]+")


class ConllFormatError(DataError, ValueError):
    """A line of a CoNLL-U or CoNLL-2003 file breaks the format."""


class TaggedSentences(NamedTuple):
    """Sentences as parallel lists: ``tokens[i][j]`` has the tag ``tags[i][j]``.

    Unpacks as a pair: ``tokens, tags = corpus``.

    Example:
        >>> corpus = TaggedSentences([["Hi", "!"]], [["INTJ", "PUNCT"]])
        >>> corpus.sentence_count, corpus.token_count
        (1, 2)
    """

    tokens: list[list[str]]
    tags: list[list[str]]

    @property
    def sentence_count(self) -> int:
        """How many sentences."""
        return len(self.tokens)

    @property
    def token_count(self) -> int:
        """How many tokens, all sentences together."""
        return sum(len(sentence) for sentence in self.tokens)


class _Builder:
    """Collects tokens and tags, one sentence at a time."""

    def __init__(self) -> None:
        self.corpus = TaggedSentences([], [])
        self.tokens: list[str] = []
        self.tags: list[str] = []

    def add(self, token: str, tag: str) -> None:
        self.tokens.append(token)
        self.tags.append(tag)

    def end_sentence(self) -> None:
        if self.tokens:
            self.corpus.tokens.append(self.tokens)
            self.corpus.tags.append(self.tags)
        self.tokens, self.tags = [], []


def _error(source: str, number: int, problem: str, line: str) -> ConllFormatError:
    shown = line if len(line) <= 80 else line[:77] + "..."
    return ConllFormatError(f"{source}, line {number}: {problem}: {shown!r}")


def parse_conllu(lines: Iterable[str], *, source: str) -> TaggedSentences:
    """Words and their UPOS tags from CoNLL-U lines; ``source`` names the file in errors.

    Example:
        >>> lines = ["# text = Don't", "1-2\\tDon't\\t_\\t_\\t_\\t_\\t_\\t_\\t_\\t_",
        ...          "1\\tDo\\tdo\\tAUX\\tVBP\\t_\\t0\\troot\\t_\\t_",
        ...          "2\\tn't\\tnot\\tPART\\tRB\\t_\\t1\\tadvmod\\t_\\t_", ""]
        >>> parse_conllu(lines, source="example.conllu")
        TaggedSentences(tokens=[['Do', "n't"]], tags=[['AUX', 'PART']])
        >>> parse_conllu(["1\\tDo\\tdo"], source="bad.conllu")
        Traceback (most recent call last):
        ...
        course.data.conll.ConllFormatError: bad.conllu, line 1: expected 10 tab-separated ...
    """
    builder = _Builder()
    for number, raw in enumerate(lines, start=1):
        line = raw.rstrip("\r\n")
        if not line.strip():
            builder.end_sentence()
            continue
        if line.startswith("#"):
            continue
        fields = line.split("\t")
        if len(fields) != CONLLU_FIELDS:
            raise _error(
                source,
                number,
                f"expected {CONLLU_FIELDS} tab-separated fields, found {len(fields)}",
                line,
            )
        word_id, form, upos = fields[0], fields[1], fields[3]
        if _RANGE_OR_DECIMAL_ID.fullmatch(word_id):
            continue  # a multi-word token or an empty node: not a word of the sentence
        if not _WORD_ID.fullmatch(word_id):
            raise _error(
                source,
                number,
                f"the ID {word_id!r} is not a number, a range (1-2) or a decimal (8.1)",
                line,
            )
        if int(word_id) != len(builder.tokens) + 1:
            raise _error(
                source, number, f"word {word_id} follows word {len(builder.tokens)}", line
            )
        if not form or not upos or upos == "_":
            raise _error(source, number, "a word needs a form and a UPOS tag", line)
        builder.add(form, upos)
    builder.end_sentence()
    return builder.corpus


def parse_conll2003(lines: Iterable[str], *, source: str) -> TaggedSentences:
    """Tokens and entity tags (IOB2) from CoNLL-2003 lines; ``source`` names the file in errors.

    Example:
        >>> lines = [
        ...     "-DOCSTART- -X- -X- O", "", "Peter NNP I-NP I-PER", "Blackburn NNP I-NP I-PER",
        ... ]
        >>> parse_conll2003(lines, source="eng.train")  # IOB1 in, IOB2 out
        TaggedSentences(tokens=[['Peter', 'Blackburn']], tags=[['B-PER', 'I-PER']])
        >>> parse_conll2003(["Peter NNP"], source="eng.train")
        Traceback (most recent call last):
        ...
        course.data.conll.ConllFormatError: eng.train, line 1: expected 4 space-separated ...
    """
    builder = _Builder()
    for number, raw in enumerate(lines, start=1):
        line = raw.rstrip("\r\n")
        if not line.strip():
            builder.end_sentence()
            continue
        fields = line.split()
        if fields[0] == DOCSTART:
            builder.end_sentence()
            continue
        if len(fields) != CONLL2003_FIELDS:
            raise _error(
                source,
                number,
                f"expected {CONLL2003_FIELDS} space-separated fields (word, POS, chunk, entity), "
                f"found {len(fields)}",
                line,
            )
        if not _ENTITY_TAG.fullmatch(fields[3]):
            raise _error(
                source, number, f"{fields[3]!r} is not an entity tag (O, B-TYPE or I-TYPE)", line
            )
        builder.add(fields[0], fields[3])
    builder.end_sentence()
    return TaggedSentences(builder.corpus.tokens, [to_iob2(tags) for tags in builder.corpus.tags])


def to_iob2(tags: list[str]) -> list[str]:
    """IOB1 or IOB2 entity tags as IOB2: an entity's first tag is always ``B-``.

    Example:
        >>> to_iob2(["I-PER", "I-PER", "O", "I-LOC", "B-LOC", "I-ORG"])
        ['B-PER', 'I-PER', 'O', 'B-LOC', 'B-LOC', 'B-ORG']
    """
    converted = []
    previous = "O"
    for tag in tags:
        if tag.startswith("I-") and previous[2:] != tag[2:]:
            tag = "B-" + tag[2:]
        converted.append(tag)
        previous = tag
    return converted
