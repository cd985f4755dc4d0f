"""The kit installs the same way everywhere: pip (pyproject.toml) and conda/Binder
(environment.yml) list the same dependencies with the same lower bounds; the README starts
with a Quick start of exactly two commands; CI and the scripts it relies on are in place."""
from __future__ import annotations

import os
import re
import shlex
import subprocess
import tomllib
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parent.parent

# pip name -> conda-forge name, where they differ
CONDA_NAME = {"graphviz": "python-graphviz"}
# conda-only entries: the interpreter and the dot program itself
CONDA_ONLY = {"python", "graphviz", "pip"}


def requirement(spec: str) -> tuple[str, str | None]:
    """'pyyaml>=6.0' -> ('pyyaml', '>=6.0'); 'jsonschema>=4.18,<4.25' -> ('jsonschema',
    '>=4.18,<4.25'); 'graphviz' -> ('graphviz', None). Bounds are compared whole."""
    m = re.fullmatch(r"\s*([A-Za-z0-9_.\-]+)\s*(?:\[[^\]]*\])?\s*([<>=!~][^;#]*)?(?:[;#].*)?", spec)
    assert m, f"cannot read requirement {spec!r}"
    bounds = re.sub(r"\s+", "", m.group(2)) if m.group(2) else None
    return m.group(1).lower().replace("_", "-"), bounds


def pip_requirements() -> dict[str, str | None]:
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    specs = list(project["dependencies"])
    for extra in project.get("optional-dependencies", {}).values():
        specs += extra
    return dict(requirement(s) for s in specs)


def conda_requirements() -> dict[str, str | None]:
    env = yaml.safe_load((REPO / "environment.yml").read_text())
    deps = [d for d in env["dependencies"] if isinstance(d, str)]
    return dict(requirement(d) for d in deps)


@pytest.mark.parametrize("name", sorted(pip_requirements()))
def test_every_pip_dependency_is_in_environment_yml_with_the_same_bounds(name):
    conda = conda_requirements()
    conda_name = CONDA_NAME.get(name, name)
    assert conda_name in conda, f"{name} (conda: {conda_name}) is missing from environment.yml"
    assert conda[conda_name] == pip_requirements()[name], f"{name}: version bounds differ"


def test_environment_yml_lists_nothing_pip_does_not_know():
    pip_names = {CONDA_NAME.get(n, n) for n in pip_requirements()}
    extra = set(conda_requirements()) - pip_names - CONDA_ONLY
    assert not extra, f"environment.yml lists {sorted(extra)} that pyproject.toml does not"


def test_environment_yml_brings_python_311_and_the_dot_program():
    conda = conda_requirements()
    assert conda.get("python") == "=3.11"
    assert "graphviz" in conda, "the graphviz package (the dot program) must be in environment.yml"


def quick_start_commands() -> list[str]:
    text = (REPO / "README.md").read_text()
    assert text.startswith("## Quick start\n"), "README.md must start with '## Quick start'"
    block = re.search(r"```[a-z]*\n(.*?)```", text, re.S)
    assert block, "the Quick start has no code block"
    return [line.strip() for line in block.group(1).splitlines() if line.strip() and not line.strip().startswith("#")]


def test_readme_quick_start_has_exactly_two_commands_that_exist():
    commands = quick_start_commands()
    assert len(commands) == 2, commands
    for command in commands:
        argv = shlex.split(command)
        assert argv[0] == "bash" and (REPO / argv[1]).is_file(), f"{command}: no such script"


def test_the_second_command_runs_pytest_and_ci_runs_it():
    script = shlex.split(quick_start_commands()[1])[1]
    assert "python\" -m pytest" in (REPO / script).read_text() or "python -m pytest" in (REPO / script).read_text()
    assert f"bash {script}" in (REPO / ".ci" / "run").read_text()


def test_the_first_command_opens_the_welcome_notebook():
    script = shlex.split(quick_start_commands()[0])[1]
    assert "course/00-welcome.ipynb" in (REPO / script).read_text()


@pytest.mark.parametrize("path", [".ci/run", "scripts/setup.sh", "scripts/open.sh", "scripts/test.sh",
                                  "scripts/real-kubectl.sh", "postBuild"])
def test_shell_scripts_are_strict_executable_and_parse(path):
    file = REPO / path
    text = file.read_text()
    assert text.startswith("#!/"), f"{path} has no shebang"
    assert "set -euo pipefail" in text, f"{path} must stop on the first error"
    assert os.access(file, os.X_OK), f"{path} is not executable"
    assert subprocess.run(["bash", "-n", str(file)], capture_output=True).returncode == 0


def test_readme_chapter_table_marks_only_existing_notebooks_available():
    text = (REPO / "README.md").read_text()
    for path, status in re.findall(r"\| `(course/[^`]+\.ipynb)` \|[^|]*\| (\w+) \|", text):
        if status == "available":
            assert (REPO / path).is_file(), f"README marks {path} available but it does not exist"


def test_nbgrader_config_points_at_solutions_and_exercises():
    from traitlets.config.loader import PyFileConfigLoader

    config = PyFileConfigLoader("nbgrader_config.py", path=str(REPO)).load_config()
    assert config.CourseDirectory.source_directory == "solutions"
    assert config.CourseDirectory.release_directory == "exercises"


def test_binder_opens_the_welcome_notebook_and_postbuild_installs_the_package():
    readme = (REPO / "README.md").read_text()
    assert re.search(r"https://mybinder\.org/v2/gh/[^/\s]+/[^/\s]+/main\?urlpath=lab/tree/course/00-welcome\.ipynb", readme)
    assert not (REPO / "binder").exists(), "a binder/ folder would make repo2docker ignore environment.yml and postBuild"
    assert re.search(r"pip install .*-e \.", (REPO / "postBuild").read_text())
