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
# # 05 — Segments and personas
#
# Compare groups of participants (segment / persona, status, channel): who we heard,
# and which codes, themes and emotions each group brings up, counted in people, with
# the quotes behind every count.
#
# Data flow: `segments + codes / themes / emotions → prevalence by participant attribute → quotes`.

# %%

import pandas as pd
from IPython.display import Image, display

from insights import summarize as S
from insights.report.content import EvidenceBook
from insights.report.plots import grouped_bar_chart
from insights.study import load_study, load_tables

pd.set_option("display.max_colwidth", 100)

# %% [markdown]
# ## The tables
# The outputs of `insights run` when the study has been run; otherwise the segments
# are read here and coded with the codebook's keyword rules (fast, no embeddings).

# %%
study = load_study(study_dir)
tables = load_tables(study)
segments = tables["segments"]
sorted(tables)

# %% [markdown]
# ## Who we heard
# The participant attributes that make groups, and the people, segments and words per group.

# %%
attributes = S.attribute_columns(segments)
attributes

# %%
people = S.participant_segments(segments).assign(
    person=S.person_key(segments), words=segments["text"].str.split().str.len()
)
for attribute in attributes:
    display(
        people.groupby(attribute).agg(
            people=("person", "nunique"), segments=("segment_id", "size"), words=("words", "sum")
        )
    )

# %% [markdown]
# ## Codes by group
# People in each group with the code at least once (`participants`) out of the people
# in the group (`base`).

# %%
labels = S.code_labels(tables.get("codes"))
if "assignments" in tables:
    labels = pd.concat(
        [
            labels,
            S.theme_labels(tables["assignments"], tables.get("themes"))[["segment_id", "label"]],
        ]
    )
overall = S.prevalence(labels, segments)
overall.drop(columns="evidence").head(15)

# %%
group = "segment" if "segment" in attributes else attributes[0]
by_group = S.crosstab(labels, segments, group)
wide = by_group.pivot(index="label", columns="value", values="share").loc[overall["label"].head(12)]
wide.style.format("{:.0%}")

# %%
groups = list(wide.columns)
png = grouped_bar_chart(
    list(wide.index[:8]),
    [str(g) for g in groups],
    wide.iloc[:8].values.tolist(),
    title=f"Codes by {group}",
)
Image(png)

# %% [markdown]
# ## The quotes behind a difference
# The code whose share differs most between groups, and quotes from each group (one
# per person first).

# %%
spread = (
    by_group.groupby("label")["share"].max() - by_group.groupby("label")["share"].min()
).sort_values(ascending=False)
label = spread.index[0]
book = EvidenceBook(segments, per_entry=3)
for row in by_group[by_group["label"] == label].itertuples():
    print(f"\n{label} — {group} = {row.value}: {row.participants} of {row.base} people")
    for quote in book.quotes(row.evidence, k=3).quotes if row.evidence else []:
        print(f"  “{quote.text}” — {quote.who} ({quote.where})")

# %% [markdown]
# ## Emotions by group (when the emotions stage has run)

# %%
if "emotions" in tables:
    emotion_groups = S.crosstab(S.emotion_labels(tables["emotions"]), segments, group)
    display(
        emotion_groups.pivot(index="label", columns="value", values="share").style.format("{:.0%}")
    )
else:
    print("no emotions.csv yet: run `insights run` with the emotions stage")
