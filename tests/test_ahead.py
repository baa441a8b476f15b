"""The themes' content words read ahead in a thread: the same exclusions as read in the stage."""

from __future__ import annotations

import pandas as pd
import pytest

from insights.study._ahead import fitting_model, read_ahead
from insights.study._config import load_study
from insights.study._stages import RunContext
from insights.themes import ThemeModel, model_exclusions


def _ctx(study, out, segments, **kw) -> RunContext:
    ctx = RunContext(study=load_study(study), stage_dir=out / "staging", **kw)
    ctx.tables["segments"] = segments
    return ctx


def test_read_ahead_gives_the_stage_the_same_exclusions(tmp_path, sample_run_dir):
    segments = pd.read_csv(sample_run_dir / "output" / "segments.csv")
    ctx = _ctx(sample_run_dir, tmp_path / "out", segments)
    read_ahead(ctx)
    assert "themes" in ctx.ahead
    model = fitting_model(ctx)  # waits for the thread
    assert ctx.ahead == {}
    assert len(model.__dict__.get("_exclusions_kept", {})) == 1  # the study's, kept
    reason, content = model_exclusions(model, segments)
    fresh = ThemeModel(random_state=ctx.study.config.random_state, cache_dir=tmp_path / "fresh")
    reason_fresh, content_fresh = model_exclusions(fresh, segments)
    assert reason.tolist() == reason_fresh.tolist()
    assert (reason == "").sum() > 500 and (reason == "generic").sum() > 0
    assert content.words == content_fresh.words
    assert content.rows.tolist() == content_fresh.rows.tolist()


def test_nothing_read_ahead_when_the_themes_stage_does_not_fit(tmp_path, ran_study):
    segments = pd.read_csv(ran_study / "output" / "segments.csv")
    assert (ran_study / "output" / "theme_model" / "insights_themes.json").exists()
    skipped = _ctx(ran_study, tmp_path / "a", segments, skipped=frozenset({"themes"}))
    read_ahead(skipped)
    assert skipped.ahead == {}
    # the last run's theme model in the output folder is assigned to, not refitted
    saved = _ctx(ran_study, ran_study / "output", segments)
    read_ahead(saved)
    assert saved.ahead == {}
    refit = _ctx(ran_study, ran_study / "output", segments, refit_themes=True)
    read_ahead(refit)
    assert "themes" in refit.ahead
    fitting_model(refit)


def test_an_error_of_the_thread_is_raised_by_the_themes_stage(tmp_path, sample_run_dir):
    segments = pd.read_csv(sample_run_dir / "output" / "segments.csv").drop(columns=["text"])
    ctx = _ctx(sample_run_dir, tmp_path / "out", segments)
    read_ahead(ctx)
    with pytest.raises(KeyError, match="text"):
        fitting_model(ctx)
