"""Every module whose docstrings have an Examples section: the examples run and give what
they show (the module list is found from the source, so a new module is checked too)."""

from __future__ import annotations

import doctest
import importlib
import re
from pathlib import Path

import pytest

PKG = Path(__file__).resolve().parents[1] / "insights"
EXAMPLES = re.compile(r"^\s*Examples\n\s*-{8}", re.M)


def _name(path: Path) -> str:
    parts = list(path.relative_to(PKG.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = sorted(
    _name(p) for p in PKG.rglob("*.py") if EXAMPLES.search(p.read_text(encoding="utf-8"))
)


def test_the_modules_with_examples_are_found():
    assert {
        "insights",
        "insights.schema",
        "insights.summarize",
        "insights.codebook",
        "insights.themes",
        "insights.triggers",
        "insights.emotions",
    } <= set(MODULES)
    assert len(MODULES) >= 25


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0
    assert result.attempted > 0, f"{name} has an Examples section whose examples are all skipped"
