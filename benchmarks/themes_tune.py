"""Theme settings tried on the SemEval TUNE part only (the held-out part is never read).

The single-category SemEval dev sentences are split by review as in
``themes_eval.py --only heldout`` (``md5("themes:" + review_id) % 2``: 0 tune, 1 held
out). Here only part 0 is fitted. Each setting is scored two ways:

- ``seeds``: the whole tune part, 5 seeds (mean NMI and min-max);
- ``subsamples``: 8 random 80% subsets of the tune part's reviews (seed = subset), and
  how many of the 8 the setting beats the defaults on: a setting that wins on the whole
  tune part but not on most subsets is noise of 251 sentences, not a rule to keep.

Settings: ``content_weight``, the spectral graph's neighbours (``n_neighbors``, fixed at
15 in :func:`insights.themes._backends.cluster_models`; set here by wrapping it),
the number of themes (the rule gives 7 for 251 sentences) and centring the vectors
before clustering (removes what all sentences share).

    PYTHONPATH=. python benchmarks/themes_tune.py   # -> benchmarks/results/themes_tune.json
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

import numpy as np  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))
OUT = REPO / "benchmarks" / "results" / "themes_tune.json"

import themes_eval as te  # noqa: E402

#: name -> (ThemeModel parameters, spectral neighbours or None, centre the vectors)
SETTINGS = {
    "defaults": ({}, None, False),
    "content_weight_0.25": ({"content_weight": 0.25}, None, False),
    "content_weight_0.4": ({"content_weight": 0.4}, None, False),
    "content_weight_0.6": ({"content_weight": 0.6}, None, False),
    "content_weight_0.75": ({"content_weight": 0.75}, None, False),
    "neighbours_8": ({}, 8, False),
    "neighbours_10": ({}, 10, False),
    "neighbours_25": ({}, 25, False),
    "n_themes_5": ({"n_themes": 5}, None, False),
    "n_themes_10": ({"n_themes": 10}, None, False),
    "centred": ({}, None, True),
}


def main() -> None:
    from sklearn.metrics import normalized_mutual_info_score as nmi

    import insights.themes._model as model_module
    from insights.embed import get_embedder
    from insights.themes import ThemeModel
    from insights.themes._backends import l2_normalise

    state = {"neighbours": None, "centre": False}
    cluster_models, fit_topics = model_module.cluster_models, model_module.fit_topics

    def with_neighbours(method, n, **kw):
        reducer, cluster = cluster_models(method, n, **kw)
        if state["neighbours"] and hasattr(cluster, "n_neighbors"):
            cluster.n_neighbors = min(state["neighbours"], n - 1)
        return reducer, cluster

    def centred(docs, vectors, **kw):
        if state["centre"]:
            vectors = l2_normalise(vectors - vectors.mean(axis=0)).astype(np.float32)
        return fit_topics(docs, vectors, **kw)

    model_module.cluster_models, model_module.fit_topics = with_neighbours, centred
    emb = get_embedder("minilm", cache_dir=str(te.CACHE))
    sub, gold, part = te.semeval_parts()
    rows, _segs, _book = te.semeval_data()
    review_of = {r["id"]: r["review_id"] for r in rows}
    tune = part == 0  # the held-out part (1) is never fitted here
    seg, g = sub[tune].reset_index(drop=True), gold[tune]
    reviews = np.array([review_of[i] for i in seg.segment_id])
    unique = sorted(set(reviews))
    subsets = []
    for b in range(8):
        keep = set(np.random.default_rng(100 + b).choice(unique, int(0.8 * len(unique)), False))
        subsets.append(np.array([r in keep for r in reviews]))

    def score(params: dict, rows_mask: np.ndarray, seed: int) -> float:
        s = seg[rows_mask].reset_index(drop=True)
        m = ThemeModel(embedder=emb, random_state=seed, stability_runs=0, **params).fit(s)
        a = m.assignments_.set_index("segment_id").loc[s.segment_id]
        return float(nmi(g[rows_mask], a.theme_id.to_numpy()))

    everything = np.ones(len(seg), dtype=bool)
    res: dict = {"tune_sentences": len(seg), "subsets": len(subsets)}
    base = None
    print(f"SemEval tune part, {len(seg)} sentences (held-out part not read)")
    for name, (params, neighbours, centre) in SETTINGS.items():
        state.update(neighbours=neighbours, centre=centre)
        seeds = [score(params, everything, s) for s in range(5)]
        subs = np.array([score(params, m, b) for b, m in enumerate(subsets)])
        base = subs if base is None else base
        res[name] = {
            "nmi_seeds_mean": round(float(np.mean(seeds)), 4),
            "nmi_seeds_spread": [round(min(seeds), 4), round(max(seeds), 4)],
            "nmi_subsets_mean": round(float(subs.mean()), 4),
            "subsets_beating_defaults": int((subs > base + 1e-9).sum()),
            "mean_gain_over_defaults": round(float((subs - base).mean()), 4),
        }
        r = res[name]
        print(
            f"  {name:22s} seeds {r['nmi_seeds_mean']:.3f} {r['nmi_seeds_spread']}  "
            f"subsets {r['nmi_subsets_mean']:.3f}, beats defaults on "
            f"{r['subsets_beating_defaults']}/8 (mean {r['mean_gain_over_defaults']:+.3f})"
        )
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(res, indent=2))
    print(f"-> {OUT}")


if __name__ == "__main__":
    main()
