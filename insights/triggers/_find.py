"""The triggers table: for every emotional segment, its cause, the cause's theme and the intent.

Examples
--------
>>> import pandas as pd
>>> seg = pd.DataFrame({"segment_id": ["a", "b"], "turn": [1, 2], "speaker": ["I", "P"],
...                     "text": ["How was it?", "I was furious because nobody came."],
...                     "emotion": ["neutral", "anger"]})
>>> out = find_triggers(seg, model=False, embedder=False, nlp=False,
...                     ranker=CauseRanker({"kind_causal": 3.0}), max_causes=1)
>>> out[["segment_id", "emotion", "cause_segment_id", "cause_text"]].values.tolist()
[['b', 'anger', 'b', 'nobody came']]
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from insights.emotions import validate_emotion_column
from insights.schema import (
    ANALYSED_ROLES,
    INTENT_FLOOR,
    TRIGGER_COLUMNS,
    TRIGGER_INTENT_COLUMNS,
    analysed_rows,
    empty_table,
    require_columns,
    segment_ids,
)
from insights.triggers._intent import segment_intents
from insights.triggers._ranker import FEATURES, CauseRanker, default_ranker, featurize
from insights.triggers._where import (
    bare_feeling,
    judged_words,
    names_nothing,
    where_probabilities,
)

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = ["find_triggers"]


def _missing(v: Any) -> bool:
    return v is None or (isinstance(v, float) and np.isnan(v))


def _given_or_detected_emotions(segments, emotions, model, file) -> list[str]:
    """Emotion label per row of ``segments`` ('' when not emotional)."""
    if "emotion" in segments.columns:
        labs = validate_emotion_column(segments, file=file)
        return ["" if lab == "neutral" else lab for lab in labs]
    if emotions is None:
        from insights.emotions import score_emotions

        emotions = score_emotions(segments, model=model, file=file)
    from insights.emotions import approval_rows

    # approval said without a feeling ("I agree.") is no emotion to explain
    emo = emotions[~approval_rows(emotions)]
    emo = emo.set_index(emo["segment_id"].astype(str))
    labs = []
    for sid in segment_ids(segments).tolist():
        if sid not in emo.index:
            labs.append("")
            continue
        row = emo.loc[sid]
        if isinstance(row, type(emo)):  # repeated id
            row = row.iloc[0]
        first = str(row.get("emotions") or "").split(";")[0]
        labs.append("" if first in ("", "neutral", "nan") else first)
    return labs


def _theme_lookup(assignments, themes, codes) -> dict[str, str]:
    """segment_id -> theme label (from assignments + themes), else best code."""
    out: dict[str, str] = {}
    if codes is not None and len(codes):
        c = codes.copy()
        if "confidence" in c.columns:
            c = c.sort_values("confidence", ascending=False, kind="stable")
        for sid, code in zip(c["segment_id"].astype(str), c["code"].astype(str), strict=False):
            out.setdefault(sid, code)
    if assignments is not None and len(assignments):
        labels = {}
        if themes is not None and len(themes):
            labels = dict(
                zip(themes["theme_id"].astype(str), themes["label"].astype(str), strict=False)
            )
        a = assignments
        if "probability" in a.columns:
            a = a.sort_values("probability", ascending=False, kind="stable")
        seen = set()
        for sid, tid in zip(a["segment_id"].astype(str), a["theme_id"].astype(str), strict=False):
            if sid in seen or tid in ("-1", "nan", ""):
                continue
            seen.add(sid)
            out[sid] = labels.get(tid, f"theme {tid}")
    return out


def label_causes(
    triggers: pd.DataFrame,
    *,
    codes: pd.DataFrame | None = None,
    themes: pd.DataFrame | None = None,
    assignments: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """A copy of ``triggers`` whose ``theme`` is each cause's, as :func:`find_triggers` names it.

    The theme of the cause segment (assignments + themes), else its best code, else the
    emotional segment's. The rest of a trigger does not read codes or themes, so an
    engine finds triggers per transcript without them and names the themes here.

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"segment_id": ["s2"], "cause_segment_id": ["s1"], "theme": [""]})
    >>> a = pd.DataFrame({"segment_id": ["s1"], "theme_id": [0]})
    >>> th = pd.DataFrame({"theme_id": [0], "label": ["booking"]})
    >>> label_causes(t, themes=th, assignments=a)["theme"].tolist()
    ['booking']
    """
    lookup = _theme_lookup(assignments, themes, codes)
    out = triggers.copy()
    out["theme"] = [
        lookup.get(str(c), lookup.get(str(s), ""))
        for s, c in zip(out["segment_id"], out["cause_segment_id"], strict=True)
    ]
    return out


def _sure_intents(intents: pd.DataFrame) -> dict[str, tuple[str, str, float]]:
    """segment_id -> (intent, kind, confidence) of the intents at :data:`INTENT_FLOOR`.

    An empty confidence (a human's label) counts; a repeated id keeps its last row.
    """
    import pandas as pd

    conf = pd.to_numeric(intents["confidence"], errors="coerce").fillna(1.0)
    kind = intents["kind"] if "kind" in intents.columns else pd.Series("", index=intents.index)
    out = {}
    for sid, intent, k, c in zip(segment_ids(intents), intents["intent"], kind, conf, strict=True):
        if c >= INTENT_FLOOR and isinstance(intent, str) and intent not in ("", "none"):
            out[sid] = (intent, "" if _missing(k) else str(k), float(c))
    return out


def _own_logits(feats: dict, own_model: Any) -> dict[int, float | None]:
    """{row: the own-cause log-odds featurize wrote into its candidates' ``own_d0`` column}."""
    if own_model is None:
        return {}
    d0, col = FEATURES.index("d0"), FEATURES.index("own_d0")
    out: dict[int, float | None] = {}
    for i, (_, X) in feats.items():
        own = X[X[:, d0] > 0, col]
        out[i] = float(own[0]) if len(own) else None
    return out


def _explained(df: pd.DataFrame, roles: Sequence[str] | None) -> list[bool]:
    """Whether each row's role is one of ``roles`` (a missing role always is; ``None``: all)."""
    if roles is None or "role" not in df.columns:
        return [True] * len(df)
    if tuple(roles) == ANALYSED_ROLES:
        kept = analysed_rows(df)
    else:
        kept = df[df["role"].isin(list(roles)) | df["role"].isna()]
    keep = set(kept.index)
    return [i in keep for i in df.index]


def find_triggers(
    segments: pd.DataFrame,
    *,
    emotions: pd.DataFrame | None = None,
    codes: pd.DataFrame | None = None,
    themes: pd.DataFrame | None = None,
    assignments: pd.DataFrame | None = None,
    model: Any = None,
    embedder: Any = None,
    nlp: Any = None,
    ranker: CauseRanker | None = None,
    context_turns: int = 3,
    max_causes: int = 2,
    second_margin: float = 0.15,
    roles: Sequence[str] | None = ANALYSED_ROLES,
    file: str | Path | None = None,
    cache: str | Path | None = None,
    intents: pd.DataFrame | None = None,
    provider: Sequence[str] = (),
) -> pd.DataFrame:
    """The triggers table: one row per (emotional segment, cause), best cause first.

    Parameters
    ----------
    segments : DataFrame
        A segments table (``text`` needed; ``segment_id``, ``transcript_id``, ``turn``,
        ``speaker``, ``role`` used when present). When it has an ``emotion`` column,
        that is taken as given for rows where it is not ``neutral``; otherwise
        emotions come from ``emotions`` or are detected with ``model``.
    emotions : DataFrame, optional
        The emotions table of these segments (:func:`insights.emotions.score_emotions`).
    codes, themes, assignments : DataFrame, optional
        Where the ``theme`` of a cause comes from: the theme of the cause segment
        (assignments + themes) where present, else its best code.
    model : EmotionModel, optional
        Scores candidate spans (how emotional a span is by itself) and, when no
        emotions are given, the segments. ``False`` skips span scoring.
    embedder : Embedder, optional
        Semantic similarity of candidates to the emotional segment and intent
        matching. Default: :func:`insights.embed.get_embedder`; ``False`` skips both.
    nlp : spaCy Language or str, optional
        The dependency parse adds causal clauses (``mark`` + ``advcl``) of the
        emotional segment. A name is an installed pipeline, loaded when a segment
        needs parsing. Default: the installed ``en_core_web_sm``; ``False``:
        patterns only. With ``cache``, a segment's parse is kept for re-runs.
    ranker : CauseRanker, optional
        Scores the candidates. Default: the shipped ranker.
    context_turns : int
        How many turns back a cause may lie (of a long turn, only the rows
        :data:`~insights.triggers._ranker.CONTEXT_ROWS` away at most are read).
    max_causes : int
        Most cause rows per emotional segment.
    second_margin : float
        A second cause (from another segment) is kept when its score is within this
        margin of the best.
    roles : sequence of str, optional
        Roles whose emotional segments are explained (default
        :data:`~insights.schema.ANALYSED_ROLES`, see :func:`~insights.schema.analysed_rows`;
        a missing role counts as unknown); causes may come from anyone. ``None``: every role.
    file : path, optional
        The file ``segments`` was read from, named in errors.
    cache : path, optional
        A folder where candidate spans' emotion scores are kept per text, so a re-run
        scores only new spans (``insights run`` uses ``output/.cache/spans``).
    intents : DataFrame, optional
        The intents table of these segments (``segment_id, intent, confidence[, kind]``;
        :func:`~insights.triggers.segment_intents`, what ``insights run`` writes as
        ``intents.csv``). Default: :func:`~insights.triggers.segment_intents` of the
        emotional segments, each read with its transcript's context.
    provider : sequence of str
        The study's own provider names, for the default ``intents``.

    Returns
    -------
    DataFrame
        Columns :data:`~insights.schema.TRIGGER_COLUMNS` and
        :data:`~insights.schema.TRIGGER_INTENT_COLUMNS`. ``intent``, ``intent_kind`` (``done``,
        ``intended``, ``conditional``, ``reported``) and ``intent_confidence`` are the
        emotional segment's row of ``intents`` when its confidence reaches
        :data:`~insights.schema.INTENT_FLOOR` (what drivers count), else ``none``,
        ``""`` and 0; ``confidence`` is the cause's score. ``cause_start`` and
        ``cause_end`` are offsets into the cause segment's text.

    Raises
    ------
    SchemaError
        ``segments`` has no ``text`` column.
    InputError
        An ``emotion`` column with an unknown label.
    """
    import pandas as pd

    fix = "give a table with one segment per row and its words in a column named 'text'"
    require_columns(segments, ["text"], table="segments", file=file, fix=fix)
    df = segments.reset_index(drop=True)
    ids = segment_ids(df).tolist()
    texts = ["" if _missing(t) else str(t) for t in df["text"].tolist()]
    n = len(df)
    has = set(df.columns)
    tids = df["transcript_id"].astype(str).tolist() if "transcript_id" in has else ["input"] * n
    turns_raw = df["turn"].tolist() if "turn" in has else list(range(n))
    turns = [i if _missing(t) else int(t) for i, t in enumerate(turns_raw)]
    speakers = df["speaker"].tolist() if "speaker" in has else [None] * n
    speakers = [None if _missing(s) else str(s) for s in speakers]
    role_ok = _explained(df, roles)
    roles_col = df["role"].tolist() if "role" in has else [None] * n
    asks = [r in ("interviewer", "moderator") for r in roles_col]

    labs = _given_or_detected_emotions(df, emotions, model, file)
    targets = [i for i in range(n) if labs[i] and role_ok[i] and texts[i].strip()]
    if not targets:
        return empty_table([*TRIGGER_COLUMNS, *TRIGGER_INTENT_COLUMNS])
    if embedder is None:
        from insights.embed import get_embedder

        embedder = get_embedder()
    if nlp is None:  # loaded by featurize only for segments it has not parsed before
        from insights.nlp import DEFAULT_SPACY_MODEL

        nlp = DEFAULT_SPACY_MODEL
    ranker = ranker or default_ranker()
    span_model = model if ranker.uses("cand_emotion") else False
    uses_own = any(ranker.uses(f) for f in ("own_d0", "own_d1", "own_d2p"))
    own_model = ranker.own_model if uses_own else None
    feats = featurize(
        texts,
        tids,
        turns,
        speakers,
        labs,
        targets,
        model=span_model,
        embedder=embedder,
        nlp=nlp,
        context_turns=context_turns,
        own_model=own_model,
        cache=cache,
    )
    lookup = _theme_lookup(assignments, themes, codes)
    if intents is None:
        intents = segment_intents(
            df, [ids[i] for i in targets], embedder=embedder, provider=provider
        )
    sure = _sure_intents(intents)
    # the adjectives ("diabolical") of the rows the names-nothing rules read: the emotional
    # segments, the other sentences of their turns, the interviewer's candidate rows
    turns_read = {(tids[i], turns[i]) for i in targets}
    rows_read = {c.seg for cs, _ in feats.values() for c in cs if asks[c.seg]}
    rows_read |= {k for k in range(n) if (tids[k], turns[k]) in turns_read}
    judged = judged_words([texts[k] for k in sorted(rows_read)], nlp, cache)
    none: frozenset[str] = frozenset()
    rows_of = (texts, tids, turns, speakers, labs, targets)
    own_logits = _own_logits(feats, own_model)
    p_earlier = where_probabilities(ranker.where, *rows_of, own_logits, judged=judged)
    rows = []
    for i in targets:
        intent, kind, intent_conf = sure.get(ids[i], ("none", "", 0.0))
        cs, X = feats[i]
        if not cs:
            continue
        sc = ranker.score(X)
        earlier = [turns[c.seg] < turns[i] for c in cs]
        # the interviewer's "Right." or "That's really helpful." is no cause
        # nor is an emotional sentence that says a feeling and names nothing else ("I was
        # livid.", "Honestly, scared.") when other
        # sentences of its turn can ("Nobody came and nobody called."); a turn of one
        # such sentence keeps it (RECCON's annotators mark "It was a nightmare." its own)
        bare = bare_feeling(texts[i], judged.get(texts[i], none)) and any(
            c.seg != i and turns[c.seg] == turns[i] for c in cs
        )
        # and another sentence of its turn that names nothing ("Yeah.", "Mm.") is none either
        idle = [
            (
                e
                and asks[c.seg]
                and names_nothing(texts[c.seg][c.start : c.end], judged.get(texts[c.seg], none))
            )
            or (bare and c.seg == i)
            or (
                c.seg != i
                and turns[c.seg] == turns[i]
                and names_nothing(texts[c.seg], judged.get(texts[c.seg], none))
            )
            for e, c in zip(earlier, cs, strict=True)
        ]
        order = ranker.rank(cs, X, i, earlier=earlier, p_earlier=p_earlier[i], excluded=idle)
        picked = [order[0]]
        for j in order[1:]:
            if len(picked) >= max_causes or sc[j] < sc[order[0]] - second_margin:
                break
            if all(cs[j].seg != cs[p].seg for p in picked):
                picked.append(j)
        for j in picked:
            c = cs[j]
            theme = lookup.get(ids[c.seg], lookup.get(ids[i], ""))
            rows.append(
                (
                    ids[i],
                    labs[i],
                    ids[c.seg],
                    c.start,
                    c.end,
                    texts[c.seg][c.start : c.end],
                    theme,
                    intent,
                    round(float(sc[j]), 4),
                    kind,
                    intent_conf,
                )
            )
    return pd.DataFrame(rows, columns=[*TRIGGER_COLUMNS, *TRIGGER_INTENT_COLUMNS])
