"""What else the decision head could learn from: feature probes on the SemEval tune half only.

Prints a table and writes benchmarks/results/coding_probe.json.

    HF_HUB_OFFLINE=1 .venv/bin/python benchmarks/coding_probe.py [--seeds 3]

The learning curve of ``coding_eval.py`` stalls near 0.63 micro-F1 at 10 coded segments
per code. This probe asks whether the head's *features* are the limit, without touching
the held-out half: the tune half of ``coding_eval.data()`` is split into two quarters
(its reviews in md5 order, alternating); k coded segments per code are drawn from one
quarter (every gold code of each accepted, as in ``coding_eval.sample_decisions``) and
micro-F1 is read on the other, both directions, ``--seeds`` draws each. The zero-shot
coder is run once (it does not see the decisions); each variant refits only the head
(:func:`insights.codebook.decision_head`'s logistic with the zero-shot logit as offset):

- ``segment+clauses``: the pipeline's features (segment embedding, mean of its clauses);
- ``segment``: the segment embedding alone;
- ``+definition similarity``: and the cosine of the segment (best clause) to each code;
- ``+nearest examples``: and, per code, the mean of the two best cosines to the code's
  coded segments minus that to its other coded segments (leave-one-out for the coded);
- ``+tf-idf words`` / ``+tf-idf word bigrams`` / ``+tf-idf char 2-4``: and the segment's
  TF-IDF vector (fitted on the study's own texts);
- ``clause max``: the head scored on the segment and on each clause, the mean of the
  segment's score and the best clause's.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "benchmarks"))

import coding_eval as ce  # noqa: E402

from insights.codebook._head import _fit_offset  # noqa: E402  (benchmark only)
from insights.codebook._rules import rule_matrix  # noqa: E402
from insights.codebook._segments import prepare_segments  # noqa: E402
from insights.codebook._semantic import embed_segments, zero_shot  # noqa: E402

OUT = REPO / "benchmarks" / "results" / "coding_probe.json"


def quarters(ids: list[str], part: dict) -> list[np.ndarray]:
    """Rows of the two quarters of the tune half (its reviews in md5 order, alternating)."""
    rows = [json.loads(line) for line in open(ce.EVAL / "semeval16_restaurants" / "dev.jsonl")]
    review = {r["id"]: r["review_id"] for r in rows}
    tune = sorted(
        {review[s] for s in ids if part[s] == 0}, key=lambda k: hashlib.md5(k.encode()).hexdigest()
    )
    q = {r: i % 2 for i, r in enumerate(tune)}
    return [
        np.array([i for i, s in enumerate(ids) if part[s] == 0 and q[review[s]] == h])
        for h in (0, 1)
    ]


def draw(y: np.ndarray, pool: np.ndarray, k: int, seed: int) -> np.ndarray:
    """k coded segments per code from ``pool`` (as ``coding_eval.sample_decisions``)."""
    rng = np.random.default_rng(seed)
    chosen: set = set()
    for j in range(y.shape[1]):
        have = sorted(int(i) for i in pool if y[i, j])
        chosen.update(rng.permutation(have)[:k].tolist())
    return np.array(sorted(chosen))


def micro(pred: np.ndarray, y: np.ndarray, rows: np.ndarray) -> float:
    p, g = pred[rows], y[rows] == 1
    return 2 * float((p & g).sum()) / max(1, int(p.sum() + g.sum()))


class Probe:
    """The zero-shot outputs of SemEval dev with the definitions codebook, computed once."""

    def __init__(self) -> None:
        emb = ce.get_embedder()
        segs, gold, part = ce.data()
        book = ce.books()["definitions"]
        s = prepare_segments(segs)
        self.ids, self.names = s["segment_id"].tolist(), [c.name for c in book.codes]
        rule = rule_matrix(s, book, self.ids, self.names)
        self.conf, self.feats = zero_shot(s, book, rule, embedder=emb)
        x, cvec, owner = embed_segments(s["text"].tolist(), emb)
        self.x, self.cvec, self.owner = x.astype(float), cvec.astype(float), owner
        self.texts = s["text"].tolist()
        defs = emb.encode([c.definition_text() for c in book.codes]).astype(float)
        sim = self.x @ defs.T
        if len(owner):
            np.maximum.at(sim, owner, self.cvec @ defs.T)
        self.def_sim = sim
        at = {sid: i for i, sid in enumerate(self.ids)}
        self.y = np.zeros((len(self.ids), len(self.names)), dtype=int)
        for sid, c in gold:
            if c in self.names:
                self.y[at[sid], self.names.index(c)] = 1
        self.q = quarters(self.ids, part)
        clipped = np.clip(self.conf, 0.02, 0.98)
        self.offset = np.log(clipped / (1 - clipped))
        self.cos = self.x @ self.x.T
        np.fill_diagonal(self.cos, -1.0)  # a coded segment is not its own neighbour

    def nearest(self, lab: np.ndarray, j: int) -> np.ndarray:
        """Per segment: best-2 cosine to code j's coded segments minus to its other coded ones."""

        def top(cols: np.ndarray) -> np.ndarray:
            if not len(cols):
                return np.zeros(len(self.x))
            s = self.cos[:, cols]
            return np.sort(s, axis=1)[:, -min(2, s.shape[1]) :].mean(axis=1)

        return (top(lab[self.y[lab, j] == 1]) - top(lab[self.y[lab, j] == 0]))[:, None]

    def head(self, feats, lab, *, lam=0.03, balance=0.5, nearest=False, clause_mix=0.0):
        """Per-code offset logistic on the coded rows of ``lab``; confidences of all rows."""
        out = np.zeros_like(self.conf)
        for j in range(len(self.names)):
            y = self.y[lab, j].astype(float)
            w = np.ones(len(y))
            pos = y.sum()
            if pos:
                w[y > 0] = max(1.0, (len(y) - pos) / pos) ** balance
            f = np.hstack([feats, self.nearest(lab, j)]) if nearest else feats
            beta, b = _fit_offset(f[lab], self.offset[lab, j], y, w, lam)
            z = f @ beta
            if clause_mix and len(self.owner):
                best = z.copy()
                np.maximum.at(best, self.owner, self.cvec @ beta)
                z = (1 - clause_mix) * z + clause_mix * best
            out[:, j] = 1.0 / (1.0 + np.exp(-(self.offset[:, j] + z + b)))
        return out

    def score(self, fit, k: int, seeds: int) -> float:
        got = []
        for a, b in ((0, 1), (1, 0)):
            for seed in range(seeds if k else 1):
                lab = draw(self.y, self.q[a], k, seed=k + 1000 * seed)
                got.append(micro(fit(lab) >= 0.5, self.y, self.q[b]))
        return round(float(np.mean(got)), 4)


def main() -> None:
    from sklearn.feature_extraction.text import TfidfVectorizer

    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", type=int, default=3)
    ap.add_argument("--ks", default="10")
    args = ap.parse_args()
    p = Probe()

    def tfidf(**kw) -> np.ndarray:
        return TfidfVectorizer(sublinear_tf=True, **kw).fit_transform(p.texts).toarray()

    variants = {
        "segment+clauses": lambda lab: p.head(p.feats, lab),
        "segment": lambda lab: p.head(p.x, lab),
        "+definition similarity": lambda lab: p.head(np.hstack([p.feats, 3 * p.def_sim]), lab),
        "+nearest examples": lambda lab: p.head(p.feats, lab, nearest=True),
        "+tf-idf words": lambda lab: p.head(np.hstack([p.feats, tfidf()]), lab),
        "+tf-idf word bigrams": lambda lab: p.head(
            np.hstack([p.feats, tfidf(ngram_range=(1, 2), min_df=2)]), lab
        ),
        "+tf-idf char 2-4": lambda lab: p.head(
            np.hstack([p.feats, tfidf(analyzer="char_wb", ngram_range=(2, 4), min_df=2)]), lab
        ),
        "clause max": lambda lab: p.head(p.x, lab, clause_mix=0.5),
    }
    zero = round(float(np.mean([micro(p.conf >= 0.5, p.y, q) for q in p.q])), 4)
    out: dict = {"zero_shot_quarters": zero, "seeds": args.seeds, "variants": {}}
    print(f"zero-shot, tune quarters: micro-F1 {zero:.3f}")
    for k in [int(v) for v in args.ks.split(",")]:
        for name, fit in variants.items():
            f = p.score(fit, k, args.seeds)
            out["variants"].setdefault(name, {})[str(k)] = f
            print(f"  k={k:3d} {name:24s} micro-F1 {f:.3f}", flush=True)
    OUT.write_text(json.dumps(out, indent=1) + "\n")
    print(f"-> {OUT.relative_to(REPO)}")


if __name__ == "__main__":
    main()
