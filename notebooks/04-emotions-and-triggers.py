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
# # 04 — Emotions and triggers
#
# What customers feel, what caused it, and whether it pushes them to stay, leave or
# recommend: the emotion mix by segment, one participant's emotional journey, the
# trigger → emotion → intent chains with their quotes, and the leave and stay drivers.
#
# Data flow: `segments → emotions (28 GoEmotions labels, Ekman group, valence) → triggers
# (cause span, theme, intent) → drivers and delight / baseline needs`.

# %%

import pandas as pd
from IPython.display import Image, display

from insights import summarize as S
from insights.emotions import get_emotion_model, score_emotions
from insights.report.plots import bar_chart, heatmap, journey_chart
from insights.schema import analysed_rows
from insights.study import load_study, load_tables
from insights.triggers import find_triggers, segment_intents

pd.set_option("display.max_colwidth", 120)

# %% [markdown]
# ## The tables
# The outputs of `insights run` when the study has been run. Otherwise the segments are
# read here, coded with the codebook's keyword rules (fast, no embeddings), and the
# participant segments scored with the emotion model that ships with insights (a
# MiniLM fine-tuned on GoEmotions; it runs on the CPU, nothing is downloaded).

# %%
study = load_study(study_dir)
tables = load_tables(study)
codebook = tables.get("codebook")
segments = tables["segments"]
analysed = analysed_rows(segments)
if "emotions" not in tables:
    tables["emotions"] = score_emotions(analysed, model=get_emotion_model())
emotions = tables["emotions"]
emotions[["segment_id", "emotions", "ekman", "valence", "intensity"]].head()

# %% [markdown]
# Every scored segment has the 28 label scores (`p_admiration` … `p_neutral`); the
# labels above their tuned thresholds are in `emotions`. A segment that was not scored
# (empty text) or read only in part (very long text) says why in `note`.

# %%
notes = emotions["note"].fillna("")
notes[notes != ""].value_counts().head()

# %% [markdown]
# ## Emotion mix by segment
# How many people in each participant segment expressed each emotion (Ekman groups,
# neutral left out), as a share of the people in the segment.

# %%
labels = S.emotion_labels(emotions)
by = "segment" if "segment" in segments.columns else S.attribute_columns(segments)[0]
mix = S.crosstab(labels, segments, by)
mix_wide = mix.pivot(index="label", columns="value", values="share").round(2)
mix_wide

# %%
display(
    Image(
        heatmap(
            list(mix_wide.index),
            [str(c) for c in mix_wide.columns],
            (100 * mix_wide).round().values.tolist(),
            title=f"Emotions by {by}: % of people who express each",
            fmt="{:.0f}%",
        )
    )
)

# %% [markdown]
# ## Triggers: what caused each emotion
# For every emotional participant segment, the cause: a span in the same turn ("…
# *because the engineer never showed up*") or in an earlier turn (the interviewer's
# question, another focus-group member), the theme or code the cause belongs to, and
# the intent the segment expresses (`stay`, `leave`, `recommend`, `warn_others`, `none`).
# The intents are computed once, every participant segment read with the segments before
# it (whose provider it is about); a trigger's `intent` is its segment's intent when its
# confidence reaches `INTENT_FLOOR`, the one drivers count.

# %%
if "intents" not in tables:
    tables["intents"] = segment_intents(
        segments, analysed["segment_id"].astype(str).tolist(), provider=study.config.provider_names
    )
intents = tables["intents"]
if "triggers" not in tables:
    tables["triggers"] = find_triggers(
        segments,
        emotions=emotions,
        codes=tables.get("codes"),
        themes=tables.get("themes"),
        assignments=tables.get("assignments"),
        model=get_emotion_model(),
        intents=intents,
    )
triggers = tables["triggers"]
chains = triggers.merge(segments[["segment_id", "participant_id", "text"]], on="segment_id")
chains["same_segment"] = chains["segment_id"] == chains["cause_segment_id"]
chains[["participant_id", "cause_text", "theme", "emotion", "intent", "text"]].head(10)

# %% [markdown]
# How far back causes lie, and the chains that end in an intent to leave or to stay.

# %%
chains["same_segment"].value_counts().rename(
    {True: "cause in the same segment", False: "cause in an earlier segment"}
)

# %%
for intent in ["leave", "warn_others", "stay", "recommend"]:
    chosen = chains[chains["intent"] == intent].sort_values("confidence", ascending=False).head(3)
    display(
        chosen[
            ["participant_id", "cause_text", "theme", "emotion", "intent", "text"]
        ].style.set_caption(f"intent: {intent}")
    )

# %% [markdown]
# ## One participant's emotional journey
# The participant with the most emotional segments, followed through the stages of
# their story (each segment's top-level code from the codebook), with the valence of
# each stage and its most intense quote.

# %%
emotional = emotions[~emotions["ekman"].isin(["neutral", ""]) & emotions["ekman"].notna()]
person = (
    emotional.merge(segments[["segment_id", "participant_id"]], on="segment_id")["participant_id"]
    .value_counts()
    .index[0]
)
parents = {c.name: c.parent for c in codebook.codes} if codebook is not None else None
trip = S.journey(segments, emotions, person=person, codes=tables.get("codes"), parents=parents)
trip = trip.merge(
    segments[["segment_id", "text"]].rename(columns={"segment_id": "quote_id", "text": "quote"}),
    on="quote_id",
)
trip[["step", "stage", "valence", "top_emotion", "n_segments", "quote"]]

# %%
display(
    Image(
        journey_chart(
            list(trip["stage"]),
            list(trip["valence"].fillna(0)),
            annotations=list(trip["top_emotion"].where(trip["top_emotion"] != "neutral", "")),
            title=f"Emotional journey of {person}",
        )
    )
)

# %% [markdown]
# ## Leave and stay drivers
# Themes of the triggers with their stance, ranked by how strongly they go with an intent
# to leave (or to stay / recommend) across people; `label` names each by its theme and
# what its side says ("Phone support: “I waited fifty minutes”"), so a theme can be a
# leave and a stay driver under two labels: `rate` is the share of people naming the driver who
# show the intent, `base_rate` the share of everyone, `score` their shrunk difference.
# The intent of every participant segment counts, not only the emotional ones; its
# `kind` says whether it was done, intended, conditional or reported of someone else.
# `n_chains` counts triggers followed by the intent from the same person within their
# next two segments (trigger → emotion → intent); those come first among the quotes.
# When participants.csv says who left (a `status` column of churned / retained, or
# study.yaml's `outcome:`), that is what the drivers are tested against.
#
# A person names a driver by a trigger (a feeling and its cause) or by a calm account:
# a segment with no feeling that tells of the theme going wrong or right ("nobody came",
# "the refund came the next day"), read by a small model over the MiniLM embeddings
# (`S.told_stances`; it finds about a third of such accounts, see
# `insights/models/events/README.md`).

# %%
from insights.embed import get_embedder
from insights.schema import outcome_column

told = dict(
    zip(
        analysed["segment_id"].astype(str),
        S.told_stances(analysed["text"].astype(str).tolist(), get_embedder()),
        strict=True,
    )
)
events = S.told_events(
    emotions,
    told,
    codes=S.applied_codes(tables.get("codes")),
    themes=tables.get("themes"),
    assignments=tables.get("assignments"),
    segments=segments,
)
events["stance"].value_counts()

# %%

outcome = outcome_column(segments, study.config.outcome)
print(
    "who left and stayed:", f"participants.csv column {outcome!r}" if outcome else "stated intents"
)
ranked = S.drivers(
    triggers,
    segments,
    intents=intents,
    events=events,
    themes=tables.get("themes"),
    outcome=outcome,
    by="segment" if "segment" in segments.columns else None,
)
top = ranked[ranked["group"].astype(str) == "all"].groupby("direction").head(5)
top[
    [
        "direction",
        "label",
        "n_participants",
        "n_with_intent",
        "rate",
        "base_rate",
        "score",
        "n_chains",
        "top_emotion",
        "quote_text",
    ]
]

# %%
shown = top[top["n_with_intent"] > 0]
display(
    Image(
        bar_chart(
            [f"{d} → {x}" for d, x in zip(shown["label"], shown["direction"], strict=True)],
            list(shown["n_with_intent"]),
            title="Drivers: people who name it and show the intent",
            xlabel="people",
        )
    )
)

# %% [markdown]
# ## Delight or baseline
# A need noticed mainly when it fails (mostly negative emotion, little delight) is
# *baseline*; one that produces surprise, joy or gratitude is *delight*. The counts and
# quotes are the evidence for the label; `topic` is the thing inside the theme that two
# or more people said the need of in words ("lock" in "Access and entry").

# %%
if "needs" not in tables:
    tables["needs"] = S.baseline_delight(
        emotions,
        segments=segments,
        triggers=triggers,
        codes=tables.get("codes"),
        themes=tables.get("themes"),
        assignments=tables.get("assignments"),
    )
cols = ["theme", "topic", "kind", "n_emotional", "n_negative", "n_delight", "negative_text"]
tables["needs"][[c for c in cols if c in tables["needs"].columns]]  # older runs: no topic
