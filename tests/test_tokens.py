"""A run whose models all run on ONNX Runtime loads no torch: the word pieces, the thread
count and the export names without it, spaCy and BERTopic imported with it hidden."""

import os
import subprocess
import sys

import pytest

from insights._tokens import model_threads, versions_stamp, word_pieces
from insights.embed import minilm_path

TEXTS = [
    "The engineer never turned up, so I cancelled.",
    "Ça coûte 10 € — naïve café 😀 日本語のテキスト",
    "I'm can't won't  {disfmarker} [laughs]",
    "e-mail: someone@example.com, +44 20 7946 0958",
    "",
    "ＦＵＬＬ width ﬁ ligature \u200b zero width\ttab",
    "word " * 400,  # longer than every window and the embedder's 256
]


def _run(code: str, **env: str) -> str:
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        timeout=600,
        env={**os.environ, **env},
    )
    return out.stdout.strip()


def test_word_pieces_are_autotokenizers_ids_with_and_without_special_tokens_and_cuts():
    transformers = pytest.importorskip("transformers")
    slow = transformers.AutoTokenizer.from_pretrained(str(minilm_path()), local_files_only=True)
    tok = word_pieces(minilm_path())
    plain = slow(TEXTS, add_special_tokens=False, truncation=False)["input_ids"]
    assert tok.ids(TEXTS, special=False) == plain
    for cut in (256, 128, 8):
        want = slow(TEXTS, truncation=True, max_length=cut)["input_ids"]
        got = tok.ids(TEXTS, special=True, max_length=cut)
        assert got == want
        assert max(map(len, got)) == cut and got[0][0] == tok.cls_token_id == 101
    assert (tok.cls_token_id, tok.sep_token_id) == (slow.cls_token_id, slow.sep_token_id)
    # a cut call does not leave the tokenizer cutting
    assert tok.ids(TEXTS[-1:], special=False) == plain[-1:]
    assert len(plain[-1]) == 400


def test_versions_stamp_is_the_packages_versions_that_named_the_exports():
    torch = pytest.importorskip("torch")
    transformers = pytest.importorskip("transformers")
    assert versions_stamp() == f"{torch.__version__}|{transformers.__version__}"


def test_model_threads_is_torchs_setting_or_omp_without_torch():
    code = (
        "import sys; from insights._tokens import model_threads as t\n"
        "print(t(), 'torch' in sys.modules)"
    )
    assert _run(code, OMP_NUM_THREADS="3") == "3 False"
    torch = pytest.importorskip("torch")
    assert model_threads() == torch.get_num_threads()  # torch is loaded here: its setting


def test_torch_hidden_fails_torch_imports_in_the_block_only():
    code = (
        "import sys\n"
        "from insights._optional import torch_hidden\n"
        "with torch_hidden() as hidden:\n"
        "    try:\n"
        "        import torch\n"
        "        inside = 'imported'\n"
        "    except ImportError:\n"
        "        inside = 'refused'\n"
        "import torch\n"
        "with torch_hidden() as again:\n"
        "    import torch.nn\n"
        "print(hidden, inside, torch.ones(2).sum().item(), again)\n"
    )
    assert _run(code).split() == ["True", "refused", "2.0", "False"]


@pytest.mark.slow
def test_spacy_and_bertopic_load_without_torch_and_their_stand_ins_build_the_real_classes():
    code = (
        "import sys\n"
        "from insights.nlp import load_spacy\n"
        "nlp = load_spacy(exclude=('parser',))\n"
        "doc = nlp('The engineer did not turn up.')\n"
        "import insights.themes, bertopic, bertopic._save_utils as su\n"
        "from bertopic.representation import PartOfSpeech\n"
        "from bertopic.backend import MultiModalBackend\n"
        "pos = PartOfSpeech(nlp)\n"
        "heavy = [m for m in ('torch', 'transformers', 'sentence_transformers')\n"
        "         if m in sys.modules]\n"
        "print(heavy or 'none', doc[1].pos_, doc[2].lemma_, type(pos).__module__, su._has_torch)\n"
        "print(su.torch.ones(1).dtype, 'torch' in sys.modules, MultiModalBackend.__module__)\n"
    )
    first, second = _run(code).splitlines()
    assert first.split() == ["none", "NOUN", "do", "bertopic.representation._pos", "True"]
    assert second.split() == ["torch.float32", "True", "bertopic.backend._multimodal"]


@pytest.mark.slow
def test_onnx_scores_and_embeddings_load_no_torch_and_equal_a_torch_process():
    pytest.importorskip("onnxruntime")
    code = (
        "import sys, json, numpy as np\n"
        "from insights.emotions import EmotionModel\n"
        "from insights.embed import MiniLMEmbedder\n"
        f"texts = {TEXTS[:4]!r}\n"
        "m = EmotionModel(backend='onnx')\n"
        "v = m.score_and_embed(texts)\n"
        "p = m.score(texts)[0]\n"
        "e = MiniLMEmbedder(backend='onnx').encode(texts)\n"
        "print('torch' in sys.modules, 'transformers' in sys.modules)\n"
        "print(json.dumps([v.tolist(), p.tolist(), e.tolist()]))\n"
    )
    # the same code with torch loaded first: the ids, threads and exports torch would give
    flags, values = _run(code).splitlines()
    assert flags == "False False"
    with_torch = _run("import torch, transformers\n" + code).splitlines()
    assert with_torch[0] == "True True" and with_torch[1] == values


def test_word_pieces_called_from_threads_with_different_cuts_give_each_its_own():
    from concurrent.futures import ThreadPoolExecutor

    tok = word_pieces(minilm_path())
    long = ["word " * 300] * 8
    want = {cut: tok.ids(long, special=True, max_length=cut) for cut in (None, 16, 256)}
    with ThreadPoolExecutor(6) as pool:
        calls = [None, 16, 256] * 20
        got = list(pool.map(lambda c: tok.ids(long, special=True, max_length=c), calls))
    assert all(g == want[c] for g, c in zip(got, calls, strict=True))
    assert {len(want[c][0]) for c in want} == {302, 16, 256}
