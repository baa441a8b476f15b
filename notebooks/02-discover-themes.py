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
# # 02 — Discover themes
#
# Find what participants talk about without a codebook (inductive coding): fit a theme
# model on their segments, read each theme's keywords and quotes, curate the themes
# (rename, merge, split, drop noise), compare their prevalence between groups of
# participants, and save the curated model and the themes worth keeping as codes, so the
# next run of the study uses them.
#
# Data flow: `segments → ThemeModel → themes (label, keywords, size, prevalence, quotes) →
# curated themes → prevalence by group → <study>/theme_model + codebook.yaml`.

# %%
import shutil
import tempfile
from pathlib import Path

import pandas as pd
from IPython.display import Image, display

from insights import summarize as S
from insights.codebook import Codebook, load_codebook
from insights.datasets import sample_study_path
from insights.report.plots import heatmap
from insights.study import load_study, read_outputs, read_study
from insights.summarize import theme_prevalence
from insights.themes import ThemeModel, label_problems, themes_from_context

pd.set_option("display.max_colwidth", 100)
columns = ["theme_id", "label", "keywords", "size", "prevalence", "participants"]
columns += ["dwellers", "talk_share", "stability"]

# %% [markdown]
# ## The segments
# The segments table of the last `insights run` when there is one; otherwise the
# transcripts are read here. This notebook writes into the study folder (the curated
# model and the codebook): the bundled sample study ships inside the package, so on it
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
tables = read_outputs(study.output_dir)
segments = tables["segments"] if "segments" in tables else read_study(study)[0]
print(
    f"{study.name}: {len(segments)} segments "
    f"from {segments['transcript_id'].nunique()} transcripts; "
    f"writing into {study_path}"
)

# %% [markdown]
# ## Fit the theme model
# Only participant speech is fitted: interviewer turns, backchannels ("yeah", "mm-hm")
# and segments under four words are left out, and each left-out segment says why. The
# segments are embedded (MiniLM), reduced with PCA and clustered with k-means; the
# number of themes grows with the data (about `sqrt(segments / 5)`). The seed comes from
# `study.yaml`, so the same transcripts give the same themes.

# %%
model = ThemeModel(random_state=study.config.random_state).fit(segments)
model.assignments_["excluded"].replace("", "(fitted)").value_counts()

# %% [markdown]
# ## The themes
# One row per theme, largest first: a readable label (the phrase most distinctive of the
# theme's segments, in their words: "Engineer didn't turn up", "Price rise"), its
# keywords, `size` in segments, `prevalence` as the share of participants who speak about
# it, and `participants`. Mentions alone rarely tell themes
# apart (most people touch most themes), so `dwellers` counts the people who *dwell* on a
# theme (two or more segments, above their own average per theme) and `talk_share` is the
# mean share of a person's talk it takes. `stability` (0-1) is how well the theme comes
# back when the clustering is refitted on 80% resamples: below 0.5 it is an accident of
# this sample, so merge or drop it knowingly. Filler and talk about the interview itself
# ("does that make sense?") are not a theme: they are `excluded` as `generic` / `meta`.

# %%
model.themes_[columns]

# %% [markdown]
# A sentence of mixed talk ("I couldn't believe it.", "Two years of misery.") has no
# topic of its own: `insights run` gives it the theme of the nearest sentence of its turn
# that has a named one (`themes_from_context`; the `theme_from` column names that
# sentence). The themes as the run reports them:

# %%
in_context = themes_from_context(model.assignments_, segments, model.themes_)
model.summarize(segments, in_context)[columns]

# %% [markdown]
# Quotes make a theme: the segments nearest to its centre, one per participant first.

# %%
for row in model.themes_[model.themes_["theme_id"] != -1].head(6).itertuples():
    print(f"\n{row.theme_id} · {row.label} — {row.size} segments, {row.participants} people")
    for quote in row.quote_texts.split(" | ")[:3]:
        print(f"  “{quote}”")

# %% [markdown]
# The label checks a researcher would make (`label_problems`), given each theme's own
# segments: no label repeats a lemma ("Pick meals, meal"), glues two heads ("Work &
# choosing"; "X and Y" only when the segments say them together), is a generic noun
# without a modifier ("Project"), an -ing form of a wrong lemma ("Hatting"), filler
# only, a person's name or another language, and no two themes share one. A theme none
# of its keywords names is labelled "Mixed talk: …" (talk with no single topic): merge
# it into a neighbour or drop it (`model.drop([theme_id])`) knowingly.

# %%
members = model.assignments_.groupby("theme_id")["segment_id"].apply(set)
text_of = dict(zip(segments["segment_id"], segments["text"], strict=True))
labels = model.labels_
{
    lab: label_problems(
        lab,
        others=[x for k, x in labels.items() if k != t],
        texts=[text_of[s] for s in members.get(t, ())],
    )
    for t, lab in labels.items()
}

# %% [markdown]
# ## Which way each theme went
# After a whole `insights run` (emotions and triggers), `theme_stance.csv` tells each
# theme's segments going wrong (negative) from those going right (positive) and neither,
# with the people behind them and what each side says in the words of its triggers
# (`insights.summarize.theme_stance`): "Engineer: 11 segments going wrong (“His engineer
# didn't turn up”), 20 going right". `themes_sides.csv` (`insights.themes.theme_sides`)
# keeps the sides that 3+ segments of 2+ people take, each with a short phrase of its own
# ("Old copper line", "Waiting in for the engineer"), its people and segment ids; going
# wrong counts grievances only (anger, annoyance, disappointment, disgust, sadness, grief).

# %%
stance = tables.get("theme_stance")
if stance is None:
    print("No theme_stance.csv yet: run `insights run` on the study (it needs emotions).")
else:
    display(stance.pivot_table(index="theme", columns="stance", values="n_segments"))
    display(stance[stance["stance"] != "neutral"][["theme", "stance", "n_segments", "what"]])
sides = tables.get("themes_sides")
if sides is not None:
    display(sides[["theme", "stance", "phrase", "n_segments", "n_people"]])

# %% [markdown]
# ## Curate the themes
# Edits keep the theme ids: a split gives the new part a new id, a merge keeps the
# smallest id, a dropped theme's segments become outliers (`-1`). So that this notebook
# runs on any study it picks the themes from the data; in your study, read the table and
# the quotes above and write the ids and labels yourself, e.g. `model.rename(3, "Price rise")`.
#
# **Split** the largest theme in two: large themes often hold two topics.

# %%
largest = int(model.themes_.loc[model.themes_["theme_id"] != -1, "theme_id"].iloc[0])
model.split(largest, 2)
new_part = max(model.labels_)
model.themes_.loc[model.themes_["theme_id"].isin([largest, new_part]), [*columns, "quote_texts"]]

# %% [markdown]
# The split labels each part from its own segments' phrases, as the fit does. A label is
# still yours to write after reading the quotes: **rename** the two parts (here their
# three top keywords stand in for what you would write).

# %%
keywords = model.themes_.set_index("theme_id")["keywords"].str.split("; ")
model.rename(
    {
        largest: " / ".join(keywords[largest][:3]).capitalize(),
        new_part: " / ".join(keywords[new_part][:3]).capitalize(),
    }
)
model.themes_.loc[model.themes_["theme_id"].isin([largest, new_part]), columns]

# %% [markdown]
# **Merge** the two themes whose centres are closest: the most similar pairs are the
# candidates (leaving out the two parts just split); read their labels and keywords
# before merging.

# %%
pairs = model.similar_themes(top=None)
split_parts = pairs["theme_a"].isin([largest, new_part]) | pairs["theme_b"].isin(
    [largest, new_part]
)
pairs = pairs[~split_parts].head(5).reset_index(drop=True)
pairs

# %%
merged, gone = int(pairs.loc[0, "theme_a"]), int(pairs.loc[0, "theme_b"])
model.merge([merged, gone], label=f"{pairs.loc[0, 'label_a']} & {pairs.loc[0, 'label_b']}")
model.themes_.loc[model.themes_["theme_id"] == merged, columns]

# %% [markdown]
# **Drop noise**: a theme of small talk ("fine", "I thought so") says nothing about the
# experience. Here the stand-in for reading is the untouched theme whose segments are
# shortest on average; check its quotes before you drop one.

# %%
fitted = model.assignments_[model.assignments_["theme_id"] != -1].merge(
    segments[["segment_id", "text"]], on="segment_id"
)
words = (
    fitted.assign(words=fitted["text"].str.split().str.len()).groupby("theme_id")["words"].mean()
)
noise = int(words.drop(index=[largest, new_part, merged]).idxmin())
print(f"{noise} · {model.labels_[noise]} — {words[noise]:.1f} words per segment on average")
for quote in model.themes_.set_index("theme_id").loc[noise, "quote_texts"].split(" | ")[:3]:
    print(f"  “{quote}”")

# %%
model.drop([noise])
model.themes_[columns]

# %% [markdown]
# ## Prevalence by group
# The share of participants in each group who speak about each theme (a person counts
# once per theme, however often they raise it). Groups come from the participant sheet;
# `n` is the number of people in the group.

# %%
attributes = S.attribute_columns(segments)
group = "segment" if "segment" in attributes else attributes[0]
prevalence = theme_prevalence(model.assignments_, segments, by=group, themes=model.themes_)
prevalence = prevalence.assign(
    theme=prevalence["theme_id"].astype(str) + " · " + prevalence["label"],
    group=prevalence[group].astype(str)
    + " (n="
    + prevalence["group_participants"].astype(str)
    + ")",
)
order = [
    f"{t} · {label}"
    for t, label in model.themes_.loc[model.themes_["theme_id"] != -1, ["theme_id", "label"]].values
]
wide = prevalence.pivot(index="theme", columns="group", values="share").reindex(order).fillna(0)
wide.style.format("{:.0%}")

# %%
Image(
    heatmap(
        list(wide.index),
        list(wide.columns),
        wide.values.tolist(),
        fmt="{:.0%}",
        max_rows=len(wide),
        max_columns=wide.shape[1],
        title=f"Share of participants who raise each theme, by {group}",
    )
)

# %% [markdown]
# ## Save the curated model
# `insights run` finds `<study>/theme_model` and assigns every transcript, new waves
# included, to these themes without refitting: the theme ids and your labels stay the
# same from wave to wave, so the waves can be compared (`insights run --refit-themes`
# fits afresh). Loading it back gives the same themes.

# %%
saved_to = model.save(study_path / "theme_model")
reloaded = ThemeModel.load(saved_to)
print(
    f"saved {len(reloaded.labels_)} themes to {saved_to}; "
    f"same ids and labels: {reloaded.labels_ == model.labels_}"
)

# %% [markdown]
# ## Keep themes as codes
# A theme worth tracking becomes a code in the codebook (its label as the name, its
# keywords, a definition and example quotes), so the next `insights run` codes every
# segment with it. Here: the merged theme, unless a code has its name already; list the
# ids you chose. Refine each new code's definition and keywords in `codebook.yaml` before
# the next run (a generic keyword would code half the study); saving rewrites the
# file, so comments in it are not kept.

# %%
book = load_codebook(study.codebook_path) if study.codebook_path else Codebook(name=study.name)
taken = {name.casefold() for name in book.names}
chosen = [t for t in [merged] if model.labels_[t].casefold() not in taken]
new_codes = model.to_codes(chosen)
pd.DataFrame(
    [
        {"code": c.name, "definition": c.definition, "keywords": ", ".join(c.keywords)}
        for c in new_codes
    ]
)

# %%
book = book.with_codes(new_codes)
book.save(study_path / "codebook.yaml")
print(f"{len(book)} codes in {study_path / 'codebook.yaml'}: {len(new_codes)} new from themes")
