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
review_size = 40  # codings in the review queue

# %% [markdown]
# # 03 — Code with the codebook
#
# Apply the codebook to every participant segment (keyword rules and semantic
# similarity, each coding with a calibrated confidence), review the least sure codings
# in a widget and accept or reject them (each decision is saved at once and wins over
# the model on every re-run), then see which codes each group of participants brings
# up, which codes go together, and how far the model agrees with you.
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
    ReviewSession,
    ReviewWidget,
    apply_decisions,
    gate_pairs,
    load_codebook,
    review_queue,
)
from insights.datasets import sample_study_path
from insights.report.plots import heatmap
from insights.study import code_study, load_study, read_decisions, read_outputs, read_study
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
# segments, taught by the codebook's examples, turns those scores into a confidence per
# (segment, code), relative to the other codes and standardised over the whole study (a
# code the study hardly has keeps low scores). A keyword rule match (not negated: "not
# expensive" is no match) adds to it. Your decisions so far (`decisions.csv`) then teach
# each code a head over the segment embeddings that starts from that confidence and moves
# only as far as your accepted and rejected codings carry it (a segment you coded is a
# negative for the codes you did not give it, as far as the coder doubts them there).
# Codings at or above the codebook's
# threshold are kept. Filler, talk about the interview and backchannels get no model
# code, and segments too short to be coded by meaning only a keyword match. This is the
# codes stage of `insights run` itself (`code_study`), so the codings here are the run's.
# Keyword matches are kept per text in the study's rule cache (the one `insights run`
# keeps), so a text is lemmatised once.

# %%
decisions_path = study_path / "decisions.csv"
existing = read_decisions(study)
rule_cache = study.output_dir / ".cache" / "rules"
model_codes = code_study(study, segments, codebook=book, decisions=existing, keep_below=0.1)
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
queue.head(review_size)[["segment_id", "code", "confidence", "priority", "disagreement"]]

# %% [markdown]
# ## Accept or reject, in the widget
# One coding at a time: the segment (who says it, in which transcript) between the turns
# before and after it, the proposed code and its definition. **Accept** when the code
# fits, **Reject** when it does not, or pick the code that fits from the list and press
# **Other code** (the proposed one is rejected, yours accepted); **Back** and **Next**
# move without deciding, and a new decision on an item replaces the old one.
#
# Keys: click into the key box under the buttons, then `a` accept, `r` reject, `o` the
# code chosen in the list, `n` next, `p` back (typed there, the keys do not reach the
# notebook's own shortcuts).
#
# Each decision is written to `<study>/decisions.csv` the moment you make it
# (`coder=human` rows, confidence 1 accepted, 0 rejected), so nothing is lost if the
# kernel stops; `insights run` applies them last on every re-run, so they win over the
# model. Run unattended (papermill), the widget is shown and nothing is decided.

# %%
review = ReviewSession(queue.head(review_size), decisions_path, codebook=book)
ReviewWidget(review)

# %% [markdown]
# **When you have reviewed, run the cells from here down** (*Run ▸ Run Selected Cell
# and All Below*): they read the decisions from `decisions.csv`, yours of this session
# and those made before.

# %%
decisions = review.decisions()
print(f"{review.progress_text} here; {len(decisions)} decisions in {decisions_path}")

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
# rejected (until you have decided some, there is nothing to compare). For a real
# reliability check, have a second person code a sample blind
# (e.g. in NVivo or ATLAS.ti from the report's `study.qdpx`; `insights import-qdpx`
# brings their codings back) and compare their rows with the model's the same way.

# %%
reviewed = decisions["segment_id"].unique().tolist()
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
agree = pd.DataFrame(columns=shown)
if reviewed:
    both = pd.concat([kept, codes.assign(coder=HUMAN_CODER)], ignore_index=True)
    agree = agreement(
        both, segments=reviewed, coders=[MODEL_CODER, HUMAN_CODER], min_confidence=0.0
    )
else:
    print("No decisions yet: review in the widget above, then run the cells from there down.")
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
    gate_pairs(segments, book, decisions, cache=rule_cache),
    codes=[c.name for c in book.codes if c.is_codable],
    gate=study.config.code_gate,
)
gate
