"""An nbgrader course in a temporary directory, driven the way an instructor drives one.

    course = Course(tmp_path, "ch01-core-concepts")      # copies solutions/<assignment>
    release = course.generate()                           # nbgrader generate_assignment
    course.submit("alice", fill(release, solution_answers(course.source())))
    course.submit("bob", release)                         # hands in the untouched release
    course.autograde("alice", "bob")                      # nbgrader autograde, both at once
    course.score("alice"), course.grades("bob"), course.feedback("alice")

It runs nbgrader in-process through NbGraderAPI with the repository's own nbgrader_config.py
(so the feedback preprocessors and the code stub are the ones learners get), only moved to the
temporary root with a throw-away gradebook. Submissions are what a student hands in: the
release notebook with answer cells filled. `solution_answers()` reads the answers out of the
source notebook (solution regions unwrapped), and `edit()` makes a typical wrong answer from
them by replacing text in one answer cell.

Chapter 02 reuses all of it; nothing here knows about chapter 01."""
from __future__ import annotations

import copy
import html
import re
import shutil
from pathlib import Path
from typing import Iterable

import nbformat

REPO = Path(__file__).resolve().parents[2]
SOURCE_DIR, RELEASE_DIR = "solutions", "exercises"
BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"
HIDDEN_BEGIN, HIDDEN_END = "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS"


def _config(root: Path):
    from traitlets.config import Config
    from traitlets.config.loader import PyFileConfigLoader

    cfg = Config()
    cfg.merge(PyFileConfigLoader("nbgrader_config.py", path=str(REPO)).load_config())
    cfg.CourseDirectory.root = str(root)
    cfg.CourseDirectory.db_url = f"sqlite:///{root / 'gradebook.db'}"
    return cfg


def _api(root: Path):
    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory

    cfg = _config(root)
    return NbGraderAPI(coursedir=CourseDirectory(config=cfg), config=cfg)


class NbgraderFailed(AssertionError):
    """An nbgrader step reported failure; the message is its log."""


def _ok(result: dict, what: str) -> dict:
    if not result.get("success"):
        raise NbgraderFailed(f"nbgrader {what} failed:\n{result.get('error') or ''}\n{result.get('log') or ''}")
    return result


def generate_release(assignment: str, root: Path) -> Path:
    """Generate `assignment` from the repository's solutions/ into root/exercises; the folder."""
    course = Course(root, assignment)
    course.generate()
    return root / RELEASE_DIR / assignment


class Course:
    """One assignment in a temporary course directory."""

    def __init__(self, root: Path, assignment: str, source: Path | None = None):
        self.root, self.assignment = Path(root), assignment
        source = source or REPO / SOURCE_DIR / assignment
        shutil.copytree(source, self.root / SOURCE_DIR / assignment, dirs_exist_ok=True,
                        ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
        self.api = _api(self.root)

    def notebooks(self) -> list[str]:
        return sorted(p.stem for p in (self.root / SOURCE_DIR / self.assignment).glob("*.ipynb"))

    @property
    def notebook(self) -> str:
        """The assignment's notebook name (assignments here hold exactly one)."""
        names = self.notebooks()
        assert len(names) == 1, f"{self.assignment} holds {len(names)} notebooks; name one"
        return names[0]

    def source(self, notebook: str | None = None):
        return nbformat.read(self.root / SOURCE_DIR / self.assignment / f"{notebook or self.notebook}.ipynb", 4)

    def generate(self, notebook: str | None = None):
        """nbgrader generate_assignment; returns the released notebook."""
        _ok(self.api.generate_assignment(self.assignment, force=True, create=True), "generate_assignment")
        return nbformat.read(self.root / RELEASE_DIR / self.assignment / f"{notebook or self.notebook}.ipynb", 4)

    def submit(self, student: str, nb, notebook: str | None = None) -> None:
        folder = self.root / "submitted" / student / self.assignment
        folder.mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, folder / f"{notebook or self.notebook}.ipynb")

    def autograde(self, *students: str) -> None:
        for student in students:
            _ok(self.api.autograde(self.assignment, student, force=True, create=True), f"autograde {student}")
            _ok(self.api.generate_feedback(self.assignment, student, force=True), f"generate_feedback {student}")

    def score(self, student: str) -> tuple[float, float]:
        """(score, max_score) of a student's submission."""
        with self.api.gradebook as gb:
            sub = gb.find_submission(self.assignment, student)
            return sub.score, sub.max_score

    def grades(self, student: str, notebook: str | None = None) -> dict[str, float]:
        """Points per graded cell: {grade_id: score}."""
        with self.api.gradebook as gb:
            nb = gb.find_submission_notebook(notebook or self.notebook, self.assignment, student)
            return {g.name: g.score for g in nb.grades}

    def feedback(self, student: str, notebook: str | None = None) -> str:
        """The feedback HTML as text a student reads (tags stripped, entities decoded)."""
        page = self.feedback_html(student, notebook)
        page = re.sub(r"<(style|script)\b.*?</\1>", "", page, flags=re.S | re.I)
        return html.unescape(re.sub(r"<[^>]+>", "", page))

    def feedback_html(self, student: str, notebook: str | None = None) -> str:
        path = self.root / "feedback" / student / self.assignment / f"{notebook or self.notebook}.html"
        return path.read_text(encoding="utf-8")

    def autograded(self, student: str, notebook: str | None = None):
        return nbformat.read(self.root / "autograded" / student / self.assignment /
                             f"{notebook or self.notebook}.ipynb", 4)


# -- answers ------------------------------------------------------------------------------------

def grade_id(cell) -> str | None:
    return (cell.get("metadata", {}).get("nbgrader") or {}).get("grade_id")


def unwrap_solution(source: str) -> str:
    """A solution cell as a student would hand it in: the BEGIN/END SOLUTION marker lines
    removed, everything else kept (the magic line above the region, a variable's default)."""
    return "\n".join(line for line in source.splitlines() if line.strip() not in (BEGIN, END))


def solution_answers(source_nb) -> dict[str, str]:
    """{grade_id: answer} for every solution cell of a source notebook."""
    return {grade_id(c): unwrap_solution(c.source) for c in source_nb.cells
            if (c.get("metadata", {}).get("nbgrader") or {}).get("solution")}


def edit(answers: dict[str, str], cell: str, old: str, new: str) -> dict[str, str]:
    """The answers with `old` replaced by `new` in one answer cell (which must contain it)."""
    assert old in answers[cell], f"{old!r} is not in the answer {cell!r}: {answers[cell]!r}"
    changed = dict(answers)
    changed[cell] = answers[cell].replace(old, new)
    return changed


def fill(release_nb, answers: dict[str, str]):
    """A copy of the release notebook with the given answer cells filled in."""
    nb = copy.deepcopy(release_nb)
    for cell in nb.cells:
        if grade_id(cell) in answers:
            cell.source = answers[grade_id(cell)]
    return nb


def hidden_test_lines(source_nb) -> list[str]:
    """Every non-blank line of every hidden test region (to prove none reaches feedback)."""
    lines, inside = [], False
    for cell in source_nb.cells:
        for line in cell.source.splitlines():
            if line.strip() == HIDDEN_BEGIN:
                inside = True
            elif line.strip() == HIDDEN_END:
                inside = False
            elif inside and line.strip():
                lines.append(line.strip())
    return lines


# -- comparing notebooks --------------------------------------------------------------------------

VOLATILE_CELL_KEYS = ("id", "execution_count")


def comparable(nb) -> dict:
    """A notebook reduced to what a learner receives: cell types, sources, metadata and
    outputs; cell ids and execution counts dropped."""
    cells = []
    for cell in nb.cells:
        cells.append({k: v for k, v in cell.items() if k not in VOLATILE_CELL_KEYS})
    return {"cells": cells, "metadata": dict(nb.metadata), "nbformat": nb.nbformat}


def differences(a, b, names: Iterable[str] = ("expected", "found")) -> list[str]:
    """Human-readable differences between two notebooks' comparable forms."""
    left, right = comparable(a), comparable(b)
    x, y = names
    out = []
    if len(left["cells"]) != len(right["cells"]):
        out.append(f"{x} has {len(left['cells'])} cells, {y} has {len(right['cells'])}")
    for i, (p, q) in enumerate(zip(left["cells"], right["cells"])):
        if p != q:
            keys = sorted(k for k in set(p) | set(q) if p.get(k) != q.get(k))
            out.append(f"cell {i} differs in {', '.join(keys)}: {str(p.get('source'))[:60]!r}")
    if left["metadata"] != right["metadata"]:
        out.append("notebook metadata differs")
    return out


# -- the round trip every assignment's tests share ---------------------------------------------

def round_trip(root, assignment: str, wrong: dict) -> Course:
    """Generate the release of `assignment` in a course at `root`, hand in the solution, the
    untouched release and one submission per entry of `wrong` ({student: [(cell, old, new)]},
    edits to the solution's answers), and autograde them all once."""
    course = Course(root, assignment)
    release = course.generate()
    answers = solution_answers(course.source())
    course.submit("solution", fill(release, answers))
    course.submit("untouched", release)
    for student, edits in wrong.items():
        changed = answers
        for cell, old, new in edits:
            changed = edit(changed, cell, old, new)
        course.submit(student, fill(release, changed))
    course.autograde("solution", "untouched", *wrong)
    course.release = release
    return course


def assert_full_marks(course: Course, total: float) -> None:
    grades = course.grades("solution")
    assert {cell: points for cell, points in grades.items() if not points} == {}
    assert course.score("solution") == (total, total)


def assert_untouched_earns_nothing_and_runs_to_the_end(course: Course, total: float) -> None:
    assert course.score("untouched") == (0, total)
    autograded = course.autograded("untouched")
    assert all(c.get("execution_count") for c in autograded.cells if c.cell_type == "code"), \
        "every code cell of the untouched release was executed"
    setup = next(c for c in autograded.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "setup")
    assert not [o for o in setup.outputs if o.output_type == "error"], "the lab starts without an error"


def assert_feedback_hides_hidden_tests(course: Course, student: str) -> None:
    feedback = course.feedback(student)
    leaked = [line for line in hidden_test_lines(course.source()) if line in feedback]
    assert leaked == []
    assert "Traceback" not in feedback


def assert_wrong_answer_loses(course: Course, student: str, cell: str, lost: float, message: str) -> None:
    grades, solution = course.grades(student), course.grades("solution")
    assert solution[cell] - grades[cell] == lost
    assert message in course.feedback(student)


def assert_committed_exercises_are_generated(course: Course) -> None:
    committed = REPO / RELEASE_DIR / course.assignment / f"{course.notebook}.ipynb"
    assert committed.exists(), \
        f"run `nbgrader generate_assignment {course.assignment} --force` from the repo root"
    found = nbformat.read(committed, 4)
    assert differences(course.release, found, ("generated", "committed")) == []
