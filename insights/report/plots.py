"""Charts for reports: one consistent, accessible style (matplotlib, Agg backend).

Okabe-Ito colour-blind-safe palette, horizontal bars sorted largest first, the count
written on every bar, readable labels (wrapped, never rotated). Each function
returns PNG bytes; the report embeds them (HTML: base64; Word: picture; Markdown:
``charts/<name>.png``).
"""

from __future__ import annotations

import io
import textwrap
from collections.abc import Sequence

__all__ = [
    "OKABE_ITO",
    "bar_chart",
    "grouped_bar_chart",
    "change_chart",
    "heatmap",
    "journey_chart",
]

#: Okabe & Ito (2008) colour-blind-safe palette (black last)
OKABE_ITO = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
_INK, _MUTED, _GRID = "#1d2433", "#5b6475", "#e3e6ec"


def _plt():
    import matplotlib

    if matplotlib.get_backend().lower() != "agg":
        matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt

    plt.rcParams.update(
        {
            "font.size": 10,
            "axes.titlesize": 11,
            "axes.titleweight": "bold",
            "axes.edgecolor": _MUTED,
            "axes.labelcolor": _INK,
            "xtick.color": _INK,
            "ytick.color": _INK,
            "svg.fonttype": "none",
            "font.family": "DejaVu Sans",
        }
    )
    return plt


def _wrap(label: str, width: int = 28) -> str:
    s = str(label)
    if len(s) > 2 * width:
        s = s[: 2 * width - 1] + "…"
    return "\n".join(textwrap.wrap(s, width)) or s


def _png(fig, dpi: int = 110) -> bytes:
    """PNG bytes of ``fig``, reduced to a 128-colour palette (flat colours: ~4x smaller)."""
    import matplotlib.pyplot as plt

    buf = io.BytesIO()
    fig.savefig(
        buf,
        format="png",
        dpi=dpi,
        bbox_inches="tight",
        facecolor="white",
        metadata={"Software": None},
    )
    plt.close(fig)
    try:
        from PIL import Image

        img = (
            Image.open(io.BytesIO(buf.getvalue()))
            .convert("RGB")
            .quantize(colors=128, method=Image.Quantize.MEDIANCUT)
        )
        out = io.BytesIO()
        img.save(out, format="PNG", optimize=True)
        return out.getvalue()
    except ImportError:  # pragma: no cover - Pillow comes with matplotlib
        return buf.getvalue()


def _finish(ax, title: str, *, xlabel: str | None = None, grid: str = "x") -> None:
    """The house style of an axis: title on the left, no top/right frame, light grid behind."""
    if xlabel is not None:
        ax.set_xlabel(xlabel)
    ax.set_title(title, loc="left")
    ax.spines[["top", "right"]].set_visible(False)
    (ax.xaxis if grid == "x" else ax.yaxis).grid(True, color=_GRID)
    ax.set_axisbelow(True)


def bar_chart(
    labels: Sequence[str],
    values: Sequence[float],
    *,
    title: str,
    xlabel: str,
    annotations: Sequence[str] | None = None,
    color: str = OKABE_ITO[0],
    max_bars: int = 15,
    as_percent: bool = False,
) -> bytes:
    r"""Horizontal bars, sorted largest first (top to bottom), a count on every bar.

    Parameters
    ----------
    labels, values : sequence
        One bar per label.
    title, xlabel : str
        The chart's title (on the left) and the axis label.
    annotations : sequence of str, optional
        The text at the end of each bar (default: the value).
    color : str
        The bars' colour (one of :data:`OKABE_ITO`).
    max_bars : int
        The largest bars kept.
    as_percent : bool
        Values are shares (0-1), drawn as percentages.

    Returns
    -------
    bytes
        PNG.

    Examples
    --------
    >>> bar_chart(["a", "b"], [1, 3], title="t", xlabel="people")[:4]
    b'\x89PNG'
    """
    plt = _plt()
    items = sorted(
        zip(labels, values, annotations or [None] * len(labels), strict=True),
        key=lambda t: -float(t[1]),
    )[:max_bars]
    items = items[::-1]  # barh draws bottom-up
    fig, ax = plt.subplots(figsize=(7.2, 0.42 * len(items) + 1.1))
    ys = range(len(items))
    vals = [float(v) * (100 if as_percent else 1) for _, v, _ in items]
    ax.barh(list(ys), vals, color=color, height=0.68)
    ax.set_yticks(list(ys), [_wrap(lab) for lab, _, _ in items])
    top = max(vals) if vals else 1
    for y, v, (_, _, ann) in zip(ys, vals, items, strict=True):
        text = ann if ann is not None else (f"{v:.0f}%" if as_percent else f"{v:g}")
        ax.text(v + top * 0.01, y, text, va="center", ha="left", fontsize=9, color=_INK)
    ax.set_xlim(0, top * 1.18 if top else 1)
    _finish(ax, title, xlabel=xlabel)
    return _png(fig)


def grouped_bar_chart(
    labels: Sequence[str],
    groups: Sequence[str],
    shares: Sequence[Sequence[float]],
    *,
    title: str,
    xlabel: str = "share of participants in the group (%)",
    max_bars: int = 10,
) -> bytes:
    """Shares of each label (rows, sorted as given) per group (one colour per group).

    Parameters
    ----------
    labels : sequence of str
        The rows, in the order given (the first ``max_bars``).
    groups : sequence of str
        One bar per group in each row, in :data:`OKABE_ITO` order.
    shares : sequence of sequence of float
        ``shares[i][j]``: the share (0-1) of group ``j`` with label ``i``.
    title, xlabel : str
        The chart's title and axis label.
    max_bars : int
        Rows kept.

    Returns
    -------
    bytes
        PNG.
    """
    plt = _plt()
    labels = list(labels)[:max_bars]
    shares = [list(s) for s in shares][:max_bars]
    n, g = len(labels), len(groups)
    fig, ax = plt.subplots(figsize=(7.2, max(1.6, (0.22 * g + 0.25) * n + 1.2)))
    h = 0.8 / max(g, 1)
    for j, grp in enumerate(groups):
        ys = [n - 1 - i + 0.4 - h * (j + 0.5) for i in range(n)]
        vals = [100 * float(s[j]) for s in shares]
        ax.barh(ys, vals, height=h * 0.92, color=OKABE_ITO[j % len(OKABE_ITO)], label=str(grp))
        for y, v in zip(ys, vals, strict=True):
            ax.text(v + 1, y, f"{v:.0f}%", va="center", fontsize=7.5, color=_INK)
    ax.set_yticks([n - 1 - i for i in range(n)], [_wrap(x) for x in labels])
    ax.set_xlim(0, 115)
    ax.legend(
        frameon=False, fontsize=8.5, loc="lower right", ncol=min(g, 4), bbox_to_anchor=(1.0, 1.0)
    )
    _finish(ax, title, xlabel=xlabel)
    return _png(fig)


def change_chart(
    labels: Sequence[str],
    change_pp: Sequence[float],
    significant: Sequence[bool],
    *,
    title: str,
    annotations: Sequence[str] | None = None,
    max_bars: int = 15,
) -> bytes:
    """Diverging bars of the change in share (percentage points), largest change first.

    Significant changes in strong colours (blue grew, vermillion shrank), others pale
    and hatched, so the difference does not rely on colour alone.

    Parameters
    ----------
    labels : sequence of str
        One bar per label.
    change_pp : sequence of float
        The change in share, in percentage points.
    significant : sequence of bool
        Whether each change is significant.
    title : str
        The chart's title.
    annotations : sequence of str, optional
        The text by each bar (default: the change, ``+12 pp``).
    max_bars : int
        The largest changes kept.

    Returns
    -------
    bytes
        PNG.
    """
    plt = _plt()
    items = sorted(
        zip(labels, change_pp, significant, annotations or [None] * len(labels), strict=True),
        key=lambda t: -abs(float(t[1])),
    )[:max_bars][::-1]
    fig, ax = plt.subplots(figsize=(7.2, 0.42 * len(items) + 1.3))
    for y, (_, v, sig, ann) in enumerate(items):
        col = OKABE_ITO[0] if v >= 0 else OKABE_ITO[5]
        ax.barh(
            y,
            v,
            color=col if sig else "white",
            edgecolor=col,
            hatch=None if sig else "///",
            height=0.68,
        )
        text = ann if ann is not None else f"{v:+.0f} pp"
        ax.text(
            v + (1 if v >= 0 else -1),
            y,
            text,
            va="center",
            ha="left" if v >= 0 else "right",
            fontsize=9,
            color=_INK,
        )
    lim = max([abs(float(v)) for _, v, _, _ in items] + [10]) * 1.45
    ax.set_xlim(-lim, lim)
    ax.axvline(0, color=_MUTED, lw=1)
    ax.set_yticks(range(len(items)), [_wrap(x) for x, _, _, _ in items])
    _finish(
        ax,
        title,
        xlabel="change in share of participants (percentage points); "
        "solid = p < 0.05, hatched = not significant",
    )
    return _png(fig)


def heatmap(
    rows: Sequence[str],
    columns: Sequence[str],
    values: Sequence[Sequence[float]],
    *,
    title: str,
    xlabel: str = "",
    fmt: str = "{:g}",
    max_rows: int = 20,
    max_columns: int = 12,
) -> bytes:
    """A table of numbers as shades of one colour (sequential, colour-blind safe), values in cells.

    Rows and columns come in the order given (sort them before); empty cells (0) stay white.

    Parameters
    ----------
    rows, columns : sequence of str
        The labels of the rows and columns (the first ``max_rows`` / ``max_columns``).
    values : sequence of sequence of float
        ``values[i][j]``: the number in row ``i``, column ``j``.
    title, xlabel : str
        The chart's title and an optional axis label.
    fmt : str
        The format of a cell's value.
    max_rows, max_columns : int
        The rows and columns kept.

    Returns
    -------
    bytes
        PNG.
    """
    import numpy as np

    plt = _plt()
    rows, columns = list(rows)[:max_rows], list(columns)[:max_columns]
    v = np.array(
        [[float(x) for x in r[: len(columns)]] for r in list(values)[: len(rows)]], dtype=float
    ).reshape(len(rows), len(columns))
    fig, ax = plt.subplots(figsize=(max(4.5, 0.75 * len(columns) + 2.6), 0.36 * len(rows) + 1.6))
    top = float(np.nanmax(v)) if v.size and np.nanmax(v) > 0 else 1.0
    ax.imshow(v, cmap="Blues", vmin=0, vmax=top, aspect="auto")
    for i in range(len(rows)):
        for j in range(len(columns)):
            if v[i, j]:
                ax.text(
                    j,
                    i,
                    fmt.format(v[i, j]),
                    ha="center",
                    va="center",
                    fontsize=8,
                    color="white" if v[i, j] > 0.6 * top else _INK,
                )
    ax.set_xticks(range(len(columns)), [_wrap(c, 14) for c in columns], fontsize=8.5)
    ax.set_yticks(range(len(rows)), [_wrap(r, 34) for r in rows], fontsize=8.5)
    ax.xaxis.tick_top()
    ax.tick_params(length=0)
    if xlabel:
        ax.set_xlabel(xlabel)
    ax.set_title(title, loc="left", pad=28 if len(columns) else 6)
    for side in ax.spines.values():
        side.set_visible(False)
    return _png(fig)


def journey_chart(
    steps: Sequence[str],
    valence: Sequence[float],
    *,
    title: str,
    annotations: Sequence[str] | None = None,
) -> bytes:
    """One participant's emotional journey: valence (-1 negative … +1 positive) step by step.

    Points are marked by sign (filled circle positive, open square negative) so the
    reading does not rely on colour; ``annotations`` (e.g. the emotion) label each point.

    Parameters
    ----------
    steps : sequence of str
        The steps along the x axis, in order.
    valence : sequence of float
        The valence at each step (-1 … +1).
    title : str
        The chart's title.
    annotations : sequence of str, optional
        A label by each point.

    Returns
    -------
    bytes
        PNG.
    """
    plt = _plt()
    xs = list(range(len(steps)))
    vals = [float(v) for v in valence]
    fig, ax = plt.subplots(figsize=(7.2, 3.2))
    ax.axhline(0, color=_MUTED, lw=1)
    ax.plot(xs, vals, color=OKABE_ITO[0], lw=1.6)
    for x, v in zip(xs, vals, strict=True):
        if v >= 0:
            ax.plot(x, v, "o", color=OKABE_ITO[0], ms=6)
        else:
            ax.plot(x, v, "s", mfc="white", mec=OKABE_ITO[5], mew=1.6, ms=6)
    for x, v, ann in zip(xs, vals, annotations or [None] * len(xs), strict=True):
        if ann:
            ax.annotate(
                _wrap(ann, 14),
                (x, v),
                textcoords="offset points",
                xytext=(0, 8 if v >= 0 else -16),
                ha="center",
                fontsize=7.5,
                color=_INK,
            )
    ax.set_ylim(-1.15, 1.15)
    ax.set_xticks(xs, [_wrap(s, 12) for s in steps], fontsize=8)
    ax.set_ylabel("valence (negative … positive)")
    _finish(ax, title, grid="y")
    return _png(fig)
