"""Tests of insights.emotions: the table contract with a stand-in model, and the real model."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from insights.emotions import (
    EKMAN,
    EKMAN_GROUPS,
    EMOTION_COLUMNS,
    LABELS,
    EmotionModel,
    calibrated_scores,
    decide_calibrated,
    decide_labels,
    ekman_scores,
    group_scores,
    language_note,
    normalize_emotion,
    score_emotions,
    valence_intensity,
)
from insights.schema import InputError, SchemaError, spoken_words


class FakeModel:
    """Scores by keyword: 'angry' -> anger, 'thanks' -> gratitude, else neutral."""

    max_windows = 4
    max_len_ = 64

    def __init__(self):
        self.seen: list[str] = []
        self.thresholds_ = np.full(len(LABELS), 0.5, dtype=np.float32)
        self.ekman_thresholds_ = np.full(len(EKMAN_GROUPS), 0.5, dtype=np.float32)

    def score(self, texts):
        self.seen.extend(texts)
        p = np.full((len(texts), len(LABELS)), 0.01, dtype=np.float32)
        for i, t in enumerate(texts):
            if "angry" in t:
                p[i, LABELS.index("anger")] = 0.9
                p[i, LABELS.index("annoyance")] = 0.6
            elif "thanks" in t:
                p[i, LABELS.index("gratitude")] = 0.95
            else:
                p[i, LABELS.index("neutral")] = 0.8
        n_windows = [1 + len(t) // 300 for t in texts]
        return p, group_scores(p), n_windows, [w > self.max_windows for w in n_windows]

    def decide(self, p, g=None):
        return decide_labels(p, self.thresholds_, self.ekman_thresholds_, g)


def test_labels_and_groups_cover_goemotions():
    assert len(LABELS) == 28 and LABELS[0] == "admiration" and LABELS[-1] == "neutral"
    grouped = sorted(lab for g in EKMAN_GROUPS for lab in EKMAN[g])
    assert grouped == sorted(LABELS)
    assert EMOTION_COLUMNS[:5] == ("segment_id", "emotions", "ekman", "valence", "intensity")
    assert EMOTION_COLUMNS[5] == "p_admiration" and EMOTION_COLUMNS[-2] == "p_neutral"


def test_score_emotions_table_contract():
    df = pd.DataFrame(
        {
            "segment_id": ["a", "b", "c", "d", "e"],
            "text": [
                "I was so angry with them",
                "thanks to them it works again",
                "   ",
                "The bill came on Monday",
                "Okay, thanks, really.",
            ],
        }
    )
    before = df.copy()
    out = score_emotions(df, model=FakeModel())
    pd.testing.assert_frame_equal(df, before)  # input untouched
    assert list(out.columns) == list(EMOTION_COLUMNS)
    assert out["segment_id"].tolist() == ["a", "b", "c", "d", "e"]
    assert out.loc[0, "emotions"] == "anger;annoyance" and out.loc[0, "ekman"] == "anger"
    assert out.loc[1, "emotions"] == "gratitude" and out.loc[1, "ekman"] == "joy"
    assert out.loc[3, "emotions"] == "neutral" and out.loc[3, "ekman"] == "neutral"
    assert out.loc[0, "valence"] < 0 < out.loc[1, "valence"]
    assert out.loc[0, "intensity"] == pytest.approx(0.9)
    # empty text is kept, not scored, and says why
    assert out.loc[2, "note"] == "not scored: empty or whitespace-only text"
    assert np.isnan(out.loc[2, "p_anger"]) and out.loc[2, "emotions"] == ""
    assert out.loc[0, "note"] == ""
    # a courtesy formula is neutral whatever the model says, and the note says why
    assert out.loc[4, ["emotions", "ekman"]].tolist() == ["neutral", "neutral"]
    assert out.loc[4, "note"].startswith("courtesy formula") and out.loc[4, "valence"] == 0.0
    assert out.loc[4, "p_gratitude"] == pytest.approx(0.95)


def test_missing_text_column_is_a_schema_error():
    with pytest.raises(SchemaError, match="no column 'text'"):
        score_emotions(pd.DataFrame({"segment_id": ["a"], "words": ["hi"]}), model=FakeModel())


def test_segment_id_falls_back_to_id_then_row_number():
    out = score_emotions(pd.DataFrame({"id": [7], "text": ["thanks"]}), model=FakeModel())
    assert out["segment_id"].tolist() == ["7"]
    out = score_emotions(pd.DataFrame({"text": ["thanks", "hello"]}), model=FakeModel())
    assert out["segment_id"].tolist() == ["0", "1"]  # insights.schema.segment_ids: from 0


def test_unknown_emotion_label_names_the_row():
    df = pd.DataFrame({"segment_id": ["a", "b"], "text": ["x", "y"], "emotion": ["joy", "hangry"]})
    with pytest.raises(InputError, match=r"row 2 \(segment b\).*unknown emotion 'hangry'"):
        score_emotions(df, model=FakeModel())


def test_aliases_are_accepted():
    assert normalize_emotion("Happiness") == "joy"
    assert normalize_emotion("excited") == "excitement"
    assert normalize_emotion(float("nan")) == "neutral"
    assert normalize_emotion("sadness") == "sadness"
    assert normalize_emotion("hangry") is None


def test_long_text_gets_a_note():
    out = score_emotions(pd.DataFrame({"text": ["I was angry. " * 3000]}), model=FakeModel())
    assert out.loc[0, "note"].startswith("long text (39000 characters): only the first 4 windows")


def test_language_note():
    french = "Je suis très déçu par le service client de cette banque"
    assert "not be English" in language_note(french)
    assert language_note("I was very disappointed with the customer service of the bank") == ""
    assert language_note("ok") == ""
    # short English sentences without a listed function word were flagged (the sample study
    # had 7: "His engineer didn't turn up, twice.", "Um, early days, two months.")
    assert language_note("His engineer didn't turn up, twice.") == ""
    assert language_note("Like, okay, these people actually care.") == ""
    assert "not be English" in language_note(
        "Das war wirklich sehr schlecht und ich bin enttäuscht"
    )


def test_group_scores_valence_intensity():
    p = np.zeros((1, 28), dtype=np.float32)
    p[0, LABELS.index("joy")] = 0.8
    p[0, LABELS.index("fear")] = 0.2
    g = group_scores(p)
    assert g[0, EKMAN_GROUPS.index("joy")] == pytest.approx(0.8)
    v, s = valence_intensity(p)
    assert v[0] == pytest.approx(0.6) and s[0] == pytest.approx(0.8)


def test_ekman_scores_are_the_geometric_mean_of_the_head_and_the_best_label():
    p = np.full((2, 28), 0.01, dtype=np.float32)
    p[0, LABELS.index("annoyance")] = 0.64  # anger's best label
    p[1, LABELS.index("joy")] = 0.9
    head = np.full((2, 7), 0.04, dtype=np.float32)
    head[1, EKMAN_GROUPS.index("joy")] = 0.4
    g = ekman_scores(p, head)
    assert g.shape == (2, 7)
    assert g[0, EKMAN_GROUPS.index("anger")] == pytest.approx(0.16)  # sqrt(0.04 * 0.64)
    assert g[1, EKMAN_GROUPS.index("joy")] == pytest.approx(0.6)  # sqrt(0.4 * 0.9)
    assert g[0, EKMAN_GROUPS.index("joy")] == pytest.approx(0.02)  # sqrt(0.04 * 0.01)
    np.testing.assert_array_equal(ekman_scores(p), group_scores(p))  # no head: the label maxima


def test_decide_labels_gives_at_least_one_label():
    p = np.full((1, 28), 0.05, dtype=np.float32)
    p[0, LABELS.index("curiosity")] = 0.3
    th = np.full(28, 0.5, dtype=np.float32)
    emo, ek = decide_labels(p, th, np.full(7, 0.5, dtype=np.float32))
    assert emo == ["curiosity"] and ek == ["neutral"]


def test_decide_labels_takes_the_group_scores_of_an_ekman_head():
    p = np.full((2, 28), 0.05, dtype=np.float32)
    p[:, LABELS.index("annoyance")] = 0.4  # below its threshold
    th, gth = np.full(28, 0.5, dtype=np.float32), np.full(7, 0.5, dtype=np.float32)
    g = np.full((2, 7), 0.1, dtype=np.float32)
    g[0, EKMAN_GROUPS.index("anger")] = 0.7  # the head sees anger in the first text
    emo, ek = decide_labels(p, th, gth, g)
    assert emo == ["annoyance", "annoyance"] and ek == ["anger", "neutral"]
    # label maxima alone: no group passes
    assert decide_labels(p, th, gth)[1] == ["neutral", "neutral"]


def test_calibrated_scores_put_the_group_probability_on_its_best_label():
    p = np.full((1, 28), 0.02, dtype=np.float32)
    p[0, LABELS.index("annoyance")], p[0, LABELS.index("anger")] = 0.8, 0.4
    p[0, LABELS.index("joy")] = 0.5
    g = np.array([[0.7, 0.0, 0.0, 0.1, 0.0, 0.0, 0.2]], dtype=np.float32)
    q = calibrated_scores(p, g)
    assert q[0, LABELS.index("annoyance")] == pytest.approx(0.7)  # anger's best label
    assert q[0, LABELS.index("anger")] == pytest.approx(0.35)  # half of annoyance's score
    assert q[0, LABELS.index("joy")] == pytest.approx(0.1)
    assert q[0, LABELS.index("neutral")] == pytest.approx(0.2)
    assert group_scores(q)[0] == pytest.approx(g[0])  # the floor reads the group probability


def test_decide_calibrated_lets_neutral_win_and_names_a_second_probable_group():
    p = np.full((3, 28), 0.02, dtype=np.float32)
    p[:, LABELS.index("annoyance")] = 0.9  # above its threshold in every row
    p[2, LABELS.index("gratitude")] = 0.8
    g = np.array(
        [
            [0.3, 0.0, 0.0, 0.0, 0.0, 0.0, 0.7],  # neutral most probable
            [0.6, 0.0, 0.0, 0.1, 0.0, 0.0, 0.3],
            [0.3, 0.0, 0.0, 0.6, 0.0, 0.0, 0.1],
        ],
        dtype=np.float32,
    )
    emo, ek = decide_calibrated(p, g, np.full(28, 0.5, dtype=np.float32))
    assert ek == ["neutral", "anger", "joy"]
    assert emo == ["neutral", "annoyance", "gratitude;annoyance"]


def test_fake_calibrated_model_writes_calibrated_columns():
    class Calibrated(FakeModel):
        calibrated = True

        def score(self, texts):
            p, _, n_windows, cut = super().score(texts)
            g = np.tile(
                np.array([0.05, 0.0, 0.0, 0.05, 0.0, 0.0, 0.9], np.float32), (len(texts), 1)
            )
            g[[i for i, t in enumerate(texts) if "angry" in t]] = [0.8, 0, 0, 0.05, 0, 0, 0.15]
            return p, g, n_windows, cut

        def decide(self, p, g=None):
            return decide_calibrated(p, g, self.thresholds_)

    out = score_emotions(pd.DataFrame({"text": ["I was so angry", "thanks"]}), model=Calibrated())
    assert out["ekman"].tolist() == ["anger", "neutral"]
    assert out.loc[0, "p_anger"] == pytest.approx(0.8) and out.loc[0, "intensity"] == pytest.approx(
        0.8
    )
    assert out.loc[1, "p_neutral"] == pytest.approx(0.9) and out.loc[1, "emotions"] == "neutral"


@pytest.mark.slow
def test_real_model_scores_clear_cases():
    texts = [
        "Thank you so much, the engineer was brilliant!",
        "I am absolutely furious, they cut off my internet again.",
        "The meeting is on Tuesday.",
        "I'm really scared they'll charge me twice.",
        "I'm so sad that my dog died.",
        "Really annoyed.",
        "Furious.",
        "Gutted.",
        "Brilliant!",
        "Great, thank you.",
    ]
    out = score_emotions(pd.DataFrame({"text": texts}))
    assert "gratitude" in out.loc[0, "emotions"] and out.loc[0, "ekman"] == "joy"
    # the blend: the top's GoEmotions outputs choose anger where the speech head spread it
    # over anger, disgust and sadness
    assert out.loc[1, "ekman"] == "anger" and out.loc[1, "valence"] < 0
    assert out.loc[2, "emotions"].startswith("neutral")
    assert out.loc[3, "ekman"] == "fear"
    assert out.loc[4, "ekman"] == "sadness"
    # "Really annoyed.": a feeling said alone, with the "I was" left out, is the speaker's
    # stated anger (the model alone gives it about one half once anger's temperature
    # tempers it); the stated-feeling rule raises it to the stated probability
    assert out.loc[5, "ekman"] == "anger" and out.loc[5, "p_annoyance"] >= 0.75
    # one-word answers: both heads call "Furious." and "Gutted." neutral (2 and 1 of the head's
    # training lines have the words); the strong-word rule gives them their group
    assert out.loc[6:8, "ekman"].tolist() == ["anger", "sadness", "joy"]
    assert (out.loc[6:7, "intensity"] > 0.5).all() and out.loc[6:7, "note"].eq("").all()
    # a courtesy formula is no emotion finding: neutral, with a note; the scores stay
    assert out.loc[9, "ekman"] == "neutral" and out.loc[9, "emotions"] == "neutral"
    assert out.loc[9, "note"].startswith("courtesy") and out.loc[9, "intensity"] == 0.0
    assert out.loc[9, "p_gratitude"] > 0.5
    # windows: a long text is read whole, and the score of an emotion anywhere in it counts
    calm = "The form asks for my address. " * 40
    res = score_emotions(pd.DataFrame({"text": [calm + "I am absolutely furious about it.", calm]}))
    assert res.loc[0, "note"].startswith("long text") and "windows" in res.loc[0, "note"]
    assert res.loc[0, "p_anger"] > 3 * res.loc[1, "p_anger"]
    assert res.loc[0, "valence"] < res.loc[1, "valence"]


@pytest.mark.slow
def test_real_model_windows_a_50000_character_segment():
    model = EmotionModel(max_windows=8)
    out = score_emotions(pd.DataFrame({"text": ["x" * 10 + " word" * 9998]}), model=model)
    assert "only the first 8 windows" in out.loc[0, "note"]
    assert 0.0 <= out.loc[0, "p_neutral"] <= 1.0


def test_over_windows_keeps_each_emotion_at_its_best_window_and_neutral_at_its_lowest():
    from insights.emotions._model import over_windows

    probs = np.array([[0.1, 0.9, 0.8], [0.7, 0.2, 0.3], [0.4, 0.4, 0.6]], dtype=np.float32)
    out = over_windows(probs, [0, 0, 1], 2, neutral=2)
    np.testing.assert_allclose(out, [[0.7, 0.9, 0.3], [0.4, 0.4, 0.6]])


def test_speech_blend_keeps_the_head_s_neutral_and_lets_the_top_choose_the_emotion():
    from insights.emotions._model import speech_probabilities

    g = len(EKMAN_GROUPS)
    neutral, anger = EKMAN_GROUPS.index("neutral"), EKMAN_GROUPS.index("anger")
    head = {"mean": np.zeros(2), "scale": np.ones(2), "W": np.zeros((g, 2)), "b": np.zeros(g),
            "temperature": 1.0, "bias": np.zeros(g)}  # fmt: skip
    head["b"][neutral] = np.log(2 / 3)  # the head: neutral 0.1, each emotion 0.15
    pooled = np.ones((1, 2), dtype=np.float32)
    q0 = speech_probabilities(pooled, head)
    assert q0[0, neutral] == pytest.approx(0.1, rel=1e-5)
    outputs = np.full((1, len(LABELS) + g), 0.01, dtype=np.float32)
    outputs[0, LABELS.index("annoyance")] = outputs[0, len(LABELS) + anger] = 0.9
    for weight, share in ((0.0, 1 / 6), (1.0, 0.9 / (0.9 + 5 * 0.01))):
        head["blend"] = weight
        q = speech_probabilities(pooled, head, outputs)
        assert q[0, neutral] == pytest.approx(0.1, rel=1e-5)  # neutral is the head's
        assert q[0, anger] == pytest.approx(0.9 * share, rel=1e-4)
        assert q.sum() == pytest.approx(1.0, rel=1e-5)
    head["blend"] = 0.5  # halfway: between the two shares
    q = speech_probabilities(pooled, head, outputs)
    assert 0.9 / 6 < q[0, anger] < 0.9 * 0.9 / 0.95 and q[0].argmax() == anger
    # without the outputs the blend is not applied
    np.testing.assert_allclose(speech_probabilities(pooled, head), q0, rtol=1e-5)
    # where the head calls the text neutral, the blend does not make it emotional
    head["b"][neutral] = np.log(3.0)  # neutral 1/3, each emotion 1/9
    q = speech_probabilities(pooled, head, outputs)
    np.testing.assert_allclose(q, speech_probabilities(pooled, head), rtol=1e-5)
    assert q[0].argmax() == neutral


def test_courtesy_formulas_are_told_from_what_says_more():
    from insights.emotions import is_courtesy

    courtesy = ["Thanks.", "Great, thank you.", "Good question.", "That's a really good question.",
                "Okay, great, thank you so much.", "Thank you for your time.", "Great.",
                "Thanks, Jess.", "Good luck with the study.", "Nice to meet you too."]  # fmt: skip
    more = ["Brilliant!", "Furious.", "Thanks to them I lost a day's pay.",
            "I was so grateful because she stayed late.", "Great, thank you. Then it broke.",
            "Really happy.", "The service itself is great.", ""]  # fmt: skip
    assert [is_courtesy(t) for t in courtesy] == [True] * len(courtesy)
    assert [is_courtesy(t) for t in more] == [False] * len(more)


def test_strong_words_count_in_short_answers_and_first_person_not_negated():
    from insights.emotions import with_strong_words
    from insights.emotions._rules import strong_word_group

    said = {"Furious.": "anger", "Oh, furious.": "anger", "Gutted, honestly.": "sadness",
            "I was absolutely fuming, because they had promised to come on Friday.": "anger",
            "Honestly, it left me terrified that the whole thing would happen again.": "fear",
            "I went from fuming to delighted.": "anger"}  # fmt: skip
    assert {t: strong_word_group(t) for t in said} == said
    for t in ("Not furious, exactly.", "Never even livid about it.", "Brilliant!",
              "My manager will be furious when she finds out what happened to it."):  # fmt: skip
        assert strong_word_group(t) is None, t
    g = np.array([[0.1, 0.1, 0.0, 0.0, 0.1, 0.0, 0.7], [0.8, 0, 0, 0, 0, 0, 0.2]], np.float32)
    out = with_strong_words(["Gutted.", "Furious."], g, 0.6)
    assert out[0, EKMAN_GROUPS.index("sadness")] == pytest.approx(0.6)
    assert out[0].sum() == pytest.approx(1.0) and out[0, -1] == pytest.approx(0.7 * 0.4 / 0.9)
    np.testing.assert_allclose(out[1], g[1])  # already above: left as it is


def test_stated_feelings_count_and_negated_supposed_reported_or_idioms_do_not():
    from insights.emotions._rules import stated_emotion_group

    said = {
        "I was so frustrated because I'd been having drop-outs every evening.": "anger",
        "I was angry because they'd charged me twice.": "anger",
        "It really annoyed me.": "anger", "That drove me mad.": "anger",
        "I'm so relieved.": "joy", "We were really happy with the installer.": "joy",
        "That scared me.": "fear", "I was worried about the contract.": "fear",
        "I was gutted.": "sadness", "It made me sad, really.": "sadness",
        "I was shocked by the bill.": "surprise", "I felt disgusted, honestly.": "disgust",
    }  # fmt: skip
    assert {t: stated_emotion_group(t) for t in said} == said
    for t in ("I'm not angry.", "It didn't worry me.", "I wasn't pleased about it.",
              "I never worry about video calls.", "If I were upset I'd tell them.",
              "I'd be mad to leave.", "I'd have been annoyed, but I had the day off.",
              "It would upset me if they sold my data.", "She was angry.",
              "They must have thought I was angry.", "I'm dying to try it.",
              "I'm afraid not.", "I'm happy to answer that.", "Were you angry?",
              "It drove me to the station.", "I understand your frustration.",
              "And she was like, oh my god, I'm so nervous.",
              "He goes, I was so scared."):  # fmt: skip
        assert stated_emotion_group(t) is None, t
    assert stated_emotion_group("I was so happy to get it back.") == "joy"  # not a formula
    assert stated_emotion_group("I was like, I'm so relieved.") == "joy"  # one's own words


def test_a_feeling_said_alone_is_the_speakers_and_an_adjective_or_formula_is_not():
    from insights.emotions._rules import stated_emotion_group

    # an answer with "I was" left out
    said = {"Really let down.": "sadness", "Honestly, scared.": "fear",
            "And grateful that somebody actually notices.": "joy", "Frustrated.": "anger",
            "Properly relieved.": "joy", "The staff were lovely. Really pleased.": "joy",
            "Worried about the price going up.": "fear",
            "Let down, mostly.": "sadness"}  # fmt: skip
    assert {t: stated_emotion_group(t) for t in said} == said
    # a noun's adjective, a formula, a question, a negation, someone else's feeling
    for t in ("Annoyed customers everywhere.", "Happy days.", "Nervous system stuff.",
              "Happy to help.", "Pleased to meet you.", "Mad to leave them, honestly.",
              "Disappointed?", "Scared of what, exactly?", "Not disappointed at all.",
              "He was upset.", "Proud moment for the team."):  # fmt: skip
        assert stated_emotion_group(t) is None, t


def test_a_list_of_feelings_crying_and_a_feeling_felt_are_the_speakers():
    from insights.emotions._rules import stated_emotion_group

    said = {"The ending made me feel restless, sad and a bit lost.": "sadness",
            "I was tired, angry, fed up.": "anger",
            "I cried.": "sadness", "I nearly cried at the counter.": "sadness",
            "Honestly I was in tears on the phone.": "sadness",
            "It brought me to tears, the kindness of it.": "sadness",
            "I was moved to tears when she rang back.": "sadness",
            "We cried laughing at the hold music.": "joy",
            "I felt nothing but relief when it came back on.": "joy",
            "I felt real anger at that point.": "anger",
            "It made me genuinely sad to cancel.": "sadness"}  # fmt: skip
    assert {t: stated_emotion_group(t) for t in said} == said
    # not cried, someone else's tears, supposed, asked, an opinion about a feeling
    for t in ("I didn't cry.", "She cried on the phone.", "He was moved to tears.",
              "If I cried they'd never fix it.", "I'd cry if it went down again.",
              "Did you cry?", "I feel fear is the wrong word.", "I felt no anger.",
              "I felt nothing.", "The engineer was rude, angry and late."):  # fmt: skip
        assert stated_emotion_group(t) is None, t


def test_labels_are_the_schema_labels_and_import_loads_no_torch():
    import subprocess
    import sys

    import insights.emotions
    import insights.schema

    assert insights.emotions.LABELS is insights.schema.EMOTION_LABELS
    assert insights.emotions.EMOTION_COLUMNS is insights.schema.EMOTION_COLUMNS
    code = "import sys, insights.emotions; print('torch' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_the_default_model_is_the_one_shipped_in_insights_models(tmp_path):
    import insights

    shipped = Path(insights.__file__).parent / "models" / "emotions"
    assert EmotionModel().fingerprint() == EmotionModel(model_dir=shipped).fingerprint()
    assert EmotionModel().fingerprint() != EmotionModel(model_dir=tmp_path).fingerprint()
    # the exported network is named by the files alone: a change of the text rules
    # (their version is in the scores' key) exports nothing again
    network = EmotionModel().fingerprint(rules=False)
    assert network != EmotionModel().fingerprint()
    assert network != EmotionModel(model_dir=tmp_path).fingerprint(rules=False)


@pytest.mark.slow
def test_a_text_scored_twice_is_read_once_with_the_same_scores():
    from insights.emotions import get_emotion_model

    model = get_emotion_model()
    texts = [
        "I was furious when the router died.",
        "Fine, thanks.",
        "I was furious when the router died.",
    ]
    p, g, n_windows, truncated = model.score(texts)
    assert n_windows == [1, 1, 1] and truncated == [False] * 3
    assert np.array_equal(p[0], p[2]) and np.array_equal(g[0], g[2])
    # a fresh model run by torch (the default runs ONNX Runtime when it is installed): same
    alone = EmotionModel(backend="torch").score(["Fine, thanks."])
    np.testing.assert_allclose(alone[0][0], p[1], atol=1e-5)
    np.testing.assert_allclose(alone[1][0], g[1], atol=1e-5)
    assert p[0, LABELS.index("anger")] > p[1, LABELS.index("anger")]


@pytest.mark.slow
def test_one_pass_scores_and_embeds_as_the_two_models_do_apart():
    from insights.embed import MiniLMEmbedder

    texts = ["The engineer never showed up.", "Thanks, that was quick!", "ok " * 90]
    model = EmotionModel()
    vectors = model.score_and_embed(texts)
    assert np.isnan(vectors[2]).all()  # longer than one window: left to the embedder
    want = MiniLMEmbedder(backend="torch").encode(texts[:2])  # sentence-transformers
    np.testing.assert_allclose(vectors[:2], want, atol=2e-5)
    assert float(vectors[0] @ vectors[1]) < 0.9
    p, g, _, _ = model.score(texts)  # from memory: as a model that reads them afresh scores them
    p2, g2, _, _ = EmotionModel(backend="torch").score(texts)
    np.testing.assert_allclose(p, p2, atol=1e-5)
    np.testing.assert_allclose(g, g2, atol=1e-5)


@pytest.mark.slow
def test_texts_scored_after_a_pass_that_embeds_use_its_graph_and_score_as_the_other_would():
    # one ONNX graph per run: once the graph that also embeds is loaded, a text that is
    # only scored (a span already embedded) runs through it, and its probabilities and
    # pooled states are those of the score-only graph, bit for bit
    pytest.importorskip("onnxruntime")
    from insights.emotions._onnx import OnnxEmotionNet

    model = EmotionModel()
    model.score_and_embed(["The engineer never showed up."])
    model.score(["I was furious about the bill.", "Fine."])
    assert set(model._onnx) == {"embed"}
    windows, _, _ = model._windows(["I was furious about the bill.", "Fine."])
    ids = np.zeros((2, max(map(len, windows))), np.int64)
    mask = np.zeros_like(ids)
    for k, w in enumerate(windows):
        ids[k, : len(w)], mask[k, : len(w)] = w, 1
    both = model._onnx["embed"].run(ids, mask)
    network = model.fingerprint(rules=False)
    alone = OnnxEmotionNet(model._modules, network, embed=False).run(ids, mask)
    assert len(both) == 3 and len(alone) == 2
    assert np.array_equal(both[0], alone[0]) and np.array_equal(both[1], alone[1])


def test_the_report_floor_is_the_one_chosen_on_tune_lines_and_its_rows_are_right():
    import json

    from insights.schema import EMOTION_FLOOR

    cfg = json.loads((Path(__file__).resolve().parents[1] / "insights" / "models" / "emotions"
                      / "config.json").read_text())["speech_head"]  # fmt: skip
    assert EMOTION_FLOOR == cfg["floor"]["value"]
    rows = {r["floor"]: r for r in cfg["floor"]["table"]}
    # the floor was chosen (lowest at which counted lines were right >= 0.85 on both tune
    # sets) before the stated-feeling rule, and kept: with it they are right >= 0.80
    assert all(rows[EMOTION_FLOOR][n]["precision"] >= 0.80 for n in ("xed_calib", "reccon_calib"))
    # a strong word said of oneself ("I was furious because ...") and a stated feeling
    # ("I was so frustrated because ...") reach the floor: their dev lines' share right
    assert cfg["strong_words"]["probability"] >= EMOTION_FLOOR
    stated = cfg["stated_words"]
    assert stated["probability"] == round(stated["right"] / stated["lines"], 3) >= EMOTION_FLOOR
    assert stated["lines"] >= 200
    # the neutral offset is now part of the speech operating point (group_offset):
    # tests/test_emotions_operating_point.py checks its choice
    assert "neutral_offset" not in cfg and len(cfg["group_offset"]["values"]) == 7


def test_gate_and_group_temperatures_keep_the_order_and_move_the_weight():
    from insights.emotions._speech import blend_weight, comment_probability, temper_groups

    g = np.array([[0.5, 0.1, 0.0, 0.1, 0.1, 0.0, 0.2], [0.1, 0.0, 0.0, 0.2, 0.0, 0.0, 0.7]])
    t = np.array([1.3, 1, 1, 1, 1, 1, 1.0])
    out = temper_groups(g, t)
    assert (out.argmax(1) == g.argmax(1)).all() and np.allclose(out.sum(1), 1.0, atol=1e-6)
    assert out[0, 0] < 0.5  # anger's temperature above 1: its stated probability comes down
    np.testing.assert_allclose(out[1], g[1], atol=1e-6)  # neutral's temperature 1: unchanged
    head = {"blend": 1.0, "blend_speech": 0.0, "gate_mean": np.zeros(2), "gate_scale": np.ones(2),
            "gate_w": np.array([3.0, 0.0]), "gate_b": np.zeros(1)}  # fmt: skip
    pooled = np.array([[2.0, 0.0], [0.0, 9.0], [-2.0, 0.0]])
    p = comment_probability(pooled, head)
    np.testing.assert_allclose(p, [1 / (1 + np.exp(-6)), 0.5, 1 / (1 + np.exp(6))], rtol=1e-5)
    np.testing.assert_allclose(blend_weight(pooled, head), p, rtol=1e-6)
    assert blend_weight(pooled, {"blend": 0.9}) == pytest.approx(0.9)  # ungated: one weight


@pytest.mark.slow
def test_calm_technical_talk_is_neutral_and_planted_anger_counts_at_the_floor():
    from insights.summarize import emotion_labels

    texts = [
        "We trained the model on three years of sensor data and checked it on a held-out month.",
        "The pipeline runs every night and writes the features to a Parquet file.",
        "I was furious because nobody let me know, I had to ring the support line twice.",
        "Absolutely furious.",
        "I was livid because I'd taken the Friday off work to wait in for the engineer.",
        "I'd be furious if that happened to me.",
        "I was so frustrated because I'd been having drop-outs every evening.",
        "I'd be mad to leave, to be honest.",
    ]
    ids = [f"s{i}" for i in range(len(texts))]
    out = score_emotions(pd.DataFrame({"segment_id": ids, "text": texts}))
    assert out.loc[0:1, "ekman"].eq("neutral").all() and (out.loc[0:1, "p_neutral"] > 0.5).all()
    counted = emotion_labels(out)
    assert counted.values.tolist() == [["s2", "anger"], ["s3", "anger"], ["s4", "anger"],
                                       ["s6", "anger"]]  # fmt: skip


@pytest.mark.slow
def test_transcribers_markup_is_not_read_by_the_emotion_model():
    from insights.emotions import get_emotion_model

    model = get_emotion_model()
    p, g, _, _ = model.score(
        [
            "I was {disfmarker} furious when the router died {vocalsound} [laughs].",
            "I was furious when the router died.",
            "Pause my plan, please.",
        ]
    )
    np.testing.assert_allclose(p[0], p[1], atol=1e-5)
    np.testing.assert_allclose(g[0], g[1], atol=1e-5)
    anger = EKMAN_GROUPS.index("anger")
    assert g[0].argmax() == anger and g[0, anger] > 2 * g[2, anger]
    # a word that is also a marker's name, said as a word, is read
    assert spoken_words("Pause my plan, please.") == "Pause my plan, please."


def test_praise_of_what_the_speaker_had_is_a_feeling_and_praise_of_an_idea_is_approval():
    from insights.emotions import is_approval, is_felt_praise

    felt = [
        "I love that I can go at two in the morning after a shift.",
        "The coaches are brilliant, they remember your name.",
        "Honestly it's been great since we switched.",
        "And the lady I spoke to was wonderful, actually.",
        "I was genuinely impressed.",
        "They went above and beyond for us.",
        "Really friendly, really tidy.",
        "But he was a nice chap, had a cup of tea.",
    ]
    approval = [
        "That's a great idea.",
        "I like that.",
        "It's great.",
        "That sounds good to me.",
        "I love that idea.",
        "Yeah, that would be great.",
        "I'd love to, if there's time.",
        "I like the second design better.",
        "The staff weren't brilliant.",
        "Is the sauna any good?",
        "So working in the studio is probably awesome.",
    ]
    assert [is_felt_praise(t) for t in felt] == [True] * len(felt)
    assert [is_felt_praise(t) for t in approval] == [False] * len(approval)
    # in the emotions table: felt praise keeps its joy-group label without the approval note
    assert not is_approval(felt[0], "admiration") and is_approval(approval[0], "admiration")
    assert not is_approval(felt[1], "approval;admiration")
    # any feeling the speaker states is no approval, not only joy
    assert is_approval("That's a great idea.", "admiration")
    assert not is_approval("That's a great idea, I was so surprised.", "admiration")
    assert not is_approval("It was beautiful. I cried.", "admiration")


def test_approval_is_noted_and_left_out_of_people_counts_and_triggers():
    from insights.emotions import APPROVAL_NOTE, approval_rows, is_approval
    from insights.summarize import emotion_labels
    from insights.triggers._find import _given_or_detected_emotions

    assert [is_approval(t, e) for t, e in [("I agree.", "approval"),
                                           ("That sounds great.", "admiration;joy"),
                                           ("I like that.", "love"),
                                           ("I'm so glad you agree.", "approval"),
                                           ("It's fun.", "joy"),
                                           ("I was so angry.", "anger")]] == [
        True, True, True, False, False, False]  # fmt: skip
    texts = ["thanks to them it works again", "I was so angry", "I'm so glad, thanks"]
    df = pd.DataFrame({"segment_id": ["a", "b", "c"], "text": texts})
    out = score_emotions(df, model=FakeModel())
    # the table keeps the model's labels; the approval row gets the note
    assert out["ekman"].tolist() == ["joy", "anger", "joy"]
    assert out.loc[0, "note"] == APPROVAL_NOTE and out.loc[2, "note"] == ""
    assert approval_rows(out).tolist() == [True, False, False]
    # people counts and triggers leave it out; a stated feeling stays
    assert emotion_labels(out, floor=None)["segment_id"].tolist() == ["b", "c"]
    assert _given_or_detected_emotions(df, out, None, None) == ["", "anger", "gratitude"]


def test_feelings_said_in_idioms_count_and_the_same_words_elsewhere_do_not():
    from insights.emotions._rules import idiom_group, stated_emotion_group

    said = {
        "It did my head in, the whole thing.": "anger", "It drove me up the wall.": "anger",
        "I was at my wits' end with them.": "anger", "It really got on my nerves.": "anger",
        "Honestly it made my week.": "joy", "It was a weight off my shoulders.": "joy",
        "I was buzzing when the refund came through.": "joy",
        "I was on edge the whole week.": "fear", "I was in bits after that call.": "sadness",
        "It broke my heart to cancel it.": "sadness",
        "I was blown away by how quick it was.": "surprise",
    }  # fmt: skip
    assert {t: idiom_group(t) for t in said} == said
    assert stated_emotion_group("Which made me even angrier.") == "anger"  # a comparative
    for t in ("We split the upload in bits so it would not time out.",
              "I put the code on the edge server.", "The model blew away the baseline.",
              "She lost her temper with the vendor, not me.", "Would that have made my day?",
              "It didn't get on my nerves at all.", "He said it drove him up the wall.",
              "The wall in the server room is being painted."):  # fmt: skip
        assert idiom_group(t) is None, t


@pytest.mark.slow
def test_real_model_hears_feelings_said_in_idioms():
    texts = ["It did my head in, the whole thing.", "I was in bits after that call.",
             "I was on edge the whole week.", "I put the code on the edge server."]  # fmt: skip
    out = score_emotions(pd.DataFrame({"text": texts}))
    # the speech head alone calls the first three neutral; the idiom raises its group to
    # the idioms' dev share (0.636 of 11 lines), below the report's floor
    assert out["ekman"].tolist() == ["anger", "sadness", "fear", "neutral"]
    assert out.loc[0, "p_annoyance"] == pytest.approx(0.636, abs=0.01)
