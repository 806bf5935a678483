import json

import pytest

from course import colab, sphinx_extension


def test_every_chapter_starts_with_the_setup_cell_for_the_configured_repository():
    config = colab.book_config()
    expected = colab.setup_cell_source(config["repository"]["url"])
    chapters = colab.chapter_sources()
    assert chapters, "no chapters found"
    for source in chapters:
        notebook = colab.to_notebook(source)
        first_code = next(cell for cell in notebook.cells if cell.cell_type == "code")
        assert first_code.source == expected, f"{source.name}: first code cell is not the Colab set-up cell"
        assert "remove-cell" in first_code.metadata.get("tags", []), f"{source.name}: set-up cell not hidden"


def test_build_notebooks_writes_colab_ready_ipynb(tmp_path):
    paths = colab.build_notebooks(tmp_path)
    assert [path.name for path in paths] == [s.with_suffix(".ipynb").name for s in colab.chapter_sources()]
    notebook = json.loads(paths[0].read_text())
    assert notebook["metadata"]["kernelspec"]["name"] == "python3"
    assert notebook["metadata"]["accelerator"] == "GPU"
    assert all(not cell.get("outputs") for cell in notebook["cells"] if cell["cell_type"] == "code")
    assert not list(tmp_path.rglob("*.part"))


def test_student_edition_has_no_solutions(tmp_path):
    full = colab.build_notebooks(tmp_path / "full")[0].read_text()
    student = colab.build_notebooks(tmp_path / "student", student=True)[0].read_text()
    assert "solution-start" in full and "solution-start" not in student
    assert "exercise-start" in student


def test_strip_solutions_needs_matching_ends():
    with pytest.raises(ValueError, match="no matching"):
        colab.strip_solutions("```{solution-start} x\n```\ncode")


def test_colab_button_is_rewritten_to_the_notebook():
    context = {"header_buttons": [{"buttons": [
        {"url": "https://colab.research.google.com/github/o/r/blob/colab/book/01_x.md"},
        {"url": "https://example.org/book/01_x.md"},
    ]}]}
    sphinx_extension.point_colab_button_at_notebook(None, "book/01_x", None, context, None)
    urls = [item["url"] for item in context["header_buttons"][0]["buttons"]]
    assert urls == ["https://colab.research.google.com/github/o/r/blob/colab/book/01_x.ipynb",
                    "https://example.org/book/01_x.md"]


def test_command_line_writes_the_student_edition(tmp_path, capsys):
    colab.main(["--student", "--output", str(tmp_path)])
    assert "01_text_vectorization.ipynb" in capsys.readouterr().out


def test_chapters_import_nothing_that_a_bare_colab_runtime_lacks():
    """Colab has TensorFlow, Keras, NumPy, pandas, scikit-learn and matplotlib; the set-up
    cell installs `course` and its dependencies. Book-only tools (myst-nb, jupytext,
    sphinx) must not be imported by a chapter: `course.glue_text` stands in for glue."""
    book_only = ("myst_nb", "jupytext", "sphinx", "nbval", "jupyter_book")
    for source in colab.chapter_sources():
        for cell in colab.to_notebook(source).cells:
            if cell.cell_type != "code":
                continue
            for line in cell.source.splitlines():
                words = line.replace(",", " ").split()
                if words[:1] in (["import"], ["from"]):
                    assert not any(words[1].startswith(module) for module in book_only), (
                        f"{source.name} imports {words[1]}, which Colab lacks: {line.strip()}"
                    )


def test_execution_cache_is_emptied_when_the_package_changes(tmp_path):
    cache = tmp_path / ".jupyter_cache"
    cache.mkdir()
    (cache / "executed.db").write_text("old outputs")
    assert sphinx_extension.invalidate_stale_cache(cache, "v1")  # no fingerprint yet: emptied
    (cache / "executed.db").write_text("outputs of v1")
    assert not sphinx_extension.invalidate_stale_cache(cache, "v1")  # same package: kept
    assert (cache / "executed.db").read_text() == "outputs of v1"
    assert sphinx_extension.invalidate_stale_cache(cache, "v2")  # package changed: emptied
    assert not (cache / "executed.db").exists()
    assert (cache / sphinx_extension.FINGERPRINT_FILE).read_text().strip() == "v2"


def test_package_fingerprint_follows_the_sources(tmp_path):
    (tmp_path / "a.py").write_text("x = 1\n")
    first = sphinx_extension.package_fingerprint(tmp_path)
    (tmp_path / "a.py").write_text("x = 2\n")
    assert sphinx_extension.package_fingerprint(tmp_path) != first
