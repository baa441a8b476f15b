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


class StageBar:
    """One bar for a stage: units (segments) done of ``total``, with tqdm's rate and ETA.

    While it is open, the bars of the functions a stage calls (``progress`` and
    :func:`progress_enabled`) are silent, so the screen shows one bar per stage and
    its ETA counts the stage's own units. Used as a context manager; ``update(n)``
    adds ``n`` done units. Nothing is shown when progress is off.
    """

    def __init__(self, desc: str, total: int, *, unit: str = "segment") -> None:
        self.desc, self.total, self.unit = desc, int(total), unit
        self.done = 0
        self._bar = None
        self._was: bool | None = None

    def __enter__(self) -> StageBar:
        global _enabled
        if progress_enabled():
            from tqdm.auto import tqdm

            self._bar = tqdm(
                desc=self.desc, total=self.total, unit=self.unit, leave=False, dynamic_ncols=True
            )
        self._was, _enabled = _enabled, False
        return self

    def update(self, n: int) -> None:
        """``n`` more units done."""
        self.done += int(n)
        if self._bar is not None:
            self._bar.update(int(n))

    def __exit__(self, *exc: object) -> None:
        global _enabled
        _enabled = self._was
        if self._bar is not None:
            self._bar.close()
