"""What the gate needs from the coder: the model's answer to every human decision, not taught it.

A code may be applied without review once its human-model agreement is shown
(:func:`insights.summarize.code_gate` computes alpha and the gate from
:func:`gate_pairs`). The model's answer must not come from a model that learnt that
very decision, so the decided segments are split in ``folds``: each fold is answered by
the decision head (:func:`decision_head`) taught only the decisions of the other folds.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

import numpy as np

from insights.schema import ANALYSED_ROLES

from ._code import HUMAN_CODER
from ._decisions import merge_decisions
from ._head import decision_head
from ._model import Codebook
from ._rules import rule_matrix
from ._segments import prepare_segments
from ._semantic import decision_rows, zero_shot

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from insights.embed import Embedder

#: the ``status`` of a coding in the codes table
APPLIED, SUGGESTED, REVIEWED = "applied", "suggested", "human"


def gate_pairs(
    segments: pd.DataFrame,
    codebook: Codebook,
    decisions: pd.DataFrame,
    *,
    embedder: Embedder | None = None,
    nlp=None,
    folds: int = 5,
    roles: Sequence[str] | None = ANALYSED_ROLES,
    cache=None,
    random_state: int = 0,
) -> pd.DataFrame:
    """One row per human decision on a codable code: ``segment_id, code, human, model, confidence``.

    ``human`` is 1 (accepted) or 0 (rejected); ``model`` is 1 when the model applies
    the code (``confidence`` at least the code's threshold) while taught every
    decision except those on the segments of the decision's own fold.

    Examples
    --------
    >>> import pandas as pd
    >>> from insights.codebook import Code, Codebook
    >>> from insights.embed import HashEmbedder
    >>> book = Codebook(codes=[Code(name="Price", definition="what it costs"),
    ...                        Code(name="Staff", definition="the people who serve")])
    >>> segs = pd.DataFrame({"segment_id": ["a", "b", "c", "d"],
    ...                      "text": ["it costs a lot", "the staff were kind",
    ...                               "what it costs", "the people who serve us"]})
    >>> dec = pd.DataFrame({"segment_id": ["a", "b"], "code": ["Price", "Price"],
    ...                     "confidence": [1, 0]})
    >>> gate_pairs(segs, book, dec, embedder=HashEmbedder(), folds=2)[["code", "human"]]
        code  human
    0  Price      1
    1  Price      0
    """
    import pandas as pd

    from insights.embed import get_embedder

    cols = ["segment_id", "code", "human", "model", "confidence"]
    dec = merge_decisions(decisions)
    segs = prepare_segments(segments, roles=roles)
    codes = [c for c in codebook.codes if c.is_codable]
    names = [c.name for c in codes]
    ids = segs["segment_id"].tolist()
    dec = dec[dec["segment_id"].isin(set(ids)) & dec["code"].isin(set(names))]
    if dec.empty or not names:
        return pd.DataFrame(columns=cols)
    emb = embedder if embedder is not None else get_embedder()
    rule = rule_matrix(segs, codebook, ids, names, nlp=nlp, cache=cache)
    conf0, features = zero_shot(segs, codebook, rule, embedder=emb)
    row = {sid: i for i, sid in enumerate(ids)}
    decided = sorted(set(dec["segment_id"]))
    rng = np.random.default_rng(random_state)
    fold_of = dict(zip(decided, rng.permutation(len(decided)) % max(1, folds), strict=True))
    thresholds = np.array(
        [c.threshold if c.threshold is not None else codebook.threshold for c in codes]
    )
    out = []
    for k in range(max(1, folds)):
        held = dec[dec["segment_id"].map(fold_of) == k]
        if held.empty:
            continue
        taught = decision_rows(dec[dec["segment_id"].map(fold_of) != k], ids, names)
        conf = decision_head(features, conf0, taught)  # as confidences(): the head on top
        for sid, code, human in zip(
            held["segment_id"], held["code"], held["confidence"], strict=True
        ):
            i, j = row[sid], names.index(code)
            c = float(conf[i, j])
            out.append((sid, code, int(human >= 0.5), int(c >= thresholds[j]), round(c, 4)))
    order = {sid: i for i, sid in enumerate(ids)}
    table = pd.DataFrame(out, columns=cols)
    return table.sort_values("segment_id", key=lambda s: s.map(order), kind="stable").reset_index(
        drop=True
    )


def with_status(codes: pd.DataFrame, suggested: Iterable[str]) -> pd.DataFrame:
    """The codes table with a ``status`` column: ``human``, ``applied`` or ``suggested``.

    Model codings of the codes in ``suggested`` (those that have not passed the
    study's gate) are ``suggested``: shown for review, not applied alone.

    Examples
    --------
    >>> import pandas as pd
    >>> codes = pd.DataFrame({"segment_id": ["s1", "s2", "s3"], "code": ["A", "B", "B"],
    ...                       "confidence": [0.9, 0.8, 1.0], "method": "semantic",
    ...                       "coder": ["insights", "insights", "human"]})
    >>> with_status(codes, ["B"])["status"].tolist()
    ['applied', 'suggested', 'human']
    """
    review = set(suggested)
    human = codes["coder"] == HUMAN_CODER
    status = np.where(human, REVIEWED, np.where(codes["code"].isin(review), SUGGESTED, APPLIED))
    return codes.assign(status=status)
