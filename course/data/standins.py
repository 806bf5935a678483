"""Small generated data sets that stand in for real ones that cannot be had.

Only the fast profile uses them, and only when a dataset is in no cache or
mirror and cannot be downloaded (see :mod:`course.data.loaders`). Each one has
the real loader's schema (same splits, shapes, dtypes and column names), is
seeded, takes well under a second to make, and is *learnable*: a model can beat
chance on it, so a chapter's code runs end to end and its checks mean something.

None of it is real data. Every stand-in :class:`~course.data.loaders.Dataset`
has ``source == "stand-in"`` and a notice that starts with ``STAND-IN DATA``;
numbers computed from it are not results.

Example:
    >>> digits = mnist_standin(train_size=100, test_size=20)
    >>> digits.is_standin, digits["train"][0].shape, digits["train"][0].dtype
    (True, (100, 28, 28), dtype('uint8'))
"""

from __future__ import annotations

import functools
import itertools
from pathlib import Path

import numpy as np
import pandas as pd

from course.data.dataset import CIFAR10_CLASS_NAMES, JENA_COLUMNS, Dataset
from course.data.registry import CIFAR10, JENA_CLIMATE, MNIST, SPA_ENG, TEXT8, RemoteFile
from course.profile import DEFAULT_SEED


def standin_notice(remote: RemoteFile, what: str, seed: int, reason: str = "") -> str:
    """The notice of a stand-in: unmistakable, and says why it is there.

    Example:
        >>> standin_notice(MNIST, "rendered digits", 7).startswith("STAND-IN DATA")
        True
    """
    why = f" {reason.strip()}" if reason else ""
    return (
        f"STAND-IN DATA: {what}, generated with seed {seed} in place of {remote.title}.{why} "
        "It has the real data's schema and can be learned, but it is not the real data: "
        "numbers computed from it are not results and must not be compared with published ones."
    )


def _standin(
    remote: RemoteFile, splits: dict, *, what: str, seed: int, reason: str, **attributes
) -> Dataset:
    return Dataset(
        remote.name,
        splits,
        source="stand-in",
        notice=standin_notice(remote, what, seed, reason),
        title=f"stand-in for {remote.title}",
        **attributes,
    )


# ----------------------------------------------------------------------- MNIST


def mnist_standin(
    *, seed: int = DEFAULT_SEED, train_size: int = 6_000, test_size: int = 1_000, reason: str = ""
) -> Dataset:
    """Printed digits 0-9 on 28×28, randomly sized, rotated, shifted and noisy.

    Same schema as :func:`~course.data.loaders.load_mnist`.

    Example:
        >>> (images, labels), _ = mnist_standin(train_size=50, test_size=10).values()
        >>> images.shape, labels.dtype, int(labels.max()) <= 9
        ((50, 28, 28), dtype('uint8'), True)
    """
    templates = _digit_templates()
    rng = np.random.default_rng(seed)

    def make(count: int) -> tuple[np.ndarray, np.ndarray]:
        labels = rng.integers(0, 10, size=count)
        glyphs = templates[labels, rng.integers(0, templates.shape[1], size=count)]
        padded = np.zeros((count, 32, 32), dtype=np.float32)
        shifts = rng.integers(0, 5, size=(count, 2))  # up to 2 pixels each way
        for index, (row, column) in enumerate(shifts):
            padded[index, row : row + 28, column : column + 28] = glyphs[index]
        images = padded[:, 2:30, 2:30] * rng.uniform(0.7, 1.0, size=(count, 1, 1))
        images += rng.normal(0, 15, size=images.shape)
        return np.clip(images, 0, 255).astype(np.uint8), labels.astype(np.uint8)

    splits = {"train": make(train_size), "test": make(test_size)}
    what = "printed digits with random size, angle, shift and noise"
    return _standin(MNIST, splits, what=what, seed=seed, reason=reason)


@functools.lru_cache(maxsize=1)
def _digit_templates() -> np.ndarray:
    """Centred 28×28 glyphs, shape (10 digits, variants, 28, 28): sizes × strokes × angles."""
    from PIL import Image, ImageDraw

    templates = []
    for digit in range(10):
        variants = []
        for size in (18, 21, 24):
            font = _font(size)
            for stroke in (0, 1):
                for angle in (-12, -6, 0, 6, 12):
                    image = Image.new("L", (28, 28), 0)
                    draw = ImageDraw.Draw(image)
                    left, top, right, bottom = draw.textbbox(
                        (0, 0), str(digit), font=font, stroke_width=stroke
                    )
                    origin = ((28 - (right - left)) / 2 - left, (28 - (bottom - top)) / 2 - top)
                    draw.text(
                        origin,
                        str(digit),
                        fill=255,
                        font=font,
                        stroke_width=stroke,
                        stroke_fill=255,
                    )
                    rotated = image.rotate(angle, resample=Image.Resampling.BILINEAR)
                    variants.append(np.asarray(rotated, dtype=np.float32))
        templates.append(variants)
    return np.array(templates)


def _font(size: int):
    """Pillow's built-in scalable font, or matplotlib's DejaVu Sans on Pillow before 10.1."""
    from PIL import ImageFont

    try:
        return ImageFont.load_default(size=size)
    except TypeError:  # pragma: no cover - Pillow < 10.1 has no scalable default font
        import matplotlib

        return ImageFont.truetype(
            str(Path(matplotlib.get_data_path(), "fonts", "ttf", "DejaVuSans.ttf")), size
        )


# -------------------------------------------------------------------- CIFAR-10


def cifar10_standin(
    *, seed: int = DEFAULT_SEED, train_size: int = 5_000, test_size: int = 1_000, reason: str = ""
) -> Dataset:
    """32×32 colour images: each class a noisy shape (colours shared by pairs of classes).

    Same schema as :func:`~course.data.loaders.load_cifar10`, with the real
    ``class_names`` (the pictures are shapes, not airplanes).

    Example:
        >>> cifar = cifar10_standin(train_size=20, test_size=10)
        >>> cifar["train"][0].shape, cifar.class_names[9]
        ((20, 32, 32, 3), 'truck')
    """
    rng = np.random.default_rng(seed)
    # Five colours, each shared by two classes, so that shape matters too.
    colours = np.array(
        [[220, 50, 50], [50, 180, 70], [60, 90, 220], [230, 200, 50], [200, 70, 200]],
        dtype=np.float32,
    )
    rows, columns = np.mgrid[0:32, 0:32].astype(np.float32)
    shapes = (
        lambda dy, dx, r: np.hypot(dy, dx) < r,  # disc
        lambda dy, dx, r: np.maximum(abs(dy), abs(dx)) < r * 0.8,  # square
        lambda dy, dx, r: abs(np.hypot(dy, dx) - r * 0.8) < 2,  # ring
        lambda dy, dx, r: (abs(dy) < r * 0.35) & (abs(dx) < r * 1.3),  # horizontal bar
        lambda dy, dx, r: (abs(dx) < r * 0.35) & (abs(dy) < r * 1.3),  # vertical bar
        lambda dy, dx, r: (abs(dy - dx) < 3) & (np.hypot(dy, dx) < r * 1.3),  # diagonal
        lambda dy, dx, r: (
            ((abs(dy) < 2.5) | (abs(dx) < 2.5)) & (np.maximum(abs(dy), abs(dx)) < r)
        ),  # cross
        lambda dy, dx, r: (abs(dy) < r) & (abs(dx) < (dy + r) / 2),  # triangle
        lambda dy, dx, r: (
            ((rows // 4 + columns // 4) % 2 == 0) & (np.hypot(dy, dx) < r * 1.2)
        ),  # chequers
        lambda dy, dx, r: np.hypot(dy, abs(dx) - r * 0.7) < r * 0.45,  # two dots
    )

    def make(count: int) -> tuple[np.ndarray, np.ndarray]:
        labels = rng.integers(0, 10, size=count)
        images = np.empty((count, 32, 32, 3), dtype=np.float32)
        backgrounds = rng.uniform(20, 200, size=(count, 3))
        for index, label in enumerate(labels):
            centre_row, centre_column = rng.uniform(12, 20, size=2)
            mask = shapes[label](rows - centre_row, columns - centre_column, rng.uniform(7, 11))
            colour = colours[label // 2] + rng.normal(0, 25, size=3)
            images[index] = backgrounds[index]
            images[index][mask] = colour
        images += rng.normal(0, 25, size=images.shape)
        return np.clip(images, 0, 255).astype(np.uint8), labels.astype(np.uint8)

    splits = {"train": make(train_size), "test": make(test_size)}
    return _standin(
        CIFAR10,
        splits,
        what="noisy coloured shapes, one shape per class",
        seed=seed,
        reason=reason,
        class_names=list(CIFAR10_CLASS_NAMES),
    )


# ------------------------------------------------------------------------ Jena


def jena_climate_standin(
    *, seed: int = DEFAULT_SEED, days: int = 730, reason: str = ""
) -> Dataset:
    """Two years of synthetic 10-minute weather: daily and yearly cycles plus AR(1) weather.

    The temperature departs from its daily and yearly cycle by the sum of two
    AR(1) processes: spells that last days (persistence 0.999 per 10 minutes,
    about 1.8 °C standard deviation) and swings that fade within hours (0.98,
    about 2.3 °C). That reproduces the real record's lessons: "tomorrow equals
    today" is a fair forecast (its error is near the real one, about 2.5 °C),
    a model that reads the last few days in order beats it, and a model that
    forgets which hours were the last ones (a convnet with global pooling)
    loses to it. Two years let a chronological 50/25/25 split train on every
    season. The 14 columns have the real names and realistic magnitudes;
    humidity, vapour pressures, dew point, density and the like follow from
    temperature, pressure and humidity through the usual physical formulas.

    Example:
        >>> weather = jena_climate_standin(days=2)["data"]
        >>> weather.shape, weather.index.name
        ((288, 14), 'Date Time')
    """
    from scipy.signal import lfilter

    rng = np.random.default_rng(seed)
    count = days * 144
    index = pd.date_range("2009-01-01 00:10:00", periods=count, freq="10min", name="Date Time")
    day_phase = 2 * np.pi * ((index.hour * 60 + index.minute) / 1440).to_numpy()
    year_phase = 2 * np.pi * (index.day_of_year.to_numpy() / 365.25)

    def ar1(scale: float, persistence: float) -> np.ndarray:
        return lfilter([1.0], [1.0, -persistence], rng.normal(0, scale, size=count))

    weather = ar1(0.08, 0.999) + ar1(0.45, 0.98)  # spells of days, and hours
    temperature = 9.5 - 9 * np.cos(year_phase) - 4 * np.cos(day_phase - 0.5) + weather
    pressure = 989 + ar1(0.15, 0.999)
    humidity = np.clip(
        78 + 14 * np.cos(day_phase - 0.5) + 6 * np.cos(year_phase) + ar1(0.8, 0.99), 15, 100
    )
    saturation = 6.1094 * np.exp(
        17.625 * temperature / (temperature + 243.04)
    )  # Magnus formula, mbar
    vapour = saturation * humidity / 100
    log_ratio = np.log(vapour / 6.1094)
    wind = np.abs(1.8 + ar1(0.15, 0.98))
    columns = {
        "p (mbar)": pressure,
        "T (degC)": temperature,
        "Tpot (K)": (temperature + 273.15) * (1000 / pressure) ** 0.286,
        "Tdew (degC)": 243.04 * log_ratio / (17.625 - log_ratio),
        "rh (%)": humidity,
        "VPmax (mbar)": saturation,
        "VPact (mbar)": vapour,
        "VPdef (mbar)": saturation - vapour,
        "sh (g/kg)": 622 * vapour / (pressure - 0.378 * vapour),
        "H2OC (mmol/mol)": 1000 * vapour / pressure,
        "rho (g/m**3)": pressure * 100 / (287.05 * (temperature + 273.15)) * 1000,
        "wv (m/s)": wind,
        "max. wv (m/s)": wind * 1.6 + np.abs(rng.normal(0, 0.3, size=count)),
        "wd (deg)": (180 + np.cumsum(rng.normal(0, 4, size=count))) % 360,
    }
    frame = pd.DataFrame({name: columns[name] for name in JENA_COLUMNS}, index=index).round(2)
    return _standin(
        JENA_CLIMATE,
        {"data": frame},
        what=f"{days} days of synthetic 10-minute weather",
        seed=seed,
        reason=reason,
    )


# ----------------------------------------------------------------------- text8

_TOPICS = {
    "royalty": (
        ["king", "queen", "prince", "princess", "emperor", "empress", "duke"],
        ["rules", "governs", "commands", "inherits"],
        ["kingdom", "empire", "castle", "throne", "crown", "army"],
        ["royal", "noble", "ancient"],
    ),
    "animals": (
        ["cat", "dog", "horse", "lion", "wolf", "fox", "bear"],
        ["eats", "chases", "hunts", "catches"],
        ["meat", "mouse", "rabbit", "bird", "fish", "deer"],
        ["wild", "hungry", "small"],
    ),
    "science": (
        ["scientist", "physicist", "chemist", "biologist", "astronomer"],
        ["studies", "measures", "discovers", "observes"],
        ["atoms", "cells", "energy", "molecules", "genes", "stars"],
        ["famous", "young", "careful"],
    ),
    "music": (
        ["musician", "singer", "composer", "pianist", "guitarist"],
        ["plays", "writes", "performs", "records"],
        ["music", "songs", "symphony", "opera", "album", "melody"],
        ["popular", "talented", "classical"],
    ),
    "sport": (
        ["player", "team", "coach", "athlete", "captain"],
        ["wins", "loses", "plays", "leads"],
        ["game", "match", "championship", "tournament", "season", "race"],
        ["professional", "national", "strong"],
    ),
}
_CAPITALS = [
    ("paris", "france"),
    ("berlin", "germany"),
    ("rome", "italy"),
    ("madrid", "spain"),
    ("london", "england"),
    ("vienna", "austria"),
    ("lisbon", "portugal"),
    ("athens", "greece"),
]
_NUMBERS = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "zero"]


def text8_standin(
    *,
    seed: int = DEFAULT_SEED,
    sentences: int = 4_000,
    max_words: int | None = None,
    reason: str = "",
) -> Dataset:
    """Lower-case words from a small grammar whose topics keep words together.

    Kings rule kingdoms, lions hunt deer, capitals go with their countries, so
    word2vec can learn neighbourhoods from it. Like text8: no punctuation, one
    long line (``.text``, also split "text"). ``max_words`` keeps only the
    first words, as :func:`~course.data.loaders.load_text8` does.

    Example:
        >>> text = text8_standin(sentences=3).text
        >>> text == text.lower() and "." not in text
        True
        >>> len(text8_standin(max_words=7).text.split())
        7
    """
    rng = np.random.default_rng(seed)
    topics = list(_TOPICS.values())
    words: list[str] = []
    for _ in range(sentences):
        kind = rng.random()
        if kind < 0.1:
            city, country = _CAPITALS[rng.integers(len(_CAPITALS))]
            words += [city, "is", "the", "capital", "of", country]
        elif kind < 0.15:
            start = int(rng.integers(0, 7))
            words += [_NUMBERS[start], _NUMBERS[start + 1], _NUMBERS[start + 2]]
        else:
            nouns, verbs, objects, adjectives = topics[rng.integers(len(topics))]
            sentence = ["the"]
            if rng.random() < 0.4:
                sentence.append(adjectives[rng.integers(len(adjectives))])
            sentence += [nouns[rng.integers(len(nouns))], verbs[rng.integers(len(verbs))]]
            sentence += ["the", objects[rng.integers(len(objects))]]
            if rng.random() < 0.3:
                sentence += ["and", "the", nouns[rng.integers(len(nouns))]]
            words += sentence
    if max_words is not None:
        words = words[:max_words]
    text = " ".join(words)
    what = f"{sentences:,} sentences from a small topic grammar"
    if max_words is not None:
        what += f", its first {len(words):,} words"
    return _standin(TEXT8, {"text": text}, what=what, seed=seed, reason=reason, text=text)


# -------------------------------------------------------------------- spa-eng

_SUBJECTS = [  # English, Spanish, person (index into the Spanish verb forms)
    ("I", "Yo", 0),
    ("You", "Tú", 1),
    ("He", "Él", 2),
    ("She", "Ella", 2),
    ("We", "Nosotros", 3),
    ("They", "Ellos", 4),
]
_FOOD = [
    ("the apple", "la manzana"),
    ("the bread", "el pan"),
    ("the soup", "la sopa"),
    ("the cheese", "el queso"),
]
_DRINKS = [
    ("the water", "el agua"),
    ("a coffee", "un café"),
    ("the milk", "la leche"),
    ("the juice", "el jugo"),
]
_TEXTS = [
    ("the book", "el libro"),
    ("the letter", "la carta"),
    ("the newspaper", "el periódico"),
    ("the message", "el mensaje"),
]
_THINGS = [
    ("the car", "el coche"),
    ("the house", "la casa"),
    ("the door", "la puerta"),
    ("the window", "la ventana"),
]
_VERBS = [
    ("eat", "eats", ("como", "comes", "come", "comemos", "comen"), _FOOD),
    ("drink", "drinks", ("bebo", "bebes", "bebe", "bebemos", "beben"), _DRINKS),
    ("read", "reads", ("leo", "lees", "lee", "leemos", "leen"), _TEXTS),
    ("write", "writes", ("escribo", "escribes", "escribe", "escribimos", "escriben"), _TEXTS),
    ("open", "opens", ("abro", "abres", "abre", "abrimos", "abren"), _THINGS + _TEXTS),
    ("see", "sees", ("veo", "ves", "ve", "vemos", "ven"), _THINGS + _FOOD),
    (
        "want",
        "wants",
        ("quiero", "quieres", "quiere", "queremos", "quieren"),
        _FOOD + _DRINKS + _THINGS,
    ),
    (
        "need",
        "needs",
        ("necesito", "necesitas", "necesita", "necesitamos", "necesitan"),
        _DRINKS + _THINGS,
    ),
    (
        "buy",
        "buys",
        ("compro", "compras", "compra", "compramos", "compran"),
        _FOOD + _DRINKS + _TEXTS,
    ),
]
_TIMES = [("", ""), (" today", " hoy"), (" now", " ahora"), (" every day", " todos los días")]


def spa_eng_standin(*, seed: int = DEFAULT_SEED, pairs: int = 3_000, reason: str = "") -> Dataset:
    """Template English-Spanish pairs with consistent word translations.

    Subject, verb (conjugated to agree), object, optional negation and time:
    "She does not read the letter today." / "Ella no lee la carta hoy."

    Example:
        >>> frame = spa_eng_standin(pairs=5)["pairs"]
        >>> frame.columns.tolist(), len(frame)
        (['english', 'spanish'], 5)
    """
    rng = np.random.default_rng(seed)
    candidates = []
    for (subject, sujeto, person), (base, third, forms, objects), negative, (
        time,
        tiempo,
    ) in itertools.product(_SUBJECTS, _VERBS, (False, True), _TIMES):
        for thing, cosa in objects:
            verb = third if person == 2 else base
            if negative:
                verb = ("does not " if person == 2 else "do not ") + base
            english = f"{subject} {verb} {thing}{time}."
            spanish = f"{sujeto} {'no ' if negative else ''}{forms[person]} {cosa}{tiempo}."
            candidates.append((english, spanish))
    chosen = rng.choice(len(candidates), size=min(pairs, len(candidates)), replace=False)
    frame = pd.DataFrame([candidates[index] for index in chosen], columns=["english", "spanish"])
    return _standin(
        SPA_ENG,
        {"pairs": frame},
        what=f"{len(frame):,} template sentence pairs",
        seed=seed,
        reason=reason,
    )
