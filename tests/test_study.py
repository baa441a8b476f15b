"""Study folders: configuration, participants, the run, run.json, safe outputs, pseudonymisation."""

from __future__ import annotations

import json
from html import unescape

import pandas as pd
import pytest

from insights.io import load_participants
from insights.schema import ConfigError, InputError, OutputError
from insights.study import load_config, load_study, run

CORE = ["codes", "emotions", "themes", "triggers"]


def core_skip():
    return list(CORE)


def test_stages_in_order():
    from insights.study import stage_names

    assert stage_names() == ["segments", *CORE, "report"]


def test_config_defaults_and_unknown_keys(tmp_path):
    assert load_config(tmp_path / "missing.yaml").segment_by == "sentence"
    p = tmp_path / "study.yaml"
    p.write_text("name: x\nsegmentby: turn\n")
    with pytest.raises(
        ConfigError, match=r"unknown key 'segmentby'.*Fix: use one of: name, provider, language"
    ):
        load_config(p)
    p.write_text("transcripts:\n  textcolumn: body\n")
    with pytest.raises(ConfigError, match=r"unknown key 'transcripts.textcolumn'.*text_column"):
        load_config(p)
    p.write_text("segment_by: word\n")
    with pytest.raises(ConfigError, match=r"field 'segment_by'"):
        load_config(p)
    p.write_text("name: [unclosed\n")
    with pytest.raises(ConfigError, match=r"study.yaml, line \d+: is not valid YAML"):
        load_config(p)


def test_participants_checks(write):
    with pytest.raises(
        InputError, match=r"has no 'participant_id' column \(columns: id, segment\)"
    ):
        load_participants(write("p.csv", "id,segment\nP1,new\n"))
    with pytest.raises(InputError, match=r"row 3: participant_id 'P1' appears more than once"):
        load_participants(write("p2.csv", "participant_id,segment\nP1,new\nP1,old\n"))
    df = load_participants(
        write("p3.csv", "participant_id,tenure_months,segment\nP1,3,new\nP2,40,\n")
    )
    assert df["tenure_months"].tolist() == [3, 40] and df["segment"].tolist()[0] == "new"


def test_load_study_errors(tmp_path):
    with pytest.raises(InputError, match="is not a study folder"):
        load_study(tmp_path / "nope")
    (tmp_path / "transcripts").mkdir()
    with pytest.raises(InputError, match="has no transcripts"):
        load_study(tmp_path)


def test_run_writes_outputs_and_run_json(study_copy, tmp_path):
    out = tmp_path / "out"
    result = run(study_copy, out=out, skip=core_skip())
    assert {"segments.csv", "skipped.csv", "report.html", "run.json"} <= set(result.files)
    seg = pd.read_csv(out / "segments.csv")
    assert len(seg) == result.counts["segments"] and seg["segment_id"].is_unique
    info = json.loads((out / "run.json").read_text())
    assert info["counts"]["transcripts"] == 12 and info["counts"]["participants"] == 20
    assert info["packages"]["pandas"] == pd.__version__
    assert set(info["timings"]) >= {"segments", "report", "total"}
    assert len(info["inputs"]) == 12 and all(len(i["sha256"]) == 64 for i in info["inputs"])
    assert {i["format"] for i in info["inputs"]} >= {"text", "docx", "vtt", "srt", "csv", "json"}
    html = (out / "report.html").read_text()
    assert "Kestrel Fibre customer experience study" in html and "P20" in html
    assert not list(out.glob(".staging-*"))
    # transcripts are never modified
    assert sorted(p.name for p in (study_copy / "transcripts").iterdir()) == sorted(
        i["file"] for i in info["inputs"]
    )


def test_failed_run_leaves_previous_outputs(study_copy, tmp_path):
    out = tmp_path / "out"
    run(study_copy, out=out, skip=core_skip())
    before = (out / "segments.csv").read_bytes()
    (study_copy / "transcripts" / "zz_empty.txt").write_text("")
    with pytest.raises(InputError, match="zz_empty.txt: the file is empty"):
        run(study_copy, out=out, skip=core_skip())
    assert (out / "segments.csv").read_bytes() == before
    assert not list(out.glob(".staging-*"))


def test_unwritable_output_is_an_error_before_work(study_copy, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(OutputError, match="cannot write to the output folder"):
        run(study_copy, out=blocker / "out")


def test_unknown_stage_to_skip(study_copy, tmp_path):
    with pytest.raises(ConfigError, match="unknown stage"):
        run(study_copy, out=tmp_path / "o", skip=["nonsense"])


@pytest.mark.slow
def test_pseudonymised_run(study_copy, tmp_path):
    (study_copy / "study.yaml").write_text(
        (study_copy / "study.yaml").read_text() + "pseudonymise: true\n", encoding="utf-8"
    )
    out = tmp_path / "out"
    run(study_copy, out=out, skip=core_skip())
    seg = pd.read_csv(out / "segments.csv")
    text = " ".join(seg["text"].astype(str))
    for name in (
        "Aisha",
        "Rahman",
        "Gareth",
        "Kwame",
        "Sam Patel",
        "aisha.r@example.com",
        "07700 900",
    ):
        assert name not in text, name
    assert "[email]" in text and "[phone]" in text
    assert (
        "Kestrel" in text and "Person 1" in text
    )  # the brand stays; other names (NER) get pseudonyms
    assert "Aisha" not in set(seg["speaker"].astype(str)) and "P01" in set(
        seg["speaker"].astype(str)
    )
    key = pd.read_csv(study_copy / "private" / "pseudonym_key.csv")
    assert {"participant", "staff"} <= set(key["kind"])
    assert not (out / "pseudonym_key.csv").exists()
    # the key is reused: a second run gives the same pseudonymised text
    run(study_copy, out=out, skip=core_skip())
    assert pd.read_csv(out / "segments.csv")["text"].tolist() == seg["text"].tolist()


def test_no_speakers_where_some_were_configured(study_copy, tmp_path):
    (study_copy / "transcripts" / "zz_unlabelled.txt").write_text(
        "just some words\nand more words\n"
    )
    with pytest.raises(
        InputError,
        match=r"zz_unlabelled.txt: no speaker labels were found.*require_speakers: false",
    ):
        run(study_copy, out=tmp_path / "o", skip=core_skip())
    with open(study_copy / "study.yaml", "a", encoding="utf-8") as fh:
        fh.write("transcripts:\n  require_speakers: false\n")
    result = run(study_copy, out=tmp_path / "o", skip=core_skip())
    seg = result.tables["segments"]
    rows = seg[seg["transcript_id"] == "zz_unlabelled"]
    assert rows["text"].tolist() == ["just some words", "and more words"]
    assert (rows["role"] == "unknown").all()


@pytest.mark.slow
def test_full_run_then_rerun_after_a_new_transcript_keeps_ids_and_decisions(ran_study):
    # the first run is the session's whole run of the sample study (conftest.sample_run_dir)
    study_copy, out = ran_study, ran_study / "output"
    first = json.loads((out / "run.json").read_text())
    contract = {
        "segments.csv",
        "codes.csv",
        "themes.csv",
        "assignments.csv",
        "emotions.csv",
        "triggers.csv",
        "drivers.csv",
        "needs.csv",
        "theme_stance.csv",
        "themes_sides.csv",
        "report.html",
        "report.md",
        "report.docx",
        "workbook.xlsx",
        "study.qdpx",
        "run.json",
    }
    assert contract <= {p.name for p in out.iterdir()}
    seg = pd.read_csv(out / "segments.csv", dtype=str)
    emo = pd.read_csv(out / "emotions.csv", dtype={"segment_id": str})
    trig = pd.read_csv(out / "triggers.csv", dtype={"segment_id": str, "cause_segment_id": str})
    # every output joins on segment_id; emotions cover exactly the participant (and
    # unknown-speaker) segments
    analysed = set(seg.loc[seg["role"].isin(["participant", "unknown"]), "segment_id"])
    assert set(emo["segment_id"]) == analysed
    assert (
        len(trig) > 0
        and set(trig["segment_id"]) <= analysed
        and set(trig["cause_segment_id"]) <= set(seg["segment_id"])
    )
    assert set(trig["intent"]) <= {"stay", "leave", "recommend", "warn_others", "none"}
    text = dict(zip(seg["segment_id"], seg["text"], strict=True))
    for r in trig.itertuples():
        assert text[r.cause_segment_id][int(r.cause_start) : int(r.cause_end)] == r.cause_text
    info = json.loads((out / "run.json").read_text())
    assert set(info["timings"]) >= {
        "segments",
        "codes",
        "themes",
        "emotions",
        "triggers",
        "report",
        "total",
    }
    assert info["changes"]["themes"] == "fitted"
    # no code has passed the review gate (no decisions yet), yet the codebook's names name
    # the themes they match: a name is not a count
    assert (pd.read_csv(out / "codes.csv")["status"] == "suggested").all()
    themes = pd.read_csv(out / "themes.csv", keep_default_na=False)
    named = themes.loc[themes["codebook_code"] != "", ["label", "codebook_code"]]
    assert len(named) >= 3 and (named["label"] == named["codebook_code"]).all()
    # a short sentence of mixed talk took the theme of a sentence of its own turn
    assign = pd.read_csv(out / "assignments.csv", dtype=str, keep_default_na=False)
    taken = assign[assign["theme_from"] != ""]
    turn = dict(zip(seg["segment_id"], seg["transcript_id"] + "/" + seg["turn"], strict=True))
    assert len(taken) > 0 and all(
        turn[a] == turn[b] for a, b in zip(taken.segment_id, taken.theme_from, strict=True)
    )

    # a human decision, and a new transcript (a copy of P01 under a new name) arrive
    codes = pd.read_csv(out / "codes.csv", dtype={"segment_id": str})
    model_codes = codes[codes["coder"] != "human"]
    accepted, rejected = model_codes.iloc[0], model_codes.iloc[1]
    pd.DataFrame(
        [
            {
                "segment_id": r["segment_id"],
                "code": r["code"],
                "confidence": c,
                "method": "human",
                "coder": "human",
            }
            for r, c in ((accepted, 1.0), (rejected, 0.0))
        ]
    ).to_csv(study_copy / "decisions.csv", index=False)
    src = next((study_copy / "transcripts").glob("P01*"))
    (study_copy / "transcripts" / ("P21_new" + src.suffix)).write_bytes(src.read_bytes())
    themes_before = pd.read_csv(out / "themes.csv")[["theme_id", "label"]]
    assign_before = pd.read_csv(out / "assignments.csv", dtype={"segment_id": str})

    second = run(study_copy, out=out)
    info = json.loads((out / "run.json").read_text())
    assert info["changes"]["added"] == ["P21_new" + src.suffix] and info["changes"]["parsed"] == 1
    assert info["changes"]["cached"] == 12 and info["changes"]["emotions_cached"] >= len(analysed)
    assert info["changes"]["themes"] == "assigned to the themes of the previous run"
    # the unchanged transcripts' partitions were kept (triggers read no theme or code)
    stages = info["engine"]["stages"]
    for stage in ("reading transcripts", "triggers"):
        assert stages[stage]["cached"] == 12 and stages[stage]["partitions"] == 13, stage
    seg2 = pd.read_csv(out / "segments.csv", dtype=str)
    old = seg2[seg2["segment_id"].isin(seg["segment_id"])]
    assert (
        len(old) == len(seg) and old["text"].tolist() == seg["text"].tolist()
    )  # same ids, same words
    assert second.counts["segments"] > first["counts"]["segments"]
    themes_after = pd.read_csv(out / "themes.csv")[["theme_id", "label"]]
    assert themes_after.merge(themes_before, on=["theme_id", "label"]).shape[0] == len(
        themes_before
    )
    assign_after = pd.read_csv(out / "assignments.csv", dtype={"segment_id": str})
    kept = assign_before.merge(assign_after, on="segment_id", suffixes=("", "_2"))
    assert len(kept) == len(assign_before) and (kept["theme_id"] == kept["theme_id_2"]).all()
    codes2 = pd.read_csv(out / "codes.csv", dtype={"segment_id": str})

    def rows(r):
        return codes2[(codes2["segment_id"] == r["segment_id"]) & (codes2["code"] == r["code"])]

    assert rows(accepted)[["coder", "confidence"]].values.tolist() == [["human", 1.0]]
    assert rows(rejected).empty
    assert "P21_new" in (out / "report.html").read_text()


FRENCH = """Interviewer: Bonjour et merci d'être venue. Comment s'est passée l'installation de la \
fibre chez vous ?

Camille: Franchement, c'était compliqué. Le technicien devait venir mardi, mais personne n'est \
venu et j'ai dû prendre un autre jour de congé. Ensuite la box ne marchait pas le soir.

Interviewer: Et le service client, qu'est-ce qu'ils vous ont dit ?

Camille: J'ai attendu quarante minutes au téléphone avant de parler à quelqu'un, puis on m'a \
transféré deux fois. Je suis très déçue et je pense changer d'opérateur à la fin du contrat.
"""


@pytest.mark.slow
def test_a_transcript_in_another_language_is_named_and_left_out(ran_study):
    # it arrives after a whole run: the other transcripts come from the run's caches
    study_copy, out = ran_study, ran_study / "output"
    (study_copy / "transcripts" / "P21_camille_fr.txt").write_text(FRENCH, encoding="utf-8")
    run(study_copy, skip=["triggers"])
    seg = pd.read_csv(out / "segments.csv")
    fr = seg[seg["transcript_id"] == "p21_camille_fr"]
    assert len(fr) == 8 and set(fr["language"]) == {"fr"}
    assert set(seg.loc[seg["transcript_id"] != "p21_camille_fr", "language"]) == {"en"}
    # a person though participants.csv does not list her
    camille = fr[fr["speaker"] == "Camille"]
    assert set(camille["participant_id"]) == {"p21_camille_fr:Camille"}
    french_ids = set(fr["segment_id"])
    analysed_fr = set(camille["segment_id"])
    emotions = pd.read_csv(out / "emotions.csv", keep_default_na=False)
    left = emotions[emotions["segment_id"].isin(french_ids)]
    assert set(left["segment_id"]) == analysed_fr
    assert set(left["note"]) == {"not scored: transcript in fr; the model reads en"}
    assert set(left["emotions"]) == {""} and set(left["p_anger"]) == {""}
    assert len(emotions) - len(left) == int(seg["role"].isin(["participant", "unknown"]).sum()) - 5
    assignments = pd.read_csv(out / "assignments.csv", keep_default_na=False)
    a = assignments[assignments["segment_id"].isin(french_ids)]
    assert set(a["segment_id"]) == french_ids
    assert set(a["excluded"]) == {"language:fr"} and set(a["theme_id"]) == {-1}
    codes = pd.read_csv(out / "codes.csv")
    assert len(codes) and not set(codes["segment_id"]) & french_ids
    info = json.loads((out / "run.json").read_text())
    assert info["languages"] == {
        "study": "en",
        "transcripts": {"en": 12, "fr": 1},
        "left_out": [
            {
                "transcript_id": "p21_camille_fr",
                "source": "P21_camille_fr.txt",
                "language": "fr",
                "segments": 8,
            }
        ],
    }
    assert info["counts"]["transcripts_not_in_study_language"] == 1
    assert info["counts"]["participants"] == 21
    html = unescape((out / "report.html").read_text(encoding="utf-8"))
    assert (
        "One transcript is not in the study's language, English (en): "
        "P21_camille_fr.txt (French (fr))."
    ) in html


@pytest.mark.slow
def test_pseudonymised_ids_of_speakers_participants_csv_does_not_name(tmp_path):
    study = tmp_path / "s"
    (study / "transcripts").mkdir(parents=True)
    (study / "study.yaml").write_text(
        "name: t\ninterviewers: [Sam Patel]\npseudonymise: true\n", encoding="utf-8"
    )
    (study / "transcripts" / "one.txt").write_text(
        "Sam Patel: Welcome, Jack Breen. How did the switch go for you?\n\n"
        "Jack Breen: I'm Jack Breen and it was slow: the router came two weeks late, and "
        "Jack Breen had to ring them twice before anyone listened.\n",
        encoding="utf-8",
    )
    run(study, out=tmp_path / "out", skip=core_skip())
    seg = pd.read_csv(tmp_path / "out" / "segments.csv")
    ids = set(seg["participant_id"].dropna())
    assert len(ids) == 1 and ids.pop().startswith("one:")
    everything = (tmp_path / "out" / "segments.csv").read_text(encoding="utf-8")
    assert "Jack" not in everything and "Breen" not in everything
