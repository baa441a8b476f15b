"""The summary of findings: scope, top labels, drivers, needs, changes between waves."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ... import summarize as S
from ...schema import EMOTION_FLOOR, MIXED_TALK, THEME_UNSTABLE_BELOW
from ..content import Bullets, Chart, Paragraph, Section
from ..data import ReportData
from .blocks import (
    NO_NEEDS_WORDS,
    NOUNS,
    counted,
    driver_name,
    driver_outcome,
    linked_drivers,
    linked_needs,
    need_name,
    no_driver_words,
    pd_float,
    prevalence_chart,
    supported_drivers,
    theme_facts,
    top_list,
)

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = ["summary_section"]


def summary_section(d: ReportData) -> Section:
    """Summary of findings: scope, top themes, leave and stay drivers, delight vs baseline, changes.

    Parameters
    ----------
    d : ReportData
        The run's tables.

    Returns
    -------
    Section
        Always: on segments alone it gives the scope and names the stages that did
        not run.
    """
    sec = Section("summary", "Summary of findings")
    ov = S.overview(d.segments, d.tables.get("skipped"))
    waves = S.wave_order(d.segments, [w for w, _ in d.waves])
    scope = (
        f"{counted(ov['transcripts'], 'transcript')} ({counted(ov['interviews'], 'interview')}, "
        f"{counted(ov['focus_groups'], 'focus group')}), "
        f"{counted(ov['participants'], 'participant')}"
        + (f" in {len(waves)} waves" if len(waves) > 1 else "")
        + f", {ov['participant_words']:,} words of participant speech in "
        f"{ov['participant_segments']:,} segments."
    )
    items: list[list[Any]] = [[scope]]
    chart = None
    for kind, lead in (("themes", "Top themes: "), ("codes", "Most applied codes: ")):
        lab = d.labels(kind)
        if lab is None:
            continue
        prev = S.prevalence(lab, d.segments)
        if len(prev):
            top = _by_dwelling(prev, d.tables.get("themes")) if kind == "themes" else None
            if top is None:
                top = prev
            else:
                lead = "Top themes (stable ones first, by the people who dwell on them): "
            items.append([lead, *top_list(d, kind, top), "."])
            if chart is None:
                chart = prevalence_chart(
                    d, kind, prev, f"Top {kind}: participants who mention each"
                )
    drv = linked_drivers(d)
    if drv is not None or d.table("triggers") is not None:
        sheet = driver_outcome(d) is not None
        for direction, lead in (
            ("leave", "Reasons to leave: "),
            ("stay", "Reasons to stay or recommend: "),
        ):
            rows = supported_drivers(drv, direction).head(3)
            if not len(rows):
                items.append([no_driver_words(drv, direction, sheet=sheet)])
                continue
            parts: list[Any] = [lead]
            for i, r in enumerate(rows.to_dict("records")):
                parts += (["; "] if i else []) + [
                    f"{driver_name(r)} (",
                    r["link"],
                    f", q = {pd_float(r['q_value']):.2g})",
                ]
            items.append(parts + ["."])
    needs = linked_needs(d)
    if needs is not None:
        found = False
        for kind, lead in (
            ("delight", "Delights (met beyond expectation): "),
            ("baseline", "Baseline needs (noticed when they fail): "),
        ):
            rows = needs[needs["kind"] == kind].head(4)
            if len(rows):
                found = True
                parts = [lead]
                for i, r in enumerate(rows.to_dict("records")):
                    parts += (["; "] if i else []) + [f"{need_name(r)} (", r["link"], ")"]
                items.append(parts + ["."])
        if not found:
            items.append([NO_NEEDS_WORDS])
    lab = d.labels("emotions")
    if lab is not None:
        prev = S.prevalence(lab, d.segments)
        if len(prev):
            items.append(
                [
                    f"Emotions heard most (besides neutral, scored at least {EMOTION_FLOOR:.2f}): ",
                    *top_list(d, "emotions", prev),
                    ".",
                ]
            )
    elif d.table("emotions") is not None:
        items.append(
            [
                "No emotion besides neutral was heard with confidence (a score of at least "
                f"{EMOTION_FLOOR:.2f}) from anyone."
            ]
        )
    if len(waves) > 1:
        change = _largest_wave_change(d)
        if change:
            items.append(change)
    if d.changes.get("added") and not d.changes.get("first_run", False):
        added = d.changes["added"]
        items.append(
            [
                f"This run added {len(added)} transcript{'s' if len(added) != 1 else ''}: "
                f"{', '.join(added)}; {d.changes.get('cached', 0)} were reused unchanged "
                "from the previous run."
            ]
        )
    sec.add(Bullets(items))
    missing = [
        n
        for n in ("codes", "themes", "emotions", "triggers")
        if d.table(n if n != "themes" else "assignments") is None
    ]
    if missing:
        sec.add(
            Paragraph(
                [
                    f"Not in this report because the stage did not run or found nothing: "
                    f"{', '.join(missing)}. Their sections appear when the stages run "
                    "(insights run without --skip)."
                ],
                style="note",
            )
        )
    sec.add(
        Paragraph(
            [
                "Every number in this report links to the quotes behind it (the Evidence "
                "section at the end). Counts are of people: a participant counts once "
                "however often they said it."
            ],
            style="muted",
        )
    )
    sec.add(_drivers_chart(d, drv))
    sec.add(chart)
    return sec


def _largest_wave_change(d: ReportData) -> list[Any]:
    """The bullet of the most significant change between waves (themes, else codes, emotions)."""
    for kind in ("themes", "codes", "emotions"):
        lab = d.labels(kind)
        if lab is None:
            continue
        cmp_ = S.compare_waves(lab, d.segments, waves=[w for w, _ in d.waves])
        if len(cmp_):
            r = cmp_.iloc[0]
            word = "grew" if r["change_pp"] > 0 else "shrank"
            sig = (
                "a significant change"
                if r["p_value"] < 0.05
                else "not significant at this sample size"
            )
            return [
                f"Largest change between waves ({NOUNS[kind]}s): “{r['label']}” {word} from ",
                d.book.link(
                    f"{r['n_a']} of {r['base_a']}",
                    f"“{r['label']}” in {d.wave_label(r['wave_a'])}",
                    r["evidence_a"],
                ),
                " to ",
                d.book.link(
                    f"{r['n_b']} of {r['base_b']}",
                    f"“{r['label']}” in {d.wave_label(r['wave_b'])}",
                    r["evidence_b"],
                ),
                f" people (Fisher exact p = {r['p_value']:.3f}, {sig}).",
            ]
    return []


def _drivers_chart(d: ReportData, drv: pd.DataFrame | None) -> Chart | None:
    """Supported leave and stay drivers in one bar chart: people who name it with the intent."""
    if not d.charts or drv is None or drv.empty:
        return None
    from ..plots import OKABE_ITO, bar_chart

    count = "n_with_intent"
    top = supported_drivers(drv).groupby("direction", sort=False).head(6)
    if top.empty:
        return None
    labels = [f"{driver_name(r)} → {r['direction']}" for r in top.to_dict("records")]
    title = "Drivers: what pushes people to leave, and what keeps them"
    png = bar_chart(
        labels,
        list(top[count]),
        title=title,
        xlabel="people who name it and show the intent",
        color=OKABE_ITO[5] if set(top["direction"]) == {"leave"} else OKABE_ITO[0],
    )
    alt = "; ".join(f"{lab}: {n}" for lab, n in zip(labels, top[count], strict=True))
    return Chart("drivers", title, png, alt=f"Bar chart, {title}: {alt}")


def _by_dwelling(prev: pd.DataFrame, themes: pd.DataFrame | None) -> pd.DataFrame | None:
    """Themes for the summary: stable ones first, then by people who dwell on them.

    Nearly every theme of an interview study is mentioned by nearly everyone, so the
    summary ranks by people who dwell on a theme (``dwellers``, a column of the result,
    which the summary shows beside the people who mention it) and puts themes that
    change on refitting (stability below ``THEME_UNSTABLE_BELOW``) and talk with no
    single topic (labelled ``MIXED_TALK``) last; None when the
    themes table has no ``dwellers`` (rank by ``prev`` as it is).

    Examples
    --------
    >>> import pandas as pd
    >>> prev = pd.DataFrame({"label": ["a", "b", "c"], "participants": [9, 8, 7]})
    >>> themes = pd.DataFrame(
    ...     {"label": ["a", "b", "c"], "dwellers": [2, 5, 6], "stability": [0.9, 0.8, 0.2]}
    ... )
    >>> _by_dwelling(prev, themes)[["label", "dwellers"]].values.tolist()
    [['b', 5], ['a', 2], ['c', 6]]
    >>> _by_dwelling(prev.assign(label=["a", "Mixed talk: b", "c"]),
    ...              themes.assign(label=["a", "Mixed talk: b", "c"]))["label"].tolist()
    ['a', 'c', 'Mixed talk: b']
    """
    facts = theme_facts(themes)
    if not facts or "dwellers" not in next(iter(facts.values())):
        return None
    import pandas as pd

    def fact(label: object, name: str) -> float:
        return pd.to_numeric(facts.get(str(label), {}).get(name), errors="coerce")

    stability = prev["label"].map(lambda x: fact(x, "stability"))
    mixed = prev["label"].astype(str).str.startswith(MIXED_TALK).to_numpy(dtype=bool)
    key = prev.assign(
        _unstable=(stability < THEME_UNSTABLE_BELOW).to_numpy(dtype=bool) | mixed,
        _dwell=prev["label"].map(lambda x: fact(x, "dwellers")).fillna(0),
        _order=range(len(prev)),
    )
    key = key.sort_values(["_unstable", "_dwell", "_order"], ascending=[True, False, True])
    out = key.drop(columns=["_unstable", "_order"]).rename(columns={"_dwell": "dwellers"})
    return out.reset_index(drop=True)
