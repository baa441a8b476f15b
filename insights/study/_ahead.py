"""The themes' content words read ahead, beside the emotion model's pass: both cores busy.

The emotions stage runs the emotion network (ONNX Runtime, which leaves Python's lock
while it computes), and the themes stage then reads every segment it will fit with
spaCy's tagger and entity recogniser (one Python thread). The second does not depend on
the first, so the emotions stage starts it in a thread (:func:`read_ahead`) and the
themes stage takes the model that holds its result (:func:`fitting_model`): the same
call on the same rows, made earlier, so every table stays the same. Only when the
themes stage will fit (no saved theme model, or ``--refit-themes``).
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..schema import language_exclusions

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from ._stages import RunContext

__all__ = ["theme_segments", "saved_theme_model", "read_ahead", "fitting_model"]


def theme_segments(ctx: RunContext) -> tuple[pd.DataFrame, pd.Series]:
    """The segments the themes read (the study's language), and why the others are left out."""
    everything = ctx.tables["segments"]
    other = language_exclusions(everything, ctx.study.config.language)
    return everything[other == ""], other


def saved_theme_model(ctx: RunContext) -> Path | None:
    """The theme model the themes stage assigns to (the study's, else the last run's), if any."""
    curated, previous = ctx.study.path / "theme_model", ctx.stage_dir.parent / "theme_model"
    return next((p for p in (curated, previous) if (p / "insights_themes.json").exists()), None)


def _new_model(ctx: RunContext) -> Any:
    from ..themes import ThemeModel

    cfg = ctx.study.config  # a label never names the provider ("Member at Ridgeway")
    return ThemeModel(
        random_state=cfg.random_state,
        cache_dir=ctx.cache("content"),
        provider_names=cfg.provider or cfg.provider_names,
    )


def read_ahead(ctx: RunContext) -> None:
    """Start reading the content words of the segments the themes stage will fit, in a thread.

    Nothing when the themes stage is skipped or assigns to a saved model.
    """
    if "themes" in ctx.skipped or (saved_theme_model(ctx) is not None and not ctx.refit_themes):
        return
    from ..themes import model_exclusions

    model = _new_model(ctx)
    segments = theme_segments(ctx)[0]
    done: dict[str, BaseException] = {}

    def work() -> None:
        try:  # kept on the model: its fit asks for the same rows
            model_exclusions(model, segments)
        except BaseException as exc:  # raised by the themes stage, as it would be there
            done["error"] = exc

    thread = threading.Thread(target=work, name="insights-content-words", daemon=True)
    thread.start()
    ctx.ahead["themes"] = (model, thread, done)


def fitting_model(ctx: RunContext) -> Any:
    """The theme model to fit: the one read ahead (its thread waited for), else a new one."""
    if "themes" not in ctx.ahead:
        return _new_model(ctx)
    model, thread, done = ctx.ahead.pop("themes")
    thread.join()
    if "error" in done:
        raise done["error"]
    return model
