"""Colab notebooks from the MyST chapter sources, and the book's Colab button.

Colab opens only ``.ipynb`` files and renders plain Markdown, not MyST. So
:func:`build_notebooks` converts every chapter to ``.ipynb`` (no outputs)
under ``_build/colab/book/`` and rewrites every MyST construct that Colab would
show as raw text (:func:`to_notebook`):

* prose stays Markdown, readable before anything runs: a number it cites
  (``{glue:text}`name```) becomes the course's own full-profile value marked
  ``†`` where one is recorded (:func:`course.records.published_values`), else a
  named placeholder ``‹train size›`` for the number the run prints; a note at
  the top says so, and each ``claim`` shows this run's value beside the
  course's in the reader's notebook (learner mode);
* admonitions become blockquotes with a bold title; cross-references become
  links to the published book; ``{math}`` and ``{code}`` roles become ``$…$``
  and backticks; math stays as ``$…$``;
* an exercise becomes a heading, its statement and a cell with its checker
  call; in the teacher edition its solution follows as a collapsed form cell
  that *Run all* executes, as the book does (its prose in a ``<details>``
  block); the student edition has no solutions (``student=True``);
* cells hidden on the page (``remove-input``, ``hide-input``…) are collapsed
  Colab form cells; any construct this module does not know stops the
  conversion with an error naming it.

Publishing ``_build/colab`` to the repository's ``colab`` branch makes each
launch link open a real notebook; the book's Sphinx extension
(:mod:`bookbuild.sphinx_extension`) points the theme's Colab button there.

Each chapter's first code cell installs the ``course`` package when it is
missing (on Colab) and is hidden in the HTML; :func:`setup_cell_source` is the
one true text of that cell, and the test suite checks every chapter uses it.
The chapters name ``main``; the Colab edition pins the commit it was generated
from (:func:`revision`), as d2l pins its release, so a notebook installs the
``course`` it was written for.

Command line::

    python -m bookbuild.colab                # Colab notebooks into _build/colab
    python -m bookbuild.colab --student      # student edition into _build/student
"""

from __future__ import annotations

import argparse
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PACKAGE_NAME = "dl-text-sequences-course"

ADMONITIONS = {
    "note": "Note",
    "tip": "Tip",
    "hint": "Hint",
    "important": "Important",
    "warning": "Warning",
    "caution": "Caution",
    "attention": "Attention",
    "danger": "Danger",
    "error": "Error",
    "seealso": "See also",
    "admonition": "",
}
HIDDEN_TAGS = {"remove-input", "hide-input", "remove-cell", "hide-cell"}
GATED = ("exercise-start", "exercise-end", "solution-start", "solution-end")
# MyST left in Markdown that Colab would show as raw text: roles and directives.
MYST_LEFTOVER = re.compile(r"\{[a-z][a-z:-]*\}`|^\s*`{3,}\{|^\s*:{3,}\{", re.MULTILINE)

_DIRECTIVE_OPEN = re.compile(
    r"^(?P<indent> *)(?P<fence>`{3,}|:{3,})\{(?P<name>[a-z][a-z:-]*)\}(?P<argument>.*)$"
)
_ROLE = re.compile(r"\{(?P<name>[a-z][a-z:-]*)\}`(?P<content>[^`]*)`")
_LABEL_LINE = re.compile(r"^\((?P<label>[A-Za-z0-9_-]+)\)=\s*$", re.MULTILINE)
SETUP_CELL_START = "# Set-up for Colab"
_CHECK_CALL = re.compile(r"\bcheck\(\s*(?P<id>[\"'][^\"']+[\"'])\s*,\s*(?P<answer>[^)]*)\)")


def book_config(root: Path = ROOT) -> dict[str, Any]:
    """The parsed ``_config.yml`` of the book.

    Example:
        >>> book_config()["title"]
        'Deep Learning for Text and Sequences with Keras'
    """
    import yaml

    return yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8"))


def published_url(root: Path = ROOT) -> str:
    """Where the HTML book is published (``html.baseurl`` in ``_config.yml``), ending in ``/``.

    Example:
        >>> published_url().endswith("/")
        True
    """
    config = book_config(root)
    base = (config.get("html") or {}).get("baseurl") or ""
    if not base:
        owner, _, name = (
            config["repository"]["url"].removeprefix("https://github.com/").partition("/")
        )
        base = f"https://{owner}.github.io/{name}/"
    return base if base.endswith("/") else base + "/"


PACKAGE_ENV = "COURSE_PACKAGE"


def setup_cell_source(repository_url: str, ref: str = "main") -> str:
    """The first code cell of every chapter: install ``course`` where it is missing.

    ``ref`` is the branch, tag or commit to install. ``COURSE_PACKAGE`` (a local
    checkout, for testing the notebooks) replaces the address.

    Example:
        >>> print(setup_cell_source("https://github.com/org/repo").splitlines()[0])
        # Set-up for Colab: install the course package and its dependencies if missing.
    """
    return (
        "# Set-up for Colab: install the course package and its dependencies if missing.\n"
        "import importlib.util\n"
        "import os\n"
        "import subprocess\n"
        "import sys\n"
        "\n"
        f'COURSE = "{PACKAGE_NAME} @ git+{repository_url}@{ref}"\n'
        'if importlib.util.find_spec("course") is None:\n'
        f'    COURSE = os.environ.get("{PACKAGE_ENV}", COURSE)  # a local checkout, in tests\n'
        '    subprocess.run([sys.executable, "-m", "pip", "install", "-q", COURSE], check=True)'
    )


def revision(root: Path = ROOT) -> str:
    """The commit the checkout is at (what a generated notebook installs); ``main`` outside git.

    Example:
        >>> len(revision()) in (40, 4)
        True
    """
    import subprocess

    try:
        result = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True, check=True
        )
    except (OSError, subprocess.CalledProcessError):
        return "main"
    return result.stdout.strip() or "main"


def chapter_sources(root: Path = ROOT) -> list[Path]:
    """The chapter notebooks: ``book/NN_*.md`` files, in order.

    Example:
        >>> chapter_sources()[0].name
        '01_text_vectorization.md'
    """
    return sorted((root / "book").glob("[0-9][0-9]_*.md"))


# ----------------------------------------------------------------- Markdown


@dataclass
class _Links:
    """Where cross-references point: the published book and every ``(label)=`` in it."""

    base: str
    labels: dict[str, str] = field(default_factory=dict)

    @classmethod
    def for_book(cls, root: Path = ROOT) -> _Links:
        links = cls(published_url(root))
        for source in sorted((root / "book").glob("*.md")):
            for match in _LABEL_LINE.finditer(source.read_text(encoding="utf-8")):
                links.labels[match["label"]] = f"book/{source.stem}.html#{match['label']}"
        return links

    def page(self, target: str) -> str:
        target = target.strip().removesuffix(".md").lstrip("/")
        if target.startswith("../"):
            target = target[3:]
        elif not target.startswith("book/"):
            target = f"book/{target}"
        return f"{self.base}{target}.html"

    def label(self, target: str) -> str:
        return self.base + self.labels.get(target.strip(), f"search.html?q={target.strip()}")


def _role_text(content: str) -> tuple[str, str]:
    """``text <target>`` → (text, target); ``target`` → (target, target)."""
    match = re.fullmatch(r"\s*(?P<text>.*?)\s*<(?P<target>[^>]+)>\s*", content, re.DOTALL)
    if match:
        return match["text"], match["target"]
    return content, content


def convert_roles(markdown: str, links: _Links) -> str:
    """Replace MyST roles with plain Markdown.

    Glue roles are left for :func:`course.claims.glued_markdown`.

    Example:
        >>> convert_roles("see {ref}`the data <imdb-data>` and {math}`x^2`", _Links("https://b/"))
        'see [the data](https://b/search.html?q=imdb-data) and $x^2$'
    """

    def replace(match: re.Match[str]) -> str:
        name, content = match["name"], match["content"]
        if name in ("glue", "glue:text"):
            return match.group(0)
        if name == "math":
            return f"${content}$"
        if name in ("code", "kbd", "file", "samp", "command", "envvar"):
            return f"`{content}`"
        if name in ("ref", "numref", "eq"):
            text, target = _role_text(content)
            shown = text if text != target else target.replace("-", " ")
            return f"[{shown}]({links.label(target)})"
        if name == "doc":
            text, target = _role_text(content)
            return f"[{text}]({links.page(target)})"
        if name in ("term", "abbr", "sub", "sup", "emphasis", "strong"):
            text, _ = _role_text(content)
            return {"emphasis": f"*{text}*", "strong": f"**{text}**"}.get(name, text)
        raise ValueError(
            f"The MyST role {{{name}}} has no Colab rendering; add one to bookbuild.colab."
        )

    return _ROLE.sub(replace, markdown)


def _split_directive(lines: list[str], start: int) -> tuple[dict[str, Any], int]:
    """Parse the directive opening at ``lines[start]``; return it and the index after it."""
    opening = _DIRECTIVE_OPEN.match(lines[start])
    fence = opening["fence"]
    body, index = [], start + 1
    closing = re.compile(rf"^ *{re.escape(fence[0])}{{{len(fence)},}}\s*$")
    while index < len(lines) and not closing.match(lines[index]):
        body.append(lines[index])
        index += 1
    options = {}
    while body and body[0].startswith(":") and not body[0].startswith("::"):
        key, _, value = body.pop(0)[1:].partition(":")
        options[key.strip()] = value.strip()
    if body and body[0].strip() == "---":  # YAML-style options block
        end = body.index("---", 1) if "---" in body[1:] else 0
        body = body[end + 1 :]
    directive = {
        "name": opening["name"],
        "argument": opening["argument"].strip(),
        "options": options,
        "body": "\n".join(body).strip("\n"),
    }
    return directive, index + 1


def convert_directives(markdown: str, links: _Links) -> list[tuple[str, Any]]:
    """Split Markdown into plain-Markdown pieces and gated-exercise markers.

    Returns ``("markdown", text)`` pieces and ``(gated directive name, directive)``
    markers, in order.

    Example:
        >>> convert_directives("```{note}\\nMind the gap.\\n```", _Links("https://b/"))
        [('markdown', '> **Note.** Mind the gap.')]
    """
    pieces: list[tuple[str, Any]] = []
    lines = _LABEL_LINE.sub("", markdown).splitlines()
    current: list[str] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        if line.startswith("% "):  # a MyST comment
            index += 1
            continue
        if not _DIRECTIVE_OPEN.match(line):
            current.append(line)
            index += 1
            continue
        directive, index = _split_directive(lines, index)
        name = directive["name"]
        if name in GATED:
            pieces.append(("markdown", "\n".join(current)))
            pieces.append((name, directive))
            current = []
        else:
            current.append(_render_directive(directive, links))
    pieces.append(("markdown", "\n".join(current)))
    return [(kind, value) for kind, value in pieces if kind != "markdown" or value.strip()]


def _render_directive(directive: dict[str, Any], links: _Links) -> str:
    name, argument, body = directive["name"], directive["argument"], directive["body"]
    if name in ADMONITIONS:
        title = argument if name == "admonition" else ADMONITIONS[name]
        inner = "\n".join(
            text for kind, text in convert_directives(body, links) if kind == "markdown"
        )
        quoted = "\n".join(f"> {line}".rstrip() for line in inner.splitlines())
        return f"> **{title}.**" + (f" {quoted[2:]}" if quoted.startswith("> ") else "\n" + quoted)
    if name in ("math",):
        return f"$$\n{body}\n$$"
    if name in ("code", "code-block", "sourcecode"):
        return f"```{argument}\n{body}\n```"
    if name in ("image", "figure"):
        caption = body.splitlines()[0] if body else directive["options"].get("alt", "")
        return f"![{caption}]({argument})" + (f"\n\n*{body}*" if name == "figure" and body else "")
    if name == "dropdown":
        return f"<details>\n<summary>{argument}</summary>\n\n{body}\n\n</details>"
    raise ValueError(
        f"The MyST directive {{{name}}} has no Colab rendering; write plain Markdown instead, "
        "or add a rendering to bookbuild.colab."
    )


# ----------------------------------------------------------------- notebooks


def _form_cell(source: str, *, title: str = "") -> Any:
    """A code cell that Colab shows collapsed to its title and output (a form cell)."""
    import nbformat

    cell = nbformat.v4.new_code_cell(f"# @title {title}".rstrip() + "\n" + source)
    cell.metadata["cellView"] = "form"
    return cell


_GLUE_ROLE = re.compile(r"\{glue(?::text)?\}`(?P<name>[a-z0-9_]+)(?::(?P<fmt>[^`]*))?`")
PUBLISHED_MARK = "†"
NUMBERS_NOTE = (
    "> **About the numbers.** This notebook runs the chapter in the profile that "
    "`COURSE_PROFILE` names (`full`, the real experiment, unless you set `fast`). "
    f"A number marked {PUBLISHED_MARK} in the text is the course's own result from its "
    "recorded full-profile run; ‹name› stands for a number that your run prints. Each "
    "result a cell checks is shown beside the course's: change the code, run on, and "
    "compare."
)


def _spoken(name: str) -> str:
    """``ch01_train_size`` → ``train size``."""
    return re.sub(r"^ch\d+_", "", name).replace("_", " ")


def static_numbers(markdown: str, published: dict[str, dict[str, Any]]) -> str:
    """Replace each glue role with the course's full-profile value (marked †) or a placeholder.

    Example:
        >>> static_numbers(
        ...     "{glue:text}`ch01_accuracy` on {glue:text}`ch01_train_size` reviews",
        ...     {"ch01_accuracy": {"text": "0.893", "value": 0.893}},
        ... )
        '0.893† on ‹train size› reviews'
    """

    def replace(match: re.Match[str]) -> str:
        value = published.get(match["name"])
        if value is None:
            return f"‹{_spoken(match['name'])}›"
        text = format(value["value"], match["fmt"]) if match["fmt"] else value["text"]
        return text + PUBLISHED_MARK

    return _GLUE_ROLE.sub(replace, markdown)


def _starter_cell(solution_code: list[str], label: str) -> Any:
    """The cell an exercise leaves the reader: the checker call, ready to uncomment."""
    import nbformat

    calls = [match for code in solution_code for match in _CHECK_CALL.finditer(code)]
    if calls:
        checks = "\n".join(f"# check({call['id']}, {call['answer'].strip()})" for call in calls)
    else:
        checks = f"# (exercise {label} has no checker: compare with the published solution)"
    return nbformat.v4.new_code_cell(
        "from course.exercises import check\n\n"
        "# Your code here. Then uncomment the check and run the cell.\n" + checks
    )


def _details(markdown_parts: list[str]) -> str:
    inner = "\n\n".join(part for part in markdown_parts if part.strip())
    inner = (inner + "\n\n" if inner else "") + (
        "Its code is the collapsed cell below (*Show code* opens it); *Run all* runs it."
    )
    return f"<details>\n<summary><b>Solution</b></summary>\n\n{inner}\n\n</details>"


def _join_exercise_headings(cells: list[Any]) -> list[Any]:
    """Put each exercise heading in the same Markdown cell as the statement after it."""
    joined: list[Any] = []
    for cell in cells:
        previous = joined[-1] if joined else None
        if (
            previous is not None
            and previous.cell_type == cell.cell_type == "markdown"
            and previous.source.startswith("### Exercise")
            and "\n" not in previous.source
        ):
            previous.source = previous.source + "\n\n" + cell.source.strip("\n")
            continue
        joined.append(cell)
    return joined


def to_notebook(
    source: Path,
    *,
    student: bool = False,
    root: Path = ROOT,
    ref: str | None = None,
    published: dict[str, dict[str, Any]] | None = None,
) -> Any:
    """Read a MyST chapter as an ``nbformat`` notebook that renders on Colab.

    ``ref`` is what the set-up cell installs (default: :func:`revision`);
    ``published`` the course's full-profile values that the prose shows (default:
    the package's :func:`course.records.published_values`).

    Example:
        >>> notebook = to_notebook(chapter_sources()[0])
        >>> notebook.cells[0].cell_type
        'markdown'
    """
    import jupytext
    import nbformat

    from course.records import published_values

    links = _Links.for_book(root)
    ref = ref or revision(root)
    published = published_values() if published is None else published
    repository = book_config(root)["repository"]["url"]
    parsed = jupytext.reads(source.read_text(encoding="utf-8"), fmt="md:myst")
    cells: list[Any] = []
    exercise_number = 0
    in_exercise = in_solution = False
    solution_label = ""
    solution_markdown: list[str] = []
    solution_code: list[str] = []

    def add_markdown(text: str) -> None:
        if in_solution:
            solution_markdown.append(text)
        elif text.strip():
            cells.append(nbformat.v4.new_markdown_cell(static_numbers(text, published)))

    for cell in parsed.cells:
        if cell.cell_type == "code":
            if in_solution:
                solution_code.append(cell.source)
                continue
            tags = set(cell.metadata.get("tags", []))
            if cell.source.startswith(SETUP_CELL_START):
                setup = setup_cell_source(repository, ref)
                cells.append(nbformat.v4.new_code_cell(setup, metadata=dict(cell.metadata)))
            elif tags & HIDDEN_TAGS:
                shown = _form_cell(cell.source)
                shown.metadata["tags"] = sorted(tags)
                cells.append(shown)
            else:
                cells.append(nbformat.v4.new_code_cell(cell.source, metadata=dict(cell.metadata)))
            continue
        if cell.cell_type != "markdown":
            cells.append(cell)
            continue
        for kind, value in convert_directives(convert_roles(cell.source, links), links):
            if kind == "markdown":
                add_markdown(value)
            elif kind == "exercise-start":
                exercise_number += 1
                in_exercise = True
                title = value["argument"] or value["options"].get("label", "")
                heading = f"### Exercise {exercise_number}"
                add_markdown(heading + (f": {title}" if value["argument"] else ""))
            elif kind == "exercise-end":
                in_exercise = False
            elif kind == "solution-start":
                in_solution, solution_label = True, value["argument"]
                solution_markdown, solution_code = [], []
            elif kind == "solution-end":
                in_solution = False
                cells.append(_starter_cell(solution_code, solution_label))
                if not student:
                    details = static_numbers(_details(solution_markdown), published)
                    cells.append(nbformat.v4.new_markdown_cell(details))
                    for code in solution_code:
                        cells.append(
                            _form_cell(code, title=f"Solution to exercise {exercise_number}")
                        )
    if in_exercise or in_solution:
        raise ValueError(f"{source.name}: an exercise or solution is not closed.")
    cells = _join_exercise_headings(cells)
    if cells and cells[0].cell_type == "markdown":  # after the title and introduction
        cells.insert(1, nbformat.v4.new_markdown_cell(NUMBERS_NOTE))

    notebook = nbformat.v4.new_notebook(cells=cells)
    notebook.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    notebook.metadata["accelerator"] = "GPU"
    notebook.metadata["colab"] = {"provenance": [], "gpuType": "T4"}
    return notebook


def myst_leftovers(notebook: Any) -> list[str]:
    """Every MyST role or directive left in a notebook's Markdown cells (none, once converted).

    Example:
        >>> myst_leftovers(to_notebook(chapter_sources()[0]))
        []
    """
    found = []
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            found += [match.group(0).strip() for match in MYST_LEFTOVER.finditer(cell.source)]
    return found


def build_notebooks(
    output: Path | None = None, *, student: bool = False, root: Path = ROOT
) -> list[Path]:
    """Write every chapter as ``<output>/book/<chapter>.ipynb``; return the paths.

    Example:
        >>> paths = build_notebooks(Path("/tmp/colab"))  # doctest: +SKIP
    """
    import nbformat

    output = output or root / "_build" / ("student" if student else "colab")
    written = []
    for source in chapter_sources(root):
        target = output / "book" / source.with_suffix(".ipynb").name
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_suffix(".ipynb.part")
        nbformat.write(to_notebook(source, student=student, root=root), temporary)
        temporary.replace(target)
        written.append(target)
    return written


def main(argv: list[str] | None = None) -> None:
    """Command line: ``python -m bookbuild.colab [--student] [--output DIR]``."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--student", action="store_true", help="remove the solutions")
    parser.add_argument("--output", type=Path, default=None, help="folder to write into")
    arguments = parser.parse_args(argv)
    for path in build_notebooks(arguments.output, student=arguments.student):
        print(path)


if __name__ == "__main__":
    main()
