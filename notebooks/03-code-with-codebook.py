# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% tags=["parameters"]
study_dir = "../data/sample_study"

# %% [markdown]
# # 03 — Code with the codebook
#
# Apply the codebook to every participant segment (keyword rules and semantic
# similarity, each coding with a calibrated confidence), review the least sure codings
# and accept or reject them (your decisions are saved and win over the model on every
# re-run), then see which codes each group of participants brings up, which codes go
# together, and how far the model agrees with you.
#
# Data flow: `codebook + segments → codes → review → decisions.csv →
# codes × participant attributes, co-occurrence → agreement`.

# %%
import shutil
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
from IPython.display import Image

from insights import summarize as S
from insights.codebook import (
    HUMAN_CODER,
    MODEL_CODER,
    apply_decisions,
    code_segments,
    decide,
    gate_pairs,
    load_codebook,
    review_queue,
)
from insights.datasets import sample_study_path
from insights.io import read_csv_table
from insights.report.plots import heatmap
from insights.study import load_study, read_outputs, read_study
from insights.summarize import ALL_CODES, agreement

pd.set_option("display.max_colwidth", 120)

# %% [markdown]
# ## The study and its codebook
# `codebook.yaml` in the study folder: each code's name, parent, definition and the
# keywords its rules look for. This notebook writes your decisions into the study
# folder (`decisions.csv`); the bundled sample study ships inside the package, so on it
# the notebook works on a scratch copy instead.

# %%
study_path = Path(study_dir)
if study_path.resolve() == sample_study_path().resolve():
    study_path = Path(
        shutil.copytree(
            study_path,
            Path(tempfile.mkdtemp()) / study_path.name,
            ignore=shutil.ignore_patterns("private", ".cache"),
        )
    )
study = load_study(study_path)
book = load_codebook(study_path / "codebook.yaml")
pd.DataFrame(
    [
        {
            "code": c.name,
            "parent": c.parent,
            "definition": c.definition,
            "keywords": ", ".join(c.keywords),
        }
        for c in book.codes
    ]
)

# %% [markdown]
# The segments: those of the last `insights run` when there is one; otherwise the
# transcripts are read here.

# %%
tables = read_outputs(study.output_dir)
segments = tables["segments"] if "segments" in tables else read_study(study)[0]
print(
    f"{study.name}: {len(segments)} segments from {segments['transcript_id'].nunique()} transcripts"
)

# %% [markdown]
# ## Code the segments
# Participant segments only. Each code's definition (and include notes, examples, the
# words of its name) scores every segment; a light model fitted on this study's own
# segments, taught by the codebook's examples and by your decisions so far
# (`decisions.csv`), turns those scores into a confidence per (segment, code), relative
# to the other codes and standardised over the study (a code close to everything is not
# informative). A keyword rule match (not negated: "not expensive" is no match) adds to
# it. Codings at or above the codebook's threshold are kept.

# %%
decisions_path = study_path / "decisions.csv"
existing = read_csv_table(decisions_path) if decisions_path.exists() else None
model_codes = code_segments(segments, book, decisions=existing, keep_below=0.1)
kept = model_codes[model_codes["confidence"] >= book.threshold]
print(
    f"{len(kept)} codings of {kept['segment_id'].nunique()} segments (threshold {book.threshold})"
)
per_code = pd.crosstab(kept["code"], kept["method"]).assign(
    mean_confidence=kept.groupby("code")["confidence"].mean().round(2)
)
per_code.sort_values("mean_confidence")

# %% [markdown]
# ## Review what would teach the model most
# Decisions you made before are applied first, so you are not asked twice. The queue
# puts first the codings a decision would teach most: the least sure (confidence near
# 0.5, including near misses just under the threshold), those where a keyword and the
# model disagree, and codes with few decisions so far; each with the turns before and
# after it.

# %%
keyworded = [c.name for c in book.codes if c.keywords or c.patterns]
queue = review_queue(model_codes, segments, decisions=existing, rule_codes=keyworded)
to_review = queue.head(12)
to_review[["segment_id", "code", "confidence", "priority", "before", "text", "after"]]

# %% [markdown]
# ## Accept or reject
# One `True` (the code fits) or `False` per row above. **Replace the placeholder with
# your reading**: so that this notebook runs unattended on any study, it accepts two rows
# in three. The decisions are `coder=human` rows (confidence 1 accepted, 0 rejected),
# added to `<study>/decisions.csv`; `insights run` applies them last on every re-run, so
# they win over the model.

# %%
accept = [i % 3 != 2 for i in range(len(to_review))]
decisions = decide(
    existing, to_review["segment_id"].tolist(), to_review["code"].tolist(), accept=accept
)
decisions.to_csv(decisions_path, index=False)
print(
    f"{sum(accept)} accepted, {len(accept) - sum(accept)} rejected; "
    f"{len(decisions)} decisions in {decisions_path}"
)

# %% [markdown]
# ## Apply the decisions
# Accepted codings become `coder=human` rows with confidence 1, rejected ones disappear:
# the coded table every later step (and the report) uses.

# %%
codes = apply_decisions(kept, decisions)
codes["coder"].value_counts()

# %% [markdown]
# ## Codes by participant attribute
# The share of people in each group who mention each code at least once (a person
# counts once per code), for every participant attribute worth a crosstab; codes in
# order of overall prevalence.

# %%
labels = S.code_labels(codes)
overall = S.prevalence(labels, segments)
attributes = S.attribute_columns(segments)
by_attribute = (
    pd.concat(
        {
            a: S.crosstab(labels, segments, a).pivot(index="label", columns="value", values="share")
            for a in attributes
        },
        axis=1,
    )
    .reindex(overall["label"])
    .fillna(0)
)
by_attribute.style.format("{:.0%}")

# %%
Image(
    heatmap(
        list(by_attribute.index),
        [f"{a}: {v}" for a, v in by_attribute.columns],
        by_attribute.values.tolist(),
        fmt="{:.0%}",
        max_rows=len(by_attribute),
        max_columns=by_attribute.shape[1],
        title="Share of participants who mention each code, by participant attribute",
    )
)

# %% [markdown]
# ## Codes that go together
# How many segments carry both codes (the diagonal: segments with the code). A child
# code and its parent often go together by design; other frequent pairs point at
# experiences that come up together.

# %%
co = S.co_occurrence(labels)
pairs = co.where(np.triu(np.ones(co.shape, dtype=bool), k=1)).stack().dropna().astype(int)
pairs.sort_values(ascending=False).head(10).rename_axis(["code", "with code"]).rename(
    "segments"
).to_frame()

# %%
top = list(co.index[:10])
Image(
    heatmap(
        [f"{i} · {name}" for i, name in enumerate(top, 1)],
        [str(i) for i in range(1, len(top) + 1)],
        co.loc[top, top].mask(np.eye(len(top), dtype=bool), 0).values.tolist(),
        max_rows=len(top),
        max_columns=len(top),
        title="Segments coded with both codes (the 10 most frequent codes)",
    )
)

# %% [markdown]
# ## Agreement with a human coder
# Cohen's kappa and Krippendorff's alpha, per code and overall, between the model's
# codings and the codings after your review, on the segments you reviewed (every code
# is a yes/no decision per segment). Here the disagreements are the codings you
# rejected. For a real reliability check, have a second person code a sample blind
# (e.g. in NVivo or ATLAS.ti from the report's `study.qdpx`; `insights import-qdpx`
# brings their codings back) and compare their rows with the model's the same way.

# %%
reviewed = decisions["segment_id"].unique().tolist()
both = pd.concat([kept, codes.assign(coder=HUMAN_CODER)], ignore_index=True)
agree = agreement(both, segments=reviewed, coders=[MODEL_CODER, HUMAN_CODER], min_confidence=0.0)
shown = [
    "code",
    "n_segments",
    "both",
    "only_a",
    "only_b",
    "neither",
    "percent_agreement",
    "kappa",
    "alpha",
]
agree.loc[agree["code"] == ALL_CODES, shown]

# %%
judged = agree[(agree["code"] != ALL_CODES) & (agree[["both", "only_a", "only_b"]].sum(axis=1) > 0)]
judged[shown].rename(columns={"only_a": "only_model", "only_b": "only_human"}).sort_values("kappa")

# %% [markdown]
# ## Which codes may be applied alone
# Per code, Krippendorff's alpha between your decisions and the model's answer to each
# of them (a model taught every decision except those of the segment's own fold), with
# a bootstrap interval and the number of decisions behind it. Codes at or above the
# study's gate (`code_gate` in study.yaml, default 0.667) are applied by `insights run`;
# the others are written `status=suggested` and listed apart in the report
# ("needs review").

# %%
gate = S.code_gate(
    gate_pairs(segments, book, decisions),
    codes=[c.name for c in book.codes if c.is_codable],
    gate=study.config.code_gate,
)
gate
