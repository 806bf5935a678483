import json

import pytest

from bookbuild import colab, sphinx_extension


def test_every_chapter_starts_with_the_setup_cell_for_the_configured_repository():
    """The chapters name `main`; the Colab edition pins the commit it was generated from."""
    import jupytext

    config = colab.book_config()
    url = config["repository"]["url"]
    chapters = colab.chapter_sources()
    assert chapters, "no chapters found"
    for source in chapters:
        parsed = jupytext.reads(source.read_text(), fmt="md:myst")
        first_code = next(cell for cell in parsed.cells if cell.cell_type == "code")
        assert first_code.source == colab.setup_cell_source(url), (
            f"{source.name}: first code cell is not the Colab set-up cell"
        )
        assert "remove-cell" in first_code.metadata.get("tags", []), (
            f"{source.name}: set-up cell not hidden"
        )
        notebook = colab.to_notebook(source, ref="0123abc")
        first_code = next(cell for cell in notebook.cells if cell.cell_type == "code")
        assert first_code.source == colab.setup_cell_source(url, "0123abc")


def test_the_colab_edition_installs_the_commit_it_was_generated_from():
    revision = colab.revision()
    assert len(revision) == 40 and int(revision, 16) >= 0
    notebook = colab.to_notebook(colab.chapter_sources()[0])
    setup = next(cell for cell in notebook.cells if cell.cell_type == "code").source
    assert f'@{revision}"' in setup and "@main" not in setup
    assert 'os.environ.get("COURSE_PACKAGE", COURSE)' in setup


def test_build_notebooks_writes_colab_ready_ipynb(tmp_path):
    paths = colab.build_notebooks(tmp_path)
    assert [path.name for path in paths] == [
        s.with_suffix(".ipynb").name for s in colab.chapter_sources()
    ]
    notebook = json.loads(paths[0].read_text())
    assert notebook["metadata"]["kernelspec"]["name"] == "python3"
    assert notebook["metadata"]["accelerator"] == "GPU"
    assert all(
        not cell.get("outputs") for cell in notebook["cells"] if cell["cell_type"] == "code"
    )
    assert not list(tmp_path.rglob("*.part"))


@pytest.mark.parametrize("student", [False, True], ids=["teacher", "student"])
def test_no_myst_is_left_in_either_edition(tmp_path, student):
    """Colab renders plain Markdown: a role or directive left over shows as raw text."""
    for path in colab.build_notebooks(tmp_path, student=student):
        notebook = json.loads(path.read_text())
        for cell in notebook["cells"]:
            if cell["cell_type"] == "markdown":
                text = "".join(cell["source"])
                assert not colab.MYST_LEFTOVER.search(text), f"{path.name}: {text[:300]}"


def test_student_edition_has_no_solutions_and_the_teacher_edition_folds_them(tmp_path):
    teacher = colab.build_notebooks(tmp_path / "teacher")[0].read_text()
    student = colab.build_notebooks(tmp_path / "student", student=True)[0].read_text()
    assert "<summary><b>Solution</b></summary>" in teacher
    assert "<summary><b>Solution</b></summary>" not in student
    assert "### Exercise 1" in student and "### Exercise 1" in teacher
    assert '# check(\\"text-vectorization.1\\"' in student


BOOK_CONFIG = "title: T\nrepository:\n  url: https://github.com/o/r\nhtml:\n  baseurl: https://o.github.io/r/\n"
CHAPTER = """---
jupytext:
  text_representation: {extension: .md, format_name: myst}
kernelspec: {display_name: Python 3, language: python, name: python3}
---

# 1. Tiny

(tiny-start)=
This run uses {glue:text}`ch01_size` reviews; see {ref}`the start <tiny-start>`
and {doc}`02_other`, with {math}`x^2` and $y$.

Plain paragraph.

```{note}
Mind the gap.
```

```{code-cell} ipython3
:tags: [remove-input]

print("hidden on the page")
```

```{exercise-start}
:label: tiny-1
```

**Do it.** Answer.

```{exercise-end}
```

```{solution-start} tiny-1
:class: dropdown
```

Because.

```{code-cell} ipython3
answer = 1
check("tiny.1", answer)
```

```{solution-end}
```
"""


@pytest.fixture
def tiny_book(tmp_path):
    (tmp_path / "_config.yml").write_text(BOOK_CONFIG)
    (tmp_path / "book").mkdir()
    (tmp_path / "book" / "01_tiny.md").write_text(CHAPTER)
    return tmp_path


def test_each_construct_has_its_colab_form(tiny_book):
    source = tiny_book / "book" / "01_tiny.md"
    cells = colab.to_notebook(source, root=tiny_book, ref="abc", published={}).cells
    texts = [cell.source for cell in cells]
    glued = next(cell for cell in cells if "This run uses" in cell.source)
    assert glued.cell_type == "markdown"  # readable before anything runs
    assert "This run uses ‹size› reviews" in glued.source
    assert "[the start](https://o.github.io/r/book/01_tiny.html#tiny-start)" in glued.source
    assert "[02_other](https://o.github.io/r/book/02_other.html)" in glued.source
    assert "$x^2$ and $y$" in glued.source
    plain = next(cell for cell in cells if "Plain paragraph." in cell.source)
    assert plain.cell_type == "markdown"
    assert "> **Note.** Mind the gap." in "\n".join(texts)
    assert texts[1] == colab.NUMBERS_NOTE  # after the title, before any code
    hidden = next(cell for cell in cells if "hidden on the page" in cell.source)
    assert hidden.metadata["cellView"] == "form"
    assert any(text.startswith("### Exercise 1\n\n**Do it.**") for text in texts)
    assert any('# check("tiny.1", answer)' in text for text in texts)
    details = next(text for text in texts if text.startswith("<details>"))
    assert "Because." in details
    solution = next(cell for cell in cells if "answer = 1" in cell.source)
    assert solution.cell_type == "code" and solution.metadata["cellView"] == "form"
    assert solution.source.startswith("# @title Solution to exercise 1\n")
    student = [
        cell.source
        for cell in colab.to_notebook(source, student=True, root=tiny_book, published={}).cells
    ]
    assert not any("<details>" in text or "answer = 1" in text for text in student)


def test_prose_shows_the_courses_full_profile_value_or_a_named_placeholder():
    published = {"ch01_accuracy": {"text": "0.893", "value": 0.8931}}
    text = "reaches {glue:text}`ch01_accuracy` on {glue:text}`ch01_train_size` reviews"
    assert colab.static_numbers(text, published) == "reaches 0.893† on ‹train size› reviews"
    assert colab.static_numbers("{glue:text}`ch01_accuracy:.2f`", published) == "0.89†"


def test_the_prose_cites_the_packaged_full_profile_values():
    from course.records import published_values

    notebook = colab.to_notebook(colab.chapter_sources()[0])
    markdown = "\n".join(cell.source for cell in notebook.cells if cell.cell_type == "markdown")
    value = published_values()["ch01_dense_bigram_test_accuracy"]["text"]
    assert f"{value}{colab.PUBLISHED_MARK}" in markdown


@pytest.mark.parametrize("student", [False, True], ids=["teacher", "student"])
def test_no_cell_needs_a_value_that_only_a_later_cell_makes(tmp_path, student):
    """Run all goes top to bottom: no paragraph waits for a number, and no code cell reads
    a name that only a cell further down defines."""
    import nbformat

    from bookbuild.execute import names_bound_and_read

    for path in colab.build_notebooks(tmp_path, student=student):
        notebook = nbformat.read(path, as_version=4)
        code = [cell.source for cell in notebook.cells if cell.cell_type == "code"]
        names = [names_bound_and_read(source) for source in code]
        bound_so_far: set[str] = set()
        for number, (bound, read) in enumerate(names):
            later = set().union(*(b for b, _ in names[number + 1 :]))
            early = (read - bound - bound_so_far) & later
            assert not early, (
                f"{path.name}: code cell {number + 1} reads {early} before it is made"
            )
            bound_so_far |= bound
        for cell in notebook.cells:
            if cell.cell_type == "markdown":
                assert "{glue" not in cell.source, f"{path.name}: {cell.source[:200]}"


@pytest.mark.parametrize(
    ("markdown", "message"),
    [
        ("```{literalinclude} ../course/text.py\n```", "literalinclude"),
        ("see {py:func}`x`", "py:func"),
    ],
)
def test_unknown_myst_stops_the_conversion(tiny_book, markdown, message):
    source = tiny_book / "book" / "01_tiny.md"
    source.write_text(CHAPTER + "\n" + markdown + "\n")
    with pytest.raises(ValueError, match=message):
        colab.to_notebook(source, root=tiny_book)


def test_an_unclosed_solution_is_an_error(tiny_book):
    source = tiny_book / "book" / "01_tiny.md"
    source.write_text(CHAPTER.split("```{solution-end}")[0])
    with pytest.raises(ValueError, match="not closed"):
        colab.to_notebook(source, root=tiny_book)


def test_colab_button_is_rewritten_to_the_notebook():
    context = {
        "header_buttons": [
            {
                "buttons": [
                    {
                        "url": "https://colab.research.google.com/github/o/r/blob/colab/book/01_x.md"
                    },
                    {"url": "https://example.org/book/01_x.md"},
                ]
            }
        ]
    }
    sphinx_extension.point_colab_button_at_notebook(None, "book/01_x", None, context, None)
    urls = [item["url"] for item in context["header_buttons"][0]["buttons"]]
    assert urls == [
        "https://colab.research.google.com/github/o/r/blob/colab/book/01_x.ipynb",
        "https://example.org/book/01_x.md",
    ]


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


def test_package_fingerprint_follows_the_profile_and_the_claim_declarations(tmp_path):
    (tmp_path / "a.py").write_text("x = 1\n")
    fast = sphinx_extension.package_fingerprint(tmp_path, profile="fast")
    assert sphinx_extension.package_fingerprint(tmp_path, profile="full") != fast
    (tmp_path / "ch01.yaml").write_text("ch01_x: {fast: [0, null], full: [0, null]}\n")
    assert sphinx_extension.package_fingerprint(tmp_path, profile="fast") != fast


def test_no_chapter_reads_another_chapters_records_or_outputs():
    """Each notebook runs alone on a fresh runtime: no results records, no executed notebooks."""
    forbidden = ("read_records", "latest_run_records", "results_dir", ".jsonl", "_build/")
    for source in colab.chapter_sources():
        for cell in colab.to_notebook(source, published={}).cells:
            if cell.cell_type == "code":
                found = [word for word in forbidden if word in cell.source]
                assert not found, f"{source.name} reads {found}: {cell.source[:200]}"
