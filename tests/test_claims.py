import json
from types import SimpleNamespace

import pytest

from course import claims
from course.claims import Band, ClaimOutOfBandError, claim, read_records, results_table
from course.profile import get_profile


@pytest.fixture(autouse=True)
def results_in_tmp(tmp_path, monkeypatch):
    monkeypatch.setenv(claims.RESULTS_DIR_ENV, str(tmp_path))
    return tmp_path


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
    text = claim("ch99_accuracy", 0.91234, fast=(0.8, None), full=(0.9, None), glue=False,
                 description="demo", reference="0.90 somewhere", profile=get_profile("fast"))
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
    with pytest.raises(ClaimOutOfBandError, match=r"ch99_loss = 0\.70 is outside its full-profile band ≤ 0\.5"):
        claim("ch99_loss", 0.7, fast=(None, 1.0), full=(None, 0.5), fmt=".2f", glue=False,
              profile=get_profile("full"))
    (entry,) = read_records("full")
    assert entry["within_band"] is False


def test_the_band_follows_the_profile():
    # 0.85 passes the fast band and fails the full band
    claim("ch99_x", 0.85, fast=(0.8, None), full=(0.9, None), glue=False, profile=get_profile("fast"))
    with pytest.raises(ClaimOutOfBandError):
        claim("ch99_x", 0.85, fast=(0.8, None), full=(0.9, None), glue=False, profile=get_profile("full"))


def test_standin_claims_are_marked_and_never_shown_as_results():
    standin = SimpleNamespace(is_standin=True)
    text = claim("ch99_standin", 0.95, fast=(0.5, None), full=(0.9, None), glue=False,
                 data=[object(), standin], profile=get_profile("fast"))
    assert text.endswith("(stand-in data, not a result)")
    table = results_table("fast")
    assert table.loc[0, "value"] == "stand-in data: not a result"
    assert "0.95" not in table.to_string()


@pytest.mark.parametrize("name", ["Ch01 accuracy", "ch01.accuracy", "", "_x"])
def test_claim_names_are_checked(name):
    with pytest.raises(ValueError, match="lower-case"):
        claim(name, 1.0, fast=(0, None), full=(0, None), record=False, glue=False)


def test_claim_needs_a_number():
    with pytest.raises(ValueError, match="needs a number"):
        claim("ch99_y", "high", fast=(0, None), full=(0, None), record=False, glue=False)


def test_records_keep_the_latest_and_survive_a_torn_line(results_in_tmp):
    for value in (0.81, 0.83):
        claim("ch99_z", value, fast=(0.8, None), full=(0.9, None), glue=False, profile=get_profile("fast"))
    with (results_in_tmp / "fast.jsonl").open("a") as handle:
        handle.write('{"name": "torn", "val')
    assert [entry["value"] for entry in read_records("fast")] == [0.83]
    assert len(read_records("fast", latest_only=False)) == 2
    table = results_table("fast")
    assert table.loc[0, "value"] == "0.830"
    assert table.loc[0, "band"] == "≥ 0.800"
    markdown = claims.results_markdown("fast")
    assert "### Chapter 99" in markdown and "| 0.830 | ≥ 0.800 |" in markdown


def test_glue_is_called_with_the_text(monkeypatch):
    calls = []
    import myst_nb

    monkeypatch.setattr(myst_nb, "glue", lambda name, value, display: calls.append((name, value, display)))
    claim("ch99_glued", 2.345, fast=(None, 3), full=(None, 3), fmt=".2f", unit=" °C", record=False,
          profile=get_profile("fast"))
    assert calls == [("ch99_glued", "2.35 °C", False)]


def test_glue_text_is_a_no_op_without_myst_nb(monkeypatch):
    import builtins

    real_import = builtins.__import__

    def no_myst_nb(name, *args, **kwargs):
        if name == "myst_nb":
            raise ImportError("no myst_nb on Colab")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_myst_nb)
    claims.glue_text("ch99_size", "8,000")  # must not raise


def test_results_dir_finds_the_checkout(monkeypatch, tmp_path):
    monkeypatch.delenv(claims.RESULTS_DIR_ENV)
    (tmp_path / "_toc.yml").write_text("root: x\n")
    (tmp_path / "course").mkdir()
    (tmp_path / "book").mkdir()
    monkeypatch.chdir(tmp_path / "book")
    assert claims.results_dir() == tmp_path.resolve() / "results"


def test_results_dir_falls_back_to_the_data_home(monkeypatch, tmp_path):
    monkeypatch.delenv(claims.RESULTS_DIR_ENV)
    monkeypatch.setenv("COURSE_DATA_HOME", str(tmp_path / "home"))
    monkeypatch.chdir(tmp_path)
    assert claims.results_dir() == tmp_path / "home" / "results"


def test_out_of_band_and_empty_records_are_shown_as_such():
    assert "No full-profile run has been recorded yet." in claims.results_markdown("full")
    with pytest.raises(ClaimOutOfBandError):
        claim("ch99_bad", 0.1, fast=(0.5, None), full=(0.5, None), glue=False, profile=get_profile("full"))
    assert "(OUT OF BAND)" in results_table("full").loc[0, "value"]


def test_unknown_record_profile():
    with pytest.raises(ValueError, match="Unknown profile"):
        claims.record_path("medium")


def test_run_info_lists_data_notices():
    dataset = SimpleNamespace(notice="IMDB from the mirror", is_standin=False)
    standin = SimpleNamespace(notice="STAND-IN DATA: MNIST", is_standin=True)
    text = claims.run_info_markdown(get_profile("fast"), [dataset, standin])
    assert "fast" in text and "- IMDB from the mirror" in text
    assert "**Stand-in data.** STAND-IN DATA" in text


def test_record_lines_are_json(results_in_tmp):
    claim("ch99_json", 1.0, fast=(0, None), full=(0, None), glue=False, profile=get_profile("fast"))
    line = (results_in_tmp / "fast.jsonl").read_text().strip()
    assert json.loads(line)["name"] == "ch99_json"


def test_results_show_only_each_chapters_latest_run():
    first, second = get_profile("fast"), get_profile("fast")
    object.__setattr__(first, "run_id", "run-1")
    object.__setattr__(second, "run_id", "run-2")
    for name in ("ch98_kept", "ch98_dropped_later"):
        claim(name, 1.0, fast=(0, None), full=(0, None), glue=False, profile=first)
    claim("ch97_other_chapter", 1.0, fast=(0, None), full=(0, None), glue=False, profile=first)
    claim("ch98_kept", 2.0, fast=(0, None), full=(0, None), glue=False, profile=second)
    table = results_table("fast")
    assert table["claim"].tolist() == ["ch97_other_chapter", "ch98_kept"]
    assert table.set_index("claim").loc["ch98_kept", "value"] == "2.000"


def test_a_claim_shows_the_check_it_passed_in_a_notebook():
    from IPython.lib.pretty import pretty

    text = claim("ch99_shown", 0.8934, fast=(0.8, None), full=(0.9, None), glue=False, record=False,
                 profile=get_profile("fast"))
    assert text == "0.893" and isinstance(text, str)
    assert pretty(text) == "✓ ch99_shown = 0.893: in its fast-profile band ≥ 0.800"
