"""Progress bars for long stages (tqdm: terminal and notebooks), silenced in one place."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from typing import TypeVar

T = TypeVar("T")

_enabled: bool | None = None


def set_progress(enabled: bool) -> None:
    """Show (True) or hide (False) progress bars for this process.

    The environment variable ``INSIGHTS_PROGRESS=0`` hides them too.
    """
    global _enabled
    _enabled = bool(enabled)


def progress_enabled() -> bool:
    if _enabled is not None:
        return _enabled
    return os.environ.get("INSIGHTS_PROGRESS", "1") not in ("0", "false", "no", "off")


def progress(
    iterable: Iterable[T], *, desc: str, total: int | None = None, unit: str = "it"
) -> Iterator[T]:
    """Wrap ``iterable`` in a progress bar when progress is on.

    The bar never shows any text of the items.
    """
    if not progress_enabled():
        yield from iterable
        return
    from tqdm.auto import tqdm

    yield from tqdm(iterable, desc=desc, total=total, unit=unit, leave=False, dynamic_ncols=True)
