"""The layers of design.md ("Layout") hold: core < workflows < domains < portal, bench apart.

The checker reads every module of the project with ``ast``, imports inside functions
and under ``if TYPE_CHECKING:`` included, and reports an import of a higher layer,
an import across domains, an import of bench, and any cycle between modules. The
tests below run it on the project, and on small made-up projects that break each
rule, so that a checker that cannot fail would be caught too.
"""

from __future__ import annotations

import ast
import pathlib
import re
import textwrap
from dataclasses import dataclass, field

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
LAYER = {"core": 0, "workflows": 1, "portal": 3}
DOMAINS = ("party", "decisions", "seals", "personnel", "subsidies", "safety")
LAYER.update(dict.fromkeys(DOMAINS, 2))
SKIP = {"migrations", "tests", ".venv", "node_modules", "static", "staticfiles", "media"}


@dataclass
class Report:
    against: list[str] = field(default_factory=list)
    cycles: list[list[str]] = field(default_factory=list)
    imports_in_functions: list[str] = field(default_factory=list)


def _modules(root: pathlib.Path) -> dict[str, pathlib.Path]:
    found = {}
    paths = [p for top in sorted({*LAYER, "bench"}) if (root / top).is_dir()
             for p in (root / top).rglob("*.py")]
    for path in paths:
        rel = path.relative_to(root)
        if set(rel.parts) & SKIP or rel.parts[0] not in {*LAYER, "bench"}:
            continue
        found[".".join(rel.with_suffix("").parts).removesuffix(".__init__")] = path
    return found


def _resolve(modules: dict[str, pathlib.Path], node: ast.ImportFrom, current: str) -> str:
    if not node.level:
        return node.module or ""
    package = current if modules[current].name == "__init__.py" else current.rpartition(".")[0]
    parts = package.split(".")
    if node.level > 1:
        parts = parts[: len(parts) - (node.level - 1)]
    return ".".join(parts + ([node.module] if node.module else []))


def _target(modules: dict[str, pathlib.Path], name: str) -> str | None:
    parts = name.split(".")
    while parts:
        if ".".join(parts) in modules:
            return ".".join(parts)
        parts.pop()
    return None


def check(root: pathlib.Path) -> Report:
    modules = _modules(root)
    edges: dict[str, set[str]] = {}
    report = Report()
    for name, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        inside = {id(n) for fn in ast.walk(tree)
                  if isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef)
                  for n in ast.walk(fn)}
        outs: set[str] = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = _resolve(modules, node, name)
                names = [f"{base}.{a.name}" for a in node.names] + [base]
            else:
                continue
            targets = {t for n in names if (t := _target(modules, n)) and t != name}
            if targets and id(node) in inside:
                report.imports_in_functions.append(f"{name}:{node.lineno}")
            outs |= targets
        edges[name] = outs
    for src, outs in sorted(edges.items()):
        for dst in sorted(outs):
            a, b = src.split(".")[0], dst.split(".")[0]
            if a == b:
                continue
            if b == "bench":
                report.against.append(f"{src} imports {dst}: nothing imports bench")
            elif a == "bench":
                continue
            elif LAYER[b] > LAYER[a]:
                report.against.append(f"{src} imports {dst}: {a} is below {b}")
            elif a in DOMAINS and b in DOMAINS:
                report.against.append(f"{src} imports {dst}: across domains")
    report.cycles = _cycles(edges)
    return report


def _cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on: set[str] = set()
    stack: list[str] = []
    out: list[list[str]] = []
    counter = 0
    for start in sorted(edges):
        if start in index:
            continue
        work = [(start, iter(sorted(edges.get(start, ()))))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on.add(start)
        while work:
            v, children = work[-1]
            for w in children:
                if w not in index:
                    index[w] = low[w] = counter
                    counter += 1
                    stack.append(w)
                    on.add(w)
                    work.append((w, iter(sorted(edges.get(w, ())))))
                    break
                if w in on:
                    low[v] = min(low[v], index[w])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[v])
                if low[v] == index[v]:
                    comp = []
                    while True:
                        w = stack.pop()
                        on.discard(w)
                        comp.append(w)
                        if w == v:
                            break
                    if len(comp) > 1:
                        out.append(sorted(comp))
    return out


def test_the_project_keeps_its_layers_and_has_no_cycle():
    report = check(ROOT)
    assert report.against == []
    assert report.cycles == []


def test_imports_inside_functions_say_why():
    """An import inside a function is kept only where it truly loads something lazily,
    and says so on its line."""
    unexplained = []
    for where in check(ROOT).imports_in_functions:
        module, _, line = where.partition(":")
        path = _modules(ROOT)[module]
        text = path.read_text(encoding="utf-8").splitlines()[int(line) - 1]
        if "#" not in text and not module.startswith("bench."):
            unexplained.append(f"{where}: {text.strip()}")
    assert unexplained == []


def _project(tmp_path: pathlib.Path, files: dict[str, str]) -> pathlib.Path:
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return tmp_path


CLEAN = {
    "core/__init__.py": "",
    "core/models.py": "X = 1\n",
    "workflows/__init__.py": "",
    "workflows/gate.py": "from core.models import X\n",
    "party/__init__.py": "",
    "party/effects.py": "from workflows.gate import X\n",
    "portal/__init__.py": "",
    "portal/views.py": "from party.effects import X\nfrom workflows import gate\n",
}


def test_a_clean_made_up_project_passes(tmp_path):
    report = check(_project(tmp_path, CLEAN))
    assert report.against == [] and report.cycles == []


@pytest.mark.parametrize(("extra", "found"), [
    ({"core/scope.py": "def f():\n    from workflows.gate import X\n"},
     "core.scope imports workflows.gate: core is below workflows"),
    ({"workflows/pages.py": "import portal.views\n"},
     "workflows.pages imports portal.views: workflows is below portal"),
    ({"seals/effects.py": "from party.effects import X\n", "seals/__init__.py": ""},
     "seals.effects imports party.effects: across domains"),
    ({"portal/urls.py": "from bench import run\n", "bench/__init__.py": "",
      "bench/run.py": ""},
     "portal.urls imports bench: nothing imports bench"),
])
def test_each_broken_rule_is_found(tmp_path, extra, found):
    report = check(_project(tmp_path, {**CLEAN, **extra}))
    assert found in report.against


def test_a_cycle_hidden_in_a_function_is_found(tmp_path):
    report = check(_project(tmp_path, {
        **CLEAN,
        "workflows/gate.py": "from core.models import X\nfrom workflows import notify\n",
        "workflows/notify.py": "def send():\n    from workflows.gate import X  # lazily\n",
    }))
    assert report.cycles == [["workflows.gate", "workflows.notify"]]


# --- one module decides visibility ------------------------------------------------------------

# role sets and scope tests: a set of roles written out, or a test of a held role's level
VISIBILITY_RULE = re.compile(
    r"frozenset\(\{Role\.|\bAUDIT_ROLES\b|\bDISTRICT_SEE_ALL\b|\bDISTRICT_AUDITORS\b"
    r"|\bh(eld)?\.level\s*(==|in)|\bsubtree_paths\b|\bdistrict_procedures\b")


def test_visibility_rules_live_in_one_module():
    offenders = []
    for name, path in _modules(ROOT).items():
        if name == "workflows.visibility" or name.startswith("bench."):
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if VISIBILITY_RULE.search(line):
                offenders.append(f"{name}:{number}: {line.strip()}")
    assert offenders == []
