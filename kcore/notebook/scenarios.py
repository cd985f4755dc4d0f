"""Named lab start states: a registry of scenarios, each a recipe that brings a fresh cluster
into a known (sometimes deliberately broken) state.

    @scenario("ch02-taints", "Pods stuck Pending on tainted nodes", tasks=["ch02-taints"])
    def _(lab):
        lab.kubectl("taint nodes node01 gpu=true:NoSchedule")
        lab.apply(POD_YAML)

    lab = start("ch02-taints")      # new cluster, recipe applied, made the current cluster

Like kube-scheduler's registry maps plugin names to factories, this one maps scenario names
to recipes; chapters add theirs as modules of `kcore.notebook.labs`, which are imported the
first time a name is looked up, so adding a lab never means editing this file. A recipe step
that fails raises ScenarioError with the command and its output: a broken lab is a bug in
the lab, not something a learner should discover."""
from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable

from kcore.notebook import session

CONTENT_PACKAGE = "kcore.notebook.labs"


class UnknownScenario(KeyError):
    def __str__(self) -> str:
        return self.args[0] if self.args else "unknown scenario"


class ScenarioError(RuntimeError):
    """A recipe step failed; the message holds the step and what it printed."""


@dataclass(frozen=True)
class Scenario:
    name: str
    title: str
    recipe: Callable[["Lab"], None]
    description: str = ""
    tasks: tuple[str, ...] = ()
    cluster_options: dict = field(default_factory=dict)


class Lab:
    """A running scenario: its cluster plus recipe helpers that fail loudly.

    `lab.kubectl(...)`, `lab.apply(yaml)`, `lab.ssh(node, cmd)` and `lab.advance(s)` return
    the engine's result and raise ScenarioError when a command exits non-zero (pass
    check=False for steps that are expected to fail)."""

    def __init__(self, scenario: Scenario, cluster: Any):
        self.scenario = scenario
        self.cluster = cluster

    @property
    def name(self) -> str:
        return self.scenario.name

    def __repr__(self) -> str:
        return f"<Lab {self.name!r}: {self.scenario.title}>"

    def kubectl(self, args: str | list[str], stdin: str = "", check: bool = True) -> Any:
        result = self.cluster.kubectl(args, stdin=stdin)
        return self._checked(f"kubectl {args if isinstance(args, str) else ' '.join(args)}", result, check)

    def apply(self, manifest: str, check: bool = True) -> Any:
        return self.kubectl("apply -f -", stdin=manifest, check=check)

    def ssh(self, node: str, command: str, stdin: str = "", check: bool = True) -> Any:
        return self._checked(f"ssh {node} {command}", self.cluster.ssh(node, command, stdin=stdin), check)

    def advance(self, seconds: float) -> None:
        self.cluster.advance(seconds)

    def _checked(self, what: str, result: Any, check: bool) -> Any:
        if check and getattr(result, "returncode", 0) != 0:
            raise ScenarioError(
                f"scenario {self.name!r}: step `{what}` exited {result.returncode}\n"
                f"{getattr(result, 'stdout', '')}{getattr(result, 'stderr', '')}")
        return result


_REGISTRY: dict[str, Scenario] = {}
_content_loaded = False
_content_errors: dict[str, str] = {}


def register(item: Scenario) -> Scenario:
    """Add a scenario; a second one with the same name is a mistake and raises ValueError."""
    existing = _REGISTRY.get(item.name)
    if existing is not None and existing.recipe is not item.recipe:
        raise ValueError(f"scenario {item.name!r} is already registered")
    _REGISTRY[item.name] = item
    return item


def scenario(name: str, title: str = "", *, description: str = "", tasks: Iterable[str] = (),
             **cluster_options: Any) -> Callable[[Callable[[Lab], None]], Callable[[Lab], None]]:
    """Decorator: register the decorated recipe under `name`. Extra keyword arguments are
    passed to the cluster constructor (e.g. workers=1)."""
    def wrap(recipe: Callable[[Lab], None]) -> Callable[[Lab], None]:
        register(Scenario(name, title or name, recipe, description or (recipe.__doc__ or "").strip(),
                          tuple(tasks), dict(cluster_options)))
        return recipe
    return wrap


def load_content() -> None:
    """Import every module of kcore.notebook.labs once (they register scenarios and hints)."""
    global _content_loaded
    if _content_loaded:
        return
    _content_loaded = True
    package = importlib.import_module(CONTENT_PACKAGE)
    for info in pkgutil.iter_modules(package.__path__, CONTENT_PACKAGE + "."):
        try:
            importlib.import_module(info.name)
        except Exception as exc:  # one broken chapter must not hide the others' labs
            _content_errors[info.name] = f"{type(exc).__name__}: {exc}"


def names() -> list[str]:
    load_content()
    return sorted(_REGISTRY)


def get(name: str) -> Scenario:
    load_content()
    try:
        return _REGISTRY[name]
    except KeyError:
        broken = "".join(f"\n(lab module {module} failed to import: {error})"
                         for module, error in sorted(_content_errors.items()))
        raise UnknownScenario(f"no scenario named {name!r}; known scenarios: {', '.join(sorted(_REGISTRY))}"
                              + broken) from None


def start(name: str, cluster_factory: Callable[..., Any] | None = None, **cluster_options: Any) -> Lab:
    """Build a fresh cluster, apply the scenario's recipe, make it the current cluster."""
    item = get(name)
    if cluster_factory is None:
        from kcore import Cluster as cluster_factory  # late: the engine is heavy
    options = {**item.cluster_options, **cluster_options}
    lab = Lab(item, cluster_factory(**options))
    item.recipe(lab)
    session.use(lab.cluster)
    return lab


@scenario("blank", "A fresh cluster: controlplane, node01 and node02, all Ready")
def _blank(lab: Lab) -> None:
    """Nothing but what kubeadm and the add-ons set up."""
