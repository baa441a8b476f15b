"""Theme labels fitted without and with each segment's stance, side by side.

For each ``insights run`` output folder given, the themes are fitted twice on its
``segments.csv`` (the study's language only, as the themes stage does), once as they
were before stance reached the fit and once with each segment's stance
(:func:`insights.summarize.segment_stances` of its ``emotions.csv``), with the
study's seed and the run's content cache. Prints every theme's label both ways, with
its segments going wrong (-) and going right (+); ``**`` marks a changed label.

    PYTHONPATH=. .venv/bin/python benchmarks/themes_stance_labels.py /tmp/x/sample/output ...
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pandas as pd

from insights.schema import language_exclusions
from insights.study import load_config
from insights.summarize import segment_stances
from insights.themes import ThemeModel


def labels_both_ways(out: Path) -> list[str]:
    """The printed lines for one run output folder."""
    config = load_config(out.parent / "study.yaml")
    seg = pd.read_csv(out / "segments.csv", dtype={"segment_id": str}, keep_default_na=False)
    emo = pd.read_csv(out / "emotions.csv", dtype={"segment_id": str}, keep_default_na=False)
    emo["valence"] = pd.to_numeric(emo["valence"], errors="coerce")
    seg = seg[language_exclusions(seg, config.language) == ""]
    side = segment_stances(emo).set_index("segment_id")["stance"]
    with_stance = seg.assign(stance=seg["segment_id"].map(side).fillna(""))
    found, lines = {}, []
    for name, df in (("before", seg), ("after", with_stance)):
        t0 = time.perf_counter()
        m = ThemeModel(random_state=config.random_state, cache_dir=out / ".cache" / "content")
        m.fit(df)
        lines.append(f"{out.parent.name} {name}: fit {time.perf_counter() - t0:.1f} s")
        found[name] = m
    before, after = found["before"], found["after"]
    stance = with_stance.set_index("segment_id")["stance"]
    for t in sorted(set(before.labels_) | set(after.labels_)):
        ids = [i for i, th in zip(after.fit_ids_, after.theme_of_doc_, strict=True) if th == t]
        s = stance.reindex(ids).fillna("")
        old, new = before.labels_.get(t, ""), after.labels_.get(t, "")
        lines.append(
            f"{'  ' if old == new else '**'} {t:3d} n={len(ids):4d} -{(s == 'negative').sum():3d} "
            f"+{(s == 'positive').sum():3d}  {old:45s} -> {new}"
        )
    return lines


if __name__ == "__main__":
    for folder in sys.argv[1:]:
        print("\n".join(labels_both_ways(Path(folder))), flush=True)
