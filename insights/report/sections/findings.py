"""The findings: themes, codes, and emotions with their journey, triggers, drivers and needs."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ... import summarize as S
from ...schema import EMOTION_FLOOR, NOT_A_THEME
from ...schema import THEME_UNSTABLE_BELOW as UNSTABLE_BELOW
from ..content import Chart, Paragraph, Quotes, Section, Table, slug
from ..data import ReportData
from .blocks import (
    MAX_ROWS,
    NO_NEEDS_WORDS,
    approval_words,
    cause_source,
    counted,
    driver_name,
    driver_outcome,
    dwell_words,
    ids_of,
    intent_evidence_words,
    linked_drivers,
    linked_needs,
    need_name,
    no_driver_words,
    pct,
    pd_float,
    prevalence_chart,
    prevalence_table,
    supported_drivers,
    theme_facts,
)

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = ["themes_section", "codes_section", "emotions_section"]


def _theme_quotes(themes: pd.DataFrame | None) -> dict[str, list[str]]:
    if themes is None or "quotes" not in themes.columns:
        return {}
    return {str(lab): ids_of(q) for lab, q in zip(themes["label"], themes["quotes"], strict=True)}


def _num(x: Any) -> float | None:
    """``x`` as a float, or None when it is missing or not a number."""
    v = pd_float(x)
    return None if v != v else v


def _not_a_theme(d: ReportData) -> str:
    """The sentence that names the "not a theme" group (filler, meta-talk) and its size."""
    a = d.tables.get("assignments")
    if a is None or "excluded" not in a.columns:
        return ""
    n = int(a["excluded"].isin(list(NOT_A_THEME)).sum())
    if not n:
        return ""
    return (
        f" Not a theme: {n} participant segments are filler or talk about the interview "
        "itself (“does that make sense?”, “good question”, a moment with nothing named) "
        "and are left out of the themes (assignments.csv, excluded generic / meta)."
    )


def _stance_of(d: ReportData) -> dict[str, dict[str, dict[str, Any]]]:
    """Theme label -> stance -> its row of ``theme_stance`` (empty without the table)."""
    t = d.tables.get("theme_stance")
    if t is None or not {"theme", "stance", "n_segments"} <= set(t.columns):
        return {}
    out: dict[str, dict[str, dict[str, Any]]] = {}
    for r in t.to_dict("records"):
        out.setdefault(str(r["theme"]), {})[str(r["stance"])] = r
    return out


def _stance_words(d: ReportData, label: str, rows: dict[str, dict[str, Any]]) -> list[Any]:
    """The theme's stance in words: going wrong in 9 segments (“…”), going right in 4 (“…”).

    None for a theme about the decision itself (:func:`insights.summarize.is_outcome_talk`):
    "I'd be mad to leave" is no theme going wrong, nor praise of a rival's loss going right.
    """
    parts: list[Any] = []
    if S.is_outcome_talk(label):
        return parts
    for side, words in (("negative", "going wrong"), ("positive", "going right")):
        r = rows.get(side, {})
        n = int(r.get("n_segments") or 0)
        if not n:
            continue
        count = f"{n} segment{'s' if n != 1 else ''}" if not parts else str(n)
        parts += [
            f" {words.capitalize() if not parts else ', ' + words} in ",
            d.book.link(count, f"Theme “{label}”: {words}", ids_of(r.get("quotes"))),
        ]
        if _said(r.get("what")):
            parts.append(f" ({_said(r.get('what'))})")
    if parts:
        neither = int(rows.get("neutral", {}).get("n_segments") or 0)
        parts.append(f"; {neither} neither." if neither else ".")
    return [p.replace(" , ", ", ") if isinstance(p, str) else p for p in parts]


def _dwell_table(prev: pd.DataFrame, facts: dict[str, dict[str, Any]]) -> Table | None:
    """Mentioned by | dwell on it | share of talk | stability | codebook, per theme."""
    if not facts or "dwellers" not in next(iter(facts.values())):
        return None
    rows = []
    for r in prev.head(MAX_ROWS).to_dict("records"):
        f = facts.get(str(r["label"]), {})
        stab = _num(f.get("stability"))
        mark = (
            "" if stab is None else f"{stab:.2f}" + (" unstable" if stab < UNSTABLE_BELOW else "")
        )
        code = str(f.get("codebook_code") or "")
        rows.append(
            [
                r["label"],
                f"{r['participants']}/{r['base']}",
                f.get("dwellers", ""),
                pct(_num(f.get("talk_share")) or 0.0),
                mark,
                f"codebook: {code}" if code else "new",
            ]
        )
    return Table(
        ["Theme", "Mentioned by", "Dwell on it", "Share of talk", "Stability", "Source"],
        rows,
        caption=(
            "How much each theme holds people: who mentions it, who dwells on it (two or "
            "more segments, above their own average per theme), the mean share of a "
            "person's talk, and how stable it is when the themes are refitted on resamples"
        ),
        note=f"Stability below {UNSTABLE_BELOW:.1f}: the theme changes with the sample; "
        "merge or drop it knowingly (notebook 02).",
    )


def themes_section(d: ReportData) -> Section | None:
    """Themes: prevalence overall and by segment, dwelling, stability, keywords, quotes.

    Parameters
    ----------
    d : ReportData
        The run's tables (``assignments`` and ``themes``).

    Returns
    -------
    Section or None
        None when no segment was assigned to a theme.
    """
    lab = d.labels("themes")
    if lab is None:
        return None
    sec = Section("themes", "Themes")
    themes = d.tables.get("themes")
    facts = theme_facts(themes)
    prev = S.prevalence(lab, d.segments)
    common = int((prev["share"] >= 0.9).sum()) if len(prev) else 0
    words = [
        f"{len(prev)} themes were found in participants' words (outliers not "
        "assigned to a theme are left out). Each theme's label is the phrase most "
        "distinctive of its segments (or the codebook code it matches); its quotes are "
        "the segments nearest its centre." + _not_a_theme(d)
    ]
    if common and facts:
        words.append(
            f" {common} of {len(prev)} themes are mentioned by 90% or more of the people, "
            "so mentions alone hardly tell them apart: the second table gives the people "
            "who dwell on each theme and its share of their talk."
        )
    sec.add(Paragraph(words))
    sec.add(prevalence_chart(d, "themes", prev, "Themes: participants who mention each"))
    sec.add(prevalence_table(d, "themes", prev, by=d.primary_attribute))
    sec.add(_dwell_table(prev, facts))
    reps = _theme_quotes(themes)
    stance = _stance_of(d)
    kw = {}
    if themes is not None and "keywords" in themes.columns:
        kw = {str(a): str(b) for a, b in zip(themes["label"], themes["keywords"], strict=True)}
    for r in prev.head(12).to_dict("records"):
        label = r["label"]
        q = d.book.quotes(reps.get(label) or r["evidence"], k=3)
        sub = Section(f"theme-{slug(label)}", label, level=3)
        f = facts.get(str(label), {})
        stab = _num(f.get("stability"))
        extra = ""
        if dwell := dwell_words(f.get("dwellers")):
            extra += f" {dwell}."
        if stab is not None and stab < UNSTABLE_BELOW:
            extra += f" Unstable (stability {stab:.2f}): it changes when the themes are refitted."
        if f.get("codebook_code"):
            extra += f" Matches the codebook code “{f['codebook_code']}”."
        sub.add(
            Paragraph(
                [
                    d.book.link(
                        f"{r['participants']} of {r['base']} participants",
                        f"Theme “{label}”: every participant",
                        r["evidence"],
                        key=f"themes-{label}",
                    ),
                    f" ({pct(r['share'])}), {r['segments']} segments." + extra,
                    *_stance_words(d, str(label), stance.get(str(label), {})),
                    f" Keywords: {kw[label]}." if kw.get(label) else "",
                ]
            ),
            q,
        )
        sec.add(sub)
    return sec


def codes_section(d: ReportData) -> Section | None:
    """Coding with the codebook: how many people each code applies to, overall and by segment.

    Parameters
    ----------
    d : ReportData
        The run's tables (``codes``).

    Returns
    -------
    Section or None
        None when nothing was coded. Only ``status=applied`` codings (and human ones) are
        counted; suggested codings are named apart ("needs review: N codes").
    """
    lab = d.labels("codes")  # the applied codings only
    suggested = S.suggested_codes(d.table("codes"))
    if lab is None and (suggested is None or suggested.empty):
        return None
    sec = Section("codes", "Coding with the codebook")
    codes = S.applied_codes(d.table("codes"))
    if lab is not None:
        prev = S.prevalence(lab, d.segments)
        sec.add(
            Paragraph(
                [
                    f"{len(codes):,} codings of {codes['segment_id'].nunique():,} segments "
                    f"with {len(prev)} codes. Human decisions (coder = human) win over the "
                    "model's codings."
                ]
            )
        )
    else:
        sec.add(Paragraph(["No code is applied yet: every model coding is a suggestion."]))
    if suggested is not None and len(suggested):
        n = suggested["code"].nunique()
        sec.add(
            Paragraph(
                [
                    f"Needs review: {n} code{'s' if n != 1 else ''} "
                    f"({len(suggested):,} suggested codings of "
                    f"{suggested['segment_id'].nunique():,} segments, status=suggested in "
                    "codes.csv). Their codes have not passed the agreement gate, so they "
                    "are not counted here or anywhere in this report; review them in "
                    "notebook 03."
                ],
                style="note",
            )
        )
    if lab is None:
        return sec
    if {"method", "coder"} <= set(codes.columns):
        by_method = codes.groupby(["method", "coder"]).size().reset_index(name="codings")
        sec.add(
            Table(
                ["Method", "Coder", "Codings"],
                by_method.values.tolist(),
                caption="Codings by method and coder",
            )
        )
    sec.add(prevalence_chart(d, "codes", prev, "Codes: participants they apply to"))
    sec.add(prevalence_table(d, "codes", prev, by=d.primary_attribute))
    return sec


def _journey(d: ReportData) -> list[Any]:
    """The emotional journey: mean valence per stage (top-level code, codebook order), linked."""
    emotions, codes = d.table("emotions"), S.applied_codes(d.table("codes"))
    if emotions is None or codes is None or codes.empty or "valence" not in emotions.columns:
        return []
    book = d.codebook
    parents = {c.name: c.parent for c in book.codes} if book is not None else None
    order = [c.name for c in book.codes if not c.parent] if book is not None else None
    sv = S.stage_valence(emotions, codes, d.segments, parents=parents, order=order)
    if sv.empty:
        return []
    blocks: list[Any] = [Section("journey", "Emotional journey", level=3)]
    if d.charts:
        from ..plots import journey_chart

        title = "Emotional journey: mean valence at each stage (codebook order)"
        png = journey_chart(
            list(sv["stage"]),
            list(sv["valence"]),
            title=title,
            annotations=[f"{v:+.2f}" for v in sv["valence"]],
        )
        alt = "; ".join(f"{st}: {v:+.2f}" for st, v in zip(sv["stage"], sv["valence"], strict=True))
        blocks.append(Chart("journey", title, png, alt=f"Line chart, {title}: {alt}"))
    rows = [
        [
            r["stage"],
            f"{r['valence']:+.2f}",
            pct(r["negative_share"]),
            d.book.link(
                r["segments"],
                f"Emotional journey: “{r['stage']}” (most negative and most positive)",
                r["evidence"],
                key=f"journey-{r['stage']}",
            ),
            r["participants"],
        ]
        for r in sv.to_dict("records")
    ]
    blocks.append(
        Table(
            ["Stage", "Mean valence", "Negative segments", "Segments", "People"],
            rows,
            caption="Valence runs from −1 (negative) to +1 (positive); quotes: the "
            "most negative and most positive",
        )
    )
    return blocks


def _emotion_theme_heatmap(d: ReportData, emotions: pd.DataFrame) -> Chart | None:
    """People who express each emotion (Ekman group) within each theme."""
    import pandas as pd

    themes = d.labels("themes")
    if not d.charts or themes is None or themes.empty or emotions is None or emotions.empty:
        return None
    from ..plots import heatmap

    both = themes.merge(emotions, on="segment_id", suffixes=("_theme", "_emotion"))
    if both.empty:
        return None
    people = pd.DataFrame(
        {"segment_id": d.segments["segment_id"].astype(str), "_p": S.person_key(d.segments)}
    )
    both = both.assign(segment_id=both["segment_id"].astype(str)).merge(people, on="segment_id")
    ct = both.groupby(["label_theme", "label_emotion"])["_p"].nunique().unstack(fill_value=0)
    ct = ct.loc[ct.sum(axis=1).sort_values(ascending=False).index[:15]]
    ct = ct[ct.sum(axis=0).sort_values(ascending=False).index]
    title = "Emotions within themes: people who express each"
    png = heatmap(list(ct.index), list(ct.columns), ct.values.tolist(), title=title)
    alt = "; ".join(
        f"{t}: " + ", ".join(f"{e} {int(n)}" for e, n in row.items() if n)
        for t, row in ct.iterrows()
    )
    return Chart("emotion-theme", title, png, alt=f"Heatmap, {title}: {alt}")


def emotions_section(d: ReportData) -> Section | None:
    """Emotions (how many people express each) and their triggers (cause, theme, intent).

    Parameters
    ----------
    d : ReportData
        The run's tables (``emotions``, ``triggers``, ``drivers``, ``needs``).

    Returns
    -------
    Section or None
        None when neither emotions nor triggers exist.
    """
    lab = d.labels("emotions")
    trig = d.table("triggers")
    if lab is None and trig is None:
        return None
    sec = Section("emotions", "Emotions and triggers")
    if lab is not None:
        prev = S.prevalence(lab, d.segments)
        sec.add(
            Paragraph(
                [
                    "Emotions are scored per segment (Ekman's six basic emotions or "
                    "neutral; neutral left out here). The scores are probabilities "
                    "calibrated on conversation: on held-out dialogue, of segments scored "
                    "about 0.8, about eight in ten express that emotion. Counts are of "
                    "people who expressed "
                    "the emotion at least once with a probability of at least "
                    f"{EMOTION_FLOOR:.2f}, so a count is a floor, not an estimate "
                    "(weaker scores are in emotions.csv).",
                    *approval_words(d),
                ]
            )
        )
        sec.add(prevalence_chart(d, "emotions", prev, "Emotions: participants who express each"))
        sec.add(_emotion_theme_heatmap(d, lab))
        sec.add(*_journey(d))
        sec.add(prevalence_table(d, "emotions", prev, by=d.primary_attribute))
    _add_drivers(sec, d)
    _add_needs(sec, d)
    if trig is not None:
        _add_triggers(sec, d, trig)
    return sec


def _add_drivers(sec: Section, d: ReportData) -> None:
    from ...schema import INTENT_FLOOR

    drv = linked_drivers(d)
    if drv is None and d.table("triggers") is None:
        return
    sec.add(Section("drivers", "Leave and stay drivers", level=3))
    sec.add(
        Paragraph(
            [
                "A driver is a theme with a stance: what people said about it with a negative "
                "emotion, or told of it going wrong without one (\u201cnobody came\u201d; "
                "tested against leaving), or the same going right (tested against staying or "
                "recommending). It is listed when two or more people name it with the intent "
                "and the link is beyond chance for the study's size: a one-sided Fisher exact "
                "test on people (names it or not × shows the intent or not), with "
                f"Benjamini-Hochberg q ≤ {S.DRIVER_FDR:.2f} over every driver tested (about one "
                "listed driver in ten may still be chance). Intents count when the speaker "
                "has done it or means to, not when it is conditional or about someone else, "
                "and only when it is about the study's provider (leaving or warning others "
                "off a previous provider is not leaving this one) and its calibrated "
                f"confidence is {INTENT_FLOOR:.2f} or more."
            ],
            style="muted",
        )
    )
    counted = intent_evidence_words(d)
    if counted:
        sec.add(Paragraph([counted], style="note"))
    sheet = driver_outcome(d) is not None
    for direction in ("leave", "stay"):
        words = no_driver_words(drv, direction, sheet=sheet)
        if words:
            sec.add(Paragraph([words]))
    ok = supported_drivers(drv)
    if ok.empty:
        if drv is not None:
            sec.add(
                Paragraph(
                    [
                        f"All {len(drv)} tested drivers, with their p- and q-values, are in "
                        "workbook.xlsx (sheet drivers)."
                    ],
                    style="note",
                )
            )
        return
    cols = ["Direction", "Driver", "People", "Who", "p", "q"]
    heads = {"lift": "Lift", "n_chains": "Chains", "top_emotion": "Top emotion"}
    extra = [c for c in heads if c in ok.columns]
    rows = [
        [
            r["direction"],
            driver_name(r),
            r["link"],
            str(r.get("people", "")).replace(";", ", "),
            f"{pd_float(r['p_value']):.2g}",
            f"{pd_float(r['q_value']):.2g}",
            *[(round(r[c], 2) if isinstance(r[c], float) else r[c]) for c in extra],
        ]
        for r in ok.groupby("direction", sort=False).head(8).to_dict("records")
    ]
    sec.add(
        Table(
            cols + [heads[c] for c in extra],
            rows,
            caption="What pushes people to leave, and what keeps them (people: who name it "
            "with the intent, of all who name it; p: one-sided Fisher exact test; q: "
            "Benjamini-Hochberg; chains: triggers the same person follows with that intent "
            "within two segments)",
            note=f"{len(ok)} of {len(drv)} tested drivers are supported; all are in "
            "workbook.xlsx (sheet drivers).",
        )
    )


def _said(phrase: object) -> str:
    """A stance phrase in quotes ("" when there is none)."""
    return f"“{phrase}”" if isinstance(phrase, str) and phrase.strip() else ""


def _side(told: dict[str, dict[str, dict[str, Any]]], r: dict[str, Any], key: str, col: str) -> str:
    """A needs cell: how many of the theme's segments went that way, and what they say."""
    n = told.get(str(r["theme"]), {}).get(key, {}).get("n_segments")
    phrase = _said(r.get(col))
    return f"{int(n)}: {phrase}" if n and phrase else (str(int(n)) if n else phrase)


def _add_needs(sec: Section, d: ReportData) -> None:
    needs = linked_needs(d)
    if needs is None:
        return
    sec.add(Section("needs", "Delight and baseline needs", level=3))
    enough = needs[needs["kind"] != "not enough evidence"]
    thin = len(needs) - len(enough)
    if enough.empty:
        sec.add(Paragraph([NO_NEEDS_WORDS]))
        return
    stance = "going_wrong" in enough.columns
    told = _stance_of(d)
    rows = [
        [
            need_name(r),
            r["kind"],
            r["link"],
            pct(r.get("negative_share", float("nan"))),
            pct(r.get("delight_share", float("nan"))),
            *(
                [
                    _side(told, r, "negative", "going_wrong"),
                    _side(told, r, "positive", "going_right"),
                ]
                if stance
                else []
            ),
        ]
        for r in enough.head(MAX_ROWS).to_dict("records")
    ]
    sec.add(
        Table(
            ["Theme", "Kind", "People", "Negative share", "Delight share"]
            + (["Going wrong", "Going right"] if stance else []),
            rows,
            caption="Baseline needs are noticed when they fail, delights surprise and please: "
            "complaint outweighs delight (or delight complaint) far more than in the rest of "
            f"the study (one-sided Fisher exact test, Benjamini-Hochberg q ≤ {S.NEEDS_FDR:.2f});"
            " or, where the emotions do not tell, when "
            f"{S.NEEDS_MIN_STATED} or more of its people say it in words (“you only notice it "
            "when it goes wrong”, “they did it without me even asking”) and fewer the other;"
            f" people: who said it with that emotion, scored at least {EMOTION_FLOOR:.2f} as "
            "in the emotion counts, or who said it in words when they are more (their words "
            "quoted first); theme: the thing after it is what two of them said it of; "
            "shares: of the theme's emotional segments; going wrong / "
            "right: how many of its segments tell of it going wrong or right, and what they "
            "say, in the words of their triggers",
            note=(
                f"{thin} theme{'s' if thin != 1 else ''} with fewer than "
                f"{S.NEEDS_MIN_PEOPLE} such people: not enough evidence (in workbook.xlsx)."
                if thin
                else ""
            ),
        )
    )


def _add_triggers(sec: Section, d: ReportData, trig: pd.DataFrame) -> None:
    sec.add(Section("triggers", "Example triggers", level=3))
    by_confidence = "confidence" in trig.columns
    t = trig.sort_values("confidence", ascending=False, kind="stable") if by_confidence else trig
    why = S.uncounted_intents(d.table("intents"))
    # triggers.csv's intent is intents.csv's at the confidence floor (find_triggers);
    # the examples of an intent show first the statements that count for the drivers
    t = t.assign(_uncounted=t["segment_id"].astype(str).isin(why.keys()))
    by_id = d.segments.set_index(d.segments["segment_id"].astype(str))  # for cause_source
    for intent in ("leave", "warn_others", "stay", "recommend", "none"):
        n_all = t[t["intent"] == intent]
        sub = n_all.sort_values("_uncounted", kind="stable").drop_duplicates("segment_id")
        sub = sub.head(3)
        if sub.empty:
            continue
        notes = {
            str(r["segment_id"]): f"{r['emotion']} · cause{cause_source(by_id, r)}: "
            f"“{r['cause_text']}”"
            + (
                f" · theme: {r['theme']}"
                if isinstance(r.get("theme"), str) and r.get("theme")
                else ""
            )
            + (
                f" · not counted for drivers: {why[str(r['segment_id'])]}"
                if intent != "none" and str(r["segment_id"]) in why
                else ""
            )
            for r in sub.to_dict("records")
        }
        said = f"intent “{intent}”" if intent != "none" else "no stay, leave or recommend intent"
        title = said[:1].upper() + said[1:] + ": "
        sec.add(
            Paragraph(
                [
                    title,
                    d.book.link(
                        counted(n_all["segment_id"].nunique(), "trigger segment"),
                        f"Triggers with {said}",
                        list(n_all["segment_id"].astype(str)),
                        key=f"intent-{intent}",
                    ),
                ]
            )
        )
        quotes = (d.book.quote(str(s), notes.get(str(s), "")) for s in sub["segment_id"])
        sec.add(Quotes([q for q in quotes if q]))
