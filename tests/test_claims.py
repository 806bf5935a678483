import json
from types import SimpleNamespace

import pytest

from course import claims, records, results_page
from course.claims import Band, ClaimOutOfBandError
from course.data import dataset as dataset_module
from course.data import loaders
from course.profile import get_profile
from course.records import read_records
from course.results_page import results_table


@pytest.fixture(autouse=True)
def results_in_tmp(tmp_path, monkeypatch):
    monkeypatch.setenv(records.RESULTS_DIR_ENV, str(tmp_path))
    monkeypatch.setattr(claims, "DECLARATIONS_DIR", tmp_path / "declarations")
    monkeypatch.setattr(claims, "_DECLARED", {})
    monkeypatch.setattr(claims, "_LOADED_FILES", set())
    monkeypatch.setattr(dataset_module, "_LOADED", [])  # datasets other tests loaded
    return tmp_path


def _claim(
    name,
    value,
    *,
    fast,
    full,
    fmt=".3f",
    unit="",
    description="",
    reference="",
    value_range=None,
    headline=False,
    declared_data=None,
    **arguments,
):
    """Declare a claim (as a chapter's YAML file would), then claim it."""
    claims.declare(
        name,
        fast=fast,
        full=full,
        fmt=fmt,
        unit=unit,
        what=description,
        reference=reference,
        value_range=value_range,
        headline=headline,
        data=declared_data,
    )
    return claims.claim(name, value, **arguments)


def test_band_contains_and_prints():
    assert Band(0.8, None).contains(0.8)
    assert not Band(0.8, None).contains(0.79)
    assert Band(None, 2.6).contains(-5)
    assert not Band(0.1, 0.2).contains(float("nan"))
    assert str(Band(0.1, 0.2)) == "[0.1, 0.2]"
    assert str(Band(None, 2.6)) == "≤ 2.6"


@pytest.mark.parametrize("bad", [(None, None), (0.9, 0.1), "0.8", (1,)])
def test_bad_bands_are_refused(bad):
    with pytest.raises(ValueError):
        Band.of(bad)


def test_claim_in_band_is_recorded_and_formatted(results_in_tmp):
    text = _claim(
        "ch99_accuracy",
        0.91234,
        fast=(0.8, None),
        full=(0.9, None),
        glue=False,
        description="demo",
        reference="0.90 somewhere",
        profile=get_profile("fast"),
    )
    assert text == "0.912"
    (entry,) = read_records("fast")
    assert entry["name"] == "ch99_accuracy"
    assert entry["value"] == pytest.approx(0.91234)
    assert entry["band"] == [0.8, None]
    assert entry["within_band"] is True
    assert entry["standin"] is False
    assert entry["versions"]["python"]
    assert entry["hardware"]["cpus"] >= 1
    assert entry["recorded_at"].endswith("+00:00")
    assert (results_in_tmp / "fast.jsonl").is_file()
    assert not (results_in_tmp / "full.jsonl").exists()


def test_claim_out_of_band_raises_a_clear_error_after_recording():
    with pytest.raises(
        ClaimOutOfBandError, match=r"ch99_loss = 0\.70 is outside its full-profile band ≤ 0\.5"
    ):
        _claim(
            "ch99_loss",
            0.7,
            fast=(None, 1.0),
            full=(None, 0.5),
            fmt=".2f",
            glue=False,
            profile=get_profile("full"),
        )
    (entry,) = read_records("full")
    assert entry["within_band"] is False


def test_the_band_follows_the_profile():
    # 0.85 passes the fast band and fails the full band
    _claim(
        "ch99_x", 0.85, fast=(0.8, None), full=(0.9, None), glue=False, profile=get_profile("fast")
    )
    with pytest.raises(ClaimOutOfBandError):
        _claim(
            "ch99_x",
            0.85,
            fast=(0.8, None),
            full=(0.9, None),
            glue=False,
            profile=get_profile("full"),
        )


def test_standin_claims_are_marked_and_never_shown_as_results():
    standin = SimpleNamespace(is_standin=True)
    text = _claim(
        "ch99_standin",
        0.95,
        fast=(0.5, None),
        full=(0.9, None),
        glue=False,
        data=[object(), standin],
        profile=get_profile("fast"),
    )
    assert text.endswith("(stand-in data, not a result)")
    table = results_table("fast")
    assert table.loc[0, "value"] == "stand-in data: not a result"
    assert "0.95" not in table.to_string()


@pytest.mark.parametrize("name", ["Ch01 accuracy", "ch01.accuracy", "", "_x"])
def test_claim_names_are_checked(name):
    with pytest.raises(ValueError, match="lower-case"):
        _claim(name, 1.0, fast=(0, None), full=(0, None), record=False, glue=False)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("0.95", "needs a real number, got str"),
        (True, "needs a real number, got bool"),
        (float("inf"), "not a finite number"),
        (float("nan"), "not a finite number"),
        ([0.9, 0.8], "needs one real number"),
        (None, "needs one real number"),
        (1.5, "outside its natural range"),
    ],
)
def test_claim_needs_a_finite_number_in_its_natural_range(value, message):
    with pytest.raises(claims.ClaimValueError, match=message):
        _claim(
            "ch99_y",
            value,
            fast=(0, None),
            full=(0, None),
            value_range=(0, 1),
            record=False,
            glue=False,
        )


def test_numpy_scalars_and_one_element_tensors_are_numbers():
    import numpy as np

    for value in (np.float32(0.5), np.array(0.5), np.array([0.5]), np.int64(1)):
        assert _claim(
            "ch99_n", value, fast=(0, None), full=(0, None), fmt=".1f", record=False, glue=False
        ) in ("0.5", "1.0")


def test_an_undeclared_claim_says_where_to_declare_it():
    with pytest.raises(KeyError, match="course/chapter_claims/ch42.yaml"):
        claims.claim("ch42_nowhere", 1.0, record=False, glue=False)


def test_declarations_are_read_once_from_the_chapter_file(results_in_tmp):
    folder = results_in_tmp / "declarations"
    folder.mkdir()
    (folder / "ch42.yaml").write_text(
        "ch42_accuracy:\n  what: an accuracy\n  fast: [0.5, null]\n  full: [0.9, null]\n"
        "  range: [0, 1]\n  headline: true\n  data: [imdb]\n  reference: 0.91 (a book)\n"
    )
    assert claims.claim("ch42_accuracy", 0.95, record=False, glue=False) == "0.950"
    declared = claims.declaration("ch42_accuracy")
    assert declared.headline and declared.data == ("imdb",) and declared.value_range == (0, 1)
    with pytest.raises(claims.ClaimValueError):
        claims.claim("ch42_accuracy", 95.0, record=False, glue=False)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("ch42_x: {fast: [0, null]}", "needs at least 'fast' and 'full'"),
        ("ch42_x: {fast: [0, null], full: [0, null], colour: red}", "unknown field"),
        ("ch41_x: {fast: [0, null], full: [0, null]}", "must start with 'ch42_'"),
        ("ch42_x: [unclosed", "not valid YAML"),
    ],
)
def test_bad_declaration_files_are_refused(results_in_tmp, content, message):
    folder = results_in_tmp / "declarations"
    folder.mkdir()
    (folder / "ch42.yaml").write_text(content + "\n")
    with pytest.raises(ValueError, match=message):
        claims.load_declarations(folder / "ch42.yaml")


def test_every_chapter_declaration_file_of_the_course_loads(monkeypatch):
    monkeypatch.setattr(
        claims, "DECLARATIONS_DIR", claims.Path(claims.__file__).parent / "chapter_claims"
    )
    declared = claims.all_declarations()
    assert declared and all(name.startswith(item.chapter) for name, item in declared.items())


def test_records_are_strict_json(results_in_tmp):
    with pytest.raises(ValueError):
        records.append_record({"name": "x", "value": float("nan")}, profile="fast")


def test_records_keep_the_latest_and_survive_a_torn_line(results_in_tmp):
    for value in (0.81, 0.83):
        _claim(
            "ch99_z",
            value,
            fast=(0.8, None),
            full=(0.9, None),
            glue=False,
            profile=get_profile("fast"),
        )
    with (results_in_tmp / "fast.jsonl").open("a") as handle:
        handle.write('{"name": "torn", "val')
    assert [entry["value"] for entry in read_records("fast")] == [0.83]
    assert len(read_records("fast", latest_only=False)) == 2
    table = results_table("fast")
    assert table.loc[0, "value"] == "0.830"
    assert table.loc[0, "band"] == "≥ 0.800"
    markdown = results_page.results_markdown()
    assert "### Chapter 99" in markdown and "| 0.830 | not yet measured | ≥ 0.900 |" in markdown


def test_glue_text_writes_what_myst_nb_glue_writes(monkeypatch):
    """In a strict run's kernel the glue is myst-nb's own output, without myst-nb installed."""
    import IPython.display
    from myst_nb.ext import glue as myst_glue

    ours, theirs = [], []
    monkeypatch.setattr(claims, "_notebook_shell", lambda: object())
    monkeypatch.setenv(claims.MODE_ENV, "strict")
    monkeypatch.setattr(IPython.display, "display", lambda *a, **k: ours.append((a, k)))
    monkeypatch.setattr(myst_glue, "ipy_display", lambda *a, **k: theirs.append((a, k)))
    claims.glue_text("ch99_size", "2.35 °C")
    myst_glue.glue("ch99_size", "2.35 °C", display=False)
    assert ours == theirs and ours


def test_glue_text_shows_nothing_in_a_readers_kernel(monkeypatch):
    import IPython.display

    shown = []
    monkeypatch.setattr(claims, "_notebook_shell", lambda: object())
    monkeypatch.setenv(claims.MODE_ENV, "learner")
    monkeypatch.setattr(IPython.display, "display", lambda *a, **k: shown.append(a))
    claims.glue_text("ch99_size", "8,000")
    assert shown == []


def test_results_dir_finds_the_checkout(monkeypatch, tmp_path):
    monkeypatch.delenv(records.RESULTS_DIR_ENV)
    (tmp_path / "_toc.yml").write_text("root: x\n")
    (tmp_path / "course").mkdir()
    (tmp_path / "book").mkdir()
    monkeypatch.chdir(tmp_path / "book")
    assert records.results_dir() == tmp_path.resolve() / "results"


def test_results_dir_falls_back_to_the_data_home(monkeypatch, tmp_path):
    monkeypatch.delenv(records.RESULTS_DIR_ENV)
    monkeypatch.setenv("COURSE_DATA_HOME", str(tmp_path / "home"))
    monkeypatch.chdir(tmp_path)
    assert records.results_dir() == tmp_path / "home" / "results"


def test_out_of_band_and_unmeasured_claims_are_shown_as_such():
    claims.declare("ch99_unmeasured", fast=(0, None), full=(0, None), headline=True)
    assert "| not run | not yet measured |" in results_page.results_markdown()
    with pytest.raises(ClaimOutOfBandError):
        _claim(
            "ch99_bad",
            0.1,
            fast=(0.5, None),
            full=(0.5, None),
            glue=False,
            profile=get_profile("full"),
        )
    assert "(OUT OF BAND)" in results_table("full").loc[0, "value"]
    # a band later set from that measurement covers the recorded value
    claims.declare("ch99_bad", fast=(0.05, None), full=(0.05, None))
    assert results_table("full").loc[0, "value"] == "0.100"


def test_a_measurement_run_records_out_of_band_values_and_goes_on(monkeypatch):
    monkeypatch.setenv(claims.KEEP_GOING_ENV, "1")
    with pytest.warns(claims.ClaimOutOfBandWarning, match="outside its full-profile band"):
        text = _claim(
            "ch99_loose", 0.1, fast=(0.5, None), full=(0.5, None), profile=get_profile("full")
        )
    assert text == "0.100" and text.verdict.startswith("OUT OF BAND")
    (entry,) = read_records("full")
    assert entry["value"] == 0.1 and entry["within_band"] is False
    monkeypatch.setenv(claims.KEEP_GOING_ENV, "maybe")
    with pytest.raises(ValueError, match="COURSE_CLAIMS_KEEP_GOING='maybe' is not understood"):
        claims.keep_going()


def test_unknown_record_profile():
    with pytest.raises(ValueError, match="Unknown profile"):
        records.record_path("medium")


def test_run_info_lists_data_notices():
    dataset = SimpleNamespace(notice="IMDB from the mirror", is_standin=False)
    standin = SimpleNamespace(notice="STAND-IN DATA: MNIST", is_standin=True)
    text = claims.run_info_markdown(get_profile("fast"), [dataset, standin])
    assert "fast" in text and "- IMDB from the mirror" in text
    assert "**Stand-in data.** STAND-IN DATA" in text


def test_record_lines_are_json(results_in_tmp):
    _claim(
        "ch99_json", 1.0, fast=(0, None), full=(0, None), glue=False, profile=get_profile("fast")
    )
    line = (results_in_tmp / "fast.jsonl").read_text().strip()
    assert json.loads(line)["name"] == "ch99_json"


def test_results_show_only_each_chapters_latest_run():
    first, second = get_profile("fast"), get_profile("fast")
    object.__setattr__(first, "run_id", "run-1")
    object.__setattr__(second, "run_id", "run-2")
    for name in ("ch98_kept", "ch98_dropped_later"):
        _claim(name, 1.0, fast=(0, None), full=(0, None), glue=False, profile=first)
    _claim("ch97_other_chapter", 1.0, fast=(0, None), full=(0, None), glue=False, profile=first)
    _claim("ch98_kept", 2.0, fast=(0, None), full=(0, None), glue=False, profile=second)
    table = results_table("fast")
    assert table["claim"].tolist() == ["ch97_other_chapter", "ch98_kept"]
    assert table.set_index("claim").loc["ch98_kept", "value"] == "2.000"


def test_a_claim_shows_only_its_value_in_a_notebook():
    from IPython.lib.pretty import pretty

    text = _claim(
        "ch99_shown",
        0.8934,
        fast=(0.8, None),
        full=(0.9, None),
        glue=False,
        record=False,
        profile=get_profile("fast"),
    )
    assert text == "0.893" and isinstance(text, str)
    assert pretty(text) == "0.893"
    assert text.verdict == "ch99_shown = 0.893: in its fast-profile band ≥ 0.800"


def test_results_page_leads_with_headlines_and_says_when_full_was_measured():
    _claim(
        "ch99_head",
        0.91,
        fast=(0.5, None),
        full=(0.9, None),
        headline=True,
        description="the headline",
        reference="0.90 (a book)",
        glue=False,
        profile=get_profile("full"),
    )
    _claim(
        "ch99_fact", 3.0, fast=(0, None), full=(0, None), glue=False, profile=get_profile("fast")
    )
    markdown = results_page.results_markdown()
    head, facts = markdown.split("## Checked facts")
    assert "the headline" in head and "0.90 (a book)" in head and "ch99_fact" in facts
    assert "0.910 (measured " in head and "CPU cores" in head
    assert "| 3.000 | not yet measured |" in facts


def _dataset(name, source):
    return loaders.Dataset(name, {"train": [1, 2]}, source=source, notice=f"{name} ({source})")


@pytest.mark.parametrize(
    "data",
    [
        lambda standin: {"mnist": standin},  # a dict of datasets
        lambda standin: (standin, "other"),  # a tuple
        lambda standin: standin["train"],  # one split: the run record still knows
        lambda standin: None,  # data= omitted: the run record still knows
    ],
    ids=["dict", "tuple", "split", "omitted"],
)
def test_a_run_that_loaded_a_standin_marks_its_claims(data):
    standin = loaders.record_loaded(_dataset("mnist", "stand-in"))
    text = _claim(
        "ch99_marked",
        0.9,
        fast=(0, None),
        full=(0, None),
        glue=False,
        data=data(standin),
        profile=get_profile("fast"),
    )
    assert text.endswith("(stand-in data, not a result)")
    assert read_records("fast")[0]["standin"] is True


def test_a_claim_that_names_its_real_datasets_is_not_marked_by_another_standin():
    loaders.record_loaded(_dataset("imdb", "mirror"))
    loaders.record_loaded(_dataset("mnist", "stand-in"))
    text = _claim(
        "ch99_imdb_only",
        0.9,
        fast=(0, None),
        full=(0, None),
        glue=False,
        declared_data=["imdb"],
        profile=get_profile("fast"),
    )
    assert text == "0.900"
    marked = _claim(
        "ch99_mnist",
        0.9,
        fast=(0, None),
        full=(0, None),
        glue=False,
        declared_data=["mnist"],
        profile=get_profile("fast"),
    )
    assert marked.endswith("(stand-in data, not a result)")


def test_the_full_profile_refuses_to_record_a_standin_claim(results_in_tmp):
    loaders.record_loaded(_dataset("jena_climate", "stand-in"))
    with pytest.raises(claims.StandInClaimError, match="real results only"):
        _claim(
            "ch99_full",
            2.0,
            fast=(0, None),
            full=(0, None),
            glue=False,
            profile=get_profile("full"),
        )
    assert not (results_in_tmp / "full.jsonl").exists()


def test_a_claim_declared_to_rest_on_no_dataset_is_never_marked():
    loaders.record_loaded(_dataset("mnist", "stand-in"))
    text = _claim(
        "ch99_gradient_ratio",
        2.0,
        fast=(0, None),
        full=(0, None),
        glue=False,
        declared_data=[],
        profile=get_profile("fast"),
    )
    assert text == "2.000"
