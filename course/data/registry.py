"""Where every dataset comes from, and how a copy of it is recognised.

One :class:`RemoteFile` constant per remote file: its URL, SHA-256, size in
bytes, a citation and a licence line. :func:`course.data.fetch` checks every
file against these values before anything else reads it.

Some classrooms share a read-only *mirror* of the data (see
:data:`course.data.fetch.MIRROR_ENV`). A mirror may hold a copy that differs
from the canonical download, for example a smaller extract. Such a copy is
listed as a :class:`MirrorVariant` of its dataset, with its own SHA-256 and a
one-line note; it is accepted from a mirror only, never as a download, and the
note travels with the data into every notice shown on a page.

Where no published checksum could be found, ``sha256`` is ``None`` (and,
rarely, ``size`` too): the fetcher then checks what it can and warns that the
file is unverified, and the file's loader checks its content (length and first
words of a text, rows and columns of a table, counts of examples) before
anything else reads it. Every such entry names, in a comment, why no checksum
is recorded; :data:`UNPUBLISHED_CHECKSUMS` lists them, and a test keeps new
entries from joining them silently.

Example:
    >>> REGISTRY["imdb"].filename
    'aclImdb_v1.tar.gz'
    >>> [variant.filename for variant in GLOVE_6B.variants]
    ['glove.6B.100d.txt', 'glove.6B.50d.txt.gz']
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class MirrorVariant:
    """A known non-canonical copy of a remote file, accepted from a mirror only.

    Example:
        >>> variant = MirrorVariant("small.txt", "0" * 64, 10, "first lines only")
        >>> variant.note
        'first lines only'
    """

    filename: str
    sha256: str
    size: int
    note: str


@dataclass(frozen=True)
class RemoteFile:
    """A file published at a URL, with what is needed to verify a copy of it.

    Example:
        >>> MNIST.size
        11490434
        >>> AIRLINE_PASSENGERS.sha256 is None  # no published checksum found
        True
    """

    name: str
    filename: str
    url: str
    sha256: str | None
    size: int | None
    citation: str
    licence: str
    title: str = ""
    variants: tuple[MirrorVariant, ...] = ()


IMDB = RemoteFile(
    name="imdb",
    title="Large Movie Review Dataset (IMDB)",
    filename="aclImdb_v1.tar.gz",
    url="https://ai.stanford.edu/~amaas/data/sentiment/aclImdb_v1.tar.gz",
    sha256="c40f74a18d3b61f90feba1e17730e0d38e8b97c05fde7008942e91923d1658fe",
    size=84_125_825,
    citation=(
        "Andrew L. Maas, Raymond E. Daly, Peter T. Pham, Dan Huang, Andrew Y. Ng and "
        "Christopher Potts (2011). Learning Word Vectors for Sentiment Analysis. ACL 2011."
    ),
    licence=(
        "No licence stated; distributed by the authors for research, with a request to cite "
        "the paper."
    ),
    variants=(
        MirrorVariant(
            filename="aclImdb_v1.tar.gz",
            sha256="7f6227fea60f787868d1a21a3db4364e5177c49e62e67d8a260e471e52a40b4e",
            size=29_973_629,
            note=(
                "This copy lacks the 50,000 unlabelled reviews (train/unsup) and the "
                "*.feat and urls_*.txt files; all 50,000 labelled reviews are there."
            ),
        ),
    ),
)

JENA_CLIMATE = RemoteFile(
    name="jena_climate",
    title="Jena Climate 2009-2016",
    filename="jena_climate_2009_2016.csv.zip",
    url="https://s3.amazonaws.com/keras-datasets/jena_climate_2009_2016.csv.zip",
    # No published SHA-256 could be found; the size is the one Keras reports when
    # downloading the same file from storage.googleapis.com/tensorflow/tf-keras-datasets.
    # The loader checks its content: the 15 columns and 420,551 rows.
    sha256=None,
    size=13_568_290,
    citation=(
        "Weather Station, Max Planck Institute for Biogeochemistry, Jena, Germany "
        "(2009-2016 extract prepared by Francois Chollet for Deep Learning with Python)."
    ),
    licence=(
        "No licence stated; the measurements are published by the institute at "
        "bgc-jena.mpg.de/wetter."
    ),
)

AIRLINE_PASSENGERS = RemoteFile(
    name="airline_passengers",
    title="International airline passengers, 1949-1960",
    filename="airline-passengers.csv",
    url="https://raw.githubusercontent.com/jbrownlee/Datasets/master/airline-passengers.csv",
    # No published SHA-256 or size could be found for this copy of the series. The
    # loader checks its content: 144 consecutive months 1949-01 to 1960-12, 112 to 432.
    sha256=None,
    size=None,
    citation=(
        "G. E. P. Box and G. M. Jenkins (1976). Time Series Analysis: Forecasting and "
        "Control, Series G: monthly international airline passengers (thousands)."
    ),
    licence="No licence stated; published statistics, widely redistributed.",
    variants=(
        MirrorVariant(
            filename="international-airline-passengers.csv",
            sha256="67a4b56b5801e9768b2d8c69980aec34913b8ef95655e573876dbd6a44a8942b",
            size=2_037,
            note=(
                "This copy names its columns month, passengers; the 144 values are the same "
                "series."
            ),
        ),
    ),
)

NIETZSCHE = RemoteFile(
    name="nietzsche",
    title="Nietzsche, Beyond Good and Evil (English translation)",
    filename="nietzsche.txt",
    url="https://s3.amazonaws.com/text-datasets/nietzsche.txt",
    # No published SHA-256 or size could be found. The loader checks its content:
    # 600,893 characters once lower-cased (the corpus length the Keras example
    # prints) and its first words.
    sha256=None,
    size=None,
    citation=(
        "Friedrich Nietzsche, Beyond Good and Evil, translated by Helen Zimmern "
        "(Project Gutenberg); the corpus of the Keras character-level text generation example."
    ),
    licence="Public domain (Project Gutenberg).",
    variants=(
        MirrorVariant(
            filename="nietzsche.txt",
            sha256="769ce58bf021ed0fa86232eac03867ccd275181a94caafeef56b70b16ec741ff",
            size=600_902,
            note=(
                "This copy is already lower-cased, byte by byte, which left its 8 accented "
                "letters as invalid UTF-8; the loader repairs them."
            ),
        ),
    ),
)

TEXT8 = RemoteFile(
    name="text8",
    title="text8 (first 10^8 bytes of cleaned English Wikipedia)",
    filename="text8.zip",
    url="http://mattmahoney.net/dc/text8.zip",
    sha256="a6640522afe85d1963ad56c05b0ede0a0c000dddc9671758a6cc09b7a38e5232",
    size=31_344_016,
    citation=(
        "Matt Mahoney (2006). Large Text Compression Benchmark, text8 "
        "(mattmahoney.net/dc/textdata.html)."
    ),
    licence="Derived from English Wikipedia (CC BY-SA / GFDL).",
)

GLOVE_6B = RemoteFile(
    name="glove_6b",
    title="GloVe 6B word vectors (Wikipedia 2014 + Gigaword 5)",
    filename="glove.6B.zip",
    url="https://nlp.stanford.edu/data/glove.6B.zip",
    sha256="617afb2fe6cbd085c235baf7a465b96f4112bd7f7ccb2b2cbd649fed9cbcf2fb",
    size=862_182_613,
    citation=(
        "Jeffrey Pennington, Richard Socher and Christopher D. Manning (2014). "
        "GloVe: Global Vectors for Word Representation. EMNLP 2014."
    ),
    licence="Open Data Commons Public Domain Dedication and License (PDDL 1.0).",
    variants=(
        MirrorVariant(
            filename="glove.6B.100d.txt",
            sha256="16f94f4d3fd892d9cc90f50f90d01f8be79ccbdf11bcb9aa7cb7614a3b11744e",
            size=2_230_450,
            note=(
                "This copy is the extracted 100-dimensional file truncated to its first "
                "2,604 lines: only the 2,604 most frequent words, not 400,000."
            ),
        ),
        MirrorVariant(
            filename="glove.6B.50d.txt.gz",
            sha256="5854a179114587e6faff69f89c8b832f2ee8e2afc719dced8b5599d6fbabbaac",
            size=67_967_602,
            note=(
                "This copy is the member glove.6B.50d.txt of the canonical zip, gzip-compressed: "
                "the 50-dimensional vectors of all 400,000 words, the text byte for byte the "
                "canonical one (checked against its SHA-256 when read whole)."
            ),
        ),
    ),
)

MNIST = RemoteFile(
    name="mnist",
    title="MNIST handwritten digits",
    filename="mnist.npz",
    url="https://storage.googleapis.com/tensorflow/tf-keras-datasets/mnist.npz",
    sha256="731c5ac602752760c8e48fbffcf8c3b850d9dc2a2aedcf2cc48468fc17b673d1",
    size=11_490_434,
    citation=(
        "Yann LeCun, Corinna Cortes and Christopher J. C. Burges. The MNIST database of "
        "handwritten digits."
    ),
    licence="Creative Commons Attribution-Share Alike 3.0 (as stated by Keras).",
    variants=(
        MirrorVariant(
            filename="mnist-from-png.npz",
            sha256="06af5dfe73b70e3bc1c36439982b18a8d76803db9b544f6fdf838a37fbb01b64",
            size=11_490_519,
            note=(
                "This copy was rebuilt from the 70,000 lossless PNGs of the mnist_png collection, "
                "so the file differs from Keras's mnist.npz, but its arrays are the canonical "
                "ones "
                "(each checked against its SHA-256 when loaded)."
            ),
        ),
    ),
)

CIFAR10 = RemoteFile(
    name="cifar10",
    title="CIFAR-10",
    filename="cifar-10-python.tar.gz",
    url="https://www.cs.toronto.edu/~kriz/cifar-10-python.tar.gz",
    sha256="6d958be074577803d12ecdefd02955f39262c83c16fe9348329d7fe0b5c001ce",
    size=170_498_071,
    citation=(
        "Alex Krizhevsky (2009). Learning Multiple Layers of Features from Tiny Images. "
        "Technical report, University of Toronto."
    ),
    licence="No licence stated; the authors ask users to cite the technical report.",
    variants=(
        MirrorVariant(
            filename="cifar-10-jpeg.zip",
            sha256="a91d38d5f54aef3325772067cfe8f4247993c0be8a05a6ba057875c43ba5d05a",
            size=65_314_233,
            note=(
                "This copy is the JPEG copy of CIFAR-10: all 60,000 images, but each one "
                "JPEG-compressed (lossy, about quality 75) and the canonical order lost, so "
                "numbers measured on it are "
                "close to, not equal to, numbers on the canonical CIFAR-10 batches."
            ),
        ),
    ),
)

SPA_ENG = RemoteFile(
    name="spa_eng",
    title="English-Spanish sentence pairs (Tatoeba, via Anki)",
    filename="spa-eng.zip",
    url="https://storage.googleapis.com/download.tensorflow.org/data/spa-eng.zip",
    # No published SHA-256 could be found; the size is the one Keras reports on download.
    # The loader checks its content: 118,964 pairs, the first "Go." / "Ve.".
    sha256=None,
    size=2_638_744,
    citation=(
        "Tatoeba Project sentence pairs, prepared by manythings.org/anki and packaged by "
        "TensorFlow."
    ),
    licence="Creative Commons Attribution 2.0 France (Tatoeba).",
    variants=(
        MirrorVariant(
            filename="spa-eng-20180513.zip",
            sha256="f80e581ae291aa34dd3aba7bd98b5e9505234da4318e2f3295df70a1520c7f61",
            size=2_767_131,
            note=(
                "This copy is the same dated file from manythings.org (2018-05-13, 118,964 pairs) "
                "zipped by someone else: 2,767,131 bytes, not TensorFlow's 2,638,744, and no "
                "published checksum exists to compare its pairs with."
            ),
        ),
    ),
)

SHAKESPEARE = RemoteFile(
    name="shakespeare",
    title="Tiny Shakespeare",
    filename="shakespeare.txt",
    url="https://storage.googleapis.com/download.tensorflow.org/data/shakespeare.txt",
    # The SHA-256 that several projects publish for this file and for the identical
    # karpathy/char-rnn data/tinyshakespeare/input.txt (1,115,394 bytes).
    sha256="86c4e6aa9db7c042ec79f339dcb96d42b0075e16b8fc2e86bf0ca57e2dc565ed",
    size=1_115_394,
    citation=(
        "Andrej Karpathy (2015). char-rnn, data/tinyshakespeare/input.txt: a selection of "
        "Shakespeare's plays; hosted by TensorFlow for its text generation tutorial."
    ),
    licence=(
        "The plays are in the public domain; the char-rnn repository that assembled them is "
        "MIT-licensed."
    ),
)

# UD English EWT, one entry per file. Pinned to the r2.16 release tag: the mirror
# holds the files of commit 15d613d (2025-05-10, the v2.16 release cycle), whose
# full hash could not be looked up offline. The SHA-256 values are the mirror
# files', which are the repository's byte for byte.
_UD_EWT_URL = "https://raw.githubusercontent.com/UniversalDependencies/UD_English-EWT/r2.16/"
_UD_EWT_CITATION = (
    "Natalia Silveira, Timothy Dozat, Marie-Catherine de Marneffe, Samuel R. Bowman, "
    "Miriam Connor, "
    "John Bauer and Christopher D. Manning (2014). A Gold Standard Dependency Corpus for English. "
    "LREC 2014. Universal Dependencies English Web Treebank, release 2.16."
)
_UD_EWT_LICENCE = "Creative Commons Attribution-ShareAlike 4.0 International (CC BY-SA 4.0)."


def _ud_ewt(split: str, sha256: str, size: int) -> RemoteFile:
    return RemoteFile(
        name=f"ud_english_ewt_{split}",
        title=f"Universal Dependencies English Web Treebank ({split})",
        filename=f"en_ewt-ud-{split}.conllu",
        url=f"{_UD_EWT_URL}en_ewt-ud-{split}.conllu",
        sha256=sha256,
        size=size,
        citation=_UD_EWT_CITATION,
        licence=_UD_EWT_LICENCE,
    )


UD_EWT_TRAIN = _ud_ewt(
    "train", "3fb78e2b55482c8ee00caa653af436c88c9e5bc9a73ce26e4ae3ddc79d2b7e7b", 14_203_025
)
UD_EWT_DEV = _ud_ewt(
    "dev", "531a54ff90d6ab12201c5a50c3e78e6ddac4de69abc4bce5d275d3cd29efe2b6", 1_805_545
)
UD_EWT_TEST = _ud_ewt(
    "test", "e266e515a0a7547657ed3d90d9ba46487d6bd251f27ad4269d4e8a427c8555cd", 1_804_515
)

CONLL2003 = RemoteFile(
    name="conll2003",
    title="CoNLL-2003 English named-entity recognition",
    filename="conll2003.zip",
    url="https://data.deepai.org/conll2003.zip",
    # The SHA-256 two independent projects publish for this download (train.txt,
    # valid.txt, test.txt); its size is not published.
    sha256="96a104d174ddae7558bab603f19382c5fe02ff1da5c077a7f3ce2ced1578a2c3",
    size=None,
    citation=(
        "Erik F. Tjong Kim Sang and Fien De Meulder (2003). Introduction to the CoNLL-2003 Shared "
        "Task: Language-Independent Named Entity Recognition. CoNLL 2003."
    ),
    licence=(
        "The text is Reuters' (Reuters Corpus RCV1), for research use only under the Reuters "
        "Corpus terms; the annotations are the CoNLL-2003 shared task's."
    ),
    variants=(
        MirrorVariant(
            filename="conll2003.zip",
            sha256="cfb1dee376147ff3f09326e1b805c97c5866ebbe8e3907df72ede86f3450f084",
            size=936_906,
            note=(
                "This copy holds the original file names eng.train, eng.testa and eng.testb, with "
                "entity tags in IOB2; its sentences and tokens are the official counts."
            ),
        ),
    ),
)

REGISTRY: dict[str, RemoteFile] = {
    remote.name: remote
    for remote in (
        IMDB,
        JENA_CLIMATE,
        AIRLINE_PASSENGERS,
        NIETZSCHE,
        TEXT8,
        GLOVE_6B,
        MNIST,
        CIFAR10,
        SPA_ENG,
        SHAKESPEARE,
        UD_EWT_TRAIN,
        UD_EWT_DEV,
        UD_EWT_TEST,
        CONLL2003,
    )
}

UD_ENGLISH_EWT: tuple[RemoteFile, RemoteFile, RemoteFile] = (UD_EWT_TRAIN, UD_EWT_DEV, UD_EWT_TEST)

# Entries whose canonical file has no published SHA-256 (see each entry's comment).
# Their loaders check content instead; a mirror copy, where listed, has a SHA-256.
UNPUBLISHED_CHECKSUMS = frozenset({"jena_climate", "airline_passengers", "nietzsche", "spa_eng"})
