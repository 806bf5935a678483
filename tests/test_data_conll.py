"""The CoNLL-U and CoNLL-2003 readers: what they keep, what they skip, what they refuse."""

from __future__ import annotations

import pytest

from course.data.conll import (
    ConllFormatError,
    TaggedSentences,
    parse_conll2003,
    parse_conllu,
    to_iob2,
)
from course.data.fetch import DataError


def conllu_line(word_id: str, form: str, upos: str) -> str:
    return "\t".join([word_id, form, form.lower(), upos, "_", "_", "0", "dep", "_", "_"])


def test_conllu_keeps_words_and_skips_comments_ranges_and_empty_nodes():
    lines = [
        "# newdoc id = doc1",
        "# text = I'm here",
        conllu_line("1-2", "I'm", "_"),
        conllu_line("1", "I", "PRON"),
        conllu_line("2", "'m", "AUX"),
        conllu_line("2.1", "am", "AUX"),
        conllu_line("3", "here", "ADV"),
        "",
        "",  # several blank lines make no empty sentence
        conllu_line("1", "Bye", "INTJ"),  # the last sentence needs no blank line after it
    ]

    corpus = parse_conllu(lines, source="x.conllu")

    assert corpus == TaggedSentences(
        [["I", "'m", "here"], ["Bye"]], [["PRON", "AUX", "ADV"], ["INTJ"]]
    )
    assert corpus.sentence_count == 2 and corpus.token_count == 4


def test_conllu_accepts_windows_line_ends():
    corpus = parse_conllu([conllu_line("1", "Hi", "INTJ") + "\r\n", "\r\n"], source="x.conllu")
    assert corpus.tags == [["INTJ"]]


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ("1\tHi\thi\tINTJ", "expected 10 tab-separated fields, found 4"),
        (conllu_line("one", "Hi", "INTJ"), "the ID 'one' is not a number"),
        (conllu_line("²", "Hi", "INTJ"), "the ID '²' is not a number"),
        (conllu_line("١", "Hi", "INTJ"), "the ID '١' is not a number"),
        (conllu_line("1-²", "Hi", "_"), "the ID '1-²' is not a number"),
        (conllu_line("2", "Hi", "INTJ"), "word 2 follows word 0"),
        (conllu_line("1", "Hi", "_"), "a word needs a form and a UPOS tag"),
        ("1 Hi hi INTJ UH _ 0 root _ _", "expected 10 tab-separated fields, found 1"),
    ],
)
def test_conllu_malformed_line_names_file_and_line(line, problem):
    lines = ["# sent_id = 1", conllu_line("1", "Hello", "INTJ"), "", "# sent_id = 2", line]
    if "follows" in problem:
        lines = ["# sent_id = 1", "", "# sent_id = 2", line]

    with pytest.raises(ConllFormatError) as raised:
        parse_conllu(lines, source="en_ewt-ud-dev.conllu")

    number = len(lines)
    assert str(raised.value).startswith(f"en_ewt-ud-dev.conllu, line {number}: {problem}")
    assert isinstance(raised.value, DataError) and isinstance(raised.value, ValueError)


def test_conll2003_splits_on_docstart_and_blank_lines():
    lines = [
        "-DOCSTART- -X- -X- O",
        "",
        "EU NNP B-NP B-ORG",
        "rejects VBZ B-VP O",
        "",
        "-DOCSTART- -X- -X- O",
        "Peter NNP B-NP B-PER",
        "Blackburn NNP I-NP I-PER",
    ]

    corpus = parse_conll2003(lines, source="eng.train")

    assert corpus.tokens == [["EU", "rejects"], ["Peter", "Blackburn"]]
    assert corpus.tags == [["B-ORG", "O"], ["B-PER", "I-PER"]]


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ("EU NNP B-NP", "expected 4 space-separated fields (word, POS, chunk, entity), found 3"),
        ("EU NNP B-NP B-ORG extra", "found 5"),
        ("EU NNP B-NP ORG", "'ORG' is not an entity tag (O, B-TYPE or I-TYPE)"),
        ("EU NNP B-NP b-org", "'b-org' is not an entity tag"),
    ],
)
def test_conll2003_malformed_line_names_file_and_line(line, problem):
    with pytest.raises(ConllFormatError) as raised:
        parse_conll2003(["-DOCSTART- -X- -X- O", "", line], source="eng.testa")

    assert str(raised.value).startswith("eng.testa, line 3: ")
    assert problem in str(raised.value)


@pytest.mark.parametrize(
    ("tags", "expected"),
    [
        (["I-PER", "I-PER"], ["B-PER", "I-PER"]),
        (["I-PER", "B-PER"], ["B-PER", "B-PER"]),  # IOB1 marks an adjacent second entity with B-
        (["O", "I-LOC", "I-ORG"], ["O", "B-LOC", "B-ORG"]),
        (["B-MISC", "I-MISC", "O"], ["B-MISC", "I-MISC", "O"]),  # IOB2 stays as it is
        ([], []),
    ],
)
def test_to_iob2(tags, expected):
    assert to_iob2(tags) == expected
