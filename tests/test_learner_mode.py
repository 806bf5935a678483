"""Learner mode: in a reader's own kernel a claim outside its band is shown, never a stop.

The book build, CI (nbval), ``bookbuild.execute`` and the GPU workflow are strict.
"""

from __future__ import annotations

import pytest
from book_tools import ROOT

from course import claims, records, results_page

CLAIM = "ch01_dense_bigram_test_accuracy"
LEARNER_CELLS = [
    "from course import claim\n\naccuracy = 0.2  # a learner shrank the model",
    f'claim("{CLAIM}", accuracy)',
    'print("the notebook went on")',
]


def _run(tmp_path, monkeypatch, mode: str | None):
    import nbformat
    from nbclient import NotebookClient

    monkeypatch.setenv("COURSE_PROFILE", "fast")
    monkeypatch.setenv("COURSE_RESULTS_DIR", str(tmp_path / "results"))
    if mode is None:
        monkeypatch.delenv(claims.MODE_ENV, raising=False)
    else:
        monkeypatch.setenv(claims.MODE_ENV, mode)
    notebook = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_code_cell(source) for source in LEARNER_CELLS]
    )
    client = NotebookClient(
        notebook, timeout=300, kernel_name="python3", resources={"metadata": {"path": tmp_path}}
    )
    client.execute()
    return notebook


def _text(notebook) -> str:
    parts = []
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            parts.append(output.get("text", ""))
            parts += [str(value) for value in output.get("data", {}).values()]
    return "\n".join(parts)


def test_a_learners_out_of_band_value_is_shown_and_the_notebook_goes_on(tmp_path, monkeypatch):
    notebook = _run(tmp_path, monkeypatch, mode=None)  # a kernel a reader started
    text = _text(notebook)
    assert "the notebook went on" in text
    band = claims.declaration(CLAIM).fast.format(".3f")
    assert "this run 0.200" in text and f"outside the course's fast band {band}" in text
    published = records.published_values()[CLAIM]["text"]
    assert f"the course's full run: {published}" in text
    assert "If you changed a cell above" in text


def test_the_same_value_stops_a_strict_run(tmp_path, monkeypatch):
    from nbclient.exceptions import CellExecutionError

    with pytest.raises(CellExecutionError, match="ClaimOutOfBandError"):
        _run(tmp_path, monkeypatch, mode="strict")


def test_the_book_build_and_course_execute_are_strict(tmp_path, monkeypatch):
    from types import SimpleNamespace

    from bookbuild import sphinx_extension

    monkeypatch.delenv(claims.MODE_ENV, raising=False)
    app = SimpleNamespace(outdir=str(tmp_path / "html"))
    config = SimpleNamespace(nb_execution_cache_path=str(tmp_path / "cache"))
    sphinx_extension._on_config_inited(app, config)
    assert claims.claims_mode() == "strict"
    execute_source = (ROOT / "bookbuild" / "execute.py").read_text()
    assert 'os.environ[MODE_ENV] = "strict"' in execute_source


def test_modes_from_the_environment(monkeypatch):
    monkeypatch.setenv(claims.MODE_ENV, "learner")
    assert claims.claims_mode() == "learner"
    monkeypatch.setenv(claims.MODE_ENV, "Strict")
    assert claims.claims_mode() == "strict"
    monkeypatch.setenv(claims.MODE_ENV, "lenient")
    with pytest.raises(ValueError, match="COURSE_CLAIMS='lenient' is not understood"):
        claims.claims_mode()
    monkeypatch.delenv(claims.MODE_ENV)
    assert claims.claims_mode() == "strict"  # not in a notebook kernel


def test_learner_mode_outside_a_notebook_prints_the_note(monkeypatch, capsys):
    monkeypatch.setenv(claims.MODE_ENV, "learner")
    claims.declare("demo_learner_share", fast=(0.8, None), full=(0.9, None), what="A share")
    text = claims.claim(
        "demo_learner_share", 0.5, record=False, glue=False, profile=claims.get_profile("fast")
    )
    assert text == "0.500" and text.verdict.startswith("OUT OF BAND")
    assert "⚠ **A share**: this run 0.500, outside the course's fast band ≥ 0.800" in (
        capsys.readouterr().out
    )


def test_the_packaged_full_values_match_the_record(monkeypatch):
    """`python -m course.results_page --publish` after a full run (bookbuild.execute does it)."""
    monkeypatch.setenv(records.RESULTS_DIR_ENV, str(ROOT / "results"))
    assert records.published_values() == results_page.published_from_record(), (
        "course/chapter_claims/published-full.json is stale: "
        "run python -m course.results_page --publish"
    )
