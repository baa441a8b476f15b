"""Needs: which themes are baseline (noticed when they fail) and which delight.

* :func:`baseline_delight` — per theme: a *baseline* need (noticed when it fails:
  negative emotion, little delight) or a *delight* (surprise, joy, gratitude when
  present), with the counts of segments and of people and the quotes behind the label;
  a theme too few people speak of emotionally is ``not enough evidence``.

Examples
--------
>>> "gratitude" in DELIGHT, NEEDS_MIN_PEOPLE
(True, 3)
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from insights.emotions import NEGATIVE, POSITIVE, is_courtesy
from insights.schema import EMOTION_FLOOR, MIXED_TALK, NEEDS_COLUMNS, segment_ids
from insights.wordforms import names_theme

from ._drivers import fisher_greater, is_outcome_talk
from ._people import emotion_labels
from ._stance import segment_stances, stance_phrase, texts_and_people, theme_members
from ._topics import stated_topics, with_topics
from ._waves import benjamini_hochberg

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd


#: emotions that mark delight (a need met beyond expectation).
DELIGHT: tuple[str, ...] = (
    "surprise",
    "joy",
    "excitement",
    "gratitude",
    "admiration",
    "amusement",
    "love",
    "relief",
)

#: the fewest distinct people behind a need's label (baseline or delight): with two, one
#: coincidence of a pair of people makes a "need", with three it takes a pattern.
NEEDS_MIN_PEOPLE: int = 3

#: the false discovery rate at which a theme's lean (delight or negative) counts as more
#: than the study's own: the same level as drivers (:data:`DRIVER_FDR`).
NEEDS_FDR: float = 0.10

#: the fewest distinct people who must *say* a theme is expected ("you only notice it
#: when it goes wrong") or beyond expectation ("they did it without me even asking")
#: for that to name its need when the emotions alone do not
#: (:func:`expectation_cue`): a statement of the need is direct evidence, an emotion
#: count is not, so two people who say it is a pattern where two who are annoyed is not.
NEEDS_MIN_STATED: int = 2

# Kano's words for a need, as people say them (written for insights from its own
# sentences, benchmarks/need_expectation_sentences.csv, tune split; no lexicon copied).
_FAILS = (
    r"(?:go(?:es)? (?:wrong|down|off)|went (?:wrong|down)|stops?|stopped|breaks?|broke|"
    r"fails?|packs? in|isn't|is not|'s not|doesn't|does not|don't|can't|skips?|"
    r"is (?:cold|late|down|wrong|off)|'s (?:cold|late|down|wrong|off)|are (?:cold|late|wrong)|"
    r"they're (?:cold|late|wrong))"
)
_BASELINE = re.compile(
    "|".join(
        (
            # "you only notice it when it goes wrong", "only miss X when they skip a week"
            r"\b(?:only|ever)\b[^.?!]{0,40}?\b(?:notice|remember|miss|think about|clock|"
            r"mention)\b[^.?!]{0,50}?\bwhen\b[^.?!]{0,30}?\b" + _FAILS,
            # "I never think about it until I need to claim"
            r"\b(?:never|don't|do not|nobody|no one|not)\b[^.?!]{0,15}?\b(?:think about|"
            r"thinks about|notice|notices|gave [^.?!]{0,20}a second thought)\b[^.?!]{0,40}?"
            r"\b(?:until|unless)\b",
            r"\bdon't notice (?:good|it when|when it)",
            # "you just expect it", "it's just assumed", "you assume the payments go out"
            r"\b(?:just|simply|kind of|sort of)\s+(?:expect|expects|expected|assume|assumes|"
            r"assumed)\b",
            r"\b(?:you|we|i|everyone|people)\s+assume\b",
            r"\b(?:take|takes|taking)\b[^.?!]{0,30}?\bfor granted\b",
            r"\bshould (?:just )?work\b(?! if)|\bjust (?:has|have|needs?) to (?:work|load|be)\b",
            r"\bshould be (?:\w+ )?reliable\b",
            r"\b(?:is|'s|isn't|are) (?:just )?(?:the )?(?:bare )?minimum\b|\bthe bare minimum\b",
            r"\bthe least they (?:can|could) do\b|\btable stakes\b|\bgoes without saying\b",
            r"\b(?:it's|is) a given\b|\bbasic stuff\b|\bthe basics (?:have|has|need|should)\b",
            r"\bthat's (?:their|his|her) job\b|\bwhat (?:i|we|you) pay (?:them |for )?for\b",
            r"\bwhat they're paid for\b|\bno (?:points|credit) (?:from|for)\b",
            r"\b(?:give|get) (?:them |the company )?(?:any |no )?credit for\b",
            r"\bnot (?:a|an) (?:selling point|extra|treat)\b|\bisn't a treat\b",
            r"\bnot going to cheer\b|\bnobody (?:praises|thanks|rings up)\b|\byou don't thank\b",
            r"\binvisible when\b|\bforget it exists\b|\b(?:to )?just be there\b",
            r"\bshouldn't be a surprise\b",
            r"\bwouldn't (?:mention|notice) it if it (?:worked|was right)\b",
            # "normally you don't even think about it.", "it just works"
            r"\b(?:you|we|i)\s+(?:\w+\s+)?(?:never|don't|do not)\s+(?:even\s+|really\s+)?"
            r"(?:think|thought)\s+about\s+(?:it|them|that)\s*(?:[.!;]|,\s*(?:it|you)\b|$)",
            r"\bit (?:just|simply) works\b",
            # "you don't think about the connection when it works": what is not thought of
            # while it works is noticed when it does not
            r"\b(?:don't|do not|never|nobody|no one)\s+(?:really\s+|even\s+)?(?:think|thinks)\s+"
            r"about\s+(?:it|them|(?:the|my|your|our|their)\s+[\w'-]+(?:\s+[\w'-]+)?)\s+"
            r"(?:when|while|as long as)\s+(?:(?:it|they)\s+(?:works?|run|runs)\b|(?:it's|it is|"
            r"they're|they are)\s+(?:working|fine|there|on time|running)\b)",
        )
    ),
    re.IGNORECASE,
)
_DELIGHT = re.compile(
    "|".join(
        (
            # "I really didn't expect that", "I wasn't expecting a free upgrade"
            r"\b(?:didn't|did not|never|wasn't|was not|hadn't|had not|would never)\s+"
            r"(?:really |even |have )?(?:expect|expected|expecting|have expected|see that "
            r"coming|thought (?:a|an|they|anyone)|think (?:they|anyone|a|an))\b"
            r"(?! (?:much|a lot|anything better)\b)",
            r"(?<!nothing )\bunexpected(?:ly)?\b|\bwhich i'd never have expected\b",
            r"\b(?:pleasantly|genuinely|really|nicely) surprised\b",
            r"\b(?:nice|lovely|pleasant|good|great|welcome|small|little) surprises?\b",
            r"\bto my surprise\b|\bsurprised me (?:by|with)\b",
            r"\bin (?:a|the) (?:good|nice|nicest) way\b",
            r"\bwithout (?:me |us |my )?(?:even )?(?:asking|being asked|having to ask)\b",
            r"\bunasked\b|\bunprompted\b|\bnobody asked them to\b|\bdidn't have to do that\b",
            r"\bbefore (?:i'd|i had|i|we'd|we) (?:even )?(?:noticed|complained|asked|knew)\b",
            r"\babove and beyond\b|\bover and above\b|\bthe extra mile\b|\bbeyond the usual\b",
            r"\bexceeded\b|\bmore than i'd (?:ever )?(?:expect|have expected)\b",
            r"\bblew (?:me away|my mind)\b|\bbowled over\b|\bmade my (?:day|week|year)\b",
            r"\bnice touch\b|\blittle touches\b|\bwhat a treat\b|\bwho does that\b",
            r"\bthought of it before\b|\bout of the blue\b",
            # an extra nobody announced: "I didn't even know they did it", "I couldn't
            # believe it was included"
            r"\b(?:didn't|did not)\s+(?:even\s+)?know\s+(?:they\s+(?:did|do|had|offered)\s+"
            r"(?:it|that|this|one)\b|(?:it|that)\s+existed\b|there\s+was\s+(?:one|an?\s+\w+)\s+"
            r"when\b)",
            r"\bnobody (?:told|mentioned)\b[^.?!]{0,40}\bwhen (?:i|we) (?:signed up|joined)\b",
            r"\bcouldn't believe (?:it|that) was (?:included|free)\b",
            # "never had that anywhere else", "I'd never had a provider do that before"
            r"\bnever had (?:that|this)(?: (?:from|with|at) (?:any|another) \w+| anywhere else|"
            r" before)\b|\bnever had (?:a|an|any) \w+ do (?:that|this|it)\b",
        )
    ),
    re.IGNORECASE,
)

#: what a speaker liked best: "the best thing is the outage notifications" (a thing, not
#: advice, "the best thing is to ring them", nor a reason, "the best thing is that it's
#: cheap"). Alone it is a preference, a delight or a performance need ("the best part was
#: the speed"); beside another person's words that it went beyond what they expected, it
#: is a second voice for that delight (:func:`baseline_delight`)
_FAVOURITE = re.compile(
    r"\bthe (?:best|nicest|loveliest) (?:thing|bit|part)(?: about [^.?!,]{1,30}?)? "
    r"(?:is|was) (?:the|a|an|their|his|her) \w",
    re.IGNORECASE,
)

#: a delight's words in a sentence that says it went wrong are a letdown: "you let me
#: down and I didn't expect you to", "I never expected to be disappointed"
_LETDOWN = re.compile(r"\blet (?:me|us|you|them|people) down\b|\bdisappoint", re.IGNORECASE)


def _borrowed_cues(
    segments: pd.DataFrame | None, member: dict[str, list[str]], text: dict[str, str]
) -> dict[str, tuple[str, list[str]]]:
    """Need cues said in a segment of no theme, with the themes of the one before it.

    "You only think about it when it goes wrong" is too short and too vague to belong to
    a theme, but "it" is what the same speaker said just before ("The lock was so flimsy
    you could pull it open"): segment id -> (cue, the themes of the previous segment of
    its turn), for baseline cue segments with no theme (or only talk with no single topic).
    """
    if segments is None or not {"transcript_id", "turn"} <= set(segments.columns):
        return {}
    ids = segment_ids(segments)
    out: dict[str, tuple[str, list[str]]] = {}
    prev_key, prev_id = None, None
    for sid, tid, turn in zip(ids, segments["transcript_id"], segments["turn"], strict=True):
        key = (tid, turn)
        own = [t for t in member.get(sid, []) if not t.startswith(MIXED_TALK)]
        if not own and key == prev_key and prev_id is not None:
            cue = expectation_cue(text.get(sid, ""))
            themes = [t for t in member.get(prev_id, []) if not t.startswith(MIXED_TALK)]
            # a baseline is said of a thing ("it"); a delight of a vague sentence is said
            # of someone's act ("He didn't have to do that"), whose theme the sentence
            # before need not be (on the Ridgeway study it made a false delight)
            if cue == "baseline" and themes:
                out[sid] = (cue, themes)
        prev_key, prev_id = key, sid
    return out


def expectation_cue(text: object) -> str:
    """``"baseline"`` or ``"delight"`` when ``text`` says its need in Kano's sense, else ``""``.

    Baseline: the speaker says it is expected and noticed only when it fails ("You only
    notice broadband when it stops working", "you just expect it", "that's the bare
    minimum"). Delight: it went beyond what they expected ("I really didn't expect
    that", "without me even asking", "above and beyond"). Researchers read needs from
    such words as much as from feelings, and they are often said calmly, where the
    emotion counts of :func:`baseline_delight` see nothing. The words alone do not say
    the speaker liked it ("I never expected to be on hold for an hour"): the caller
    takes a delight cue only from a segment not said with a negative emotion.

    Examples
    --------
    >>> expectation_cue("You only notice broadband when it stops working.")
    'baseline'
    >>> expectation_cue("They refunded it without me even asking.")
    'delight'
    >>> expectation_cue("I expect the price will go up again."), expectation_cue(None)
    ('', '')
    >>> expectation_cue("You let me down and I didn't expect you to.")
    ''
    """
    if not isinstance(text, str):
        return ""
    t = text.replace("\u2019", "'")
    if _BASELINE.search(t):
        return "baseline"
    if _DELIGHT.search(t) and not _LETDOWN.search(t):
        return "delight"
    return ""


def _strongest(scored: list[tuple[float, str]]) -> list[str]:
    """Every segment id of ``scored`` (``(strength, segment_id)`` pairs), strongest first."""
    return list(dict.fromkeys(sid for _, sid in sorted(scored, key=lambda x: -x[0])))


def baseline_delight(
    emotions: pd.DataFrame,
    *,
    segments: pd.DataFrame | None = None,
    triggers: pd.DataFrame | None = None,
    codes: pd.DataFrame | None = None,
    themes: pd.DataFrame | None = None,
    assignments: pd.DataFrame | None = None,
    stance: pd.DataFrame | None = None,
    n_quotes: int = 3,
    min_emotional: int = 3,
    min_people: int = NEEDS_MIN_PEOPLE,
    min_stated: int = NEEDS_MIN_STATED,
    floor: float | None = None,
    people_floor: float | None = EMOTION_FLOOR,
) -> pd.DataFrame:
    """Per theme (or code): baseline, delight, performance or not enough evidence.

    With ``floor`` (e.g. :data:`insights.schema.EMOTION_FLOOR`) a label whose score
    ``p_<label>`` is below it is left out, as if the segment had not carried it. The
    default keeps the model's own labels: a need compares a theme with the rest of the
    study (below), which already discounts what the model says everywhere, and a floor
    of 0.90 leaves most themes of a 20-person study with too few emotional segments to
    tell (the sample study: no need at all, against three with the model's labels).

    The people behind a need are counted as the report counts people for an emotion:
    a person counts toward ``n_people_delight`` (``n_people_negative``) only through a
    segment whose delight label (negative Ekman group) reaches ``people_floor``, and
    toward ``n_people`` (the bar for any need, ``performance`` too) through one whose
    emotion does (:func:`insights.summarize.emotion_labels`; default
    :data:`insights.schema.EMOTION_FLOOR`; None counts the model's labels). In calm talk
    the model's weak labels are often wrong ("that is challenging" as admiration), and
    a "delight" of four people none of whom said it with confidence is not one.

    A segment belongs to a theme through ``assignments`` (else ``codes``), and through
    ``triggers`` when its cause segment belongs to the theme. Its emotion counts toward
    the theme's need only when it names the theme (:func:`insights.wordforms.names_theme`:
    a word of the theme's label or ``keywords``, in any of its forms) in the segment or in
    one of its triggers' causes (the interviewer's question, when that is the cause). An
    embedding puts "That's a good tip." beside talk of upload speed; it is no delight of
    upload speed. Themes
    without keywords (codes) are not checked. Among the theme's
    emotional segments (emotions other than neutral): *negative* (an Ekman negative
    group), *positive*, and *delight* (:data:`DELIGHT` labels). The rule:
    ``delight`` when delight_share >= 0.3, the theme's delight segments stand out from
    the study's (one-sided Fisher exact test of the theme's delight against its negative
    segments, beside the same two counts of every other theme; Benjamini-Hochberg
    q <= :data:`NEEDS_FDR` over the themes: a study where thanks and joy are everywhere
    has no delight in particular, and a theme people laugh about and complain of as
    often as the rest is none) and at
    least ``min_people`` distinct people
    (:func:`insights.schema.person_key`) said a delight segment of it; ``baseline``
    when negative_share >= 0.6, its negative segments stand out the same way (negative
    against delight: delight is rarer in it than in the rest of the study, so no cap on
    its share is needed beside the test, as a delight has none on complaint) and at
    least ``min_people`` people said a negative one; ``performance`` (both ways) when at least
    ``min_people`` people spoke of it emotionally; else ``not enough evidence`` (also
    with fewer than ``min_emotional`` emotional segments). The shares are of segments;
    the bar is people, so one talkative person makes no need. Without ``segments``
    nobody can be counted and every theme is ``not enough evidence``.

    People also say a need in words, often calmly: "you just expect it to work", "you only
    notice it when it goes wrong" (baseline), "they did it without me even asking"
    (delight) (:func:`expectation_cue`; a delight only from a segment not said with a
    negative emotion). When ``min_stated`` or more people of a theme say one kind and
    fewer say the other, that is ``stated``, and it names the theme's need where the
    emotions leave it ``performance`` or ``not enough evidence`` (never against a need
    the emotions name). What someone else liked best ("the best thing is the outage
    notifications", not said with a negative emotion) is a second voice for a delight
    one person said in such words, never a delight alone ("the best part was the speed"
    is as often a performance need). ``n_people_stated`` counts them and ``stated_quotes`` holds one
    segment of each.

    A theme often holds several things ("Access and entry": the gate, the lockers), and
    what two or more people say in words of one of them names its need: ``topic``
    (:func:`~insights.summarize._topics.stated_topics`: a rare noun they share, in the
    sentence or the one before; :func:`~insights.summarize._topics.with_topics`), which
    also gives a theme the emotions leave undecided its kind, and a topic of the other
    kind its own row beside the theme's ("App and communications": baseline, and
    "summary", a monthly email nobody expected, delight).

    ``going_wrong`` / ``going_right`` are what the theme's negative and positive
    segments say (:func:`~insights.summarize.stance_phrase`); with ``stance``
    (:func:`~insights.summarize.theme_stance`'s table) they are its ``what``, so the
    needs and the theme's stance say one thing.

    Returns
    -------
    DataFrame
        Columns :data:`insights.schema.NEEDS_COLUMNS`: ``kind`` is the label; the counts
        (``n_people*`` of people, the others of segments) and quotes are the evidence.
        ``negative_quotes`` / ``delight_quotes`` keep every segment id behind the count,
        most intense first, and ``*_text`` the text of the first ``n_quotes``; the
        report's evidence (:meth:`insights.report.content.EvidenceBook.pick`) chooses which to
        show, one per person first, so the quotes behind "3 people" show those three.
    """
    import pandas as pd

    member = theme_members(assignments, themes, codes, triggers)
    keywords: dict[str, list[str]] = {}  # a theme's words, for its stance phrases
    if themes is not None and {"label", "keywords"} <= set(themes.columns):
        for lab, kw in zip(themes["label"].astype(str), themes["keywords"], strict=True):
            keywords[lab] = [k for k in str(kw).split("; ") if k and k != "nan"]
    text, who = texts_and_people(segments)
    # what each segment says, with its triggers' causes (an answer's cause may be the
    # question): a segment counts toward a theme's need only when it names the theme
    causes: dict[str, list[str]] = {}
    if keywords and triggers is not None and "cause_text" in triggers.columns:
        for sid, c in zip(triggers["segment_id"].astype(str), triggers["cause_text"], strict=True):
            causes.setdefault(sid, []).append(c if isinstance(c, str) else "")

    def about(sid: str, theme: str) -> bool:  # the segment, or one of its causes, names it
        if theme not in keywords:
            return True
        said = [text[sid], *causes.get(sid, [])] if sid in text else []
        return names_theme(said, [theme, *keywords[theme]])

    emo = emotions.assign(segment_id=emotions["segment_id"].astype(str))
    stances = segment_stances(emo, triggers=triggers)
    said = dict(zip(stances["segment_id"], stances["what"], strict=True))  # trigger spans
    neg_groups = ("anger", "disgust", "fear", "sadness")
    # the segments whose emotion / delight / negative emotion is heard with confidence
    sure_any, sure_del, sure_neg = None, None, None
    if people_floor is not None:
        lab = emotion_labels(emo, column="emotions", floor=people_floor, approval=True)
        sure_del = set(lab.loc[lab["label"].isin(DELIGHT), "segment_id"].astype(str))
        grp = emotion_labels(emo, column="ekman", floor=people_floor, approval=True)
        sure_neg = set(grp.loc[grp["label"].isin(neg_groups), "segment_id"].astype(str))
        sure_any = set(grp["segment_id"].astype(str)) | set(lab["segment_id"].astype(str))
    said_as = {sid: expectation_cue(t) for sid, t in text.items()}  # every person's
    cue_of = {sid: c for sid, c in said_as.items() if sid in member}
    borrowed = _borrowed_cues(segments, member, text)
    best = {sid for sid in cue_of if _FAVOURITE.search(text[sid].replace("\u2019", "'"))}
    stats: dict[str, dict[str, Any]] = {}
    for row in emo.itertuples(index=False):
        labels = [x for x in str(getattr(row, "emotions", "") or "").split(";") if x and x != "nan"]
        if floor is not None:
            labels = [x for x in labels if float(getattr(row, f"p_{x}", 1.0) or 0.0) >= floor]
        person = who.get(row.segment_id)
        emotional = bool(labels) and labels != ["neutral"]
        inten = float(getattr(row, "intensity", 0) or 0)
        negative = getattr(row, "ekman", "") in neg_groups or any(x in NEGATIVE for x in labels[:1])
        positive = any(x in POSITIVE for x in labels)
        courtesy = is_courtesy(text.get(row.segment_id, ""))  # "Thank you so much."
        delight = any(x in DELIGHT for x in labels) and not courtesy
        for th in member.get(row.segment_id, []):
            if th.startswith(MIXED_TALK):  # talk with no single topic is no need
                continue
            s = stats.setdefault(
                th,
                {"n": 0, "emo": 0, "neg": [], "pos": 0, "del": [], "p": set(), "pn": set(),
                 "pd": set(), "right": [], "said": {"baseline": {}, "delight": {}, "best": {}}},
            )  # fmt: skip
            s["n"] += 1
            # the need said in words, calmly or not; a delight not said with a grievance
            cue = cue_of.get(row.segment_id, "")
            if cue and person is not None and not (cue == "delight" and negative):
                s["said"][cue].setdefault(person, row.segment_id)
            elif not cue and person is not None and not negative and row.segment_id in best:
                s["said"]["best"].setdefault(person, row.segment_id)
            if not emotional:
                continue
            if not about(row.segment_id, th):
                continue  # "That's a good tip." in a theme of upload speed is not about it
            s["emo"] += 1
            if person is not None and (sure_any is None or row.segment_id in sure_any):
                s["p"].add(person)
            if negative:
                s["neg"].append((inten, row.segment_id))
                if person is not None and (sure_neg is None or row.segment_id in sure_neg):
                    s["pn"].add(person)
            if positive:
                s["pos"] += 1
                if not negative:
                    s["right"].append(row.segment_id)
            if delight:
                s["del"].append((inten, row.segment_id))
                if person is not None and (sure_del is None or row.segment_id in sure_del):
                    s["pd"].add(person)
    # a need said of "it" in a sentence of no theme is about what the sentence before said
    neg_of = {
        str(sid): str(ek) in neg_groups
        for sid, ek in zip(
            emo["segment_id"], emo.get("ekman", pd.Series("", index=emo.index)), strict=True
        )
    }
    for sid, (cue, themes) in borrowed.items():
        person = who.get(sid)
        if person is None or (cue == "delight" and neg_of.get(sid, False)):
            continue
        for th in themes:
            if th in stats:
                stats[th]["said"][cue].setdefault(person, sid)
    # a need is a theme whose emotions lean one way more than the study's do: its delight
    # against its negative segments, beside the same split of every other theme (a
    # one-sided Fisher exact test, Benjamini-Hochberg over the themes). Delight against
    # complaint, not against every emotion: a study of people who laugh and agree all
    # along has amusement and approval everywhere, and what sets a delight apart is that
    # people are delighted by it and almost never complain of it (Kano's attractive need)
    all_del = sum(len(st["del"]) for st in stats.values())
    all_neg = sum(len(st["neg"]) for st in stats.values())
    names = list(stats)
    p_del, p_neg = [], []
    for th in names:
        st = stats[th]
        d, n = len(st["del"]), len(st["neg"])
        p_del.append(fisher_greater(d, n, all_del - d, all_neg - n))
        p_neg.append(fisher_greater(n, d, all_neg - n, all_del - d))
    q_del = dict(zip(names, benjamini_hochberg(p_del), strict=True))
    q_neg = dict(zip(names, benjamini_hochberg(p_neg), strict=True))
    told = {}  # (theme, stance) -> what, from theme_stance
    if stance is not None and len(stance):
        told = {
            (str(t), str(side)): w if isinstance(w, str) else ""
            for t, side, w in zip(stance["theme"], stance["stance"], stance["what"], strict=True)
        }
    out = []
    for th, s in stats.items():
        emo_n = max(1, s["emo"])
        ns, ds = len(s["neg"]) / emo_n, len(s["del"]) / emo_n
        if s["emo"] < min_emotional or len(s["p"]) < min_people:
            kind = "not enough evidence"
        elif ds >= 0.3 and q_del[th] <= NEEDS_FDR:
            kind = "delight" if len(s["pd"]) >= min_people else "not enough evidence"
        elif ns >= 0.6 and q_neg[th] <= NEEDS_FDR:
            kind = "baseline" if len(s["pn"]) >= min_people else "not enough evidence"
        elif ds >= 0.3 or ns >= 0.6:
            kind = "not enough evidence"  # leans one way, but no more than the study does
        else:
            kind = "performance"
        # people who say it is expected, or beyond what they expected, name the need when
        # the emotions do not (never against them: a delight by emotion stays one)
        sb, sd = s["said"]["baseline"], s["said"]["delight"]
        if sd:  # what others liked best is a second voice for a delight someone said
            sd = {**sd, **{k: v for k, v in s["said"]["best"].items() if k not in sd}}
        stated = (
            "baseline"
            if len(sb) >= min_stated and len(sb) > len(sd)
            else "delight"
            if len(sd) >= min_stated and len(sd) > len(sb)
            else ""
        )
        if is_outcome_talk(th):  # talk of leaving or staying itself ("Leave") says no need
            stated = ""
        if stated and kind in ("performance", "not enough evidence"):
            kind = stated
        stated_ids = list((sb if stated == "baseline" else sd).values()) if stated else []
        nq, dq = _strongest(s["neg"]), _strongest(s["del"])
        wrong = [said.get(x) or text.get(x, "") for _, x in s["neg"]]
        right = [said.get(x) or text.get(x, "") for x in s["right"]]
        out.append(
            (
                th,
                kind,
                s["n"],
                s["emo"],
                len(s["neg"]),
                s["pos"],
                len(s["del"]),
                round(ns, 3),
                round(ds, 3),
                ";".join(nq),
                ";".join(dq),
                " | ".join(text.get(q, "") for q in nq[:n_quotes]),
                " | ".join(text.get(q, "") for q in dq[:n_quotes]),
                len(s["p"]),
                len(s["pn"]),
                len(s["pd"]),
                told.get((th, "negative"), "")
                if told
                else stance_phrase(
                    wrong, right, about=[th, *keywords.get(th, [])], side="negative"
                ),
                told.get((th, "positive"), "")
                if told
                else stance_phrase(
                    right, wrong, about=[th, *keywords.get(th, [])], side="positive"
                ),
                stated,
                len(stated_ids),
                ";".join(stated_ids),
            )
        )
    res = pd.DataFrame(out, columns=list(NEEDS_COLUMNS)[:-1])
    # what the needs said in words are about, inside a theme of several things
    topics = {}
    if segments is not None:
        grievance = {sid for sid, bad in neg_of.items() if bad}
        topics = stated_topics(segments, member, said_as, negative=grievance)
        topics = {k: v for k, v in topics.items() if not is_outcome_talk(k[0])}
    res = with_topics(res, topics)
    return res.sort_values(
        ["n_emotional", "theme"], ascending=[False, True], kind="stable"
    ).reset_index(drop=True)
