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
  segment's score and the best clause's;
- ``+noun chunks max``: and the element-wise max of the embeddings of the segment's spaCy
  noun chunks (those with a noun, proper noun or adjective that is not a stop word);
  ``+noun chunks mean``: their mean;
- ``knn smooth N a``: each segment's head logit mixed (weight a) with the mean logit of
  its N nearest segments of the study (transductive);
- ``self-training``: the head refitted with the unlabelled segments it is surest of
  (every code's probability at least 0.8 or at most 0.2) pseudo-labelled;
- ``per-code thresholds``: each code's cut chosen on the examples by 2-fold
  cross-validation within them (not one global cut);
- ``without other-code negatives``: a code's head taught by its own codings only (a
  segment coded with other codes is not a negative for it);
- ``lam`` / ``balance``: the head's ridge penalty and positive weighting.
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
        self.conf, head_features = zero_shot(s, book, rule, embedder=emb)
        self.feats = head_features.embedding  # the probe reads the embeddings alone
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

    def noun_chunks(self) -> tuple[np.ndarray, np.ndarray]:
        """Per segment: max and mean of its content noun chunks' embeddings (0 without any)."""
        from insights.nlp import load_spacy

        chunks, owner = [], []
        for i, doc in enumerate(load_spacy().pipe(self.texts)):
            for nc in doc.noun_chunks:
                if any(not t.is_stop and t.pos_ in ("NOUN", "PROPN", "ADJ") for t in nc):
                    chunks.append(nc.text)
                    owner.append(i)
        vec = ce.get_embedder().encode(chunks).astype(float)
        own = np.array(owner, dtype=int)
        count = np.bincount(own, minlength=len(self.x))
        big = np.full_like(self.x, -1.0)
        np.maximum.at(big, own, vec)
        big[count == 0] = 0.0
        mean = np.zeros_like(self.x)
        np.add.at(mean, own, vec)
        mean[count > 0] /= count[count > 0, None]
        return big, mean

    def smooth(self, conf: np.ndarray, k: int, a: float) -> np.ndarray:
        """Each row's logit mixed (weight ``a``) with the mean logit of its k nearest rows."""
        near = np.argsort(-self.cos, axis=1)[:, :k]  # the diagonal is -1: not its own
        z = np.log(np.clip(conf, 1e-9, 1 - 1e-9) / np.clip(1 - conf, 1e-9, 1))
        z = (1 - a) * z + a * z[near].mean(axis=1)
        return 1.0 / (1.0 + np.exp(-z))

    def self_trained(self, feats, lab, sure=0.8):
        """The head refitted with the unlabelled rows it is surest of, pseudo-labelled."""
        conf = self.head(feats, lab)
        rest = np.setdiff1d(np.arange(len(feats)), lab)
        pick = rest[(np.abs(conf[rest] - 0.5).min(axis=1) >= sure - 0.5)]
        y = self.y.copy()
        y[pick] = (conf[pick] >= 0.5).astype(int)
        return self.head(feats, np.r_[lab, pick], y=y)

    def code_thresholds(self, feats, lab) -> np.ndarray:
        """Codings with each code's cut chosen by 2-fold cross-validation on the examples."""
        perm = np.random.default_rng(0).permutation(lab)
        folds, at = [perm[::2], perm[1::2]], {r: i for i, r in enumerate(lab)}
        held = np.zeros((len(lab), len(self.names)))
        for a in (0, 1):
            held[[at[r] for r in folds[1 - a]]] = self.head(feats, folds[a])[folds[1 - a]]
        cut = np.full(len(self.names), 0.5)
        for j in range(len(self.names)):
            g, best = self.y[lab, j] == 1, -1.0
            for t in np.linspace(0.1, 0.9, 17):
                pr = held[:, j] >= t
                f = 2 * (pr & g).sum() / max(1, pr.sum() + g.sum())
                if f > best:
                    best, cut[j] = f, t
        return self.head(feats, lab) >= cut

    def head(
        self, feats, lab, *, lam=0.03, balance=0.5, nearest=False, clause_mix=0.0, y=None, own=False
    ):
        """Per-code offset logistic on the coded rows of ``lab``; confidences of all rows.

        ``own``: a code learns only from its own codings (no segment coded with another
        code counts as a negative), as without ``decision_labels``' rule.
        """
        out = np.zeros_like(self.conf)
        labels = self.y if y is None else y
        for j in range(len(self.names)):
            if own:
                lab_all, lab = lab, lab[labels[lab, j] == 1]
            y = labels[lab, j].astype(float)
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
            if own:
                lab = lab_all
        return out

    def score(self, fit, k: int, seeds: int) -> float:
        got = []
        for a, b in ((0, 1), (1, 0)):
            for seed in range(seeds if k else 1):
                lab = draw(self.y, self.q[a], k, seed=k + 1000 * seed)
                out = fit(lab)
                pred = out if out.dtype == bool else out >= 0.5
                got.append(micro(pred, self.y, self.q[b]))
        return round(float(np.mean(got)), 4)


def main() -> None:
    from sklearn.feature_extraction.text import TfidfVectorizer

    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", type=int, default=3)
    ap.add_argument("--ks", default="10")
    args = ap.parse_args()
    p = Probe()
    chunk_max, chunk_mean = p.noun_chunks()

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
        "+noun chunks max": lambda lab: p.head(np.hstack([p.feats, chunk_max]), lab),
        "+noun chunks mean": lambda lab: p.head(np.hstack([p.feats, chunk_mean]), lab),
        "knn smooth 10 0.3": lambda lab: p.smooth(p.head(p.feats, lab), 10, 0.3),
        "knn smooth 10 0.5": lambda lab: p.smooth(p.head(p.feats, lab), 10, 0.5),
        "knn smooth 20 0.5": lambda lab: p.smooth(p.head(p.feats, lab), 20, 0.5),
        "+noun chunks max, knn smooth 10 0.3": lambda lab: p.smooth(
            p.head(np.hstack([p.feats, chunk_max]), lab), 10, 0.3
        ),
        "self-training": lambda lab: p.self_trained(p.feats, lab),
        "per-code thresholds": lambda lab: p.code_thresholds(p.feats, lab),
        "without other-code negatives": lambda lab: p.head(p.feats, lab, own=True),
        "lam 0.01": lambda lab: p.head(p.feats, lab, lam=0.01),
        "lam 0.3": lambda lab: p.head(p.feats, lab, lam=0.3),
        "balance 0": lambda lab: p.head(p.feats, lab, balance=0.0),
        "balance 1": lambda lab: p.head(p.feats, lab, balance=1.0),
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
