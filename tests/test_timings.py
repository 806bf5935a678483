import json

import pytest

from course import records, timings


@pytest.fixture(autouse=True)
def results_in_tmp(tmp_path, monkeypatch):
    monkeypatch.setenv(records.RESULTS_DIR_ENV, str(tmp_path))
    return tmp_path


def test_timings_are_recorded_per_profile_and_the_latest_wins(results_in_tmp):
    timings.record_timing("01_a", 30.04, profile="fast", method="book build")
    timings.record_timing("01_a", 41.0, profile="fast", method="bookbuild.execute")
    timings.record_timing("02_b", 250.0, profile="fast", method="book build")
    assert not (results_in_tmp / "timings-full.jsonl").exists()
    lines = (results_in_tmp / "timings-fast.jsonl").read_text().splitlines()
    assert [json.loads(line)["seconds"] for line in lines] == [30.0, 41.0, 250.0]
    latest = timings.latest_timings("fast")
    assert latest["01_a"]["seconds"] == 41.0 and latest["01_a"]["method"] == "bookbuild.execute"
    report = timings.timings_report("fast")
    assert "02_b" in report and "OVER TARGET" in report.split("02_b")[1].splitlines()[0]
    assert "OVER TARGET" not in report.split("01_a")[1].splitlines()[0]


def test_a_cut_line_is_skipped_and_bad_input_refused(results_in_tmp):
    timings.record_timing("01_a", 1.0, profile="full", method="x")
    with (results_in_tmp / "timings-full.jsonl").open("a") as record:
        record.write('{"chapter": "02_b", "sec')
    assert list(timings.latest_timings("full")) == ["01_a"]
    with pytest.raises(ValueError, match="negative"):
        timings.record_timing("01_a", -1.0, profile="fast", method="x")
    with pytest.raises(ValueError, match="Unknown profile"):
        timings.timings_path("medium")


def test_the_command_prints_both_profiles(capsys):
    timings.main([])
    out = capsys.readouterr().out
    assert "fast profile" in out and "full profile" in out and "no chapter has been timed" in out
