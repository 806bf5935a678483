"""Course datasets: where they come from, how they are verified, how they load.

- :mod:`course.data.registry`: one :class:`RemoteFile` per remote file (URL,
  SHA-256, size, citation, licence) and the mirror copies known to differ.
- :mod:`course.data.fetch`: cache → mirror → download, verified; archives
  extracted once. Environment: ``COURSE_DATA_HOME`` (cache, default
  ``~/course_data``), ``COURSE_DATA_MIRROR`` (read-only mirror folders),
  ``COURSE_DATA_OFFLINE`` (switch downloads off).
- :mod:`course.data.loaders`: ``load_*`` functions returning a :class:`Dataset`
  with its provenance notice.
- :mod:`course.data.standins`: small generated data for the fast profile when a
  dataset cannot be had, always labelled as such.

Example:
    >>> from course.data import REGISTRY
    >>> sorted(REGISTRY)[:3]
    ['airline_passengers', 'cifar10', 'glove_6b']
"""

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
    StandInDataWarning,
    load_airline_passengers,
    load_cifar10,
    load_glove,
    load_imdb,
    load_jena_climate,
    load_mnist,
    load_nietzsche,
    load_spa_eng,
    load_text8,
)
from course.data.registry import (
    AIRLINE_PASSENGERS,
    CIFAR10,
    GLOVE_6B,
    IMDB,
    JENA_CLIMATE,
    MNIST,
    NIETZSCHE,
    REGISTRY,
    SPA_ENG,
    TEXT8,
    MirrorVariant,
    RemoteFile,
)

__all__ = [
    "AIRLINE_PASSENGERS",
    "CIFAR10",
    "DATA_HOME_ENV",
    "GLOVE_6B",
    "IMDB",
    "JENA_CLIMATE",
    "MIRROR_ENV",
    "MNIST",
    "NIETZSCHE",
    "OFFLINE_ENV",
    "REGISTRY",
    "SPA_ENG",
    "TEXT8",
    "ChecksumError",
    "CorruptArchiveError",
    "DataError",
    "DataUnavailableError",
    "Dataset",
    "DownloadError",
    "FetchedFile",
    "MirrorVariant",
    "RemoteFile",
    "StandInDataWarning",
    "UnknownDatasetError",
    "UnsafeArchiveError",
    "UnverifiedFileWarning",
    "data_home",
    "extract",
    "fetch",
    "load_airline_passengers",
    "load_cifar10",
    "load_glove",
    "load_imdb",
    "load_jena_climate",
    "load_mnist",
    "load_nietzsche",
    "load_spa_eng",
    "load_text8",
    "lookup",
    "mirror_dirs",
]
