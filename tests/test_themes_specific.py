"""A one-word theme label made specific by the phrase its segments share (_specific)."""

import numpy as np

from insights.themes._specific import specific_labels, specific_phrases


def _docs():
    inside = [
        f"so the belief net {w} again" for w in ("fires", "is wrong", "learns", "ran", "broke")
    ]
    inside += ["the belief was odd", "we checked the belief {disfmarker} net", "belief"]
    outside = [f"the parser {w}" for w in ("is slow", "broke", "ran")] * 4
    return inside + outside, np.array([0] * 8 + [1] * 12)


def test_shared_phrase_replaces_one_word_label():
    docs, theme = _docs()
    assert specific_phrases("Belief", docs, theme == 0) == [("belief net", 5, 7.5)]
    assert specific_labels({0: "Belief", 1: "Parser slow"}, docs, theme) == {
        0: "Belief net",
        1: "Parser slow",
    }


def test_marker_breaks_a_phrase_and_too_few_segments_keep_the_word():
    docs, theme = _docs()
    docs = [d.replace("belief net", "belief {pause} net") for d in docs[:4]] + docs[4:]
    # only 1 segment still says "belief net" word for word: below 5 segments
    assert specific_phrases("Belief", docs, theme == 0) == []
    assert specific_labels({0: "Belief"}, docs, theme) == {0: "Belief"}


def test_no_phrase_for_longer_labels_mixed_talk_or_taken_or_kept():
    docs, theme = _docs()
    assert specific_phrases("Belief net", docs, theme == 0) == []
    assert specific_phrases("Mixed talk: belief", docs, theme == 0) == []
    assert specific_labels({0: "Belief"}, docs, theme, taken=["belief net"]) == {0: "Belief"}
    assert specific_labels({0: "Belief"}, docs, theme, keep=[0]) == {0: "Belief"}
    one_sided = specific_labels({0: "Belief"}, docs, theme, fits=lambda p, m: "net" not in p)
    assert one_sided == {0: "Belief"}


def test_phrase_said_as_much_outside_is_not_distinctive():
    docs, theme = _docs()
    docs = docs[:8] + [f"a belief net {i}" for i in range(12)]
    assert specific_phrases("Belief", docs, theme == 0) == []
