"""Transcript languages: detection, the one rule that leaves other languages out, the summary."""

from __future__ import annotations

import pandas as pd

from insights.io import RawTurn, Transcript
from insights.language import detect_language, language_summary, transcript_language
from insights.schema import analysed_rows, language_exclusions
from insights.segments import build_segments

FR = (
    "Le technicien devait venir mardi, mais personne n'est venu et j'ai dû prendre un autre "
    "jour de congé. Ensuite la box ne marchait pas le soir."
)
DE = "Der Techniker sollte am Dienstag kommen, aber niemand ist erschienen und ich musste warten."


def test_detect_language_names_languages_and_declines_short_text():
    assert detect_language(FR) == "fr" and detect_language(DE) == "de"
    assert detect_language("The router came two weeks late and nobody told me why it did.") == "en"
    assert detect_language("Oui, bien sûr.") is None  # too short to tell
    assert transcript_language(["Bonjour.", FR]) == "fr"


def test_segments_carry_the_transcript_language():
    t = Transcript(
        "fr1",
        "fr1.txt",
        "text",
        "utf-8",
        turns=[RawTurn("Interviewer", "Bonjour ?"), RawTurn("Camille", FR)],
    )
    seg = build_segments(t)
    assert set(seg["language"]) == {"fr"}
    assert set(build_segments(t, language="en")["language"]) == {"en"}  # given, not detected
    tiny = Transcript("x", "x.txt", "text", "utf-8", turns=[RawTurn("Ann", "Fine.")])
    assert build_segments(tiny)["language"].isna().all()


def test_one_rule_leaves_other_languages_out():
    seg = pd.DataFrame(
        {
            "transcript_id": ["a", "a", "b", "c"],
            "source": ["a.txt", "a.txt", "b.txt", "c.txt"],
            "role": ["interviewer", "participant", "participant", "participant"],
            "language": ["en", "en", "fr", None],
            "text": ["How?", "Fine.", "Bien.", "Ok."],
        }
    )
    assert language_exclusions(seg, "en").tolist() == ["", "", "language:fr", ""]
    assert analysed_rows(seg, language="en")["text"].tolist() == ["Fine.", "Ok."]
    assert analysed_rows(seg, language="fr")["text"].tolist() == ["Bien.", "Ok."]
    assert language_summary(seg, "en") == {
        "study": "en",
        "transcripts": {"?": 1, "en": 1, "fr": 1},
        "left_out": [{"transcript_id": "b", "source": "b.txt", "language": "fr", "segments": 1}],
    }
    # a table without the column: nothing is left out
    assert language_exclusions(seg.drop(columns="language"), "en").eq("").all()


def test_the_unpacked_language_model_is_kept_once_per_machine(tmp_path, monkeypatch):
    from insights.language import _identifier

    monkeypatch.setenv("INSIGHTS_CACHE_DIR", str(tmp_path))
    text = "Ich war sehr enttäuscht vom Kundenservice der Bank."
    first = _identifier.__wrapped__()  # unpacks langid's shipped model and keeps the arrays
    kept = list((tmp_path / "langid").glob("model-*.pkl"))
    assert len(kept) == 1 and kept[0].stat().st_size > 1_000_000
    again = _identifier.__wrapped__()  # from the kept copy
    assert again.classify(text) == first.classify(text) and first.classify(text)[0] == "de"
    kept[0].write_bytes(b"damaged")  # a damaged copy is unpacked again, not an error
    assert _identifier.__wrapped__().classify(text) == first.classify(text)
    assert kept[0].stat().st_size > 1_000_000
