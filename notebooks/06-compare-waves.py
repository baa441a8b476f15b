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
# # 06 — Compare waves
#
# What changed since the last wave of interviews: which codes, themes, emotions and
# drivers grew or shrank, whether the change is more than chance at this sample size
# (Fisher's exact test on people per wave, suited to small counts), and the quotes
# that illustrate it.
#
# Data flow: `segments (wave) + labels → people per wave → Fisher exact + BH q-values → quotes`.

# %%

import pandas as pd
from IPython.display import Image

from insights import summarize as S
from insights.report.content import EvidenceBook
from insights.report.plots import change_chart
from insights.study import load_study, load_tables

pd.set_option("display.max_colwidth", 100)

# %% [markdown]
# ## Waves
# From `study.yaml` (`waves:`), or the `wave` column of participants.csv.

# %%
study = load_study(study_dir)
tables = load_tables(study)
segments = tables["segments"]
waves = S.wave_order(segments, [w.id for w in study.config.waves])
people = S.participant_segments(segments).assign(person=S.person_key(segments))
people.groupby("wave").agg(
    transcripts=("transcript_id", "nunique"),
    people=("person", "nunique"),
    segments=("segment_id", "size"),
)

# %% [markdown]
# ## Codes and themes across waves
# `n_a/base_a` → `n_b/base_b`: people with the label out of the people heard in each
# wave. `direction` says *grew* / *shrank* only when p < 0.05.

# %%
kinds = {"codes": S.code_labels(tables.get("codes"))}
if "assignments" in tables:
    kinds["themes"] = S.theme_labels(tables["assignments"], tables.get("themes"))[
        ["segment_id", "label"]
    ]
if "emotions" in tables:
    kinds["emotions"] = S.emotion_labels(tables["emotions"])
if "triggers" in tables:
    kinds["leave drivers"] = S.trigger_labels(tables["triggers"], intent="leave")
changes = pd.concat(
    [S.compare_waves(labels, segments, waves=waves, kind=kind) for kind, labels in kinds.items()],
    ignore_index=True,
)
changes.drop(columns=["evidence_a", "evidence_b", "test"]).head(20)

# %%
codes_change = changes[changes["kind"] == "codes"]
png = change_chart(
    list(codes_change["label"]),
    list(codes_change["change_pp"]),
    list(codes_change["p_value"] < 0.05),
    title=f"Codes: change from wave {waves[0]} to wave {waves[-1]}",
)
Image(png)

# %% [markdown]
# ## What the change sounds like
# For the three largest changes: quotes from the wave where the label is more common.

# %%
book = EvidenceBook(segments, per_entry=2)
for row in (
    changes.assign(size=changes["change_pp"].abs())
    .sort_values("size", ascending=False)
    .head(3)
    .itertuples()
):
    grew = row.change_pp > 0
    evidence = row.evidence_b if grew else row.evidence_a
    print(
        f"\n{row.kind}: “{row.label}” {'grew' if grew else 'shrank'} "
        f"{row.n_a}/{row.base_a} → {row.n_b}/{row.base_b} (p = {row.p_value:.3f})"
    )
    for quote in book.quotes(evidence, k=2).quotes:
        print(f"  “{quote.text}” — {quote.who}, {quote.attrs}")
