"""A person's emotional journey: steps, their valence and the emotion felt in them."""

import pandas as pd

from insights.emotions import APPROVAL_NOTE
from insights.summarize import journey


def _segments():
    return pd.DataFrame(
        {
            "segment_id": ["a", "b", "c", "d"],
            "participant_id": "P1",
            "transcript_id": "t",
            "turn": [1, 3, 5, 7],
            "text": ["I agree.", "That sounds good.", "It was great fun.", "I was livid."],
        }
    )


def test_agreement_is_not_the_joy_of_a_journey_step():
    emo = pd.DataFrame(
        {
            "segment_id": ["a", "b", "c", "d"],
            "valence": [0.6, 0.5, 0.8, -0.9],
            "ekman": ["joy", "joy", "joy", "anger"],
            "intensity": [0.9, 0.8, 0.7, 0.9],
            "note": [APPROVAL_NOTE, APPROVAL_NOTE, "", ""],
        }
    )
    codes = pd.DataFrame(
        {"segment_id": ["a", "c", "d"], "code": ["Sign-up", "Use", "Fault"], "confidence": 0.9}
    )
    j = journey(_segments(), emo, person="P1", codes=codes)
    # the sign-up step is two agreements: neutral, though the model's group was joy
    assert j[["stage", "top_emotion", "n_segments"]].values.tolist() == [
        ["Sign-up", "neutral", 2],
        ["Use", "joy", 1],
        ["Fault", "anger", 1],
    ]
    # without the note (an older emotions table) the model's group stands
    j = journey(_segments(), emo.drop(columns="note"), person="P1", codes=codes)
    assert j["top_emotion"].tolist() == ["joy", "joy", "anger"]
