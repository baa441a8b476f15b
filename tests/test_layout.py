"""The package's shape stays as designed: imports run one way, no circle, no private
name crosses a module, no room over 600 lines.

The imports are read from the source (every ``import``, also inside functions, but
not those under ``if TYPE_CHECKING:``), so a lazy import that closes a circle counts.
Each check is also run on a small package written here, to show that it can fail.
"""

from __future__ import annotations

import ast
from pathlib import Path

PKG = Path(__file__).resolve().parents[1] / "insights"
MAX_LINES = 600

#: the floors, from the bottom: a module imports only modules on its own floor or below,
#: and on its own floor only within its own package, except that the analyses may use
#: each other (themes -> codebook, triggers -> emotions) as long as there is no circle.
FLOORS: list[tuple[str, ...]] = [
    ("insights.errors",),
    ("insights.schema", "insights.schemas"),
    (
        "insights._optional",
        "insights._progress",
        "insights._safe",
        "insights._batches",
        "insights._tokens",
    ),
    ("insights._rerun",),
    ("insights.io", "insights.language", "insights.wordforms"),
    ("insights.segments", "insights.nlp", "insights.embed"),
    ("insights.codebook", "insights.themes", "insights.emotions", "insights.triggers"),
    ("insights.summarize",),
    ("insights.report",),
    ("insights.study", "insights.scaffold"),
    ("insights.datasets", "insights.cli", "insights"),
]
ANALYSES = ("insights.codebook", "insights.themes", "insights.emotions", "insights.triggers")
TOP = ("insights", "insights.cli", "insights.datasets", "insights.study")


def module_name(root: Path, path: Path) -> str:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def package_of(root: Path, path: Path) -> str:
    name = module_name(root, path)
    return name if path.name == "__init__.py" else name.rsplit(".", 1)[0]


def imports(root: Path, path: Path, *, with_level: bool = False) -> list[tuple]:
    """``(module, names, line)`` for every import of the package in ``path`` (with
    ``with_level``, a fourth item: whether the import is at module level)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for child in node.body:
                skip.update(range(child.lineno, (child.end_lineno or child.lineno) + 1))
    top, pkg, out = root.name, package_of(root, path), []
    module_level = {id(n) for n in tree.body}
    for n in tree.body:  # imports under a module-level if / try are module level too
        if isinstance(n, (ast.If, ast.Try)):
            module_level |= {id(c) for c in ast.walk(n)}
    for node in ast.walk(tree):
        if getattr(node, "lineno", None) in skip:
            continue
        if isinstance(node, ast.Import):
            out += [
                (a.name, [], node.lineno, id(node) in module_level)
                for a in node.names
                if a.name.split(".")[0] == top
            ]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = pkg.split(".")[: len(pkg.split(".")) - (node.level - 1)]
                mod = ".".join(base + ([node.module] if node.module else []))
            else:
                mod = node.module or ""
            if mod.split(".")[0] != top:
                continue
            names = [a.name for a in node.names]
            if node.module is None:  # from . import x: x is a module
                out += [(f"{mod}.{n}", [], node.lineno, id(node) in module_level) for n in names]
            else:
                out.append((mod, names, node.lineno, id(node) in module_level))
    return out if with_level else [o[:3] for o in out]


def modules(root: Path) -> dict[str, Path]:
    return {module_name(root, p): p for p in sorted(root.rglob("*.py"))}


def long_modules(root: Path) -> dict[str, int]:
    return {
        module_name(root, p): n
        for p in root.rglob("*.py")
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }


def _import_edges(root: Path, *, lazy: bool) -> dict[str, set[str]]:
    """module -> the modules it imports (``lazy``: also imports inside functions)."""
    known = modules(root)

    def resolve(name: str) -> str:
        while name not in known and "." in name:
            name = name.rsplit(".", 1)[0]
        return name

    edges: dict[str, set[str]] = {m: set() for m in known}
    for m, p in known.items():
        for mod, names, _, top_level in imports(root, p, with_level=True):
            if lazy or top_level:
                edges[m] |= {resolve(f"{mod}.{n}") for n in names} | {resolve(mod)}
        edges[m].discard(m)
    return edges


def _cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    state: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(m: str) -> None:
        state[m] = 1
        stack.append(m)
        for t in sorted(edges[m]):
            if state.get(t) == 1:
                found.append(stack[stack.index(t) :] + [t])
            elif t not in state:
                visit(t)
        stack.pop()
        state[m] = 2

    for m in sorted(edges):
        if m not in state:
            visit(m)
    return found


def _room(module: str) -> str:
    """The package a module belongs to at the top.

    For example insights.codebook._rules -> insights.codebook.
    """
    return ".".join(module.split(".")[:2])


def circles(root: Path) -> list[list[str]]:
    """Import circles, counting every import, also one inside a function (a lazy import
    that closes a circle is still a circle): between rooms (the top-level modules and
    packages of the tree, so that rooms stack one way) and between modules."""
    edges = _import_edges(root, lazy=True)
    rooms: dict[str, set[str]] = {}
    for m, targets in edges.items():
        rooms.setdefault(_room(m), set()).update(_room(t) for t in targets if _room(t) != _room(m))
    found = _cycles(rooms) + _cycles(edges)
    return [c for i, c in enumerate(found) if c not in found[:i]]


def floor(module: str) -> tuple[int, str]:
    best = (-1, "")
    for i, names in enumerate(FLOORS):
        for n in names:
            if (module == n or module.startswith(n + ".")) and len(n) > len(best[1]):
                best = (i, n)
    return best


def wrong_way(root: Path) -> list[str]:
    """Imports that go up a floor, sideways into another package, or into study / cli."""
    wrong = []
    for m, p in modules(root).items():
        fm, home = floor(m)
        assert fm >= 0, f"{m} is on no floor of FLOORS: add it"
        for mod, _, line in imports(root, p):
            ft, target = floor(mod)
            up = ft > fm or (ft == fm and target != home and home not in ANALYSES)
            top = target in ("insights.study", "insights.cli") and target != home and m not in TOP
            if up or top:
                wrong.append(f"{m}:{line} imports {mod}")
    return wrong


def analysis_imports_in_report(root: Path) -> list[str]:
    return [
        f"{m}:{line} imports {mod}"
        for m, p in modules(root).items()
        if m.startswith("insights.report")
        for mod, _, line in imports(root, p)
        if any(mod == a or mod.startswith(a + ".") for a in ANALYSES)
    ]


def private_crossings(root: Path) -> list[str]:
    """Imports of a private name, or of a private module, from outside where it lives."""
    wrong = []
    for m, p in modules(root).items():
        pkg = package_of(root, p)
        for mod, names, line in imports(root, p):
            parts = mod.split(".")
            for i, part in enumerate(parts):
                owner = ".".join(parts[:i])  # a private module is private to its package
                if part.startswith("_") and not (pkg == owner or pkg.startswith(owner + ".")):
                    wrong.append(f"{m}:{line} imports the private module {mod}")
            wrong += [
                f"{m}:{line} imports {n} from {mod}"
                for n in names
                if n.startswith("_") and not n.startswith("__")
            ]
    return wrong


# --------------------------------------------------------------------------- the package


def test_every_module_is_under_600_lines():
    assert long_modules(PKG) == {}


def test_no_import_circle():
    assert circles(PKG) == []


def test_imports_run_one_way_and_nothing_imports_study_or_cli():
    assert wrong_way(PKG) == []


def test_report_imports_no_analysis():
    assert analysis_imports_in_report(PKG) == []


def test_no_private_name_crosses_a_module():
    assert private_crossings(PKG) == []


# --------------------------------------------------------------------------- the checks can fail


def _fake(tmp_path: Path, files: dict[str, str]) -> Path:
    root = tmp_path / "insights"
    for name, text in files.items():
        f = root / name
        f.parent.mkdir(parents=True, exist_ok=True)
        f.write_text(text, encoding="utf-8")
    return root


def test_checks_find_a_lazy_circle_a_wrong_way_import_and_private_names(tmp_path):
    root = _fake(
        tmp_path,
        {
            "__init__.py": "",
            "study.py": "def run():\n    from .report import write\n",
            "report/__init__.py": (
                "def write():\n    from ..study import run\n    from insights.themes import fit\n"
            ),
            "themes/__init__.py": "from ._model import fit\n",
            "themes/_model.py": "from insights.io._base import words\n\ndef fit():\n    pass\n",
            "io/__init__.py": "",
            "io/_base.py": "def words():\n    pass\n",
            "segments.py": "from insights.codebook import _prepare\n" + "x = 1\n" * 601,
            "codebook/__init__.py": "_prepare = 1\n",
        },
    )
    assert circles(root) == [["insights.report", "insights.study", "insights.report"]]
    assert wrong_way(root) == [
        "insights.report:2 imports insights.study",
        "insights.segments:1 imports insights.codebook",
    ]
    assert analysis_imports_in_report(root) == ["insights.report:3 imports insights.themes"]
    assert private_crossings(root) == [
        "insights.segments:1 imports _prepare from insights.codebook",
        "insights.themes._model:1 imports the private module insights.io._base",
    ]
    assert long_modules(root) == {"insights.segments": 602}


def test_a_lazy_import_inside_a_package_makes_a_circle_too(tmp_path):
    root = _fake(
        tmp_path,
        {
            "__init__.py": "",
            "themes/__init__.py": "from ._model import fit\nfrom ._content import words\n",
            "themes/_model.py": "from ._content import words\n\ndef fit():\n    pass\n",
            "themes/_content.py": "def words():\n    pass\n",
        },
    )
    assert circles(root) == []
    assert private_crossings(root) == []
    (root / "themes" / "_content.py").write_text(
        "def words():\n    from ._model import fit\n", encoding="utf-8"
    )
    assert circles(root) == [
        ["insights.themes._content", "insights.themes._model", "insights.themes._content"]
    ]
