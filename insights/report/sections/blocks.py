"""Blocks several sections share: label prevalence tables and charts, linked drivers and needs.

Helpers of the section modules of :mod:`insights.report.sections` (nothing here is
in ``__all__``). Every count becomes a :class:`~insights.report.content.Link` to
the quotes behind it.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from ... import summarize as S
from ...errors import InsightsError
from ...schema import EMOTION_FLOOR
from ..content import Chart, Table
from ..data import ReportData

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__: list[str] = []

MAX_ROWS = 25  # rows of a label table in the report (all of them are in workbook.xlsx)

#: the singular of each kind of label
NOUNS = {"themes": "theme", "codes": "code", "emotions": "emotion"}


def theme_facts(themes: pd.DataFrame | None) -> dict[str, dict[str, Any]]:
    """Per theme label: dwellers, talk share, stability and codebook code (those it has).

    The one lookup from a theme's label to its facts, for the findings and the summary.

    Examples
    --------
    >>> import pandas as pd
    >>> theme_facts(pd.DataFrame({"label": ["Price rise"], "dwellers": [4]}))
    {'Price rise': {'label': 'Price rise', 'dwellers': 4}}
    """
    if themes is None or themes.empty or "label" not in themes.columns:
        return {}
    cols = [c for c in ("dwellers", "talk_share", "stability", "codebook_code") if c in themes]
    rows = themes.drop_duplicates("label")[["label", *cols]].to_dict("records")
    return {str(r["label"]): r for r in rows}


def pct(x: float) -> str:
    """A share as a whole percentage (empty for NaN).

    Examples
    --------
    >>> pct(0.375), pct(float("nan"))
    ('38%', '')
    """
    return "" if x != x else f"{100 * x:.0f}%"


def ids_of(value: Any) -> list[str]:
    """Segment ids from a list or a ``;``/``,``/``|``-joined string.

    Examples
    --------
    >>> ids_of("a; b|c"), ids_of(["x", 1]), ids_of(None), ids_of("['a', 'b']")
    (['a', 'b', 'c'], ['x', '1'], [], ['a', 'b'])
    """
    if value is None or (isinstance(value, float) and value != value):
        return []
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value]
    s = str(value).strip().strip("[]")
    return [x.strip().strip("'\"") for x in re.split(r"[;,|]\s*", s) if x.strip().strip("'\"")]


def prevalence_table(d: ReportData, kind: str, prev: pd.DataFrame, *, by: str | None) -> Table:
    """Label | people | share | segments | <by value: n/base> ...; every count links to quotes.

    Parameters
    ----------
    d : ReportData
        The run's tables.
    kind : str
        ``themes``, ``codes`` or ``emotions``.
    prev : DataFrame
        :func:`insights.summarize.prevalence` of the kind's labels.
    by : str, optional
        A participant attribute: one more column per value (people with it / people
        in the group).

    Returns
    -------
    Table
        The first :data:`MAX_ROWS` labels.
    """
    noun = NOUNS.get(kind, kind)
    book = d.book
    ct = S.crosstab(d.labels(kind), d.segments, by) if by else None
    values = list(dict.fromkeys(ct["value"])) if ct is not None and len(ct) else []
    cells = {(r["label"], r["value"]): r for r in ct.to_dict("records")} if ct is not None else {}
    cols = [noun.capitalize(), "People", "Share", "Segments"] + [f"{by}: {v}" for v in values]
    rows = []
    for r in prev.head(MAX_ROWS).to_dict("records"):
        lab = r["label"]
        every = f"{noun.capitalize()} “{lab}”: every participant"
        row = [
            lab,
            book.link(r["participants"], every, r["evidence"], key=f"{kind}-{lab}"),
            f"{pct(r['share'])}",
            book.link(r["segments"], every, r["evidence"], key=f"{kind}-{lab}"),
        ]
        for v in values:
            c = cells.get((lab, v))
            text = f"{c['participants']}/{c['base']}" if c else "0"
            row.append(
                book.link(
                    text,
                    f"{noun.capitalize()} “{lab}” among {by} = {v}",
                    c["evidence"] if c else [],
                    key=f"{kind}-{lab}-{by}-{v}",
                )
            )
        rows.append(row)
    note = (
        f"Top {MAX_ROWS} of {len(prev)}; every row is in workbook.xlsx."
        if len(prev) > MAX_ROWS
        else ""
    )
    caption = f"{noun.capitalize()}s by the number of people who mention them" + (
        f", and within each {by} (people with it / people in the group)" if by else ""
    )
    return Table(cols, rows, caption=caption, note=note)


def prevalence_chart(d: ReportData, kind: str, prev: pd.DataFrame, title: str) -> Chart | None:
    """Bars of the top 15 labels: participants who mention each (None without charts or data)."""
    if not d.charts or prev is None or prev.empty:
        return None
    from ..plots import OKABE_ITO, bar_chart

    top = prev.head(15)
    color = {"themes": OKABE_ITO[0], "codes": OKABE_ITO[2], "emotions": OKABE_ITO[5]}.get(
        kind, OKABE_ITO[0]
    )
    png = bar_chart(
        list(top["label"]),
        list(top["participants"]),
        title=title,
        xlabel="participants who mention it",
        annotations=[
            f"{n} of {b} ({pct(s)})"
            for n, b, s in zip(top["participants"], top["base"], top["share"], strict=True)
        ],
        color=color,
    )
    alt = "; ".join(
        f"{lab}: {n} of {b}"
        for lab, n, b in zip(top["label"], top["participants"], top["base"], strict=True)
    )
    return Chart(f"{kind}-prevalence", title, png, alt=f"Bar chart, {title}: {alt}")


def top_list(d: ReportData, kind: str, prev: pd.DataFrame, n: int = 3) -> list[Any]:
    """Paragraph parts naming the ``n`` first labels of ``prev``, each with its linked count.

    With a ``dwellers`` column (themes ranked by the people who dwell on them) each also
    says how many of the people who mention it dwell on it: in a study of long interviews
    everyone mentions nearly every theme, and "8 of 8 people" three times says nothing.
    """
    noun = NOUNS.get(kind, kind)
    parts: list[Any] = []
    for i, r in enumerate(prev.head(n).to_dict("records")):
        if i:
            parts.append("; ")
        dwell = dwell_words(r.get("dwellers"))
        parts += [
            f"{r['label']} (",
            d.book.link(
                f"{r['participants']} of {r['base']} people",
                f"{noun.capitalize()} “{r['label']}”: every participant",
                r["evidence"],
                key=f"{kind}-{r['label']}",
            ),
            f", {dwell})" if dwell else ")",
        ]
    return parts


def counted(n: int, noun: str) -> str:
    """``n`` and ``noun``, plural unless ``n`` is 1: "1 focus group", "2 focus groups".

    Examples
    --------
    >>> counted(1, "focus group"), counted(0, "transcript"), counted(12, "interview")
    ('1 focus group', '0 transcripts', '12 interviews')
    """
    return f"{n} {noun}{'' if n == 1 else 's'}"


def dwell_words(n: object) -> str:
    """The words "3 dwell on it" for a count of people who dwell on a theme; "" without one.

    Examples
    --------
    >>> dwell_words(3), dwell_words(1), dwell_words(float("nan")), dwell_words(None)
    ('3 dwell on it', '1 dwells on it', '', '')
    """
    if n is None or n == "" or n != n:
        return ""
    return f"{int(n)} dwell{'s' if int(n) == 1 else ''} on it"


def linked_drivers(d: ReportData) -> pd.DataFrame | None:
    """Every tested driver with a ``link`` column to the quotes behind each.

    The table is ``drivers`` of :attr:`ReportData.tables` when the run wrote one with
    the test's columns, else :func:`insights.summarize.drivers` of the ``triggers``
    table (with the run's ``intents`` when there are any); rows of the ``all`` group
    when it is broken down by group. None when no driver was tested. The report lists
    the rows whose ``supported`` is true (:func:`supported_drivers`).
    """
    t = d.table("drivers")
    if (t is None or "supported" not in t.columns) and d.table("triggers") is not None:
        t = S.drivers(
            d.table("triggers"),
            d.segments,
            intents=d.table("intents"),
            outcome=driver_outcome(d),
            by=None,
        )
    if t is None or t.empty or not {"direction", "driver", "supported"} <= set(t.columns):
        return None
    if "group" in t.columns and t["group"].astype(str).eq("all").any():
        t = t[t["group"].astype(str).eq("all")]
    t = t.reset_index(drop=True)
    shown = set(supported_drivers(t).index)  # only what the report lists gets an evidence entry
    links: list[Any] = []
    for i, r in enumerate(t.to_dict("records")):
        n = r.get("n_with_intent", r.get("n_participants", ""))
        of = r.get("n_participants")
        text = f"{n} of {of} people" if of is not None and of == of else f"{n}"
        if i not in shown:
            links.append(text)
            continue
        links.append(
            d.book.link(
                text,
                f"Driver {driver_name(r)} ({r['direction']})",
                ids_of(r.get("quotes")),
                key=f"driver-{r['direction']}-{r['driver']}",
            )
        )
    return t.assign(link=links)


def need_name(r: dict[str, Any]) -> str:
    """A need row's name: its theme, and the thing its people said it of when it has one.

    Examples
    --------
    >>> need_name({"theme": "Access and entry", "topic": "gate, lock"})
    'Access and entry: gate, lock'
    >>> need_name({"theme": "Billing", "topic": float("nan")})
    'Billing'
    """
    topic = r.get("topic")
    if isinstance(topic, str) and topic.strip():
        return f"{r['theme']}: {topic.strip()}"
    return str(r["theme"])


def driver_name(r: dict[str, Any]) -> str:
    """A driver row's label (theme and stance); built when a table has none.

    Examples
    --------
    >>> driver_name({"driver": "App", "what": "it logs me out", "stance": "negative"})
    'App: “it logs me out”'
    >>> driver_name({"driver": "App", "label": "App: going right"})
    'App: going right'
    """
    label = r.get("label")
    if isinstance(label, str) and label.strip():
        return label
    return S.driver_label(r["driver"], r.get("what"), str(r.get("stance", "")))


def supported_drivers(drv: pd.DataFrame | None, direction: str | None = None) -> pd.DataFrame:
    """The rows of ``drv`` that pass the test (of one ``direction``), best first."""
    import pandas as pd

    if drv is None or drv.empty:
        return pd.DataFrame(columns=[] if drv is None else drv.columns)
    ok = drv["supported"].astype(str).str.lower().isin(("true", "1"))
    ok &= pd.to_numeric(drv["n_with_intent"], errors="coerce").fillna(0) > 0
    if direction is not None:
        ok &= drv["direction"] == direction
    return drv[ok]


#: how the report names each direction's intent
INTENT_WORDS = {
    "leave": ("leave", "said they had left or meant to leave"),
    "stay": ("stay", "said they would stay or recommend"),
}
#: the same when the participant sheet says who left (:func:`driver_outcome`)
OUTCOME_WORDS = {"leave": ("leave", "left"), "stay": ("stay", "stayed")}


def no_driver_words(drv: pd.DataFrame | None, direction: str, *, sheet: bool = False) -> str:
    """Why no ``direction`` driver is listed, in words (empty when one is supported).

    Examples
    --------
    >>> no_driver_words(None, "leave")
    "No leave driver is supported by more than one person's account."
    >>> import pandas as pd
    >>> one = pd.DataFrame({"direction": "stay", "driver": ["Cloud", "Data"], "base_rate": 0.1,
    ...                     "n_with_intent": [1, 0], "p_value": 0.4, "supported": False})
    >>> no_driver_words(one, "stay")  # doctest: +NORMALIZE_WHITESPACE
    'No stay driver: a driver needs two or more people who said they would stay or
    recommend, and no candidate driver is named by two of them (2 candidate drivers named
    by two or more people; too few to test).'
    """
    word, said = (OUTCOME_WORDS if sheet else INTENT_WORDS)[direction]
    rows = drv[drv["direction"] == direction] if drv is not None and len(drv) else None
    if rows is None or rows.empty:
        return f"No {word} driver is supported by more than one person's account."
    if len(supported_drivers(rows)):
        return ""
    n = len(rows)
    tested = f"{n} candidate driver{'s' if n != 1 else ''}"
    if pd_float(rows["base_rate"].max()) == 0:
        return (
            f"No {word} driver: nobody in this study {said} ({tested} named by two or more "
            "people, none by anyone with that intent)."
        )
    most = int(pd_float(rows["n_with_intent"].max())) if "n_with_intent" in rows else 2
    if most < 2:  # a driver needs two people with the intent: no test could support one
        return (
            f"No {word} driver: a driver needs two or more people who {said}, and no "
            f"candidate driver is named by two of them ({tested} named by two or more "
            "people; too few to test)."
        )
    return (
        f"No {word} driver is supported by the evidence: {tested} "
        f"{'were' if n != 1 else 'was'} tested, none passed "
        f"(one-sided Fisher exact test on people, Benjamini-Hochberg q ≤ {S.DRIVER_FDR:.2f}). "
        f"{closest_driver_words(rows, said)}"
    )


def closest_driver_words(rows: pd.DataFrame, said: str, *, n: int = 3) -> str:
    """The ``n`` candidate drivers nearest to passing, with their people: leads, not findings.

    Of the study as a whole (group ``all`` when there is one), named by two or more
    people with the intent, lowest p-value first; each with its side of the theme
    (``what``), since a theme named for what went wrong can be a stay lead for what
    went right.

    Examples
    --------
    >>> import pandas as pd
    >>> rows = pd.DataFrame({"group": "all", "driver": ["Price rise", "App", "Kiosk"],
    ...                      "stance": "negative",
    ...                      "n_participants": [10, 6, 4], "n_with_intent": [5, 3, 1],
    ...                      "base_rate": 0.3, "p_value": [0.07, 0.2, 0.5],
    ...                      "q_value": [0.68, 0.7, 1.0], "what": ["", "it logs me out", ""]})
    >>> closest_driver_words(rows, "said they had left or meant to leave")
    ... # doctest: +NORMALIZE_WHITESPACE
    'Closest: Price rise: going wrong (5 of the 10 people who name it said they had left or
    meant to leave, against 30% of everyone; q = 0.68), App: “it logs me out” (3 of 6; q =
    0.70). Leads to read in their quotes, not findings.'
    """
    import pandas as pd

    if "group" in rows.columns and (rows["group"] == "all").any():
        rows = rows[rows["group"] == "all"]
    k = pd.to_numeric(rows["n_with_intent"], errors="coerce").fillna(0)
    near = rows[k >= 2].sort_values("p_value", kind="stable").head(n)
    if near.empty:
        return ""
    parts = []
    for i, r in enumerate(near.to_dict("records")):
        k, m, q = int(r["n_with_intent"]), int(r["n_participants"]), pd_float(r["q_value"])
        name = driver_name(r)  # theme and stance: "Engineer: “every engineer was brilliant”"
        if i == 0:
            base = pd_float(r["base_rate"])
            parts.append(
                f"{name} ({k} of the {m} people who name it {said}, against "
                f"{base:.0%} of everyone; q = {q:.2f})"
            )
        else:
            parts.append(f"{name} ({k} of {m}; q = {q:.2f})")
    return f"Closest: {', '.join(parts)}. Leads to read in their quotes, not findings."


def driver_outcome(d: ReportData) -> str | None:
    """The participant-sheet column the drivers took who left and stayed from (or None)."""
    from ...schema import outcome_column

    try:
        return outcome_column(d.segments, d.config.get("outcome"))
    except InsightsError:  # the run checked it; a hand-edited table reads as none
        return None


def intent_evidence_words(d: ReportData) -> str:
    """Who the drivers' intents come from, what is left out, and how far to trust it.

    Empty when the run wrote no ``intents`` table and no participant-sheet column says
    who left (:func:`driver_outcome`).
    """
    from ...schema import INTENT_FLOOR, person_outcomes

    it = d.table("intents")
    has_intents = it is not None and not it.empty and "intent" in it.columns
    outcome = driver_outcome(d)
    if not has_intents and outcome is None:
        return ""
    people = S.intent_people(d.segments, it if has_intents else None, outcome=outcome)
    n_leave = sum(v == "leave" for v in people.values())
    n_stay = sum(v == "stay" for v in people.values())
    words = ""
    if outcome is not None:
        sheet = person_outcomes(d.segments, outcome)
        s_leave = sum(v == "leave" for v in sheet.values())
        words = (
            f"Who left and who stayed is taken from participants.csv (column “{outcome}”: "
            f"{s_leave} left, {len(sheet) - s_leave} stayed), whatever they said."
        )
        if len(people) > len(sheet):
            words += (
                f" {len(people) - len(sheet)} more people without a value there are counted "
                f"by their stated intent: in all, {n_leave} "
                f"{'person' if n_leave == 1 else 'people'} left or mean to and {n_stay} stay."
            )
        if not has_intents:
            return words
        if len(people) == len(sheet):  # the sheet speaks for everyone: no stated intent is used
            n = int((it["intent"].astype(str) != "none").sum())
            return words + (
                f" The {n} statements of leaving, staying or recommending people made are in "
                "intents.csv; the drivers do not use them here."
            )
        words += " "
    stated = it[it["intent"].astype(str) != "none"]
    counted = S.counted_intents(stated)
    rest = len(stated) - len(counted)
    low = 0
    if "confidence" in stated.columns:
        import pandas as pd

        low = int((pd.to_numeric(stated["confidence"], errors="coerce") < INTENT_FLOOR).sum())
    if outcome is None:
        words += (
            f"Intents counted: {n_leave} {'person' if n_leave == 1 else 'people'} with a leave "
            f"intent (left the study's provider, mean to, or warn others off it) and {n_stay} "
            "with a stay or recommend intent: the speaker's own, about the study's provider, at "
            f"a confidence of {INTENT_FLOOR:.2f} or more; leaving wins over staying."
        )
    else:
        words += (
            "Stated intents count when they are the speaker's own, about the study's provider, at "
            f"a confidence of {INTENT_FLOOR:.2f} or more."
        )
    if rest:
        words += (
            f" {rest} other intent statement{'s' if rest != 1 else ''} (conditional, "
            "reported, about another provider"
            + (f", or below that confidence: {low} of them" if low else "")
            + ") are in intents.csv and not counted."
        )
    return words + (
        " On sentences it was never tuned on, the intent detector found about half "
        "of the intents people stated, and about 8 in 10 of those it gives at this "
        "confidence were right (insights/models/intent/README.md): read the drivers as a "
        "floor, and a driver not found as not shown, not as absent."
    )


def pd_float(x: Any) -> float:
    """``x`` as a float (NaN when it is not a number).

    Examples
    --------
    >>> pd_float("0.5"), pd_float(None) != pd_float(None)
    (0.5, True)
    """
    try:
        return float(x)
    except (TypeError, ValueError):
        return float("nan")


#: what the report says when no theme is labelled baseline or delight
NO_NEEDS_WORDS = (
    "No theme has enough people behind it to call it a baseline need or a delight "
    f"(it takes {S.NEEDS_MIN_PEOPLE} or more people who spoke of it with that emotion, "
    f"scored at least {EMOTION_FLOOR:.2f}, or {S.NEEDS_MIN_STATED} who said it in words)."
)


def linked_needs(d: ReportData) -> pd.DataFrame | None:
    """The ``needs`` table (else ``baseline_delight``) with a ``link`` column to its quotes.

    The link counts the people behind the label (``n_people_delight`` for a delight,
    ``n_people_negative`` for a baseline, ``n_people`` otherwise; segments for a table
    written without them). When the need is the one its people said in words
    (``stated``), their words (``stated_quotes``) are quoted first, and they are the
    people counted when more of them said it than felt it.
    """
    t = d.table("needs") if d.table("needs") is not None else d.table("baseline_delight")
    if t is None or not {"theme", "kind"} <= set(t.columns):
        return None
    links = []
    for r in t.to_dict("records"):
        delight = r["kind"] == "delight"
        ids = ids_of(r.get("delight_quotes")) if delight else ids_of(r.get("negative_quotes"))
        ids = ids or ids_of(r.get("negative_quotes")) + ids_of(r.get("delight_quotes"))
        people = {"delight": r.get("n_people_delight"), "baseline": r.get("n_people_negative")}
        people = people.get(r["kind"], r.get("n_people"))
        said, prefer = r.get("n_people_stated"), []
        if r.get("stated") == r["kind"] and said == said:
            prefer = ids_of(r.get("stated_quotes"))
            ids = list(dict.fromkeys(prefer + ids))
            people = said if people != people or said > people else people
        n = r.get("n_delight") if delight else r.get("n_negative")
        if people is not None and people == people:
            text = f"{int(people)} {'person' if int(people) == 1 else 'people'}"
        else:
            text = f"{n} segments" if n is not None else "quotes"
        links.append(
            d.book.link(
                text,
                f"{r['kind'].capitalize()}: “{need_name(r)}”",
                ids,
                key=f"need-{r['kind']}-{r['theme']}",
                prefer=prefer,
            )
        )
    return t.assign(link=links).reset_index(drop=True)


def cause_source(by_id: pd.DataFrame, trigger: dict) -> str:
    """Where a trigger's cause was said, when it lies in an earlier turn, else ``""``.

    ``by_id``: the segments indexed by ``segment_id`` (as str), made once by the caller.

    Examples
    --------
    >>> import pandas as pd
    >>> seg = pd.DataFrame({"segment_id": ["q", "a"], "turn": [1, 2],
    ...                     "speaker": ["Sam", "Ann"], "role": ["interviewer", "participant"],
    ...                     "text": ["How was the install?", "Awful."]})
    >>> by_id = seg.set_index("segment_id")
    >>> cause_source(by_id, {"segment_id": "a", "cause_segment_id": "q"})
    " (the interviewer's question)"
    >>> cause_source(by_id, {"segment_id": "a", "cause_segment_id": "a"})
    ''
    """
    sid, cid = str(trigger["segment_id"]), str(trigger.get("cause_segment_id"))
    if cid == sid or "turn" not in by_id.columns:
        return ""
    if sid not in by_id.index or cid not in by_id.index:
        return ""
    own, cause = by_id.loc[sid], by_id.loc[cid]
    if own.get("turn") == cause.get("turn") and own.get("speaker") == cause.get("speaker"):
        return ""
    if cause.get("role") in ("interviewer", "moderator"):
        asked = str(cause.get("text", "")).rstrip().endswith("?")
        return f" (the {cause['role']}'s {'question' if asked else 'words'})"
    if cause.get("speaker") != own.get("speaker"):
        return " (another participant's words)"
    return " (their earlier words)"


def approval_words(d: ReportData) -> list[str]:
    """How many segments were agreement or praise, not counted as joy (none: nothing)."""
    emo = d.table("emotions")
    n = S.n_approval(emo) if emo is not None else 0
    if not n:
        return []
    return [
        f" Agreement and praise with no feeling stated (“I agree.”, “That sounds good.”) "
        f"are not counted as joy or as any emotion: {n} segment{'s' if n != 1 else ''}, "
        "noted in emotions.csv."
    ]
