import numpy as np
import pytest

from course.profile import (
    DEFAULT_PROFILE,
    PROFILE_ENV,
    Profile,
    get_profile,
    seed_everything,
    setup,
)


def test_default_profile_is_full(monkeypatch):
    monkeypatch.delenv(PROFILE_ENV, raising=False)
    assert DEFAULT_PROFILE == "full"
    assert get_profile().name == "full"
    assert not get_profile().allows_standins


def test_environment_variable_chooses_the_profile(monkeypatch):
    monkeypatch.setenv(PROFILE_ENV, " FAST ")
    profile = get_profile()
    assert profile.is_fast and not profile.is_full
    assert profile.allows_standins
    assert profile.choose(fast=1, full=2) == 1
    monkeypatch.setenv(PROFILE_ENV, "full")
    assert get_profile().choose(fast=1, full=2) == 2


def test_profile_is_read_once_per_process(monkeypatch):
    monkeypatch.setenv(PROFILE_ENV, "fast")
    assert get_profile() is get_profile()


def test_unknown_profile_says_what_to_do(monkeypatch):
    monkeypatch.setenv(PROFILE_ENV, "quick")
    with pytest.raises(
        ValueError, match=r"Unknown run profile 'quick'.*COURSE_PROFILE.*fast, full"
    ):
        get_profile()


def test_describe_names_the_profile():
    assert "**fast**" in Profile("fast").describe()
    assert "**full**" in Profile("full").describe()


def test_seeding_repeats_numpy_and_keras():
    import keras

    seed_everything(3)
    first = (np.random.rand(3), keras.random.uniform((3,)).numpy())
    seed_everything(3)
    second = (np.random.rand(3), keras.random.uniform((3,)).numpy())
    np.testing.assert_array_equal(first[0], second[0])
    np.testing.assert_array_equal(first[1], second[1])
    seed_everything(4)
    assert not np.array_equal(first[0], np.random.rand(3))


def test_setup_restarts_the_clock(monkeypatch):
    monkeypatch.setenv(PROFILE_ENV, "fast")
    profile = setup()
    assert profile.name == "fast"
    first = profile.elapsed()
    assert 0 <= first <= profile.elapsed()  # a clock that only moves forward


def test_subset_is_seeded_and_sized_by_profile():
    import pandas as pd

    frame = pd.DataFrame({"x": range(100)})
    fast = Profile("fast")
    first = fast.subset(frame, fast=10, full=None)
    assert len(first) == 10 and first.index.tolist() == list(range(10))
    assert first.x.tolist() == fast.subset(frame, fast=10, full=None).x.tolist()
    assert first.x.tolist() != fast.subset(frame, fast=10, full=None, seed=1).x.tolist()
    assert Profile("full").subset(frame, fast=10, full=None) is frame
    assert len(fast.subset(frame, fast=1_000, full=None)) == 100
    with pytest.raises(ValueError, match="at least one row"):
        fast.subset(frame, fast=0, full=None)
