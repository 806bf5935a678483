"""What an assignment is: a chapter's exercises, read from its MyST source.

Each exercise of a chapter (the gated ``exercise-start`` … ``solution-end``
form) becomes an :class:`Exercise`: its checker id (from the ``check(...)``
call of its solution), the variable its answer goes in (``answer_N``, N the
exercise's position in the chapter), its statement as plain Markdown, the
``course.exercises`` imports that give its data, and its solution rewritten
to put the answer in that variable (the teacher's key).

A solution may read names that earlier chapter cells define (a trained model,
a vocabulary). :func:`read_assignment` finds those cells by static analysis
and keeps them, with the cells they need in turn, as the assignment's set-up;
:attr:`Assignment.trains` lists the kept cells that train a model (``.fit(``).
Today no exercise of the book needs any: each reads small fixed data from
``course.exercises.<chapter>``.
"""

from __future__ import annotations

import ast
import builtins
import re
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_CHECK_CALL = re.compile(r"\bcheck\(\s*[\"'](?P<id>[^\"']+)[\"']\s*,\s*(?P<answer>.+?)\)\s*$")
COLAB_SETUP_MARK = "# Set-up for Colab"


@dataclass(frozen=True)
class Exercise:
    """One exercise of an assignment.

    Example:
        >>> exercise = read_assignment("01").exercises[1]
        >>> exercise.id, exercise.variable
        ('text-vectorization.2', 'answer_2')
    """

    number: int
    id: str
    variable: str
    title: str
    statement: str
    imports: str
    solution: str


@dataclass(frozen=True)
class Assignment:
    """A chapter's exercises and the set-up cells they need.

    Example:
        >>> assignment = read_assignment("text-vectorization")
        >>> [exercise.id for exercise in assignment.exercises]
        ['text-vectorization.1', 'text-vectorization.2', 'text-vectorization.3']
        >>> assignment.setup_cells, assignment.trains
        ([], [])
    """

    slug: str
    title: str
    source: Path
    colab_setup: str
    exercises: list[Exercise]
    setup_cells: list[str] = field(default_factory=list)
    trains: list[str] = field(default_factory=list)

    @property
    def variables(self) -> dict[str, str]:
        """Exercise id → the variable its answer goes in."""
        return {exercise.id: exercise.variable for exercise in self.exercises}


def chapter_sources(root: Path = ROOT) -> list[Path]:
    """The chapters, ``book/NN_*.md``, in order.

    Example:
        >>> chapter_sources()[0].name
        '01_text_vectorization.md'
    """
    return sorted((root / "book").glob("[0-9][0-9]_*.md"))


def find_chapter(name: str | Path, root: Path = ROOT) -> Path:
    """The MyST source of a chapter named by number, slug, file name or path.

    Example:
        >>> find_chapter("1").name == find_chapter("text-vectorization").name
        True
    """
    path = Path(name)
    if path.suffix == ".md" and path.is_file():
        return path
    text = str(name).strip().removesuffix(".md")
    for source in chapter_sources(root):
        number, _, slug = source.stem.partition("_")
        if text in (source.stem, number, number.lstrip("0"), slug, slug.replace("_", "-")):
            return source
    known = ", ".join(source.stem for source in chapter_sources(root))
    raise ValueError(
        f"No chapter {str(name)!r}: give a number (1), a slug (text-vectorization), "
        f"a file name or a path to a MyST file. Chapters: {known}."
    )


def _bound_and_free(code: str) -> tuple[set[str], set[str]]:
    """Names a cell binds at top level or anywhere, and names it reads before binding."""
    try:
        tree = ast.parse(code)
    except SyntaxError:  # IPython magics: not Python, binds and reads nothing we can see
        return set(), set()
    bound: set[str] = set()
    loaded: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            (loaded if isinstance(node.ctx, ast.Load) else bound).add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            bound.add(node.name)
        elif isinstance(node, ast.arg):
            bound.add(node.arg)
        elif isinstance(node, ast.alias):
            bound.add((node.asname or node.name).split(".")[0])
    return bound, loaded - bound - set(dir(builtins))


def _statement_text(markdown: str, variable: str) -> str:
    """The exercise's statement as plain Markdown, its check call naming ``variable``."""
    from bookbuild.colab import _Links, convert_directives, convert_roles

    links = _Links.for_book(ROOT)
    pieces = convert_directives(convert_roles(markdown, links), links)
    text = "\n\n".join(value for kind, value in pieces if kind == "markdown").strip()
    return re.sub(
        r"check\((?P<id>\"[^\"]+\"), [^)`]+\)", lambda m: f"check({m['id']}, {variable})", text
    )


def _key_solution(code: str, exercise_id: str, variable: str) -> str:
    """The solution with its answer assigned to ``variable`` before the check call."""
    lines = code.rstrip("\n").splitlines()
    for index in range(len(lines) - 1, -1, -1):
        match = _CHECK_CALL.search(lines[index])
        if match and match["id"] == exercise_id:
            indent = lines[index][: len(lines[index]) - len(lines[index].lstrip())]
            lines[index : index + 1] = [
                f"{indent}{variable} = {match['answer'].strip()}",
                f'{indent}check("{exercise_id}", {variable})',
            ]
            return "\n".join(lines)
    raise ValueError(f"The solution of {exercise_id} has no check({exercise_id!r}, …) call.")


def read_assignment(name: str | Path, root: Path = ROOT) -> Assignment:
    """Read a chapter's (or any MyST file's) gated exercises as an :class:`Assignment`.

    Example:
        >>> read_assignment("02").exercises[3].imports
        'from course.exercises.word_embeddings import EXERCISE_4_VECTORS'
    """
    import jupytext

    source = find_chapter(name, root)
    notebook = jupytext.reads(source.read_text(encoding="utf-8"), fmt="md:myst")
    title = next(
        (
            line.lstrip("# ").strip()
            for cell in notebook.cells
            if cell.cell_type == "markdown"
            for line in cell.source.splitlines()
            if line.startswith("# ")
        ),
        source.stem,
    )
    colab_setup = ""
    chapter_cells: list[str] = []  # code cells before the first exercise
    exercises: list[Exercise] = []
    state = "chapter"
    statement: list[str] = []
    solution: list[str] = []
    for cell in notebook.cells:
        if cell.cell_type == "code":
            if state == "solution":
                solution.append(cell.source)
            elif cell.source.startswith(COLAB_SETUP_MARK):
                colab_setup = cell.source
            elif state == "chapter" and not exercises:
                chapter_cells.append(cell.source)
            continue
        for block in re.split(r"(?m)^(?=```\{(?:exercise|solution)-(?:start|end)\})", cell.source):
            opening = re.match(r"```\{(?P<kind>(?:exercise|solution)-(?:start|end))\}(.*)", block)
            if opening is None:
                if state == "exercise":
                    statement.append(block)
                continue
            kind = opening["kind"]
            rest = block.split("```", 2)[-1] if block.count("```") >= 2 else ""
            if kind == "exercise-start":
                state, statement, solution = "exercise", [rest], []
            elif kind == "exercise-end":
                state = "between"
            elif kind == "solution-start":
                state = "solution"
            elif kind == "solution-end":
                state = "after"
                exercises.append(_exercise(len(exercises) + 1, statement, solution, source))
    if state in ("exercise", "solution"):
        raise ValueError(f"{source}: an exercise or its solution is not closed.")
    setup_cells = _needed_cells(chapter_cells, [exercise.solution for exercise in exercises])
    trains = [cell for cell in setup_cells if ".fit(" in cell]
    return Assignment(
        slug=source.stem.partition("_")[2].replace("_", "-") or source.stem,
        title=title,
        source=source,
        colab_setup=colab_setup,
        exercises=exercises,
        setup_cells=setup_cells,
        trains=trains,
    )


def _exercise(number: int, statement: list[str], solution: list[str], source: Path) -> Exercise:
    code = "\n\n".join(solution)
    calls = [match for line in code.splitlines() if (match := _CHECK_CALL.search(line))]
    if not calls:
        raise ValueError(
            f"{source}: an exercise's solution calls no checker; "
            'end it with check("slug.N", answer) so that it can be graded.'
        )
    exercise_id = calls[-1]["id"]
    variable = f"answer_{number}"
    markdown = "\n".join(part.strip("\n") for part in statement).strip()
    markdown = re.sub(r"(?m)^:label:.*$", "", markdown).strip()
    bold = re.match(r"\*\*(?P<title>[^*]+?)\.?\*\*", markdown)
    imports = _data_imports(code)
    return Exercise(
        number=number,
        id=exercise_id,
        variable=variable,
        title=bold["title"] if bold else f"Exercise {number}",
        statement=_statement_text(markdown, variable),
        imports=imports,
        solution=_key_solution(code, exercise_id, variable),
    )


def _data_imports(code: str) -> str:
    """The solution's imports from ``course.exercises`` (the exercise's data), less ``check``."""
    lines = []
    for node in ast.parse(code).body:
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("course.exercises"):
            names = [alias for alias in node.names if alias.name != "check"]
            if names:
                node.names = names
                lines.append(ast.unparse(node))
    return "\n".join(lines)


def _needed_cells(chapter_cells: list[str], solutions: list[str]) -> list[str]:
    """The chapter cells that define what the solutions read, and what those read, in order."""
    definitions = [_bound_and_free(cell) for cell in chapter_cells]
    wanted: set[str] = set()
    for solution in solutions:
        wanted |= _bound_and_free(solution)[1]
    keep: set[int] = set()
    while wanted:
        name = wanted.pop()
        for index in range(len(chapter_cells) - 1, -1, -1):
            if name in definitions[index][0]:
                if index not in keep:
                    keep.add(index)
                    wanted |= definitions[index][1]
                break
    return [chapter_cells[index] for index in sorted(keep)]
