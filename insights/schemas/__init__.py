"""Schemas shipped with the package (REFI-QDA QDA-XML 1.0), for offline validation."""

from __future__ import annotations

from pathlib import Path

__all__ = ["path"]


def path(name: str) -> Path:
    """The path of a shipped schema, e.g. ``path("Project.xsd")``."""
    p = Path(__file__).resolve().parent / name
    if not p.exists():
        raise FileNotFoundError(p)
    return p
