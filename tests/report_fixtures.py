"""Hand-made analysis tables over a segments table, for report and export tests.

Keyword rules stand in for the model stages (codes, themes, emotions, triggers) so
the report tests run in a second without loading any model.
"""

from __future__ import annotations

import pandas as pd

from insights.schema import TRIGGER_COLUMNS

RULES = {
    "Price and billing": ("price", "bill", "expensive", "cheap", "£"),
    "Engineer visit": ("engineer", "appointment"),
    "Outages and dropouts": ("outage", "dropp", "went down", "offline"),
    "Customer support": ("support", "helpline", "on hold", "call centre", "agent"),
}
EMOTIONS = {
    "anger": ("annoy", "furious", "angry", "ridiculous"),
    "joy": ("great", "brilliant", "love", "happy"),
    "sadness": ("disappoint", "sad", "shame"),
}


def fake_tables(segments: pd.DataFrame) -> dict[str, pd.DataFrame]:
    part = segments[segments["role"] == "participant"]
    text = part["text"].str.lower()
    codes, assign = [], []
    for i, (name, words) in enumerate(RULES.items()):
        hit = part[
            text.str.contains("|".join(words), regex=False)
            | text.apply(lambda t, w=words: any(x in t for x in w))
        ]
        for sid in hit["segment_id"]:
            codes.append((sid, name, 0.9, "rule", "insights"))
            assign.append((sid, i, 0.8))
    codes_df = pd.DataFrame(codes, columns=["segment_id", "code", "confidence", "method", "coder"])
    assign_df = pd.DataFrame(
        assign, columns=["segment_id", "theme_id", "probability"]
    ).drop_duplicates("segment_id")
    themes_df = pd.DataFrame(
        {
            "theme_id": range(len(RULES)),
            "label": [n.lower() for n in RULES],
            "keywords": [", ".join(w) for w in RULES.values()],
            "size": [int((assign_df["theme_id"] == i).sum()) for i in range(len(RULES))],
            "prevalence": 0.5,
            "quotes": [
                "; ".join(assign_df.loc[assign_df["theme_id"] == i, "segment_id"].head(3))
                for i in range(len(RULES))
            ],
        }
    )
    emo = []
    for sid, t in zip(part["segment_id"], text, strict=True):
        labs = [e for e, ws in EMOTIONS.items() if any(w in t for w in ws)]
        emo.append(
            (
                sid,
                ";".join(labs) or "neutral",
                labs[0] if labs else "neutral",
                -0.5 if "anger" in labs else 0.3,
                0.7,
            )
        )
    emo_df = pd.DataFrame(emo, columns=["segment_id", "emotions", "ekman", "valence", "intensity"])
    trig = []
    for sid, e in zip(emo_df["segment_id"], emo_df["ekman"], strict=True):
        if e == "neutral":
            continue
        theme = next((c for s, c, *_ in codes if s == sid), "")
        intent = "leave" if e == "anger" else ("stay" if e == "joy" else "none")
        trig.append((sid, e, sid, 0, 10, "the cause", theme, intent, 0.6))
    trig_df = pd.DataFrame(
        trig,
        columns=list(TRIGGER_COLUMNS),
    )
    return {
        "codes": codes_df,
        "themes": themes_df,
        "assignments": assign_df,
        "emotions": emo_df,
        "triggers": trig_df,
    }
