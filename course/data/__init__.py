"""Course datasets: where they come from, how they are verified, how they load.

- :mod:`course.data.registry`: one :class:`RemoteFile` per remote file (URL,
  SHA-256, size, citation, licence) and the mirror copies known to differ.
- :mod:`course.data.fetch`: cache → mirror → download, verified; archives
  extracted once. Environment: ``COURSE_DATA_HOME`` (cache, default
  ``~/course_data``), ``COURSE_DATA_MIRROR`` (read-only mirror folders),
  ``COURSE_DATA_OFFLINE=1`` (switch downloads off; ``0`` or unset: on).
- :mod:`course.data.derived`: caches derived from a fetched file (the decoded
  CIFAR-10 JPEG copy), locked, recorded and checked like the archives.
- :mod:`course.data.loaders`: ``load_*`` functions returning a :class:`Dataset`
  with its provenance notice.
- :mod:`course.data.standins`: small generated data for the fast profile when a
  dataset cannot be had, always labelled as such.

The datasets (loader; source; size; licence; chapters that use it). "Mirror"
names the copy in the course's offline data mirror where it differs from the
canonical download; every notice on a page says so too.

- **IMDB** reviews, :func:`load_imdb`: Maas et al. (2011), ai.stanford.edu,
  ``aclImdb_v1.tar.gz`` (84 MB), 25,000 + 25,000 labelled reviews; mirror:
  without the unlabelled reviews (30 MB). No licence stated, research use, cite
  the paper. Chapters 1, 2, 3, 4, 6.
- **GloVe 6B**, :func:`load_glove`: Pennington et al. (2014), nlp.stanford.edu,
  ``glove.6B.zip`` (862 MB), 400,000 words in 50/100/200/300 dimensions;
  mirror: the 50-dimensional file complete (``glove.6B.50d.txt.gz``, 68 MB)
  and the 100-dimensional one cut to 2,604 words. PDDL 1.0. Chapters 2, 8.
- **text8**, :func:`load_text8`: Matt Mahoney, mattmahoney.net, ``text8.zip``
  (31 MB), 17 million words of Wikipedia; not in the mirror (generated
  stand-in in the fast profile). CC BY-SA / GFDL (Wikipedia). Chapter 3.
- **MNIST**, :func:`load_mnist`: LeCun, Cortes and Burges; Keras's
  ``mnist.npz`` (11 MB), 60,000 + 10,000 digits; mirror: rebuilt from lossless
  PNGs, canonical arrays (``mnist-from-png.npz``). CC BY-SA 3.0. Chapters 4, 10, 11.
- **Jena climate**, :func:`load_jena_climate`: Max Planck Institute for
  Biogeochemistry, Keras's ``jena_climate_2009_2016.csv.zip`` (14 MB), 420,551
  rows × 14 measurements; not in the mirror (generated stand-in in the fast
  profile). No licence stated. Chapters 5, 6.
- **Airline passengers**, :func:`load_airline_passengers`: Box & Jenkins,
  ``airline-passengers.csv`` (2 kB), 144 months; mirror: other column names.
  Published statistics. Chapter 5.
- **Nietzsche**, :func:`load_nietzsche`: *Beyond Good and Evil* (Project
  Gutenberg), Keras's ``nietzsche.txt`` (600 kB); mirror: lower-cased. Public
  domain. Chapter 7.
- **Tiny Shakespeare**, :func:`load_shakespeare`: Karpathy's char-rnn corpus,
  TensorFlow's ``shakespeare.txt`` (1.1 MB, 1,115,394 characters). Public
  domain text, MIT-licensed collection. Chapter 7.
- **UD English EWT**, :func:`load_ud_english_ewt`: Universal Dependencies
  English Web Treebank r2.16, ``en_ewt-ud-{train,dev,test}.conllu`` (18 MB),
  12,544 / 2,001 / 2,077 sentences with UPOS tags. CC BY-SA 4.0. Chapter 8.
- **CoNLL-2003**, :func:`load_conll2003`: Tjong Kim Sang and De Meulder (2003),
  ``conll2003.zip`` (1 MB), 14,041 / 3,250 / 3,453 sentences with entity tags;
  mirror: ``eng.*`` files in IOB2. Reuters text, research use only. Chapter 8.
- **English-Spanish pairs**, :func:`load_spa_eng`: Tatoeba via manythings.org,
  TensorFlow's ``spa-eng.zip`` (2.6 MB), 118,964 pairs; mirror: the same dated
  file zipped differently (``spa-eng-20180513.zip``). CC BY 2.0 FR. Chapter 9.
- **CIFAR-10**, :func:`load_cifar10`: Krizhevsky (2009), ``cifar-10-python.tar.gz``
  (170 MB), 50,000 + 10,000 images; mirror: a **lossy JPEG copy**
  (``cifar-10-jpeg.zip``, 65 MB), whose numbers are close to, not equal to,
  canonical ones. No licence stated, cite the report. Chapter 10.

Example:
    >>> from course.data import REGISTRY
    >>> sorted(REGISTRY)[:3]
    ['airline_passengers', 'cifar10', 'conll2003']
"""

from course.data.conll import ConllFormatError, TaggedSentences
from course.data.fetch import (
    DATA_HOME_ENV,
    MIRROR_ENV,
    OFFLINE_ENV,
    ChecksumError,
    CorruptArchiveError,
    DataError,
    DataUnavailableError,
    DownloadError,
    FetchedFile,
    UnknownDatasetError,
    UnsafeArchiveError,
    UnverifiedFileWarning,
    data_home,
    extract,
    fetch,
    lookup,
    mirror_dirs,
)
from course.data.loaders import (
    Dataset,
    SplitCounts,
    StandInDataWarning,
    load_airline_passengers,
    load_cifar10,
    load_conll2003,
    load_glove,
    load_imdb,
    load_jena_climate,
    load_mnist,
    load_nietzsche,
    load_shakespeare,
    load_spa_eng,
    load_text8,
    load_ud_english_ewt,
)
from course.data.registry import (
    AIRLINE_PASSENGERS,
    CIFAR10,
    CONLL2003,
    GLOVE_6B,
    IMDB,
    JENA_CLIMATE,
    MNIST,
    NIETZSCHE,
    REGISTRY,
    SHAKESPEARE,
    SPA_ENG,
    TEXT8,
    UD_ENGLISH_EWT,
    UD_EWT_DEV,
    UD_EWT_TEST,
    UD_EWT_TRAIN,
    MirrorVariant,
    RemoteFile,
)

__all__ = [
    "AIRLINE_PASSENGERS",
    "CIFAR10",
    "CONLL2003",
    "DATA_HOME_ENV",
    "GLOVE_6B",
    "IMDB",
    "JENA_CLIMATE",
    "MIRROR_ENV",
    "MNIST",
    "NIETZSCHE",
    "OFFLINE_ENV",
    "REGISTRY",
    "SHAKESPEARE",
    "SPA_ENG",
    "TEXT8",
    "UD_ENGLISH_EWT",
    "UD_EWT_DEV",
    "UD_EWT_TEST",
    "UD_EWT_TRAIN",
    "ChecksumError",
    "ConllFormatError",
    "CorruptArchiveError",
    "DataError",
    "DataUnavailableError",
    "Dataset",
    "DownloadError",
    "FetchedFile",
    "MirrorVariant",
    "RemoteFile",
    "SplitCounts",
    "StandInDataWarning",
    "TaggedSentences",
    "UnknownDatasetError",
    "UnsafeArchiveError",
    "UnverifiedFileWarning",
    "data_home",
    "extract",
    "fetch",
    "load_airline_passengers",
    "load_cifar10",
    "load_conll2003",
    "load_glove",
    "load_imdb",
    "load_jena_climate",
    "load_mnist",
    "load_nietzsche",
    "load_shakespeare",
    "load_spa_eng",
    "load_text8",
    "load_ud_english_ewt",
    "lookup",
    "mirror_dirs",
]
