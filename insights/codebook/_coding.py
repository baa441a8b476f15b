"""Coding segments with a codebook: :func:`code_segments`, the ``codes`` table."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from insights.errors import ConfigError
from insights.schema import ANALYSED_ROLES, CODE_COLUMNS

from ._code import MODEL_CODER
from ._decisions import apply_decisions
from ._model import Codebook
from ._segments import prepare_segments
from ._semantic import confidences

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from insights.embed import Embedder


def code_segments(
    segments: pd.DataFrame,
    codebook: Codebook,
    *,
    embedder: Embedder | None = None,
    nlp=None,
    methods: Sequence[str] = ("rule", "semantic"),
    threshold: float | None = None,
    decisions: pd.DataFrame | None = None,
    roles: Sequence[str] | None = ANALYSED_ROLES,
    keep_below: float | None = None,
    cache: str | Path | None = None,
    uncodable: Sequence[str] = (),
    rules_only: Sequence[str] = (),
) -> pd.DataFrame:
    """Code every segment with the codebook; returns a ``codes`` table.

    Parameters
    ----------
    segments : DataFrame
        Needs ``text``; ids are ``segment_id``, else ``id``, else the row number
        (:func:`insights.schema.segment_ids`). When it has ``role``, only rows whose
        role is in ``roles`` (or missing) are coded.
    codebook : Codebook
    embedder : Embedder, optional
        Default: the process-wide MiniLM (cached on disk).
    nlp : spaCy Language, optional
        Needs a lemmatizer; default: ``en_core_web_sm`` without parser and NER.
    methods : ("rule", "semantic")
        ``("rule",)`` needs no embedder: every non-negated match is coded with
        confidence 1.
    threshold : float, optional
        Minimum confidence; default the code's own ``threshold``, else the codebook's.
    decisions : DataFrame, optional
        Human decisions (``segment_id, code, confidence``; 1 accept, 0 reject),
        applied last: they win over the model.
    roles : sequence of str, optional
        Default :data:`insights.schema.ANALYSED_ROLES` (participant and unknown:
        :func:`insights.schema.analysed_rows`); ``None`` codes every row.
    keep_below : float, optional
        Also keep model codings whose confidence is at least this but below the
        threshold (to review them); filter ``confidence >= threshold`` to drop them.
    cache : path, optional
        A folder where keyword / pattern matches are kept per text (see :func:`rule_code`),
        so a re-run lemmatises only new text.
    uncodable : sequence of str, optional
        Ids of segments that are talk about nothing (filler, talk about the interview:
        the themes' "not a theme" group, :data:`insights.schema.NOT_A_THEME`): the model
        codes none of them and learns nothing from them; human decisions still apply.
    rules_only : sequence of str, optional
        Ids of segments too short to be coded by meaning alone ("Done by lunchtime.":
        what it is about is in the turn before): only a rule hit codes them.

    Returns
    -------
    DataFrame with ``segment_id, code, confidence, method, coder``, one row per
    (segment, code), sorted by segment order then confidence.
    """
    import pandas as pd

    unknown = set(methods) - {"rule", "semantic"}
    if unknown:
        raise ConfigError(
            f"unknown coding method(s): {', '.join(sorted(unknown))}",
            fix="use 'rule' and/or 'semantic'",
        )
    segs = prepare_segments(segments, roles=roles)
    segs = segs[~segs["segment_id"].isin(set(map(str, uncodable)))]
    order = {sid: i for i, sid in enumerate(prepare_segments(segments)["segment_id"])}
    rows: list[tuple[str, str, float, str, str]] = []
    if not segs.empty:
        ids, names, conf, rule = confidences(
            segs,
            codebook,
            embedder=embedder,
            nlp=nlp,
            methods=methods,
            cache=cache,
            decisions=decisions,
        )
        short = np.isin(np.asarray(ids, dtype=object), list(map(str, rules_only)))
        conf[short] = np.where(rule[short] > 0, conf[short], 0.0)
        by_name = {c.name: c for c in codebook.codes}

        def own(name: str) -> float:
            code_threshold = by_name[name].threshold
            return code_threshold if code_threshold is not None else codebook.threshold

        thresholds = np.array([threshold if threshold is not None else own(n) for n in names])
        floor = np.minimum(thresholds, keep_below) if keep_below is not None else thresholds
        hit = conf >= floor[None, :] if len(names) else np.zeros((len(ids), 0), bool)
        for i, j in zip(*np.nonzero(hit), strict=True):
            method = "rule" if rule[i, j] else "semantic"
            rows.append((ids[i], names[j], round(float(conf[i, j]), 4), method, MODEL_CODER))
    out = pd.DataFrame(rows, columns=list(CODE_COLUMNS))
    if decisions is not None:
        out = apply_decisions(out, decisions)
    if not out.empty:
        out = (
            out.assign(_o=out["segment_id"].map(order).fillna(len(order)))
            .sort_values(["_o", "confidence"], ascending=[True, False], kind="stable")
            .drop(columns="_o")
            .reset_index(drop=True)
        )
    return out
