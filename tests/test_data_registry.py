"""Every registry entry can be verified, and the mirror's files are the ones registered."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from course.data.registry import REGISTRY, UNPUBLISHED_CHECKSUMS

REPOSITORY = Path(__file__).resolve().parents[1]
SHA256 = re.compile(r"[0-9a-f]{64}")


def find_mirror() -> Path | None:
    configured = os.environ.get("COURSE_DATA_MIRROR")
    folder = (
        Path(configured.split(os.pathsep)[0])
        if configured
        else REPOSITORY.parent / "shared" / "data"
    )
    return folder if (folder / "README.md").is_file() else None


MIRROR = find_mirror()


@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_every_entry_can_be_verified(name):
    remote = REGISTRY[name]

    if name in UNPUBLISHED_CHECKSUMS:
        assert remote.sha256 is None
    else:
        assert remote.sha256 is not None and SHA256.fullmatch(remote.sha256), (
            f"{name} has no SHA-256"
        )
    for variant in remote.variants:
        assert (
            SHA256.fullmatch(variant.sha256)
            and variant.size > 0
            and variant.note.startswith("This copy")
        )
    assert remote.url.startswith(("https://", "http://")) and remote.url.endswith(remote.filename)
    assert remote.citation and remote.licence and remote.title


def test_unpublished_checksums_are_only_those_that_could_not_be_found():
    assert UNPUBLISHED_CHECKSUMS == {"jena_climate", "airline_passengers", "nietzsche", "spa_eng"}
    assert set(UNPUBLISHED_CHECKSUMS) <= set(REGISTRY)


def test_conll2003_licence_says_the_text_is_reuters_for_research_use():
    licence = REGISTRY["conll2003"].licence
    assert "Reuters" in licence and "research" in licence


def mirror_checksums() -> dict[str, str]:
    """filename: sha256 from the mirror's README."""
    text = (MIRROR / "README.md").read_text(encoding="utf-8")
    return {
        name: sha for sha, name in re.findall(r"^([0-9a-f]{64})  (\S+)$", text, flags=re.MULTILINE)
    }


@pytest.mark.skipif(MIRROR is None, reason="no data mirror beside the checkout")
def test_every_mirror_file_is_registered_with_its_checksum():
    registered = {}
    for remote in REGISTRY.values():
        registered.setdefault(remote.filename, set()).add(remote.sha256)
        for variant in remote.variants:
            registered.setdefault(variant.filename, set()).add(variant.sha256)

    checksums = mirror_checksums()

    assert len(checksums) == 13
    for filename, sha in checksums.items():
        assert sha in registered.get(filename, set()), f"{filename} ({sha}) is not registered"
