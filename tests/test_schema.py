"""The shared rules of insights.schema, and the stages that must give the same answers.

One segment-id fallback, one "who is analysed", one "who is a person" and one
prevalence: each is pinned here against every place that used to have its own.
"""

from __future__ import annotations

import pandas as pd

from insights import summarize as S
from insights.codebook import Code, Codebook, code_segments
from insights.embed import HashEmbedder
from insights.schema import ANALYSED_ROLES, analysed_rows, person_key, segment_ids
from insights.segments import assign_roles
from insights.themes import ThemeModel

TEXTS = {
    "price": [
        "the monthly price went up again",
        "the bill price is too high now",
        "price rise on my bill this year",
        "they put the price up on the bill",
    ],
    "engineer": [
        "the engineer never turned up for the appointment",
        "engineer appointment was cancelled twice",
        "the engineer was late and left a mess",
        "waited all day for the engineer",
    ],
    "wifi": [
        "wifi drops in the back bedroom every night",
        "the wifi signal is weak upstairs",
        "wifi keeps cutting out during video calls",
        "the wifi signal drops every evening",
    ],
}


def bare_table() -> pd.DataFrame:
    """Participants' answers with no ids at all, as a researcher might paste them."""
    texts = [t + suffix for ts in TEXTS.values() for t in ts for suffix in ("", " indeed")]
    return pd.DataFrame({"text": texts})


def test_segment_ids_fall_back_to_id_then_the_row_number_from_zero():
    df = pd.DataFrame({"text": ["a", "b"]}, index=[7, 9])
    assert segment_ids(df).tolist() == ["0", "1"]
    assert segment_ids(df).index.tolist() == [7, 9]
    assert segment_ids(df.assign(id=[5, 6])).tolist() == ["5", "6"]
    assert segment_ids(df.assign(id=[5, 6], segment_id=["x", "y"])).tolist() == ["x", "y"]


def test_coding_and_theme_fitting_of_one_id_less_table_give_ids_that_join():
    bare = bare_table()
    book = Codebook(
        name="t",
        codes=[
            Code(name="Price", keywords=["price"]),
            Code(name="Engineer", keywords=["engineer"]),
        ],
    )
    codes = code_segments(bare, book, methods=("rule",))
    model = ThemeModel(n_themes=3, embedder=HashEmbedder(), random_state=0, representation=()).fit(
        bare
    )
    ids = set(segment_ids(bare))
    assert set(model.assignments_["segment_id"]) == ids
    assert set(codes["segment_id"]) == {
        str(i) for i, t in enumerate(bare["text"]) if "price" in t or "engineer" in t
    }
    assert set(codes["segment_id"]) <= ids


def test_analysed_rows_are_participants_and_unknown_speakers():
    seg = pd.DataFrame({"role": ["participant", "interviewer", "unknown", "moderator", None]})
    assert ANALYSED_ROLES == ("participant", "unknown")
    assert analysed_rows(seg).index.tolist() == [0, 2, 4]
    assert analysed_rows(seg.drop(columns="role")).index.tolist() == [0, 1, 2, 3, 4]


def test_a_person_is_the_participant_id_else_transcript_and_speaker():
    seg = pd.DataFrame(
        {
            "transcript_id": ["a", "a", "a", "b", "b", "c"],
            "speaker": [None, "Ann", "Bo", None, None, "Cy"],
            "participant_id": [None, None, "P2", None, None, ""],
        }
    )
    # a title line before the first label in a labelled transcript is nobody's;
    # an unlabelled transcript is one person
    assert person_key(seg).tolist() == [None, "a:Ann", "P2", "b:?", "b:?", "c:Cy"]


def test_a_label_that_names_nobody_adds_no_person():
    seg = pd.DataFrame(
        {
            "transcript_id": ["a", "a", "a", "b", "b", "c"],
            "speaker": ["Jack", "Unknown Speaker", "unknown", "?", "Crosstalk", "Speaker 2"],
            "participant_id": None,
        }
    )
    # Otter's "Unknown Speaker" beside a named speaker may be him: nobody's; a transcript
    # with only placeholders is one person; a diarised "Speaker 2" is a person
    assert person_key(seg).tolist() == ["a:Jack", None, None, "b:?", "b:?", "c:Speaker 2"]
    roles = assign_roles([("Jack", "Hi."), ("Unknown Speaker", "Yes."), ("?", "No.")])
    assert roles["Unknown Speaker"] == roles["?"] == "unknown" and roles["Jack"] == "participant"


def test_people_counts_agree_across_the_overview_prevalence_and_drivers():
    seg = pd.DataFrame(
        {
            "segment_id": ["t0", "t1", "t2", "t3", "u0", "u1"],
            "transcript_id": ["t", "t", "t", "t", "u", "u"],
            "session_type": "interview",
            "speaker": [None, "Sam", "Ann", "Ann", "Sam", "Bo"],
            "role": [
                "unknown",
                "interviewer",
                "participant",
                "participant",
                "interviewer",
                "participant",
            ],
            "participant_id": None,
            "text": [
                "Interview with Ann",
                "How was it?",
                "The price went up.",
                "I left.",
                "And you?",
                "The price is fine.",
            ],
        }
    )
    assert S.overview(seg)["participants"] == 2
    assert S.participant_segments(seg)["segment_id"].tolist() == ["t2", "t3", "u1"]
    labels = pd.DataFrame({"segment_id": ["t0", "t2", "u1"], "label": "Price"})
    prev = S.prevalence(labels, seg)
    assert prev[["participants", "base", "segments"]].values.tolist() == [[2, 2, 2]]
    triggers = pd.DataFrame(
        {
            "segment_id": ["t2", "u1"],
            "emotion": "annoyance",
            "theme": "Price",
            "intent": "none",
            "confidence": 0.9,
        }
    )
    intents = pd.DataFrame({"segment_id": ["t3"], "intent": ["leave"]})
    drv = S.drivers(triggers, seg, intents=intents, by=None)
    row = drv[(drv.direction == "leave") & (drv.driver == "Price")].iloc[0]
    assert (row.n_participants, row.n_with_intent) == (2, 1)


def test_theme_prevalence_is_the_prevalence_of_the_assignments_and_agrees_with_the_model():
    segs = []
    for k, text in enumerate(t for ts in TEXTS.values() for t in ts):
        for p in range(2):
            segs.append(
                {
                    "segment_id": f"s{k}-{p}",
                    "text": text + (" indeed" if p else ""),
                    "role": "participant",
                    "participant_id": f"P{(k + p) % 5}",
                    "transcript_id": f"t{(k + p) % 5}",
                    "segment": "new" if (k + p) % 5 < 2 else "old",
                }
            )
    seg = pd.DataFrame(segs)
    model = ThemeModel(n_themes=3, embedder=HashEmbedder(), random_state=0, representation=()).fit(
        seg
    )
    themes, a = model.themes_, model.assignments_
    by_group = S.theme_prevalence(a, seg, by="segment", themes=themes)
    lab = S.theme_labels(a, themes)
    direct = S.prevalence(lab.assign(label=lab.theme_id), seg, by="segment")
    assert by_group["share"].tolist() == direct.sort_values(["label", "segment"])["share"].tolist()
    overall = S.prevalence(lab.assign(label=lab.theme_id), seg).set_index("label")["share"]
    fitted = themes[themes.theme_id != -1].set_index("theme_id")["prevalence"]
    assert fitted.to_dict() == overall.loc[fitted.index].to_dict()


def test_person_key_is_computed_once_per_content_and_a_changed_table_gets_its_own_answer():
    from insights import schema

    seg = pd.DataFrame(
        {"transcript_id": ["a", "a", "b"], "speaker": ["Ann", None, "Bo"],
         "participant_id": [None, None, "P2"]},
        index=[10, 11, 12],
    )  # fmt: skip
    first = person_key(seg)
    assert first.tolist() == ["a:Ann", None, "P2"] and first.index.tolist() == [10, 11, 12]
    first.iloc[0] = "changed by the caller"  # the caller's copy: the memo keeps its own
    assert person_key(seg).tolist() == ["a:Ann", None, "P2"]
    assert len(schema._PERSONS) <= 8
    # the same content under another index answers from memory, with that index
    again = person_key(seg.set_index(pd.Index(["x", "y", "z"])))
    assert again.tolist() == ["a:Ann", None, "P2"] and again.index.tolist() == ["x", "y", "z"]
    # a changed cell is another content: its own answer
    seg.loc[11, "speaker"] = "Cy"
    assert person_key(seg).tolist() == ["a:Ann", "a:Cy", "P2"]
    seg.loc[12, "participant_id"] = ""
    assert person_key(seg).tolist() == ["a:Ann", "a:Cy", "b:Bo"]
    for k in range(12):  # many distinct tables: the memo stays small
        person_key(seg.assign(transcript_id=[f"t{k}"] * 3))
    assert len(schema._PERSONS) == 8
