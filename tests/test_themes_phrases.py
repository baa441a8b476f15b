"""Theme labels made of the themes' own phrases: what a researcher would write.

The segments are sentences of the bundled sample study's transcripts (Kestrel Fibre
customers), grouped by hand into three themes; the spaCy pipeline tags them.
"""

import numpy as np
import pytest

from insights.themes import label_problems

ENGINEER = [
    "And then the engineer didn't turn up.",
    "The engineer never turned up, no call, no text.",
    "The engineer didn't turn up on the Thursday, so I took a day off for nothing.",
    "The engineer, Marek, was really tidy.",
    "Tell people when the engineer isn't coming.",
    "They finally sent an engineer in December.",
    "The engineer came on the day, on the hour.",
    "A text saying the engineer is running late costs nothing.",
]
DROPOUTS = [
    "It dropped out every evening.",
    "It was just constantly dropping out in the evenings.",
    "The connection dropped out every evening around seven.",
    "But that was two months of dropouts.",
    "It started dropping out in the evenings in February.",
    "The dropouts were worst in the evening.",
    "Honestly, fixing the dropouts quicker would have kept me.",
    "The wifi kept dropping out during video calls.",
]
PRICE = [
    "Then the price went up in April.",
    "Every year there's a letter saying the price is going up.",
    "If the price went up a lot, maybe I'd leave.",
    "The price rise letter came in March.",
    "Everyone puts their prices up.",
    "The price went up by three pounds a month.",
    "I didn't expect the price rise at renewal.",
    "The new price was on the letter.",
]
TEXTS = ENGINEER + DROPOUTS + PRICE
THEME = np.repeat([0, 1, 2], 8)


@pytest.fixture(scope="module")
def nlp():
    from insights.nlp import load_spacy

    return load_spacy(exclude=("parser",))  # as the themes load it


@pytest.fixture(scope="module")
def phrases(nlp):
    from insights.themes._content import FILLER_WORDS, stop_words
    from insights.themes._phrases import doc_phrases

    stop = stop_words()
    return [doc_phrases(doc, stop, FILLER_WORDS) for doc in nlp.pipe(TEXTS)]


@pytest.mark.slow
def test_candidate_phrases_are_noun_phrases_and_what_happened_to_them(phrases):
    said = [[w for w, _lemmas in p] for p in phrases]
    assert "engineer didn't turn up" in said[0]
    assert "engineer never turned up" in said[1]
    assert dict(phrases[1])["engineer never turned up"] == "engineer never turn up"  # lemmas
    assert "dropping out every evening" in said[8]  # a verb done said as a label says it
    assert "dropping out in the evenings" in said[9]
    assert "price rise at renewal" in said[22]


@pytest.mark.slow
def test_transcriber_markers_and_framing_verbs_make_no_phrase(nlp):
    from insights.themes._content import FILLER_WORDS, stop_words
    from insights.themes._phrases import doc_phrases

    doc = nlp("I think {disfmarker} the {vocalsound} remote control, um, I want the bill")
    said = [w for w, _m in doc_phrases(doc, stop_words(), FILLER_WORDS)]
    assert "remote control" in said and "bill" in said
    assert not any("disfmarker" in w or "vocalsound" in w or "think" in w for w in said)
    doc = nlp("This is a {pause} useful {comment} thing, the [crosstalk] support line")
    said = [w for w, _m in doc_phrases(doc, stop_words(), FILLER_WORDS)]
    assert "support line" in said and not any("pause" in w or "comment" in w for w in said)
    assert not any(w.startswith("want") for w in said)


@pytest.mark.slow
def test_labels_say_what_the_theme_is_about_in_its_own_words(phrases):
    from insights.themes._labels import phrase_labels

    labels = phrase_labels(phrases, THEME, np.eye(len(TEXTS)), names={"marek"})
    assert labels == {
        0: "Engineer didn't turn up",
        1: "Dropping out every evening",
        2: "Price went up",
    }
    for label in labels.values():
        assert label_problems(label, names={"marek"}) == []
        assert 3 <= len(label.split()) <= 6
    # a person's name is never a label, however often it is said
    named = [[("marek", "marek")] if THEME[i] == 0 else p for i, p in enumerate(phrases)]
    assert phrase_labels(named, THEME, np.eye(24))[0] == "Marek"  # names not given
    assert 0 not in phrase_labels(named, THEME, np.eye(24), names={"marek"})


def test_a_label_never_names_the_provider_only_its_things():
    from insights.themes._labels import keyword_label, phrase_labels

    member = [("member at ridgeway", "member at ridgeway"), ("lockers", "locker")]
    app = [("ridgeway app", "ridgeway app"), ("app", "app")]
    theme = np.array([0] * 4 + [1] * 4)
    ph = [member] * 4 + [[("price rise", "price rise")]] * 4
    ridgeway = [("ridgeway", "gyms"), ("ridgeway",)]
    assert phrase_labels(ph, theme, np.eye(8))[0] == "Member at ridgeway"  # provider not given
    assert phrase_labels(ph, theme, np.eye(8), provider=ridgeway)[0] == "Lockers"
    # before a noun the provider's name says whose thing it is, and may stay
    ph = [app] * 4 + [[("price rise", "price rise")]] * 4
    assert phrase_labels(ph, theme, np.eye(8), provider=ridgeway)[0] == "Ridgeway app"
    docs = ["ridgeway is fine"] * 4 + ["price went up"] * 4
    inside = theme == 0
    assert keyword_label(["ridgeway"], docs, inside) == "Ridgeway"
    assert keyword_label(["ridgeway"], docs, inside, provider=ridgeway) == "Mixed talk"
    # the word after the brand is what the study is about: a label only with a modifier
    gym = [[("gym", "gym"), ("rowers", "rower")]] * 3 + [[("gym", "gym")]]
    ph = gym + [[("price rise", "price rise")]] * 4
    assert phrase_labels(ph, theme, np.eye(8))[0] == "Gym"
    assert phrase_labels(ph, theme, np.eye(8), provider=ridgeway)[0] == "Rowers"


@pytest.mark.slow
def test_a_phrase_said_once_does_not_widen_the_label(phrases):
    from insights.themes._labels import phrase_labels
    from insights.themes._widen import widen_phrase

    # "price rise at renewal" is said once: the price theme keeps what most of it says
    inside = THEME == 2
    assert widen_phrase("price rise", phrases, inside) == ""
    # with only two of the theme's segments saying it, "engineer" stays a word
    two = [p if i in (0, 2) or THEME[i] else [q for q in p if q[0] == "engineer"]
           for i, p in enumerate(phrases)]  # fmt: skip
    assert widen_phrase("engineer", two, THEME == 0) == ""
    assert phrase_labels(two, THEME, np.eye(len(TEXTS)))[0] == "Engineer"


def test_mixed_talk_with_no_keyword_says_so_without_a_dangling_colon():
    from insights.schema import MIXED_TALK
    from insights.themes._labels import keyword_label

    docs = ["I asked them.", "It was fine.", "We talked.", "The price went up."]
    assert keyword_label([], docs, np.array([1, 1, 1, 0]) == 1) == MIXED_TALK
    assert keyword_label(["zzz"], docs, np.array([1, 1, 1, 0]) == 1) == MIXED_TALK
    # a transcriber's marker said all over a theme does not name it
    docs = ["So {pause} the plan.", "We {pause} did it.", "A {pause} again.", "The price."]
    assert keyword_label(["pause"], docs, np.array([1, 1, 1, 0]) == 1) == MIXED_TALK


@pytest.mark.slow
def test_a_stance_phrase_says_what_one_side_shares_and_the_other_does_not(nlp):
    from insights.themes import side_phrase

    wrong = ENGINEER[:3] + ["Tell people when the engineer isn't coming."]
    right = ["The engineer was brilliant.", "The engineer came on the day, on the hour.",
             "Lovely engineer, quick job.", "The engineer was really tidy."]  # fmt: skip
    assert side_phrase(wrong, right, nlp=nlp) == "Engineer didn't turn up"
    # widened to the event two of them say in full (tie on texts: the longer)
    assert side_phrase(DROPOUTS, PRICE, nlp=nlp) == "Dropping out in the evenings"
    assert side_phrase(["The engineer was late."], right, nlp=nlp) == ""  # one text: no phrase


@pytest.mark.slow
def test_theme_sides_give_each_side_its_phrase_people_and_segments(nlp):
    import pandas as pd

    from insights.schema import THEME_SIDES_COLUMNS
    from insights.themes import side_whats, theme_sides

    right = ["The engineer was brilliant.", "The engineer came on the day, on the hour.",
             "Lovely engineer, quick job.", "The engineer was really tidy."]  # fmt: skip
    texts = ENGINEER[:3] + ["Tell people when the engineer isn't coming."] + right
    texts += ["I suppose the engineer was fine."]
    n = len(texts)
    ids = [f"s{i}" for i in range(n)]
    seg = pd.DataFrame({"segment_id": ids, "participant_id": [f"P{i}" for i in range(n)],
                        "text": texts})  # fmt: skip
    emo = pd.DataFrame({
        "segment_id": ids,
        # disapproval is judgement, not something gone wrong: s3 takes no side
        "emotions": ["annoyance", "anger", "disappointment", "disapproval"]
        + ["admiration"] * 4 + ["neutral"],
        "valence": [-0.8, -0.9, -0.7, -0.6, 0.8, 0.7, 0.9, 0.6, 0.1],
    })  # fmt: skip
    asg = pd.DataFrame({"segment_id": ids, "theme_id": 0})
    themes = pd.DataFrame({"theme_id": [0], "label": ["Engineer visit"], "keywords": ["engineer"]})
    from insights.summarize import segment_stances, theme_members

    members = theme_members(asg, themes)
    s = theme_sides(
        asg,
        emo,
        stances=segment_stances(emo),
        members=members,
        themes=themes,
        segments=seg,
        nlp=nlp,
    )
    assert list(s.columns) == list(THEME_SIDES_COLUMNS)
    assert s[["theme", "stance", "n_segments", "n_people"]].values.tolist() == [
        ["Engineer visit", "negative", 3, 3],
        ["Engineer visit", "positive", 4, 4],
    ]
    assert s["segment_ids"].tolist() == ["s0;s1;s2", "s4;s5;s6;s7"]
    assert s["people"].tolist()[0] == "P0;P1;P2"
    assert s["phrase"].tolist()[0] == "Engineer didn't turn up"
    what = side_whats(s)
    assert what[("Engineer visit", "negative")] == "Engineer didn't turn up"
    # two people are too few for a side
    two = emo.assign(emotions=["anger"] * 2 + ["neutral"] * (n - 2), valence=0.0)
    two = theme_sides(
        asg,
        two,
        stances=segment_stances(two),
        members=members,
        themes=themes,
        segments=seg,
        nlp=nlp,
    )
    assert two.empty and list(two.columns) == list(THEME_SIDES_COLUMNS)


@pytest.mark.slow
def test_a_two_sided_theme_is_labelled_by_its_topic_not_by_one_sides_complaint(nlp, phrases):
    from insights.themes._labels import phrase_labels
    from insights.themes._stance import stance_check, stance_codes

    praise = ["Every engineer I had was brilliant.", "The engineer was lovely and quick.",
              "The engineer sorted the router in ten minutes.",
              "Honestly the engineer was great."]  # fmt: skip
    more = [doc_phrases_of(doc) for doc in nlp.pipe(praise)]
    ph = phrases[:8] + more + phrases[8:]
    theme = np.repeat([0, 1, 2], [12, 8, 8])
    # the engineer theme: three no-shows, six with praise; dropouts and price one-sided
    sides = ["negative"] * 3 + ["", "", "", "positive", ""] + ["positive"] * 4
    sides += ["negative"] * 8 + ["negative", "negative", "", "", "", "", "negative", ""]
    codes = stance_codes(sides)
    assert phrase_labels(ph, theme, np.eye(28))[0] == "Engineer didn't turn up"  # no stance
    labels = phrase_labels(ph, theme, np.eye(28), fits=stance_check(ph, codes))
    assert labels[0] == "Engineer turning up"  # what both sides talk of
    # a one-sided theme keeps its side's phrase: the dropouts, all going wrong
    assert labels[1] == "Dropping out every evening" and labels[2] == "Price went up"
    # nearly all of the theme on one side: the complaint names it
    wrong = stance_codes(["negative"] * 12 + sides[12:])
    assert phrase_labels(ph, theme, np.eye(28), fits=stance_check(ph, wrong))[0] == (
        "Engineer didn't turn up"
    )


def doc_phrases_of(doc):
    from insights.themes._content import FILLER_WORDS, stop_words
    from insights.themes._phrases import doc_phrases

    return doc_phrases(doc, stop_words(), FILLER_WORDS)


@pytest.mark.slow
def test_a_gerund_comes_from_the_verb_said_and_pairs_only_as_said(nlp):
    from insights.themes._content import FILLER_WORDS, stop_words
    from insights.themes._phrases import doc_phrases

    def said(text):
        return dict(doc_phrases(nlp(text), stop_words(), FILLER_WORDS))

    # spaCy's lemma of "hated" is "hat": the label's -ing form is of "hate"
    got = said("I hated the new app.")
    assert "hating the new app" in got and got["hating the new app"] == "hate the new app"
    assert not any(w.startswith("hatt") for w in got)
    assert "checking the bill" in said("I checked the bill twice.")
    # two nouns people say together are one phrase; a list of two runs apart is not
    assert "fees and charges" in said("The fees and charges went up again.")
    assert not any(" and " in w for w in said("The engineer came and the router worked."))


@pytest.mark.slow
def test_a_label_is_one_head_phrase_never_two_glued_nor_a_bare_generic_noun(nlp):
    from insights.themes._content import FILLER_WORDS, stop_words
    from insights.themes._labels import phrase_labels
    from insights.themes._phrases import doc_phrases

    project = [
        "The project was late.", "Our project ran over.", "That project never ended.",
        "The migration project was late.", "The migration project ran over.",
        "I led the migration project.", "The project was a mess.", "Another project.",
    ]  # fmt: skip
    texts = project + DROPOUTS + PRICE
    stop = stop_words()
    ph = [doc_phrases(doc, stop, FILLER_WORDS) for doc in nlp.pipe(texts)]
    labels = phrase_labels(ph, THEME, np.eye(len(texts)))
    assert labels[0] == "Migration project"  # "Project" alone says nothing
    for t, label in labels.items():
        members = [x for x, k in zip(texts, THEME, strict=True) if k == t]
        assert label_problems(label, texts=members) == []
        assert " and " not in label


@pytest.mark.slow
def test_a_gerund_before_its_noun_is_part_of_the_noun_phrase(nlp):
    # "changing" is tagged a verb; without it the label of a theme of changing rooms was "Rooms"
    from insights.themes._content import FILLER_WORDS, stop_words
    from insights.themes._phrases import doc_phrases

    said = [
        w
        for w, _m in doc_phrases(
            nlp("The changing rooms were a disgrace."), stop_words(), FILLER_WORDS
        )
    ]
    assert "changing rooms" in said
    said = [
        w
        for w, _m in doc_phrases(
            nlp("The men's changing room had a broken toilet."), stop_words(), FILLER_WORDS
        )
    ]
    assert "changing room" in said
    # a gerund that is the verb of its clause is not: "waiting" here is what they did
    said = [
        w
        for w, _m in doc_phrases(
            nlp("We were waiting engineers all week."), stop_words(), FILLER_WORDS
        )
    ]
    assert not any(w.startswith("waiting") for w in said)
