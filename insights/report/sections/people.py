"""Who said it and when: segments and personas, and changes between waves."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ... import summarize as S
from ..content import Chart, Paragraph, Section, Table, slug
from ..data import ReportData
from .blocks import MAX_ROWS, NOUNS, prevalence_table

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = ["personas_section", "waves_section"]


def personas_section(d: ReportData) -> Section:
    """Segments and personas: who we heard, and how themes, codes and emotions differ by group.

    Parameters
    ----------
    d : ReportData
        The run's tables; the groups are the participants' categorical attributes.

    Returns
    -------
    Section
        Always (a note when the participants have no attributes to compare by).
    """
    sec = Section("personas", "Segments and personas")
    attrs = S.attribute_columns(d.segments)
    if not attrs:
        sec.add(
            Paragraph(
                [
                    "No speaker has categorical attributes (segment, status, channel …) "
                    "from participants.csv, so there are no groups to compare (without "
                    "participants.csv, or when its people are linked to no speaker: "
                    "run.json, participants_unlinked)."
                ],
                style="note",
            )
        )
        return sec
    part = S.participant_segments(d.segments).assign(_words=lambda x: S.word_count(x["text"]))
    for a in attrs:
        g = part.assign(_p=S.person_key(part)).groupby(a, sort=True)
        rows = []
        for v, grp in g:
            rows.append(
                [
                    v,
                    d.book.link(
                        grp["_p"].nunique(),
                        f"Participants with {a} = {v}",
                        list(grp["segment_id"].astype(str)),
                        key=f"people-{a}-{v}",
                    ),
                    len(grp),
                    int(grp["_words"].sum()),
                ]
            )
        sec.add(Table([a, "People", "Segments", "Words"], rows, caption=f"Who we heard, by {a}"))
    for kind in ("themes", "codes", "emotions"):
        lab = d.labels(kind)
        if lab is None:
            continue
        prev = S.prevalence(lab, d.segments)
        for a in attrs:
            if a == d.primary_attribute and kind != "emotions":
                continue  # already in the kind's own section
            sec.add(prevalence_table(d, kind, prev.head(12), by=a))
        if d.charts and d.primary_attribute:
            sec.add(_by_group_chart(d, kind, lab, prev))
    return sec


def _by_group_chart(d: ReportData, kind: str, lab: pd.DataFrame, prev: pd.DataFrame) -> Chart:
    """The share of each group of the primary attribute who mention the top labels."""
    from ..plots import grouped_bar_chart

    attr = d.primary_attribute
    noun = NOUNS[kind]
    ct = S.crosstab(lab, d.segments, attr)
    top = list(prev["label"].head(8))
    groups = list(dict.fromkeys(ct["value"]))
    share = {(r["label"], r["value"]): r["share"] for r in ct.to_dict("records")}
    png = grouped_bar_chart(
        top,
        [str(g) for g in groups],
        [[share.get((t, g), 0.0) for g in groups] for t in top],
        title=f"{noun.capitalize()}s by {attr}",
    )
    return Chart(
        f"{kind}-by-{slug(attr)}",
        f"{noun.capitalize()}s by {attr}",
        png,
        alt=f"Grouped bar chart of the share of each {attr} who mention the top {noun}s",
    )


def waves_section(d: ReportData) -> Section | None:
    """Waves: what grew or shrank between waves (Fisher exact test) and the quotes behind it.

    Parameters
    ----------
    d : ReportData
        The run's tables; the waves are the segments' ``wave`` in :attr:`ReportData.waves`
        order.

    Returns
    -------
    Section or None
        None with fewer than two waves.
    """
    waves = S.wave_order(d.segments, [w for w, _ in d.waves])
    if len(waves) < 2:
        return None
    sec = Section("waves", "Changes between waves")
    part = S.participant_segments(d.segments)
    people = part.assign(_p=S.person_key(part))
    rows = []
    for w in waves:
        grp = people[people["wave"].astype(str) == str(w)]
        rows.append(
            [
                d.wave_label(w),
                grp["transcript_id"].nunique(),
                d.book.link(
                    grp["_p"].nunique(),
                    f"Participants in {d.wave_label(w)}",
                    list(grp["segment_id"].astype(str)),
                    key=f"wave-{w}",
                ),
            ]
        )
    sec.add(Table(["Wave", "Transcripts", "People"], rows, caption="Material per wave"))
    sec.add(
        Paragraph(
            [
                "For each theme, code and emotion: the people who mention it in each wave, "
                "the change in share in percentage points, and Fisher's exact test "
                "(two-sided) on people per wave, with Benjamini-Hochberg q-values across "
                "the labels. 'n.s.' = not significant at p < 0.05."
            ],
            style="muted",
        )
    )
    any_kind = False
    for kind, kind_title in (("themes", "Themes"), ("codes", "Codes"), ("emotions", "Emotions")):
        lab = d.labels(kind)
        if lab is None:
            continue
        cmp_ = S.compare_waves(lab, d.segments, waves=[w for w, _ in d.waves])
        if cmp_.empty:
            continue
        any_kind = True
        sec.add(_kind_across_waves(d, kind, kind_title, cmp_))
    if not any_kind:
        sec.add(
            Paragraph(
                [
                    "No themes, codes or emotions in this run to compare; the table above "
                    "shows who was heard in each wave."
                ],
                style="note",
            )
        )
    return sec


def _kind_across_waves(d: ReportData, kind: str, kind_title: str, cmp_: pd.DataFrame) -> Section:
    """One kind's sub-section: chart of the change, table of the labels, quotes of the top three."""
    sub = Section(f"waves-{kind}", f"{kind_title} across waves", level=3)
    if d.charts:
        sub.add(_change_chart(d, kind, kind_title, cmp_))
    trows = []
    for r in cmp_.head(MAX_ROWS).to_dict("records"):
        trows.append(
            [
                r["label"],
                f"{r['wave_a']} → {r['wave_b']}",
                d.book.link(
                    f"{r['n_a']}/{r['base_a']}",
                    f"“{r['label']}” in {d.wave_label(r['wave_a'])}",
                    r["evidence_a"],
                ),
                d.book.link(
                    f"{r['n_b']}/{r['base_b']}",
                    f"“{r['label']}” in {d.wave_label(r['wave_b'])}",
                    r["evidence_b"],
                ),
                f"{r['change_pp']:+.0f}",
                f"{r['p_value']:.3f}",
                f"{r['q_value']:.3f}",
                r["direction"],
            ]
        )
    cols = [
        NOUNS[kind].capitalize(),
        "Waves",
        "People before",
        "People after",
        "Change (pp)",
        "p",
        "q",
        "Direction",
    ]
    sub.add(Table(cols, trows, caption=f"{kind_title} that grew or shrank, most significant first"))
    for r in cmp_.head(3).to_dict("records"):
        if r["change_pp"] == 0:
            continue
        later = r["change_pp"] > 0
        ids = r["evidence_b"] if later else r["evidence_a"]
        w = r["wave_b"] if later else r["wave_a"]
        title = (
            f"“{r['label']}” {'grew' if later else 'shrank'} ({r['change_pp']:+.0f} pp): "
            f"quotes from {d.wave_label(w)}"
        )
        sub.add(d.book.quotes(ids, k=2, title=title))
    return sub


def _change_chart(d: ReportData, kind: str, kind_title: str, cmp_: pd.DataFrame) -> Chart:
    """Diverging bars of the change between the first pair of waves."""
    from ..plots import change_chart

    first = cmp_[
        (cmp_["wave_a"] == cmp_["wave_a"].iloc[0]) & (cmp_["wave_b"] == cmp_["wave_b"].iloc[0])
    ]
    a, b = d.wave_label(first["wave_a"].iloc[0]), d.wave_label(first["wave_b"].iloc[0])
    annotations: list[Any] = [
        f"{na}/{ba} → {nb}/{bb}"
        for na, ba, nb, bb in zip(
            first["n_a"], first["base_a"], first["n_b"], first["base_b"], strict=True
        )
    ]
    png = change_chart(
        list(first["label"]),
        list(first["change_pp"]),
        list(first["p_value"] < 0.05),
        title=f"{kind_title}: change from {a} to {b}",
        annotations=annotations,
    )
    changes = "; ".join(
        f"{lab} {c:+.0f} pp"
        for lab, c in zip(first["label"].head(10), first["change_pp"].head(10), strict=True)
    )
    return Chart(
        f"waves-{kind}",
        f"{kind_title}: change between waves",
        png,
        alt="Diverging bar chart of the change in share of participants between waves: " + changes,
    )
