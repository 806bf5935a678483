"""The book builds with warnings as errors, with the README's own command.

Every chapter is executed once in CI, by nbval, as its Colab notebook
(``bookbuild.verify_colab``, the ``colab_verified`` fixture), which stores each
executed chapter in the book's cache; the build (myst-nb, cache mode, with
``nb_execution_raise_on_error``) shows those outputs and executes only a chapter
the cache lacks: a failing cell or a claim outside its band fails it. The tests
below read what it produced: the HTML (profile note, glued numbers, folded
solutions, the Colab button and the notebook it opens, the results page), the
results record and the timings.
"""

from __future__ import annotations

import json
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from book_tools import ROOT, chapter_environment, readme_command

from bookbuild.colab import book_config, chapter_sources, revision, setup_cell_source

HTML = ROOT / "_build" / "html"


@pytest.fixture(scope="module")
def built_book(colab_verified):
    """The book, built from the execution that verified the Colab notebooks (its cache)."""
    command = readme_command("build")
    assert "--warningiserror" in command and "COURSE_PROFILE=fast" in command
    environment = chapter_environment()
    words = shlex.split(command)
    while "=" in words[0]:
        name, value = words.pop(0).split("=", 1)
        environment[name] = value
    beside_python = Path(sys.executable).parent / words[0]  # the venv's jupyter-book, PATH or not
    if beside_python.is_file():
        words[0] = str(beside_python)
    result = subprocess.run(words, cwd=ROOT, env=environment, capture_output=True, text=True)
    assert result.returncode == 0, (
        f"book build failed:\n{result.stdout[-6000:]}\n{result.stderr[-6000:]}"
    )
    return result


def page(name: str) -> str:
    return (HTML / f"{name}.html").read_text(encoding="utf-8")


def test_every_toc_page_is_built(built_book):
    import yaml

    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    files = [toc["root"]] + [
        chapter["file"] for part in toc["parts"] for chapter in part["chapters"]
    ]
    for name in files:
        assert (HTML / f"{name}.html").is_file(), name


@pytest.mark.parametrize("source", chapter_sources(), ids=lambda source: source.stem)
def test_chapter_pages_show_profile_numbers_and_hidden_solutions(built_book, source):
    html = page(f"book/{source.stem}")
    assert "These results come from the <strong>fast</strong> profile" in html
    glued = re.findall(r'<span class="pasted-text">([^<]*)</span>', html)
    assert glued, "no glued numbers on the page"
    assert all(text.strip() for text in glued)
    assert "stand-in data, not a result" not in html or "Stand-in data" in html
    # gated solutions are folded away (dropdown), never shown open
    assert html.count('class="solution') >= 1
    assert all("dropdown" in tag for tag in re.findall(r'<div class="solution[^"]*"', html))
    # figures made it to the page (a non-inline matplotlib backend would drop them)
    assert re.search(r'<img [^>]*src="[^"]*\.png"', html), "no figure on the page"
    # the Colab set-up cell is not in the HTML
    assert "find_spec(&quot;course&quot;)" not in html and 'find_spec("course")' not in html


@pytest.mark.parametrize("source", chapter_sources(), ids=lambda source: source.stem)
def test_colab_button_opens_a_generated_notebook(built_book, source):
    html = page(f"book/{source.stem}")
    config = book_config()
    repository = config["repository"]["url"].removeprefix("https://github.com/")
    expected = (
        f"https://colab.research.google.com/github/{repository}/blob/"
        f"{config['repository']['branch']}/book/{source.stem}.ipynb"
    )
    assert expected in html
    notebook = json.loads(
        (ROOT / "_build" / "colab" / "book" / f"{source.stem}.ipynb").read_text()
    )
    first_code = next(cell for cell in notebook["cells"] if cell["cell_type"] == "code")
    assert "".join(first_code["source"]) == setup_cell_source(
        config["repository"]["url"], revision()
    )


@pytest.mark.parametrize("source", chapter_sources(), ids=lambda source: source.stem)
def test_every_declared_claim_of_a_chapter_was_checked(built_book, source):
    from course.claims import all_declarations
    from course.records import read_records

    chapter = "ch" + source.stem[:2]
    declared = {name for name, item in all_declarations().items() if item.chapter == chapter}
    assert declared, f"{chapter} declares no claims in course/chapter_claims/{chapter}.yaml"
    recorded = {entry["name"]: entry for entry in read_records("fast")}
    missing = sorted(declared - set(recorded))
    assert not missing, f"declared but never claimed by {source.name}: {missing}"
    assert all(recorded[name]["within_band"] for name in declared)


def test_the_build_timed_each_chapter_it_executed(built_book):
    from course.timings import latest_timings

    timed = latest_timings("fast")
    assert set(timed) == {source.stem for source in chapter_sources()}
    assert all(entry["seconds"] > 0 for entry in timed.values())


def test_the_book_shows_the_execution_that_verified_the_colab_notebooks(built_book):
    """Each chapter ran once, in nbval: the build found it in the cache."""
    from bookbuild.verify_colab import TIMING_METHOD
    from course.timings import latest_timings

    timed = latest_timings("fast")
    assert {entry["method"] for entry in timed.values()} == {TIMING_METHOD}
    executed = re.findall(r"book/(\d\d_\w+)\.md: Executing notebook", built_book.stdout)
    assert executed == [], f"the book build executed chapters again: {executed}"


def test_results_page_leads_with_headlines_and_says_what_is_measured(built_book):
    html = page("book/results")
    assert "ch01_dense_bigram_test_accuracy" in html
    assert html.index("Headline results") < html.index("Checked facts")
    assert "not yet measured" in html or "measured" in html


def test_student_edition_is_written_beside_the_colab_notebooks(built_book):
    for source in chapter_sources():
        student = (ROOT / "_build" / "student" / "book" / f"{source.stem}.ipynb").read_text()
        assert "<summary><b>Solution</b></summary>" not in student
