import numpy as np
import pandas as pd
import pytest

from insights import schemas
from insights.codebook import (
    Code,
    Codebook,
    apply_decisions,
    calibrate,
    code_segments,
    decide,
    load_codebook,
    merge_decisions,
    review_table,
    rule_code,
)
from insights.embed import HashEmbedder
from insights.schema import CODE_COLUMNS, ConfigError, SchemaError

XSD = schemas.path("Codebook.xsd")

YAML = """\
name: Broadband
codes:
  - name: Money
    definition: Anything about money.
  - name: Price
    parent: Money
    definition: What the service costs.
    keywords: [expensive, price, "cost*"]
    patterns: ["too ... much", "/£\\\\d+/"]
    include: price rises
    exclude: [billing errors]
    examples: ["It's far too expensive."]
    color: "#E15759"
  - name: Engineer
    definition: The installation engineer and the visit.
    keywords: [engineer, "turn up"]
"""

SEGS = pd.DataFrame(
    {
        "segment_id": ["s1", "s2", "s3", "s4", "s5", "s6"],
        "text": [
            "It is far too expensive for us.",
            "It isn't expensive at all.",
            "The engineer never turned up.",
            "It costs way too much and the engineer was late.",
            "We paid £30 a month.",
            "Have you had any problems?",
        ],
        "role": ["participant"] * 5 + ["interviewer"],
    }
)


@pytest.fixture
def book(tmp_path):
    p = tmp_path / "codebook.yaml"
    p.write_text(YAML)
    return load_codebook(p)


def test_load_reads_every_field(book):
    price = book["Price"]
    assert price.parent == "Money"
    assert price.include == ["price rises"] and price.exclude == ["billing errors"]
    assert price.color == "#E15759"
    assert [c.name for c in book.children("Money")] == ["Price"]


@pytest.mark.parametrize(
    "text, message, where",
    [
        ("codes:\n  - name: A\n    keyword: [x]\n", "unknown key 'keyword'", "line 2"),
        ("codes:\n  - name: A\n  - name: B\n    parent: C\n", "parent 'C'", "line 3"),
        ("codes:\n  - name: A\n  - name: a\n", "defined twice", "line 3"),
        ("codes:\n  - name: A\n    color: red\n", "color", "line 2"),
        ("codes: [\n", "not valid YAML", "line"),
    ],
)
def test_load_errors_name_the_file_line_and_fix(tmp_path, text, message, where):
    p = tmp_path / "codebook.yaml"
    p.write_text(text)
    with pytest.raises(ConfigError) as info:
        load_codebook(p)
    msg = str(info.value)
    assert message in msg and where in msg and "codebook.yaml" in msg and "Fix:" in msg


def test_unknown_key_suggests_the_right_one(tmp_path):
    p = tmp_path / "codebook.yaml"
    p.write_text("codes:\n  - name: A\n    keyword: [x]\n")
    with pytest.raises(ConfigError, match="did you mean 'keywords'"):
        load_codebook(p)


def test_parent_cycle_is_an_error():
    with pytest.raises(ConfigError, match="cycle"):
        Codebook(codes=[Code(name="A", parent="B"), Code(name="B", parent="A")])


def test_yaml_round_trip(book, tmp_path):
    out = book.save(tmp_path / "again.yaml")
    again = load_codebook(out)
    assert again.model_dump() == book.model_dump()


def test_qdc_export_validates_and_round_trips(book, tmp_path):
    from lxml import etree

    path = book.to_qdc(tmp_path / "book.qdc")
    schema = etree.XMLSchema(etree.parse(str(XSD)))
    assert schema.validate(etree.parse(str(path))), schema.error_log
    root = etree.parse(str(path)).getroot()
    ns = {"q": "urn:QDA-XML:codebook:1.0"}
    assert [e.get("name") for e in root.findall("q:Codes/q:Code/q:Code", ns)] == ["Price"]
    again = Codebook.load(path)
    for name in book.names:
        a, b = book[name], again[name]
        assert (a.parent, a.definition, a.keywords, a.include, a.exclude, a.examples, a.color) == (
            b.parent,
            b.definition,
            b.keywords,
            b.include,
            b.exclude,
            b.examples,
            b.color,
        )
    assert book.guid("Price") == again.guid("Price") or again.name != book.name


def test_qdc_import_rejects_invalid_files(tmp_path):
    p = tmp_path / "bad.qdc"
    p.write_text(
        '<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes><Code name="x"/></Codes></CodeBook>'
    )
    with pytest.raises(ConfigError, match="not a valid REFI-QDA codebook"):
        Codebook.load(p)
    with pytest.raises(ConfigError, match="not a valid REFI-QDA codebook"):
        load_codebook(p)


def test_load_codebook_and_codebook_load_read_yaml_and_qdc_alike(book, tmp_path, monkeypatch):
    import insights.codebook._files as files

    yaml_path = tmp_path / "codebook.yaml"
    qdc_path = book.save(tmp_path / "book.QDC")  # the suffix, in any case, picks the format
    assert qdc_path.read_bytes().startswith(b"<?xml")
    for path in (yaml_path, qdc_path):
        assert load_codebook(path).model_dump() == Codebook.load(path).model_dump()
    from_qdc = load_codebook(qdc_path)
    assert from_qdc.name == "book" and from_qdc.names == book.names
    assert from_qdc["Price"].keywords == book["Price"].keywords
    # Codebook.load is load_codebook: one reader for both formats
    seen = []
    monkeypatch.setattr(files, "read_qdc", lambda p, model: seen.append(p) or book)
    assert Codebook.load(qdc_path) is book and load_codebook(qdc_path) is book
    assert seen == [qdc_path, qdc_path]


def test_rule_coding_uses_lemmas_wildcards_regex_and_negation(book):
    hits = rule_code(SEGS, book, include_negated=True)
    got = {(r.segment_id, r.code): r.negated for r in hits.itertuples()}
    assert got[("s1", "Price")] is False or got[("s1", "Price")] == False  # noqa: E712
    assert got[("s2", "Price")]  # "isn't expensive" is negated
    assert ("s3", "Engineer") in got  # "turned up" matches "turn up" by lemma
    assert ("s4", "Price") in got and ("s4", "Engineer") in got
    assert ("s5", "Price") in got  # regex
    codes = code_segments(SEGS, book, methods=("rule",))
    assert list(codes.columns) == list(CODE_COLUMNS)
    assert set(zip(codes.segment_id, codes.code, strict=True)) == {
        ("s1", "Price"),
        ("s3", "Engineer"),
        ("s4", "Price"),
        ("s4", "Engineer"),
        ("s5", "Price"),
    }
    assert (codes.method == "rule").all() and (codes.coder == "insights").all()


def test_rule_coding_case_forms_multiword_keywords_and_token_patterns():
    book = Codebook(
        codes=[
            Code(name="Streaming", keywords=["Netflix", "wi-fi drops"]),
            Code(name="Router", patterns=[[{"LOWER": "router"}, {"POS": "AUX"}]]),
            Code(name="Boxes", keywords=["boxes"], patterns=[[{"LEMMA": "Router"}]]),
        ]
    )
    segs = pd.DataFrame(
        {
            "segment_id": ["a", "b", "c", "d"],
            "text": [
                "NETFLIX kept stopping.",
                "The Wi-Fi dropped every evening.",
                "The router was old, and we had two boxes.",
                "No box at all.",
            ],
            "role": "participant",
        }
    )
    hits = rule_code(segs, book, include_negated=True)
    got = {(r.segment_id, r.code): (r.match, r.negated) for r in hits.itertuples()}
    assert got[("a", "Streaming")] == ("NETFLIX", False)  # a keyword matches any case
    assert got[("b", "Streaming")] == ("Wi-Fi dropped", False)  # by lemma, several tokens
    assert got[("c", "Router")] == ("router was", False)  # a token pattern, on the segment
    assert got[("c", "Boxes")] == ("boxes", False)
    # "boxes" matches "box" by its lemma, negated by "No"; a token pattern keeps its case
    assert got[("d", "Boxes")] == ("box", True)
    assert ("c", "Boxes") in got and len(got) == 5


def test_rule_matches_are_cached_per_text_and_rules(book, tmp_path, monkeypatch):
    import insights.codebook._rules as rules

    first = rule_code(SEGS, book, include_negated=True, cache=tmp_path)
    pd.testing.assert_frame_equal(first, rule_code(SEGS, book, include_negated=True))
    assert len(list(tmp_path.glob("*/*.pkl"))) == 1

    built = []
    real = rules._RuleCoder

    def counting(codebook, nlp):
        built.append(1)
        return real(codebook, nlp)

    monkeypatch.setattr(rules, "_RuleCoder", counting)
    # same texts, same rules: no coder is built (no spaCy pass); new ids keep their own names
    renamed = SEGS.assign(segment_id=SEGS["segment_id"] + "x")
    again = rule_code(renamed, book, include_negated=True, cache=tmp_path)
    assert built == []
    assert again["segment_id"].tolist() == [s + "x" for s in first["segment_id"]]
    assert again.drop(columns="segment_id").equals(first.drop(columns="segment_id"))
    # a new text is matched; a changed keyword list is a new cache entry
    late = {"segment_id": ["n1"], "text": ["The engineer was late."], "role": ["participant"]}
    more = pd.concat([SEGS, pd.DataFrame(late)])
    hits = rule_code(more, book, cache=tmp_path)
    assert built == [1] and ("n1", "Engineer") in set(zip(hits.segment_id, hits.code, strict=True))
    changed = book.with_codes([book["Engineer"].model_copy(update={"keywords": ["late"]})])
    hits = rule_code(more, changed, cache=tmp_path)
    # one store (folder of shards) per codebook's rules: the new text was one more shard
    # of the first, the changed rules a second store
    stores = sorted(p for p in tmp_path.iterdir() if p.is_dir())
    assert len(built) == 2 and len(stores) == 2
    assert sorted(len(list(p.glob("*.pkl"))) for p in stores) == [1, 2]
    pairs = set(zip(hits.segment_id, hits.code, strict=True))
    assert ("n1", "Engineer") in pairs and ("s3", "Engineer") not in pairs


def test_segments_without_ids_are_coded_by_row_number(book):
    bare = SEGS.drop(columns="segment_id")
    codes = code_segments(bare, book, methods=("rule",))
    assert set(codes.segment_id) == {"0", "2", "3", "4"}  # segment_ids: the row number
    by_id = code_segments(SEGS.rename(columns={"segment_id": "id"}), book, methods=("rule",))
    assert set(by_id.segment_id) == {"s1", "s3", "s4", "s5"}
    table = review_table(codes, bare, high=1.01)
    assert table.text.notna().all() and len(table) == len(codes)


def test_semantic_coding_is_multilabel_and_skips_interviewer(book):
    codes = code_segments(SEGS, book, embedder=HashEmbedder(), threshold=0.0)
    assert "s6" not in set(codes.segment_id)  # interviewer turn
    assert codes.groupby("segment_id").size().max() > 1
    assert codes.confidence.between(0, 1).all()


def test_human_decisions_win_on_rerun(book):
    first = code_segments(SEGS, book, methods=("rule",))
    decisions = decide(
        None, ["s1", "s3", "s2"], ["Price", "Engineer", "Price"], accept=[False, True, True]
    )
    second = code_segments(SEGS, book, methods=("rule",), decisions=decisions)
    pairs = {(r.segment_id, r.code): (r.coder, r.confidence) for r in second.itertuples()}
    assert ("s1", "Price") not in pairs  # rejected
    assert pairs[("s3", "Engineer")] == ("human", 1.0)  # accepted: now a human row
    assert pairs[("s2", "Price")] == ("human", 1.0)  # added by a human
    assert len(first) == 5 and len(second) == 5
    # a later decision on the same pair replaces the earlier one
    d2 = decide(decisions, "s1", "Price", accept=True)
    assert d2.set_index(["segment_id", "code"]).loc[("s1", "Price"), "confidence"] == 1.0
    assert len(apply_decisions(first, d2)) == 6


def test_decisions_merge_last_wins_and_keep_the_qda_user():
    imported = pd.DataFrame(
        {
            "segment_id": ["s1", "s3"],
            "code": ["Price", "Engineer"],
            "confidence": [1.0, 1.0],
            "method": "human",
            "coder": "human",
            "user": ["Ana", "Ben"],
        }
    )
    d = decide(imported, ["s1", "s4"], "Price", accept=[False, True])
    got = {(r.segment_id, r.code): (r.confidence, r.user) for r in d.itertuples()}
    # the later decision wins
    assert got[("s1", "Price")][0] == 0.0 and pd.isna(got[("s1", "Price")][1])
    assert got[("s3", "Engineer")] == (1.0, "Ben")  # the QDA tool's user survives
    assert got[("s4", "Price")][0] == 1.0 and len(d) == 3
    assert list(d.columns) == [*CODE_COLUMNS, "user"]
    assert merge_decisions(None, None).empty
    assert list(merge_decisions(None).columns) == list(CODE_COLUMNS)
    # a hand-made table with only segment_id and code: accepted human decisions
    bare = decide(
        pd.DataFrame({"segment_id": ["s9"], "code": ["Price"]}), "s8", "Price", accept=True
    )
    assert bare[["segment_id", "confidence", "coder"]].values.tolist() == [
        ["s9", 1.0, "human"],
        ["s8", 1.0, "human"],
    ]
    with pytest.raises(SchemaError, match="code"):
        merge_decisions(pd.DataFrame({"segment_id": ["s1"]}))


def test_review_table_lists_uncertain_codings_first(book):
    codes = code_segments(SEGS, book, embedder=HashEmbedder(), threshold=0.0)
    table = review_table(codes, SEGS, high=1.01)
    assert list(table.confidence) == sorted(table.confidence)
    assert "text" in table.columns


def test_calibrate_learns_from_human_codes(book):
    human = pd.DataFrame(
        {
            "segment_id": ["s1", "s3", "s4", "s4", "s5", "s2"],
            "code": ["Price", "Engineer", "Price", "Engineer", "Price", "none"],
        }
    )
    cal = calibrate(SEGS, book, human, embedder=HashEmbedder(), per_code_min=100)
    assert cal.calibration is not None and cal.calibration.rule > 0
    # the hash embedder's similarities mean nothing in absolute terms: no absolute gate here
    codes = code_segments(SEGS, cal.model_copy(update={"floor": -1.0}), embedder=HashEmbedder())
    got = set(zip(codes.segment_id, codes.code, strict=True))
    assert ("s1", "Price") in got and ("s3", "Engineer") in got
    assert np.isfinite(codes.confidence).all()


def test_save_over_a_yaml_file_keeps_its_comments(tmp_path):
    text = """\
# Broadband study codebook, wave 1
# agreed with the team on 3 March

name: Broadband
# lower once we have human codes
threshold: 0.5
codes:
  # money things
  - name: Price  # the main one
    definition: What the service costs.
    keywords: [expensive]
  # the visit
  - name: "ENGINEER#VISIT"
    definition: The installation engineer.
"""
    path = tmp_path / "codebook.yaml"
    path.write_text(text)
    book = load_codebook(path)
    book.with_codes([Code(name="Router", definition="The router.")]).save(path)
    out = path.read_text()
    assert out.startswith(
        "# Broadband study codebook, wave 1\n# agreed with the team on 3 March\n\nname: Broadband\n"
    )
    lines = out.splitlines()
    assert lines[lines.index("# lower once we have human codes") + 1].startswith("threshold:")
    money = next(i for i, line in enumerate(lines) if line.strip() == "# money things")
    assert lines[money + 1].strip() == "- name: Price"
    visit = next(i for i, line in enumerate(lines) if line.strip() == "# the visit")
    assert "ENGINEER#VISIT" in lines[visit + 1]
    again = load_codebook(path)
    assert again.names == ["Price", "ENGINEER#VISIT", "Router"]
    assert again["Price"].keywords == ["expensive"]
    # a new file has no comments to keep
    book.save(tmp_path / "new.yaml")
    assert not (tmp_path / "new.yaml").read_text().startswith("#")
