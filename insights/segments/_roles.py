"""Who is who in a transcript: speaker roles, the session type, links to participants.csv."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ..io import label_key
from ..schema import UNIDENTIFIED_SPEAKER
from ._sentences import split_sentences

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = [
    "FIRST_WEIGHT",
    "TERSE_WEIGHT",
    "SUBSTANTIAL_SHARE",
    "is_question",
    "question_scores",
    "assign_roles",
    "session_type_of",
    "link_participants",
    "unlinked_participants",
]

# --------------------------------------------------------------------------- roles

_INTERVIEWER_WORDS = ("interviewer", "moderator", "facilitator", "researcher", "host")
_PARTICIPANT_WORDS = ("interviewee", "respondent", "participant", "customer", "guest")


_QUESTION_START = re.compile(
    r"^\W*(?:(?:so|and|but|okay|ok|um|uh|right|now|then|well|alright|all right)\W+)*"
    r"(?:(?:what|how|why|where|when|who|which)\W+(?:do|did|does|is|are|was|were|would|will|"
    r"can|could|should|has|have|had|kind|sort|type|made|makes|about|many|much|long|often|"
    r"else|if|exactly|happened|happens)\b"
    r"|(?:can|could|would|will|do|did|does|have|has|are|is|was|were)\W+"
    r"(?:you|we|they|there|it|that|this|your)\b"
    r"|tell\W+(?:me|us)\b|walk\W+(?:me|us)\b|describe\b)",
    re.IGNORECASE,
)
#: how much speaking first, and speaking least per turn, add to a speaker's question rate
FIRST_WEIGHT = 0.05
TERSE_WEIGHT = 0.05


def is_question(sentence: str) -> bool:
    """True for a sentence that ends in ``?`` or opens like a question.

    A question opening is a question word followed by a verb ("How did", "What kind"),
    an inverted auxiliary ("Can you", "Did they", "Is there") or a prompt ("Tell me",
    "Walk me through", "Describe"), after fillers ("So", "And", "Okay"). "When I
    started" and "What I did" are not questions.

    Examples
    --------
    >>> [is_question(s) for s in ("So how did that go", "When I started, yes.", "Why?")]
    [True, False, True]
    """
    s = sentence.strip()
    return s.endswith("?") or bool(_QUESTION_START.match(s))


def question_scores(turns: Sequence[tuple[str | None, str]]) -> dict[str, dict[str, float]]:
    """Per speaker: sentences, questions, question rate, words per turn, first, and score.

    ``score`` is the share of the speaker's sentences that are questions
    (:func:`is_question`), plus :data:`FIRST_WEIGHT` for the speaker of the first
    labelled turn, plus :data:`TERSE_WEIGHT` times (fewest words per turn of anyone /
    this speaker's words per turn): a rate, so the speaker who talks most does not win
    by asking more questions in all.

    Examples
    --------
    >>> s = question_scores([("Sam", "How was it?"), ("Ann", "Fine. Why do you ask? Hm.")])
    >>> s["Sam"]["rate"], round(s["Ann"]["rate"], 3), s["Sam"]["score"] > s["Ann"]["score"]
    (1.0, 0.333, True)
    """
    stats: dict[str, dict[str, float]] = {}
    first = next((speaker for speaker, _ in turns if speaker), None)
    for speaker, text in turns:
        if not speaker:
            continue
        d = stats.setdefault(
            speaker,
            {
                "turns": 0,
                "sentences": 0,
                "questions": 0,
                "words": 0,
                "first": float(speaker == first),
            },
        )
        d["turns"] += 1
        d["words"] += len(text.split())
        for s, e in split_sentences(text):
            d["sentences"] += 1
            d["questions"] += is_question(text[s:e])
    if not stats:
        return stats
    per_turn = {s: d["words"] / d["turns"] for s, d in stats.items()}
    least = min(per_turn.values())
    for s, d in stats.items():
        d["rate"] = d["questions"] / d["sentences"] if d["sentences"] else 0.0
        d["words_per_turn"] = per_turn[s]
        terse = least / per_turn[s] if per_turn[s] else 1.0
        d["score"] = d["rate"] + FIRST_WEIGHT * d["first"] + TERSE_WEIGHT * terse
    return stats


def assign_roles(
    turns: Sequence[tuple[str | None, str]],
    *,
    interviewers: Iterable[str] = (),
    session_type: str = "interview",
) -> dict[str, str]:
    """Map each speaker of one transcript to a role.

    In order: a speaker listed in ``interviewers`` (study.yaml) is the interviewer
    (the moderator in a focus group); a label that names a role (``Interviewer 2``,
    ``Moderator``, ``Interviewee``, ``Respondent``) takes that role; ``Unknown
    Speaker`` and the other labels that name nobody (``schema.UNIDENTIFIED_SPEAKER``)
    are unknown; where no one is the interviewer yet, the speaker with the
    highest :func:`question_scores` score is (the share of their sentences that are
    questions, weighed with who speaks first and who says least per turn), when they
    asked at least two questions and no one else has the same score. Everyone else is
    a participant.

    Parameters
    ----------
    turns : sequence of (speaker, text)
    interviewers : iterable of str
        Names of the interviewers and moderators (study.yaml ``interviewers``).
    session_type : {"interview", "focus_group"}
        The lead is ``moderator`` in a focus group, else ``interviewer``.

    Returns
    -------
    dict
        Speaker -> role.

    Examples
    --------
    >>> turns = [("Jo", "Thanks for coming. How did you find it?"),
    ...          ("Al", "Slow. Why is it so slow? Who knows? I waited and waited. Then I left."),
    ...          ("Jo", "What happened next?"), ("Al", "Nothing. What could I do? I gave up.")]
    >>> assign_roles(turns)
    {'Jo': 'interviewer', 'Al': 'participant'}
    """
    lead = "moderator" if session_type == "focus_group" else "interviewer"
    interviewers = list(interviewers)
    configured = {label_key(s) for s in interviewers}
    # "Jess" stands for the configured "Jess Morgan"
    first_names = {label_key(s.split()[0]) for s in interviewers if len(s.split()) > 1}
    roles: dict[str, str] = {}
    scores = question_scores(turns)
    for speaker in scores:
        key = label_key(speaker)
        single = len(speaker.split()) == 1
        if (
            key in configured
            or (single and key in first_names)
            or any(key.startswith(w) for w in _INTERVIEWER_WORDS)
        ):
            roles[speaker] = lead
        elif key.startswith("unknown") or re.fullmatch(UNIDENTIFIED_SPEAKER, speaker, re.I):
            roles[speaker] = "unknown"
        elif any(key.startswith(w) for w in _PARTICIPANT_WORDS):
            roles[speaker] = "participant"
    if lead not in roles.values() and len(scores) >= 2:
        open_ = {s: d["score"] for s, d in scores.items() if s not in roles}
        asking = [s for s in open_ if scores[s]["questions"] >= 2]
        if asking:
            best = max(asking, key=lambda s: open_[s])
            if all(open_[best] > v for s, v in open_.items() if s != best):
                roles[best] = lead
    for speaker in scores:
        roles.setdefault(speaker, "participant")
    return roles


#: a participant who says at least this share of a transcript's words speaks substantially
SUBSTANTIAL_SHARE = 0.05


def session_type_of(
    turns: Sequence[tuple[str | None, str]],
    roles: dict[str, str],
    *,
    min_share: float = SUBSTANTIAL_SHARE,
) -> str:
    """``"focus_group"`` when two or more participants speak substantially, else ``"interview"``.

    Only participants count (not interviewers, moderators or unknown speakers), and
    only those who say at least ``min_share`` of the transcript's words, so a second
    interviewer or a one-line interjection does not make a focus group.

    Examples
    --------
    >>> turns = [("Jo", "How was it?"), ("Al", "Slow and dear, " * 20), ("Cy", "Hi.")]
    >>> roles = {"Jo": "interviewer", "Al": "participant", "Cy": "participant"}
    >>> session_type_of(turns, roles)
    'interview'
    >>> session_type_of(turns + [("Cy", "Dear, yes, " * 20)], roles)
    'focus_group'
    """
    words: dict[str | None, int] = {}
    for speaker, text in turns:
        words[speaker] = words.get(speaker, 0) + len(text.split())
    total = sum(words.values())
    speaking = [
        s
        for s, n in words.items()
        if s and roles.get(s) == "participant" and total and n / total >= min_share
    ]
    return "focus_group" if len(speaking) >= 2 else "interview"


# --------------------------------------------------------------------------- participants


def link_participants(
    speakers: Iterable[str],
    roles: dict[str, str],
    participants: pd.DataFrame | None,
    *,
    source: str,
) -> dict[str, str]:
    """Map participant speakers of one transcript to ``participant_id``.

    A speaker matches a participant when the label equals the ``participant_id``,
    the ``name`` column, any of the ``aliases`` (``;``-separated), or the first
    name of ``name`` (when only one participant of this transcript, or of the
    study, has that first name). Where ``participants.csv`` has a ``transcript``
    column and exactly one participant is listed for this file, its one
    participant speaker is that participant.
    """
    if participants is None or participants.empty:
        return {}
    name = Path(source).name
    stem = Path(source).stem
    rows = participants
    if "transcript" in participants.columns:
        listed = participants["transcript"].fillna("").astype(str).str.strip()
        mine = participants[(listed == name) | (listed == stem)]
    else:
        mine = participants.iloc[0:0]

    def keys_of(df: pd.DataFrame) -> dict[str, set[str]]:
        out: dict[str, set[str]] = {}
        for _, r in df.iterrows():
            pid = str(r["participant_id"])
            ks = {label_key(pid)}
            full = str(r.get("name", "") or "").strip() if "name" in df.columns else ""
            if full and full.lower() != "nan":
                ks.add(label_key(full))
            if "aliases" in df.columns and isinstance(r.get("aliases"), str):
                ks.update(label_key(a) for a in r["aliases"].split(";") if a.strip())
            out[pid] = ks
        return out

    def first_names(df: pd.DataFrame) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        if "name" not in df.columns:
            return out
        for _, r in df.iterrows():
            full = str(r.get("name") or "").strip()
            if full and full.lower() != "nan":
                out.setdefault(label_key(full.split()[0]), []).append(str(r["participant_id"]))
        return out

    all_keys, mine_keys = keys_of(rows), keys_of(mine)
    firsts_mine, firsts_all = first_names(mine), first_names(rows)
    links: dict[str, str] = {}
    speaking = [s for s in speakers if roles.get(s) == "participant"]
    for s in speaking:
        k = label_key(s)
        hit = [pid for pid, ks in mine_keys.items() if k in ks] or [
            pid for pid, ks in all_keys.items() if k in ks
        ]
        if not hit:
            first = label_key(s.split()[0]) if s.split() else k
            hit = firsts_mine.get(first) or firsts_mine.get(k) or []
            if not hit and len(firsts_all.get(k, [])) == 1:
                hit = firsts_all[k]
        if len(hit) == 1:
            links[s] = hit[0]
    if len(mine) == 1 and len(speaking) == 1 and speaking[0] not in links:
        links[speaking[0]] = str(mine.iloc[0]["participant_id"])
    return links


def unlinked_participants(
    participants: pd.DataFrame | None, segments: pd.DataFrame, files: Iterable[str] = ()
) -> pd.DataFrame:
    """The people of ``participants.csv`` that no speaker was linked to, and why.

    Their attributes (segment, status, tenure …) reach no table, so a researcher must
    hear of them: ``insights run`` lists them in ``run.json`` and warns in one line.

    Parameters
    ----------
    participants : DataFrame or None
        ``participants.csv`` as read (``participant_id``, optional ``transcript``).
    segments : DataFrame
        ``participant_id``, ``source``, ``speaker``, ``role``.
    files : iterable of str
        The study's transcript files.

    Returns
    -------
    DataFrame
        ``participant_id, transcript, reason``, in the sheet's order.

    Examples
    --------
    >>> import pandas as pd
    >>> people = pd.DataFrame({"participant_id": ["P1", "P2", "P3"],
    ...                        "transcript": ["a.txt", "b.txt", "gone.txt"]})
    >>> seg = pd.DataFrame({"participant_id": ["P1", "b:Ann", "b:Bo"],
    ...                     "source": ["a.txt", "b.txt", "b.txt"], "speaker": ["P1", "Ann", "Bo"],
    ...                     "role": "participant"})
    >>> for r in unlinked_participants(people, seg, ["a.txt", "b.txt"]).itertuples():
    ...     print(r.participant_id, "-", r.reason[:40])
    P2 - b.txt has 2 participant speakers and non
    P3 - its transcript gone.txt is not in transc
    """
    import pandas as pd

    columns = ["participant_id", "transcript", "reason"]
    if participants is None or not len(participants):
        return pd.DataFrame(columns=columns)
    linked = set(segments["participant_id"].dropna().astype(str))
    here = {n for f in files for n in (Path(f).name, Path(f).stem)}
    speaking = segments[segments["role"].astype(str) == "participant"]
    source = speaking["source"].astype(str)
    source_stem = source.map(lambda s: Path(s).stem)
    rows = []
    for r in participants.to_dict("records"):
        pid = str(r["participant_id"])
        if pid in linked:
            continue
        listed = str(r.get("transcript", "") or "").strip()
        listed = "" if listed.lower() == "nan" else listed
        if listed and listed not in here:
            reason = f"its transcript {listed} is not in transcripts/"
        elif listed:
            n = int(speaking.loc[(source == listed) | (source_stem == listed), "speaker"].nunique())
            reason = (
                f"{listed} has no participant speaker"
                if n == 0
                else f"{listed} has {n} participant speakers and none is labelled with its "
                "participant_id, name or aliases"
            )
        else:
            reason = "no speaker is labelled with its participant_id, name or aliases"
        rows.append((pid, listed, reason))
    return pd.DataFrame(rows, columns=columns)
