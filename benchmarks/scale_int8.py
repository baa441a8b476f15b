"""Would int8 pay? Dynamic int8 quantization of the emotion network against its float model.

Prints a table and writes ``benchmarks/results/scale_int8.json``.

    HF_HUB_OFFLINE=1 .venv/bin/python benchmarks/scale_int8.py [--texts 1536]

The network ``insights run`` uses (the emotion model's one pass: scores, pooled states
and MiniLM embeddings; exported once per machine into the cache) is quantized with ONNX
Runtime's ``quantize_dynamic`` (into a temporary folder, never the repository) in three
ways: int8 weights per tensor, int8 per channel, uint8 per channel. Each is run on the
first ``--texts`` GoEmotions dev comments (``../shared/eval/goemotions/dev.csv``), sorted
by length in batches of 64 as ``insights`` batches them, against the float network:
CPU seconds (ratio), the share of texts whose top label is the same, the largest change
of a label score, the cosine of the pooled states and of the embeddings to the float
ones. *Batch dependence*: dynamic quantization scales each batch's activations by that
batch's range, so a text's scores move with its batch-mates; the largest change of one
text's scores between two batchings (sorted by length, and shuffled) is given for the
float network and each quantized one. No choice is made on these texts: it is a probe.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import sys
import tempfile
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
EVAL = Path(os.environ.get("INSIGHTS_EVAL_DIR", REPO.parent / "shared" / "eval"))


def _cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def run(session, enc: list[list[int]], order: np.ndarray) -> tuple[list[np.ndarray], float]:
    """The network's outputs for ``enc`` in batches of 64 taken in ``order``, and CPU seconds."""
    res: list[list[np.ndarray]] = [[], [], []]
    t = _cpu()
    for b in range(0, len(order), 64):
        idx = order[b : b + 64]
        m = max(len(enc[i]) for i in idx)
        ids = np.zeros((len(idx), m), np.int64)
        mask = np.zeros_like(ids)
        for k, i in enumerate(idx):
            ids[k, : len(enc[i])] = enc[i]
            mask[k, : len(enc[i])] = 1
        for j, out in enumerate(session.run(None, {"input_ids": ids, "attention_mask": mask})):
            res[j].append(out)
    cpu = _cpu() - t
    outs = []
    for r in res:
        full = np.concatenate(r)
        back = np.zeros_like(full)
        back[order] = full
        outs.append(back)
    return outs, cpu


def _cos(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return (a * b).sum(1) / np.linalg.norm(a, axis=1) / np.linalg.norm(b, axis=1)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--texts", type=int, default=1536)
    ap.add_argument("--out", type=Path, default=REPO / "benchmarks/results/scale_int8.json")
    args = ap.parse_args()

    import pandas as pd
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic

    from insights._optional import onnx_session
    from insights.emotions import get_emotion_model

    model = get_emotion_model().load()
    net = model._onnx_net(True)  # noqa: SLF001 - the benchmark reads the session's model file
    src = net.session._model_path  # noqa: SLF001
    texts = pd.read_csv(EVAL / "goemotions" / "dev.csv")["text"].astype(str).tolist()
    texts = texts[: args.texts]
    tok = model._tok  # noqa: SLF001
    enc = [tok(t, truncation=True, max_length=model.max_len_)["input_ids"] for t in texts]
    by_len = np.argsort([len(e) for e in enc], kind="stable")
    shuffled = np.random.default_rng(0).permutation(len(enc))
    threads = torch.get_num_threads()
    variants = {
        "int8 per tensor": dict(weight_type=QuantType.QInt8),
        "int8 per channel": dict(weight_type=QuantType.QInt8, per_channel=True),
        "uint8 per channel": dict(weight_type=QuantType.QUInt8, per_channel=True),
    }
    rows = {}
    with tempfile.TemporaryDirectory(prefix="insights-int8-") as tmp:
        ref_session = onnx_session(src, threads=threads)
        ref, ref_cpu = run(ref_session, enc, by_len)
        ref_shuf, _ = run(ref_session, enc, shuffled)
        rows["float32"] = {
            "cpu_s": round(ref_cpu, 2),
            "batch_dependence_max_abs": float(np.abs(ref_shuf[0] - ref[0]).max()),
        }
        for name, kw in variants.items():
            path = Path(tmp) / (name.replace(" ", "_") + ".onnx")
            quantize_dynamic(src, str(path), **kw)
            digest = hashlib.sha256(path.read_bytes()).hexdigest()[:12]
            again = Path(tmp) / "again.onnx"
            quantize_dynamic(src, str(again), **kw)
            same = hashlib.sha256(again.read_bytes()).hexdigest()[:12] == digest
            s = onnx_session(path, threads=threads)
            q, cpu = run(s, enc, by_len)
            q_shuf, _ = run(s, enc, shuffled)
            top_same = q[0][:, :28].argmax(1) == ref[0][:, :28].argmax(1)
            pc, ec = _cos(q[1], ref[1]), _cos(q[2], ref[2])
            rows[name] = {
                "cpu_s": round(cpu, 2),
                "cpu_x_float": round(cpu / ref_cpu, 3),
                "file_mb": round(path.stat().st_size / 1e6, 1),
                "same_file_twice": same,
                "top_label_same": round(float(top_same.mean()), 4),
                "label_score_max_abs": round(float(np.abs(q[0] - ref[0]).max()), 4),
                "label_score_mean_abs": round(float(np.abs(q[0] - ref[0]).mean()), 5),
                "pooled_cos_min_mean": [round(float(c), 5) for c in (pc.min(), pc.mean())],
                "embedding_cos_min_mean": [round(float(c), 5) for c in (ec.min(), ec.mean())],
                "batch_dependence_max_abs": round(float(np.abs(q_shuf[0] - q[0]).max()), 4),
            }
    report = {"texts": len(texts), "threads": threads, "load": os.getloadavg()[0], "rows": rows}
    for name, r in rows.items():
        print(name, json.dumps(r))
    args.out.write_text(json.dumps(report, indent=2) + "\n")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
