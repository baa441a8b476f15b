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
# # 01 — Load transcripts
#
# Read a study folder into the **segments** table every other notebook uses: who said
# what, when, in which transcript. Check the speakers and their roles, fix what the
# heuristics got wrong, link speakers to participants and join their attributes.
#
# Data flow: `study folder → turns → segments (+ participant attributes)`.

# %%
import pandas as pd

import insights
from insights.segments import set_roles
from insights.study import load_study, read_study

pd.set_option("display.max_colwidth", 120)

# %% [markdown]
# ## The study
# `study.yaml` (validated: an unknown key is an error), the participant sheet and the
# transcript files.

# %%
study = load_study(study_dir)
print(study.name)
study.config

# %%
study.participants

# %%
pd.DataFrame(
    {"file": [f.name for f in study.files], "bytes": [f.stat().st_size for f in study.files]}
)

# %% [markdown]
# ## Turns
# Each file is read by the reader for its format (detected from the content). Every
# word of the source is in a turn, or is structure (labels, timestamps), or is listed as
# skipped with a reason.

# %%
segments, skipped, transcripts = read_study(study)
turns = pd.DataFrame(
    [
        {
            "transcript": t.transcript_id,
            "format": t.format,
            "encoding": t.encoding,
            "turns": len(t.turns),
            "speakers": ", ".join(t.speakers),
            "skipped": len(t.skipped),
        }
        for t in transcripts
    ]
)
turns

# %%
skipped

# %% [markdown]
# ## Segments
# One row per sentence, with stable ids, speaker roles and character offsets into the
# transcript's plain text.

# %%
segments.head(10)

# %%
first = segments["transcript_id"].iloc[0]
print(insights.plain_text(segments, first)[:600])

# %% [markdown]
# ## Speakers and roles
# Roles come from `interviewers:` in `study.yaml`, from labels such as *Interviewer* or
# *Moderator*, or from who asks the most questions. Check them here.

# %%
speakers = (
    segments.groupby(["transcript_id", "speaker", "role"], dropna=False)
    .agg(segments=("segment_id", "size"), participant_id=("participant_id", "first"))
    .reset_index()
)
speakers

# %% [markdown]
# A correction, if one is needed: in *P03* the title line "Interviewer: Jess Morgan" was
# read as a turn by a speaker called *Interviewer*. Both are the researcher; the line
# is kept (nothing is dropped), and its role stays *interviewer*. To change a role:

# %%
fixed = set_roles(segments, {"Interviewer": "interviewer"}, transcript_id="p03_priya")
fixed.loc[fixed["transcript_id"] == "p03_priya"].groupby("speaker")["role"].first()

# %% [markdown]
# ## Participants and their attributes
# Speakers are linked to `participant_id` by name; the attributes of `participants.csv`
# are joined onto every segment.

# %%
participant_rows = fixed[fixed["role"] == "participant"]
unlinked = participant_rows[participant_rows["participant_id"].isna()]
print(f"{len(participant_rows)} participant segments, {len(unlinked)} not linked to a participant")

# %%
words = participant_rows.assign(words=participant_rows["text"].str.split().str.len())
words.groupby(["segment", "status"])[["words"]].sum().join(
    words.groupby(["segment", "status"])["participant_id"].nunique().rename("participants")
)

# %%
words.groupby("participant_id").agg(
    segment=("segment", "first"),
    channel=("channel", "first"),
    wave=("wave", "first"),
    words=("words", "sum"),
)
