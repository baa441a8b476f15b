"""Reviewing codings one at a time: the logic (:class:`ReviewSession`), and a thin widget over it.

:class:`ReviewSession` walks a review queue (:func:`review_queue`'s rows: the segment,
the turns before and after it, the proposed code). Each decision (accept, reject, or
another code) is merged into ``decisions.csv`` and written to disk at once, through a
temporary file that is flushed, synced and renamed into place: a kernel that dies at any
moment leaves every decision made before it, and never a half-written file. The session
is plain Python, so everything it does is tested without a browser.

:class:`ReviewWidget` shows the session in JupyterLab (ipywidgets, the ``notebooks``
extra): the segment in its context, the proposed code and its definition, buttons
*Accept* / *Reject* / *Other code* (with a list of the codebook's codes) / *Back* /
*Next*, and the progress. Keyboard shortcuts go through a small text box (ipywidgets has
no key events, and a notebook's own shortcuts would take the keys anywhere else): click
into it, then ``a`` accepts, ``r`` rejects, ``o`` applies the code chosen in the list,
``n`` goes to the next item and ``p`` back. Keys typed there reach the kernel as the
box's value; JupyterLab leaves keys typed into an output's text box to it, so
they never insert or delete cells. No JavaScript of our own, so it works wherever
ipywidgets does.
"""

from __future__ import annotations

import html
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from insights.errors import InputError

from ._code import HUMAN_CODER
from ._decisions import merge_decisions

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from ._model import Codebook

#: the keyboard shortcuts of :class:`ReviewWidget` (typed into its key box)
KEYS: dict[str, str] = {"a": "accept", "r": "reject", "o": "other", "n": "next", "p": "back"}


def save_decisions(path: str | Path, new: pd.DataFrame) -> pd.DataFrame:
    """Merge ``new`` decisions into the file at ``path`` and write it safely; return the table.

    The file is read again first (another tool may have added rows since), the new rows
    win over earlier decisions on the same (segment, code), and the result is written to
    a temporary file that is flushed and synced before it replaces ``path``.

    Examples
    --------
    >>> import tempfile, pandas as pd
    >>> from pathlib import Path
    >>> p = Path(tempfile.mkdtemp()) / "decisions.csv"
    >>> _ = save_decisions(p, pd.DataFrame({"segment_id": ["s1"], "code": ["Price"],
    ...                                     "confidence": [1.0]}))
    >>> p.read_text().splitlines()
    ['segment_id,code,confidence,method,coder', 's1,Price,1.0,human,human']
    """
    from insights._safe import write_atomic
    from insights.io import read_csv_table

    path = Path(path)
    old = read_csv_table(path, what="a decisions table") if path.exists() else None
    table = merge_decisions(old, new)

    def write(tmp: Path) -> None:
        with open(tmp, "w", encoding="utf-8", newline="") as fh:
            table.to_csv(fh, index=False)
            fh.flush()
            os.fsync(fh.fileno())

    write_atomic(path, write)
    return table


class ReviewSession:
    """Walk a review queue; every decision is saved to ``decisions.csv`` as it is made.

    Parameters
    ----------
    queue : DataFrame
        Rows to review, in order: ``segment_id`` and ``code`` (the proposed code), and
        where present ``confidence``, ``text``, ``before``, ``after``, ``speaker``,
        ``before_speaker``, ``after_speaker``, ``participant_id``, ``transcript_id``
        (what :func:`review_queue` returns).
    path : str or Path
        The study's ``decisions.csv``; created at the first decision, earlier rows kept.
    codebook : Codebook, optional
        For each code's definition, and the codes one may choose instead.
    coder : str
        The ``coder`` of the decisions (default ``"human"``).

    Examples
    --------
    >>> import tempfile, pandas as pd
    >>> from pathlib import Path
    >>> queue = pd.DataFrame({"segment_id": ["s1", "s2", "s3"], "code": "Price",
    ...                       "text": ["Too dear.", "Fine.", "Cheap enough."]})
    >>> s = ReviewSession(queue, Path(tempfile.mkdtemp()) / "decisions.csv")
    >>> s.accept(); s.reject(); s.progress_text
    '2 of 3 reviewed'
    >>> s.decisions()[["segment_id", "confidence"]].to_dict("records")
    [{'segment_id': 's1', 'confidence': 1.0}, {'segment_id': 's2', 'confidence': 0.0}]
    >>> s.current["segment_id"], s.press("n"), s.done
    ('s3', 'next', True)
    """

    def __init__(
        self,
        queue: pd.DataFrame,
        path: str | Path,
        *,
        codebook: Codebook | None = None,
        coder: str = HUMAN_CODER,
    ) -> None:
        missing = [c for c in ("segment_id", "code") if c not in queue.columns]
        if missing:
            raise InputError(
                f"the review queue has no {' or '.join(missing)} column",
                fix="pass the rows of review_queue(...)",
            )
        self.items: list[dict[str, Any]] = [
            {k: ("" if _missing(v) else v) for k, v in row.items()}
            for row in queue.to_dict("records")
        ]
        for item in self.items:
            item["segment_id"] = str(item["segment_id"])
        self.path = Path(path)
        self.codebook = codebook
        self.coder = coder
        self.position = 0
        #: what was decided on each item (``None``: not yet)
        self.outcomes: list[str | None] = [None] * len(self.items)
        #: decisions saved by this session so far (one per accept / reject / other code)
        self.saved = 0

    # ----- where we are

    @property
    def done(self) -> bool:
        """True once the walk has gone past the last item."""
        return self.position >= len(self.items)

    @property
    def current(self) -> dict[str, Any] | None:
        """The item under review (``None`` past the end)."""
        return None if self.done else self.items[self.position]

    @property
    def progress(self) -> tuple[int, int]:
        """(items decided, items in the queue)."""
        return sum(o is not None for o in self.outcomes), len(self.items)

    @property
    def progress_text(self) -> str:
        """``"12 of 40 reviewed"``."""
        n, total = self.progress
        return f"{n} of {total} reviewed"

    def definition(self, code: str) -> str:
        """The codebook's definition of ``code`` (empty without a codebook or definition)."""
        if self.codebook is None or code not in self.codebook:
            return ""
        return self.codebook[code].definition or ""

    @property
    def code_choices(self) -> list[str]:
        """The codes one may apply instead: the codebook's codable codes, else the queue's."""
        if self.codebook is not None:
            return [c.name for c in self.codebook.codes if c.is_codable]
        return sorted({str(i["code"]) for i in self.items})

    # ----- moving

    def next(self) -> None:
        """Go to the next item without deciding (the last step leaves the queue: done)."""
        self.position = min(self.position + 1, len(self.items))

    def back(self) -> None:
        """Go back one item (to change a decision: the new one replaces it in the file)."""
        self.position = max(self.position - 1, 0)

    # ----- deciding (each call writes decisions.csv, then moves on)

    def accept(self) -> None:
        """The proposed code fits this segment."""
        self._decide([(self._item()["code"], True)], "accepted")

    def reject(self) -> None:
        """The proposed code does not fit this segment."""
        self._decide([(self._item()["code"], False)], "rejected")

    def other(self, code: str) -> None:
        """Another code fits instead: the proposed one is rejected, ``code`` accepted."""
        if code not in self.code_choices and code != self._item()["code"]:
            raise InputError(
                f"{code!r} is not a code of the codebook",
                fix=f"choose one of: {', '.join(self.code_choices)}",
            )
        proposed = self._item()["code"]
        if code == proposed:
            self.accept()
            return
        self._decide([(proposed, False), (code, True)], f"coded {code}")

    def press(self, key: str, *, other_code: str | None = None) -> str | None:
        """Do what keyboard shortcut ``key`` does (:data:`KEYS`); the action's name, or None."""
        action = KEYS.get(key.lower()) if key else None
        if action is None or (self.done and action not in ("back", "next")):
            return None
        if action == "other":
            if not other_code:
                return None
            self.other(other_code)
        else:
            getattr(self, action)()
        return action

    def decisions(self) -> pd.DataFrame:
        """Every decision in ``decisions.csv`` now (this session's and earlier ones)."""
        from insights.io import read_csv_table

        if self.path.exists():
            return merge_decisions(read_csv_table(self.path, what="a decisions table"))
        return merge_decisions()

    def _item(self) -> dict[str, Any]:
        if self.done:
            raise InputError(
                "every item of the review queue has been reviewed",
                fix="go back (back()) to change a decision",
            )
        return self.items[self.position]

    def _decide(self, choices: Sequence[tuple[str, bool]], outcome: str) -> None:
        import pandas as pd

        sid = self._item()["segment_id"]
        new = pd.DataFrame(
            {
                "segment_id": [sid] * len(choices),
                "code": [c for c, _ in choices],
                "confidence": [1.0 if ok else 0.0 for _, ok in choices],
                "method": "human",
                "coder": self.coder,
            }
        )
        save_decisions(self.path, new)
        self.outcomes[self.position] = outcome
        self.saved += 1
        self.next()


def _missing(value: Any) -> bool:
    try:
        return value is None or value != value  # NaN
    except (TypeError, ValueError):  # pragma: no cover - array-like cells
        return False


class ReviewWidget:
    """A JupyterLab view of a :class:`ReviewSession` (ipywidgets); display it in a cell.

    Every button and key calls the session, then redraws; the session saves each
    decision at once. Keyboard shortcuts are typed into the key box (:data:`KEYS`).

    Examples
    --------
    >>> import tempfile, pandas as pd
    >>> from pathlib import Path
    >>> queue = pd.DataFrame({"segment_id": ["s1", "s2"], "code": "Price",
    ...                       "text": ["Too dear.", "Fine."]})
    >>> w = ReviewWidget(ReviewSession(queue, Path(tempfile.mkdtemp()) / "d.csv"))
    >>> w.accept_button.click(); w.keys.value = "r"; w.session.progress_text
    '2 of 2 reviewed'
    """

    def __init__(self, session: ReviewSession) -> None:
        from insights._optional import import_optional

        w = import_optional("ipywidgets", extra="notebooks", purpose="the review widget")
        self.session = session
        self._w = w
        total = max(len(session.items), 1)
        self.progress_bar = w.IntProgress(value=0, min=0, max=total, description="")
        self.progress_label = w.HTML()
        self.card = w.HTML()
        button = w.Layout(width="auto")
        self.accept_button = w.Button(
            description="Accept (a)", button_style="success", icon="check", layout=button
        )
        self.reject_button = w.Button(
            description="Reject (r)", button_style="danger", icon="times", layout=button
        )
        self.other_code = w.Dropdown(options=session.code_choices, description="", layout=button)
        self.other_button = w.Button(description="Other code (o)", layout=button)
        self.back_button = w.Button(description="Back (p)", icon="arrow-left", layout=button)
        self.next_button = w.Button(description="Next (n)", icon="arrow-right", layout=button)
        self.keys = w.Text(
            value="",
            placeholder="click here for keys: a accept · r reject · o other code · n next · p back",
            continuous_update=True,
            layout=w.Layout(width="32em"),
        )
        self.status = w.HTML()
        self._bind(self.accept_button, session.accept)
        self._bind(self.reject_button, session.reject)
        self._bind(self.other_button, lambda: session.other(self.other_code.value))
        self._bind(self.back_button, session.back)
        self._bind(self.next_button, session.next)
        self.keys.observe(self._on_key, names="value")
        self.box = w.VBox(
            [
                w.HBox([self.progress_bar, self.progress_label]),
                self.card,
                w.HBox(
                    [
                        self.accept_button,
                        self.reject_button,
                        self.other_code,
                        self.other_button,
                        self.back_button,
                        self.next_button,
                    ]
                ),
                self.keys,
                self.status,
            ]
        )
        self.box.add_class("insights-review")
        self._redraw()

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.box._repr_mimebundle_(**kwargs)

    def _bind(self, button: Any, action: Callable[[], None]) -> None:
        button.on_click(lambda _b: self._run(action))

    def _on_key(self, change: dict[str, Any]) -> None:
        typed = change["new"]
        if not typed:
            return
        self.keys.value = ""  # the box stays empty: each key is one action
        key = typed[-1]
        if key.lower() in KEYS:
            self._run(lambda: self.session.press(key, other_code=self.other_code.value))

    def _run(self, action: Callable[[], Any]) -> None:
        s = self.session
        before, saved = s.position, s.saved
        try:
            action()
        except Exception as exc:  # noqa: BLE001 - shown in the widget, the kernel goes on
            self.status.value = f"<b>not saved:</b> {html.escape(str(exc))}"
            return
        if s.saved > saved:
            self.status.value = (
                f"saved: segment {html.escape(s.items[before]['segment_id'])} "
                f"{html.escape(str(s.outcomes[before]))} → {html.escape(str(s.path))}"
            )
        self._redraw()

    def _redraw(self) -> None:
        s = self.session
        finished = s.done
        # the card first, the progress last: a view that shows the new count shows the new item
        self.card.value = _card_html(s) if not finished else _done_html(s)
        for b in (self.accept_button, self.reject_button, self.other_button):
            b.disabled = finished
        self.back_button.disabled = s.position == 0
        self.next_button.disabled = finished
        self.progress_bar.value = s.progress[0]
        self.progress_label.value = (
            f"<span class='insights-review-progress'>{s.progress_text}</span>"
        )


def _card_html(s: ReviewSession) -> str:
    item = s.items[s.position]
    esc = html.escape

    def turn(text: Any, speaker: Any, style: str) -> str:
        if not text:
            return ""
        who = f"<b>{esc(str(speaker))}:</b> " if speaker else ""
        return f"<div style='{style}'>{who}{esc(str(text))}</div>"

    where = " · ".join(
        esc(str(item[k])) for k in ("transcript_id", "participant_id") if item.get(k)
    )
    code = str(item["code"])
    definition = s.definition(code)
    conf = item.get("confidence")
    sure = f" (confidence {float(conf):.2f})" if isinstance(conf, int | float) else ""
    decided = s.outcomes[s.position]
    was = f"<div><i>already decided: {esc(decided)}</i></div>" if decided else ""
    quiet = "color:#666;margin:2px 0"
    return (
        f"<div class='insights-review-card' data-segment-id='{esc(item['segment_id'])}'>"
        f"<div style='color:#666'>item {s.position + 1} of {len(s.items)}"
        f"{' · ' + where if where else ''} · segment {esc(item['segment_id'])}</div>"
        + turn(item.get("before"), item.get("before_speaker"), quiet)
        + turn(
            item.get("text"),
            item.get("speaker"),
            "margin:4px 0;padding:6px;border-left:4px solid #4E79A7;background:#F3F6FA",
        )
        + turn(item.get("after"), item.get("after_speaker"), quiet)
        + "<div style='margin-top:6px'>Proposed code: "
        + f"<b class='insights-review-code'>{esc(code)}</b>{sure}</div>"
        + (f"<div style='color:#444'>{esc(definition)}</div>" if definition else "")
        + was
        + "</div>"
    )


def _done_html(s: ReviewSession) -> str:
    return (
        "<div class='insights-review-card'>"
        f"<b>Done:</b> {s.progress_text}; the decisions are in {html.escape(str(s.path))}. "
        "Run the cells below to apply them (<i>Back</i> changes one).</div>"
    )
