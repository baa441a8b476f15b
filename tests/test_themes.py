import numpy as np
import pandas as pd
import pytest

from insights.codebook import Code, Codebook
from insights.embed import HashEmbedder
from insights.summarize import theme_prevalence
from insights.themes import ThemeModel, fitting_exclusions, label_from_keywords

TOPICS = {
    "price": [
        "the monthly price went up again",
        "the bill price is too high now",
        "price rise on my bill this year",
        "they put the price up on the bill",
        "a big price increase on the monthly bill",
    ],
    "engineer": [
        "the engineer never turned up for the appointment",
        "engineer appointment was cancelled twice",
        "the engineer came late to the appointment",
        "my engineer appointment got moved",
        "the engineer was great at the appointment",
    ],
    "wifi": [
        "the wifi signal upstairs is weak",
        "wifi keeps dropping in the bedroom",
        "weak wifi signal in the kitchen",
        "the wifi signal drops every evening",
        "wifi signal is fine downstairs",
    ],
}


def make_segments():
    rows = []
    for t, texts in TOPICS.items():
        for i, text in enumerate(texts):
            for p in range(2):
                rows.append(
                    (
                        f"{t}{i}-{p}",
                        text + (" indeed" if p else ""),
                        "participant",
                        f"P{(i + p) % 4}",
                        "new" if (i + p) % 4 < 2 else "old",
                    )
                )
    rows += [
        ("q1", "And how was the price for you then?", "interviewer", None, None),
        ("b1", "Yeah.", "participant", "P1", "new"),
        ("s1", "It was ok", "participant", "P1", "new"),
    ]
    return pd.DataFrame(rows, columns=["segment_id", "text", "role", "participant_id", "segment"])


def small_model(**params):
    """A fast model: three themes, hashed word vectors, c-TF-IDF keywords alone."""
    return ThemeModel(
        n_themes=3, embedder=HashEmbedder(), random_state=0, representation=(), **params
    )


@pytest.fixture(scope="module")
def fitted():
    return small_model().fit(make_segments())


def test_exclusions_name_the_reason():
    r = fitting_exclusions(make_segments()).to_numpy()
    segs = make_segments()
    got = dict(zip(segs.segment_id, r, strict=True))
    assert got["q1"] == "role:interviewer" and got["b1"] == "backchannel" and got["s1"] == "short"
    assert got["price0-0"] == ""


def test_fit_finds_the_three_topics_and_accounts_for_every_segment(fitted):
    a = fitted.assignments_
    assert set(a.segment_id) == set(make_segments().segment_id)
    used = a[a.excluded == ""]
    topic_of = used.set_index("segment_id").theme_id
    for t in TOPICS:
        ids = {topic_of[f"{t}{i}-{p}"] for i in range(5) for p in range(2)}
        assert len(ids) == 1, t
    th = fitted.themes_
    assert list(th.columns[:6]) == ["theme_id", "label", "keywords", "size", "prevalence", "quotes"]
    assert sorted(th["size"]) == [10, 10, 10]
    assert th.label.str.contains(r"^\d+_").sum() == 0
    labels = " ".join(th.label.str.lower())
    assert "price" in labels and "engineer" in labels and "wifi" in labels
    assert (th.quotes.str.split("; ").map(len) == 5).all()
    assert th.prevalence.between(0, 1).all()


def test_same_seed_same_result():
    a = small_model().fit(make_segments())
    b = small_model().fit(make_segments())
    pd.testing.assert_frame_equal(a.assignments_, b.assignments_)
    pd.testing.assert_frame_equal(a.themes_, b.themes_)


def test_edits_keep_ids_and_save_load_transform(fitted, tmp_path):
    m = small_model().fit(make_segments())
    price = int(m.assignments_.set_index("segment_id").theme_id["price0-0"])
    wifi = int(m.assignments_.set_index("segment_id").theme_id["wifi0-0"])
    eng = int(m.assignments_.set_index("segment_id").theme_id["engineer0-0"])
    m.rename(price, "Price rise")
    assert m.themes_.set_index("theme_id").label[price] == "Price rise"
    m.split(eng, 2)
    assert len(m.themes_) == 4
    m.merge([wifi, max(m.labels_)], label="Wifi and more")
    assert len(m.themes_) == 3 and m.labels_[min(wifi, max(m.labels_))] == "Wifi and more"
    m.drop([price])
    assert price not in m.labels_
    m.save(tmp_path / "model")
    loaded = ThemeModel.load(tmp_path / "model", embedder=HashEmbedder())
    assert loaded.labels_ == m.labels_
    new = pd.DataFrame(
        {"segment_id": ["n1", "n2"], "text": ["my wifi signal is weak upstairs", "Mm-hm."]}
    )
    out = loaded.transform(new)
    assert out.theme_id.tolist()[1] == -1 and out.excluded.tolist()[1] == "backchannel"
    pd.testing.assert_frame_equal(out, m.transform(new))
    codes = loaded.to_codes()
    book = Codebook(codes=[Code(name="Other", definition="x")]).with_codes(codes)
    assert "Wifi and more" in book


def test_prevalence_by_participant_attribute(fitted):
    segs = make_segments()
    prev = theme_prevalence(fitted.assignments_, segs, by="segment", themes=fitted.themes_)
    assert set(prev.segment) == {"new", "old"}
    assert prev.share.between(0, 1).all()
    assert (prev.participants <= prev.group_participants).all()


def test_too_few_segments_is_a_clear_error():
    from insights.schema import InputError

    with pytest.raises(InputError, match="at least 8"):
        ThemeModel(embedder=HashEmbedder()).fit(pd.DataFrame({"text": ["one two three four"] * 3}))


@pytest.mark.slow
def test_bertopic_representation_and_zeroshot(tmp_path):
    book = Codebook(
        codes=[Code(name="Price", definition="the price and the bill", keywords=["price", "bill"])]
    )
    m = ThemeModel(
        n_themes=3,
        embedder=HashEmbedder(),
        random_state=0,
        codebook=book,
        guidance="zeroshot",
        zeroshot_min_similarity=0.3,
    ).fit(make_segments())
    assert "Price" in set(m.themes_.label)
    assert np.isfinite(m.themes_["size"]).all()


def test_similar_themes_lists_every_pair_most_similar_first(fitted):
    pairs = fitted.similar_themes(top=None)
    assert len(pairs) == 3  # three themes, three pairs
    assert pairs["similarity"].is_monotonic_decreasing and pairs["similarity"].between(-1, 1).all()
    assert (pairs["theme_a"] < pairs["theme_b"]).all()
    assert pairs.loc[0, "label_a"] == fitted.labels_[pairs.loc[0, "theme_a"]]
    m = small_model().fit(make_segments())
    a, b = m.similar_themes(top=1).loc[0, ["theme_a", "theme_b"]]
    m.merge([a, b])
    assert m.similar_themes().shape[0] == 1


def test_transform_keeps_the_fitted_theme_of_known_segments(tmp_path):
    m = small_model().fit(make_segments())
    m.save(tmp_path / "model")
    loaded = ThemeModel.load(tmp_path / "model", embedder=HashEmbedder())
    segs = make_segments()
    again = loaded.transform(segs)
    pd.testing.assert_series_equal(again["theme_id"], m.assignments_["theme_id"], check_names=False)
    # the same id with other words is treated as new: it goes to the nearest centroid
    changed = segs.assign(
        text=segs["text"].where(segs["segment_id"] != "price0-0", "the engineer came on time")
    )
    moved = loaded.transform(changed).set_index("segment_id")["theme_id"]
    eng = int(m.assignments_.set_index("segment_id").theme_id["engineer0-0"])
    assert moved["price0-0"] == eng
    # dropped as noise stays dropped: its fitted segments are not handed to the nearest other theme
    price = int(m.assignments_.set_index("segment_id").theme_id["price1-0"])
    m.drop([price])
    kept = m.transform(segs).set_index("segment_id")["theme_id"]
    assert kept["price1-0"] == -1 and kept["price1-1"] == -1


def test_generic_segments_are_excluded_with_their_reason():
    texts = [
        "It was fine, honestly, to be fair.",
        "That is what annoyed me most, really.",
        "The engineer never turned up for the appointment.",
        "It took three months to sort out the bill.",
        "Nobody had told me.",
    ]
    got = fitting_exclusions(
        pd.DataFrame({"text": texts}), exclude_generic=True, min_words=1
    ).tolist()
    assert got == ["generic", "generic", "", "", "generic"]
    # off by default in the function, so callers that only filter roles keep working
    assert fitting_exclusions(pd.DataFrame({"text": texts}), min_words=1).tolist() == [""] * 5


def test_fit_leaves_generic_segments_out_and_says_why():
    segs = pd.concat(
        [
            make_segments(),
            pd.DataFrame(
                {
                    "segment_id": ["g1", "g2"],
                    "text": [
                        "Honestly it was fine, to be fair.",
                        "That is what annoyed me most, really.",
                    ],
                    "role": "participant",
                    "participant_id": "P2",
                    "segment": "new",
                }
            ),
        ],
        ignore_index=True,
    )
    m = small_model().fit(segs)
    why = m.assignments_.set_index("segment_id").excluded
    assert why["g1"] == why["g2"] == "generic" and why["price0-0"] == ""
    kept = small_model(exclude_generic=False).fit(segs)
    assert kept.assignments_.set_index("segment_id").excluded["g1"] == ""


def test_labels_prefer_noun_phrases_and_put_durations_last():
    kw = ["thought decent", "genuinely", "price rise", "contract"]
    assert label_from_keywords(kw) == "Thought decent"  # no part-of-speech information
    assert label_from_keywords(kw, nouns={"rise", "price", "contract"}) == "Price rise"
    # one head: never two keywords glued, never a keyword and its own plural
    assert label_from_keywords(["pick meals", "meal", "delivery"]) == "Pick meals"
    assert label_from_keywords(["app", "phone", "apps"]) == "App"
    kw = ["couple weeks", "months", "engineer visit", "visit"]
    got = label_from_keywords(kw, nouns={"weeks", "months", "visit"}, last={"weeks", "months"})
    assert got == "Engineer visit"


def test_person_names_are_never_keywords_or_labels(tmp_path):
    segs = make_segments()
    # one transcript per topic
    segs["transcript_id"] = segs.segment_id.str.extract(r"^([a-z]+)", expand=False)
    wifi = segs.segment_id.str.startswith("wifi")
    segs.loc[wifi, "text"] = "Maureen says " + segs.loc[wifi, "text"]
    # a brand the tagger may take for a person, used in every transcript, is not a name
    speaks = segs.role == "participant"
    segs.loc[speaks, "text"] = "Kestrel: " + segs.loc[speaks, "text"]
    m = small_model().fit(segs)
    assert "maureen" in m.person_names_ and "kestrel" not in m.person_names_
    words = " ".join(m.themes_.keywords) + " " + " ".join(m.themes_.label)
    assert "maureen" not in words.lower() and "wifi" in words.lower()
    m.save(tmp_path / "m")
    loaded = ThemeModel.load(tmp_path / "m", embedder=HashEmbedder())
    assert loaded.person_names_ == m.person_names_ and loaded.content_weight == 0.5
    pd.testing.assert_frame_equal(loaded.transform(segs), m.transform(segs))


def test_content_words_move_segments_towards_their_topic():
    segs = make_segments()
    with_content = small_model().fit(segs)
    plain = small_model(content_weight=0.0).fit(segs)
    # same segments fitted, different vectors: sentence + 0.5 x content words, still unit length
    assert with_content.fit_ids_ == plain.fit_ids_
    assert not np.allclose(with_content.fit_vectors_, plain.fit_vectors_)
    assert np.allclose(np.linalg.norm(with_content.fit_vectors_, axis=1), 1.0, atol=1e-5)
    # the stop words and filler of "the ... is ... now" no longer pull two price segments apart
    v = dict(zip(with_content.fit_ids_, with_content.fit_vectors_, strict=True))
    p = dict(zip(plain.fit_ids_, plain.fit_vectors_, strict=True))
    assert float(v["price0-0"] @ v["price1-0"]) > float(p["price0-0"] @ p["price1-0"])


def test_spectral_and_kmeans_are_both_repeatable_and_find_the_topics():
    for method in ("spectral", "kmeans"):
        a = small_model(method=method)
        b = small_model(method=method)
        ta = a.fit(make_segments()).assignments_
        pd.testing.assert_frame_equal(ta, b.fit(make_segments()).assignments_)
        topic_of = ta[ta.excluded == ""].set_index("segment_id").theme_id
        n_themes = {
            t: len({topic_of[f"{t}{i}-{p}"] for i in range(5) for p in range(2)}) for t in TOPICS
        }
        assert n_themes == {"price": 1, "engineer": 1, "wifi": 1}, method


def test_spacy_model_none_needs_no_spacy():
    m = small_model(spacy_model=None)
    m.fit(make_segments())
    assert "generic" not in set(m.assignments_.excluded) and m.person_names_ == []


def test_content_cache_skips_spacy_on_a_rerun_and_gives_the_same_themes(tmp_path, monkeypatch):
    import insights.nlp

    segs = make_segments()
    first = small_model(cache_dir=tmp_path / "content").fit(segs)
    assert len(list((tmp_path / "content").glob("*/*.pkl"))) == 1
    first.save(tmp_path / "m")
    assert "cache_dir" not in (tmp_path / "m" / "insights_themes.json").read_text()

    def no_spacy(*args, **kwargs):
        raise AssertionError("spaCy loaded although every text is cached")

    monkeypatch.setattr(insights.nlp, "load_spacy", no_spacy)
    again = small_model(cache_dir=tmp_path / "content").fit(segs)
    pd.testing.assert_frame_equal(again.assignments_, first.assignments_)
    assert again.labels_ == first.labels_
    loaded = ThemeModel.load(
        tmp_path / "m", embedder=HashEmbedder(), cache_dir=tmp_path / "content"
    )
    pd.testing.assert_frame_equal(loaded.transform(segs), first.transform(segs))
    # a text never seen needs spaCy
    unseen = pd.DataFrame(
        {
            "segment_id": ["new"],
            "text": ["The router in the hallway keeps dropping."],
            "participant_id": ["P9"],
            "role": ["participant"],
        }
    )
    new = pd.concat([segs, unseen], ignore_index=True)
    with pytest.raises(AssertionError, match="spaCy loaded"):
        loaded.transform(new)


def test_fit_leaves_its_parameters_and_the_environment_as_they_were(fitted, tmp_path, monkeypatch):
    # ``fitted`` first: importing scikit-learn and torch sets variables of their own
    # (KMP_DUPLICATE_LIB_OK, TORCHINDUCTOR_CACHE_DIR); fit itself changes none
    import os

    import insights.embed

    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    monkeypatch.delenv("TRANSFORMERS_OFFLINE", raising=False)
    environ = dict(os.environ)
    given = HashEmbedder()
    model = ThemeModel(n_themes=3, embedder=given, random_state=0, representation=())
    params = model.get_params()
    model.fit(make_segments())
    assert dict(os.environ) == environ
    assert model.embedder is given and model.embedder_ is given
    assert all(v is params[k] for k, v in model.get_params().items())
    # the default embedder is resolved into embedder_, not into the parameter
    default = HashEmbedder()
    monkeypatch.setattr(insights.embed, "get_embedder", lambda *a, **k: default)
    fitted = ThemeModel(n_themes=3, random_state=0, representation=()).fit(make_segments())
    assert dict(os.environ) == environ
    assert fitted.embedder is None and fitted.embedder_ is default
    assert (
        fitted.get_params()
        == ThemeModel(n_themes=3, random_state=0, representation=()).get_params()
    )
    # save / load / transform use embedder_
    fitted.save(tmp_path / "m")
    loaded = ThemeModel.load(tmp_path / "m")
    assert dict(os.environ) == environ
    assert loaded.embedder is None and loaded.embedder_ is default
    assert loaded.method_ == fitted.method_
    segs = make_segments()
    pd.testing.assert_frame_equal(loaded.transform(segs), fitted.transform(segs))


def test_prevalence_counts_people_by_person_key():
    segs = make_segments().drop(columns=["participant_id"])
    segs["transcript_id"] = segs.segment_id.str[:3]  # pri, eng, wif, q1, b1, s1
    segs["speaker"] = np.where(segs.segment_id.str.endswith("-1"), "B", "A")
    m = small_model().fit(segs)
    th = m.themes_
    # each topic is one transcript with two speakers: 2 of the 6 people fitted
    assert th.participants.tolist() == [2, 2, 2] and th.prevalence.tolist() == [0.3333] * 3
    assert "prevalence_unit" not in th.columns
    counts = ["size", "participants", "prevalence"]
    summary = m.summarize(segs, m.transform(segs)).set_index("theme_id").sort_index()
    pd.testing.assert_frame_equal(summary[counts], th.set_index("theme_id").sort_index()[counts])


# ---------------------------------------------------------------- labels, filler, stability


def test_label_checks_catch_what_a_researcher_would_reject():
    from insights.themes import label_problems

    assert label_problems("Data data") == ["repeated word", "generic"]
    assert "repeated word" in label_problems("Use case, cases")
    assert label_problems("Let example") == ["filler only"]
    assert label_problems("Answer question") == ["filler only"]
    assert "other language" in label_problems("Le & te")
    assert label_problems("Bill from Maureen", names={"maureen"}) == ["name"]
    assert label_problems("Engineer missed the install appointment") == []
    assert label_problems("Price rise at renewal") == []
    assert label_problems("Refund letter", others=["Price rise", "refund letter"]) == ["shared"]


def test_label_checks_of_the_kept_apart_studys_labels():
    from insights.themes import label_problems

    # the labels the customer study found its drivers under
    assert label_problems("Pick meals, meal") == ["repeated word", "joined"]
    assert label_problems("Send photos, delivery") == ["joined"]
    assert label_problems("App & phone") == ["generic", "joined"]
    assert label_problems("Work & choosing") == ["joined"]
    # the session's own weak ones: a bare generic noun, a modifier makes it specific
    assert [label_problems(x) for x in ("Project", "Target", "Form", "Data set")] == [
        ["generic"]
    ] * 4
    assert label_problems("Claim form") == label_problems("Engineering projects") == []
    # "and" joins two things unless the theme's segments say them together
    said = ["The fees and charges went up.", "fees and the charges", "No fees."]
    assert label_problems("Fees and charges", texts=said) == []
    assert label_problems("Kestrel hub and copper line", texts=said) == ["joined"]
    # an -ing form made from spaCy's wrong lemma ("hated" -> "hat")
    texts = ["I hated the new app.", "They hated the new app at first."]
    assert label_problems("Hatting the new app", texts=texts) == ["made gerund"]
    assert label_problems("Hating the new app", texts=texts) == []
    assert label_problems("Checking the bill", texts=["I checked the bill twice."]) == []


def test_fitted_labels_are_phrases_from_the_themes_own_text(fitted):
    from insights.themes import label_problems

    labels = fitted.themes_.set_index("theme_id").label
    by_topic = {}
    a = fitted.assignments_.set_index("segment_id").theme_id
    for t in TOPICS:
        by_topic[t] = labels[a[f"{t}0-0"]].lower()
    # each label names its own topic, and none of them is a repeated or filler phrase
    assert "price" in by_topic["price"] or "bill" in by_topic["price"]
    assert "engineer" in by_topic["engineer"] or "appointment" in by_topic["engineer"]
    assert "wifi" in by_topic["wifi"] or "signal" in by_topic["wifi"]
    assert all(label_problems(x) == [] for x in labels)
    assert len(set(labels)) == len(labels)


def test_interview_meta_talk_and_filler_are_not_a_theme():
    texts = [
        "Does that make sense to you?",
        "That's a good question, let me think about the answer.",
        "I think that was the moment, for example.",
        "The engineer never turned up for the appointment.",
        "Thank you so much for having me, good luck with the research.",
        "Well, that's a funny story, actually.",
    ]
    got = fitting_exclusions(
        pd.DataFrame({"text": texts}), exclude_generic=True, min_words=1
    ).tolist()
    assert got == ["meta", "meta", "generic", "", "meta", "generic"]


def test_stability_is_high_for_clear_themes_and_each_theme_has_one(fitted):
    from insights.themes import theme_stability

    s = fitted.themes_.set_index("theme_id").stability
    assert s.notna().all() and (s > 0.9).all()  # three clear topics come back every refit
    rng = np.random.default_rng(0)
    noise = rng.normal(size=(60, 8))
    labels = np.arange(60) % 6  # themes made up on noise do not come back
    assert max(theme_stability(noise, labels, method="kmeans", runs=3).values()) < 0.5
    m = small_model(stability_runs=0).fit(make_segments())
    assert m.themes_.stability.isna().all()


def test_dwellers_and_talk_share_say_more_than_mentions(fitted):
    from insights.themes import talk_shares

    # a mentions theme 0 once and dwells on 1; b dwells on 0
    got = talk_shares(["a", "a", "a", "a", "b", "b", "b"], [0, 1, 1, 1, 0, 0, 1])
    assert got.to_dict("list") == {
        "theme_id": [0.0, 1.0],
        "talk_share": [0.4583, 0.5417],
        "dwellers": [1.0, 1.0],
    }
    t = fitted.themes_
    assert (t.dwellers <= t.participants).all() and abs(t.talk_share.sum() - 1) < 1e-3


def test_a_catch_all_theme_is_split_below_the_share_cap():
    segs = make_segments()
    auto = dict(embedder=HashEmbedder(), random_state=0, representation=())
    m = ThemeModel(**auto, max_theme_share=None).fit(segs)
    fitted_n = int((m.assignments_.excluded == "").sum())
    assert m.themes_["size"].max() > 0.15 * fitted_n  # 4 themes ("auto") for 30 segments
    split = ThemeModel(**auto, max_theme_share=0.15).fit(segs)
    assert split.themes_["size"].max() <= 0.15 * fitted_n
    assert len(split.labels_) > len(m.labels_)
    # a number of themes the researcher chose is kept as clustered
    assert len(ThemeModel(**auto, n_themes=2).fit(segs).labels_) == 2
    # and so are the themes of standalone texts (reviews, survey answers): no split
    texts = segs.loc[segs.role == "participant", ["text"]]
    assert len(ThemeModel(**auto, max_theme_share=0.15).fit(texts).labels_) == len(m.labels_)


def test_codebook_codes_name_the_themes_they_match(fitted):
    m = small_model().fit(make_segments())
    codes = pd.DataFrame(
        {
            "segment_id": [f"engineer{i}-{p}" for i in range(5) for p in range(2)],
            "code": "Engineer visit",
        }
    )
    m.name_from_codes(codes)
    t = m.themes_.set_index("theme_id")
    eng = m.assignments_.set_index("segment_id").theme_id["engineer0-0"]
    assert t.label[eng] == "Engineer visit" and t.codebook_code[eng] == "Engineer visit"
    assert (t.drop(eng).codebook_code == "").all()  # the rest: what the codebook missed


def test_no_two_themes_share_a_label_the_other_takes_its_next_phrase(fitted):
    import copy

    from insights.themes import label_problems

    m = copy.deepcopy(fitted)
    a = m.assignments_.set_index("segment_id").theme_id
    eng, wifi = a["engineer0-0"], a["wifi0-0"]
    taken = m.labels_[wifi]
    # a code named like the wifi theme matches the engineer theme: it keeps the code's name
    codes = pd.DataFrame(
        {"segment_id": [f"engineer{i}-{p}" for i in range(5) for p in range(2)], "code": taken}
    )
    m.name_from_codes(codes)
    labels = m.themes_.set_index("theme_id").label
    assert labels[eng] == taken and labels[wifi] != taken
    # told apart by its own next phrase, never by a number
    assert labels[wifi].lower() != taken.lower() and not any(c.isdigit() for c in labels[wifi])
    assert {"wifi", "signal", "bedroom", "kitchen", "evening"} & set(labels[wifi].lower().split())
    assert all(label_problems(x, others=labels.drop(t)) == [] for t, x in labels.items())
    assert fitted.labels_[eng] != taken  # the fixture is as it was


def test_a_large_study_is_fitted_on_a_sample_by_transcript_and_every_segment_assigned():
    from insights.themes import theme_sample

    base = make_segments()
    base = base[base.role == "participant"].reset_index(drop=True)
    ends = [" this winter", " last spring", " every week", " at home", " for months"]
    base["text"] += [ends[i % 5] for i in range(len(base))]  # words the topics share
    segs = pd.concat(
        [
            base.assign(segment_id=base.segment_id + f"-t{k}", transcript_id=f"t{k}")
            for k in range(6)
        ]  # noqa: E501
        + [base.head(6).assign(segment_id=base.segment_id.head(6) + "-s", transcript_id="short")],
        ignore_index=True,
    )  # 6 transcripts of 30 fittable rows (and 2 too short) and one of 6: 186
    sample = theme_sample(segs, 100, roles=("participant",), min_words=4, random_state=0)
    per = sample.transcript_id.value_counts()
    share = {"short": 6 * 100 / 186, **{f"t{k}": 30 * 100 / 186 for k in range(6)}}
    assert len(sample) == 100 and all(abs(per[k] - v) < 1 for k, v in share.items())
    m = small_model(max_fit_segments=100, spacy_model=None).fit(segs)
    assert m.sampled_ and len(m.fit_ids_) + len(m.excluded_ids_) == 100
    a = m.transform(segs)
    assert len(a) == len(segs) and a.segment_id.tolist() == segs.segment_id.tolist()
    used = (a.excluded == "").to_numpy()
    fitted = a.segment_id.isin(m.fit_ids_).to_numpy()
    assert used.sum() > 150 and (used & ~fitted).sum() > 50  # the rest are assigned too
    # a row left out of the fit goes where its twin (same text, another transcript) was fitted
    theme_of_text = dict(zip(segs.text[fitted], a.theme_id[fitted], strict=True))
    rest = used & ~fitted & segs.text.isin(theme_of_text).to_numpy()
    same = a.theme_id[rest].to_numpy() == segs.text[rest].map(theme_of_text).to_numpy()
    assert rest.sum() > 50 and same.mean() >= 0.9
    table = m.summarize(segs, a)
    assert table["size"].sum() == used.sum()
    assert not small_model(max_fit_segments=1000, spacy_model=None).fit(segs).sampled_
    # the bound counts the rows it could fit, not the table's: 200 backchannels more make
    # the table longer than the bound but fit no more rows (QMSum, 10 meetings: 9,293
    # segments, 3,048 of them used, so no sample); every used row is fitted
    yeahs = pd.DataFrame(
        {"segment_id": [f"y{i}" for i in range(200)], "text": "Yeah.", "transcript_id": "t0"}
    ).assign(role="participant", participant_id="P1")
    padded = pd.concat([segs, yeahs], ignore_index=True)
    whole = small_model(max_fit_segments=200, spacy_model=None).fit(padded)
    n_used = int((whole.transform(padded).excluded == "").sum())
    assert len(padded) > 200 >= n_used == len(whole.fit_ids_) and not whole.sampled_
    assert len(whole.excluded_ids_) == len(padded) - n_used >= 200


def test_a_study_table_is_analysed_once_for_fitting_and_transform():
    # the themes stage asks which rows are used for the whole study twice (to sample the
    # fit, then to transform): the second asking is answered from the first
    from insights.themes._fitting import model_exclusions

    segs = make_segments()
    m = small_model()
    reason, content = model_exclusions(m, segs)
    again, same = model_exclusions(m, segs)
    assert same is content and again.tolist() == reason.tolist() and (reason == "").sum() > 20
    changed = segs.assign(text=segs.text.where(segs.index != 3, "Mm-hm."))
    other, fresh = model_exclusions(m, changed)
    assert fresh is not content and other[3] == "backchannel" and reason[3] != "backchannel"
    m.roles = None  # a parameter read by the exclusions: asked afresh
    assert model_exclusions(m, segs)[1] is not content


def test_a_loaded_model_reads_bertopic_only_when_it_is_used(fitted, tmp_path):
    # assigning and summarizing need no BERTopic (seconds of imports on every re-run)
    import subprocess
    import sys

    fitted.save(tmp_path / "m")
    code = (
        "import sys\n"
        "import pandas as pd\n"
        "from insights.embed import HashEmbedder\n"
        "from insights.themes import ThemeModel\n"
        f"m = ThemeModel.load({str(tmp_path / 'm')!r}, embedder=HashEmbedder())\n"
        "m.transform(pd.DataFrame({'segment_id': ['n'], 'text': ['weak wifi signal']}))\n"
        "print('bertopic' in sys.modules, len(m.themes_))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", str(len(fitted.themes_))]
    loaded = ThemeModel.load(tmp_path / "m", embedder=HashEmbedder())
    loaded.save(tmp_path / "copy")  # BERTopic never read: its files are copied as they were
    for f in (tmp_path / "m").iterdir():
        if f.name != "insights_themes.json":
            assert (tmp_path / "copy" / f.name).read_bytes() == f.read_bytes(), f.name
    again = ThemeModel.load(tmp_path / "copy", embedder=HashEmbedder())
    topics = set(again.topic_model_.get_topic_info()["Topic"])  # read on first use
    assert topics == set(fitted.topic_model_.get_topic_info()["Topic"])
    assert again.labels_ == fitted.labels_


def test_a_label_names_what_enough_of_the_theme_says_with_a_modifier_said_thrice():
    from insights.themes._labels import phrase_labels

    # theme 0: "nice extra" in 2 of its 30 segments; theme 1: "wifi" in all 5
    ph = [[("nice extra", "nice extra"), ("extra", "extra")]] * 2 + [[]] * 28
    ph += [[("wifi", "wifi")]] * 5
    tod = np.array([0] * 30 + [1] * 5)
    assert phrase_labels(ph, tod, np.eye(35)) == {1: "Wifi"}  # 2 of 30 is under 10%
    # a modifier said twice is dropped: "Extra", not "Nice extra"
    assert phrase_labels(ph, tod, np.eye(35), min_cover=0.0) == {0: "Extra", 1: "Wifi"}


def test_a_keyword_label_needs_words_said_in_the_theme_and_more_than_elsewhere():
    from insights.themes._labels import keyword_label

    leave = [
        "I wouldn't leave them over that.",
        "I'd be mad to leave, to be honest.",
        "I'll stay with them for now, it works.",
        "I thought about it, but I wouldn't leave.",
        "We stay because the price is fair.",
    ]
    other = [
        "The engineer came on the day, it works.",
        "The price went up in April and I rang them.",
        "The app works fine now, I check the bill on it.",
        "I work from home three days a week.",
        "The live chat was quick.",
    ]
    docs = leave + other
    inside = np.array([True] * 5 + [False] * 5)
    # "leave price" is a keyword made by dropping the words between: never said so;
    # "works" is in 1 of 5 inside and 2 of 5 outside: said all over, not this theme's
    keywords = ["leave price", "works", "leave", "fair", "stay"]
    assert keyword_label(keywords, docs, inside) == "Leave"  # one head, never "Leave & fair"
    assert keyword_label(["fair", "leave"], docs, inside) == "Fair"  # said in 1 of 5
    assert keyword_label(["fair", "leave"], docs, inside, min_cover=0.3) == "Leave"
    # a theme of narration: nothing its keywords say is its own
    story = ["I asked them.", "I thought it works.", "I asked again.", "It works, I thought."]
    docs = story + ["I asked about the price.", "I thought the price works.", "The bill works."]
    label = keyword_label(["thought", "asked", "works"], docs, np.array([1] * 4 + [0] * 3) == 1)
    assert label == "Mixed talk: thought, asked, works"


def test_transcribers_markup_is_not_a_word_of_any_theme():
    # QMSum-style markers in every segment: before, "{pause}" made a theme "Pause"
    segs = make_segments()
    marked = segs.assign(
        text=[
            f"{{vocalsound}} {t}" if i % 3 else f"{t} {{disfmarker}} {{pause}} [laughs]"
            for i, t in enumerate(segs["text"])
        ]
    )
    marked.loc[marked.segment_id == "b1", "text"] = "{vocalsound} Yeah. {disfmarker}"
    reasons = dict(zip(marked.segment_id, fitting_exclusions(marked), strict=True))
    assert reasons["b1"] == "backchannel" and reasons["s1"] == "short"
    model = small_model().fit(marked)
    words = {w for kws in model.keywords_.values() for w in kws} | set(model.labels_.values())
    assert words and not words & {"pause", "disfmarker", "vocalsound", "laughs"}
    plain = small_model().fit(segs)
    assert sorted(model.labels_.values()) == sorted(plain.labels_.values())


def test_split_labels_its_parts_from_their_own_phrases_also_after_loading(fitted, tmp_path):
    import copy

    from insights.themes import label_problems
    from insights.themes._labels import label_cover

    m = copy.deepcopy(fitted)
    assert m.fit_phrases_ and len(m.fit_phrases_) == len(m.fit_docs_)
    eng = m.assignments_.set_index("segment_id").theme_id["engineer0-0"]
    m.split(eng)
    loaded = ThemeModel.load(fitted.save(tmp_path / "m"), embedder=fitted.embedder_)
    assert loaded.fit_phrases_ == fitted.fit_phrases_
    assert loaded.split(eng).labels_ == m.labels_  # the same labels, saved or not
    parts = [eng, max(m.labels_)]
    for t in parts:
        label = m.labels_[t]
        assert label_problems(label, others=[x for k, x in m.labels_.items() if k != t]) == []
        # said in the part's own segments, not the old keyword rule's "A & b" or "A, b"
        assert label_cover(label, m.fit_phrases_, m.theme_of_doc_ == t) >= 0.1
        assert "&" not in label and "," not in label


def test_each_fitted_segments_stance_is_kept_and_saved(tmp_path):
    segs = make_segments()
    side = {"cancelled": "negative", "late": "negative", "great": "positive"}
    stance = [next((s for w, s in side.items() if w in t), "neutral") for t in segs["text"]]
    m = small_model(spacy_model=None).fit(segs.assign(stance=stance))
    by_id = dict(zip(segs["segment_id"], stance, strict=True))
    code = {"negative": -1, "positive": 1, "neutral": 0}
    assert m.fit_stances_.tolist() == [code[by_id[i]] for i in m.fit_ids_]
    assert sorted(set(m.fit_stances_.tolist())) == [-1, 0, 1]
    loaded = ThemeModel.load(m.save(tmp_path / "m"), embedder=HashEmbedder())
    assert loaded.fit_stances_.tolist() == m.fit_stances_.tolist()
    assert small_model(spacy_model=None).fit(segs).fit_stances_ is None  # no stance column


def test_a_sentence_of_mixed_talk_takes_the_theme_of_its_turn():
    from insights.schema import MIXED_TALK
    from insights.themes import FROM_COLUMN, themes_from_context

    # turn 1: the engineer, then two bare reactions; turn 2: a bare reaction alone;
    # turn 3: the bill, a reaction, the price (the reaction is as near to both: the one before)
    seg = pd.DataFrame(
        {
            "segment_id": [f"s{i}" for i in range(8)],
            "transcript_id": ["t"] * 7 + ["u"],
            "turn": [1, 1, 1, 2, 3, 3, 3, 1],
            "text": ["The engineer came at eight.", "I couldn't believe it.", "Honestly.",
                     "Two years of misery.", "The bill was wrong.", "So rude.", "Yeah.",
                     "Wow."],
        }
    )  # fmt: skip
    assign = pd.DataFrame(
        {
            "segment_id": seg["segment_id"],
            "theme_id": [0, 9, 9, 9, 1, 9, -1, 9],
            "probability": [0.9, 0.4, 0.5, 0.6, 0.8, 0.3, np.nan, 0.5],
            "excluded": ["", "", "", "", "", "", "backchannel", ""],
        }
    )
    themes = pd.DataFrame(
        {"theme_id": [0, 1, 9], "label": ["Engineer visit", "Bill", f"{MIXED_TALK}: asked"]}
    )
    out = themes_from_context(assign, seg, themes)
    assert out["theme_id"].tolist() == [0, 0, 0, 9, 1, 1, -1, 9]
    assert out[FROM_COLUMN].tolist() == ["", "s0", "s0", "", "", "s4", "", ""]
    # a taken theme has no probability of its own; the rest are as they were
    assert out["probability"].isna().tolist() == [
        False,
        True,
        True,
        False,
        False,
        True,
        True,
        False,
    ]
    assert assign["theme_id"].tolist() == [0, 9, 9, 9, 1, 9, -1, 9]  # a new frame
    # a longer sentence says what it is about: it keeps its theme
    said = seg.assign(text=seg["text"].where(seg["segment_id"] != "s1", "word " * 11))
    assert themes_from_context(assign, said, themes)["theme_id"].tolist()[:3] == [0, 9, 0]
    # with no mixed-talk theme nothing moves
    named = themes.assign(label=["Engineer visit", "Bill", "Price"])
    assert (
        themes_from_context(assign, seg, named)["theme_id"].tolist() == assign["theme_id"].tolist()
    )


def test_mixed_talk_lists_a_verb_once_whatever_its_form():
    from insights.themes._labels import keyword_label

    docs = ["I asked them.", "I thought so.", "I ask again.", "I asked, I thought.",
            "The price went up.", "The bill was wrong."]  # fmt: skip
    inside = np.array([True] * 4 + [False] * 2)
    label = keyword_label(["asked", "ask", "thought"], docs, inside, min_cover=0.9)
    assert label == "Mixed talk: asked, thought"


def test_a_word_said_twice_across_a_pause_is_no_keyword():
    # MLSS: "the data, data is..." made "data data" a keyword of the largest theme
    segs = make_segments()
    stuttered = segs.assign(
        text=[
            t.replace("price", "price, price").replace("wifi", "wifi, wifi") for t in segs["text"]
        ]
    )
    plain = small_model().fit(segs)
    model = small_model().fit(stuttered)
    keywords = [k for kws in model.keywords_.values() for k in kws]
    assert "price" in keywords and "wifi" in keywords
    assert not {"price price", "wifi wifi"} & set(keywords)
    assert sorted(model.labels_.values()) == sorted(plain.labels_.values())
