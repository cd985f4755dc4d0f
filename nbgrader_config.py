"""nbgrader configuration for the kcore CKA course.

The repository root is the course directory: source assignments (with solutions and hidden
tests) live in `solutions/<assignment>/`, released ones are generated into
`exercises/<assignment>/` and committed so Binder users can open them directly.
JupyterHub deployments add the exchange location in a system-wide config (see README)."""
import os

c = get_config()  # noqa: F821  (provided by traitlets when nbgrader loads this file)

c.CourseDirectory.course_id = "kcore-cka"
c.CourseDirectory.root = os.path.dirname(os.path.abspath(__file__))
c.CourseDirectory.source_directory = "solutions"
c.CourseDirectory.release_directory = "exercises"

# Answer cells are kubectl magics as often as Python, so the stub is a comment only: an
# untouched release runs without raising and simply earns zero points from the tests.
c.ClearSolutions.code_stub = {"python": "# YOUR ANSWER HERE"}

# Feedback must never show a hidden test's source: nbgrader restores hidden tests into the
# autograded notebook, and its feedback HTML shows every cell's input, so strip them again.
from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor  # noqa: E402
from nbgrader.preprocessors import ClearHiddenTests, GetGrades  # noqa: E402

c.GenerateFeedback.preprocessors = [GetGrades, ClearHiddenTests, CSSHTMLHeaderPreprocessor]

# A scenario starts a whole cluster in-process; give slow machines room, but not forever.
c.Execute.timeout = 120
