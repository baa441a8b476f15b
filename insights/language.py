"""The language of a transcript (ISO 639-1), detected offline, and which ones a run leaves out.

Detection uses langid.py (Lui & Baldwin 2012, BSD licence; a naive Bayes model over
byte n-grams for 97 languages that ships inside the ``langid`` package, so nothing is
downloaded). A text shorter than :data:`MIN_WORDS` words, or one the model is less
than :data:`MIN_CONFIDENCE` sure of, gets no language (``None``): it is taken to be
in the study's language, so a one-line transcript is never left out by a guess.

Measured by ``benchmarks/roles_and_languages.py``: 120 of 120 one-sentence passages
(20 each in en, fr, de, es, it, nl, written for it) are detected right, and so are all
14 real English eval transcript files and each of their 4,352 turns of 12 or more words
(see ``benchmarks/results/roles_and_languages.json``).

Examples
--------
>>> detect_language("Le technicien devait venir mardi, mais personne n'est venu "
...                 "et j'ai dû prendre un autre jour de congé.")
'fr'
>>> detect_language("Fine. Slow though.") is None  # too short to tell
True
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .schema import language_exclusions

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = [
    "MIN_WORDS",
    "MIN_CONFIDENCE",
    "identify",
    "detect_language",
    "transcript_language",
    "language_summary",
]

#: fewer words than this: too short to tell (no language).
MIN_WORDS = 12
#: the detector's probability (normalised over its 97 languages) needed to name a language.
MIN_CONFIDENCE = 0.9
#: characters read from a long transcript (its start): plenty to tell, and fast.
MAX_CHARS = 50_000

_WORD = re.compile(r"[^\W\d_]+")


#: the arguments of langid's ``LanguageIdentifier`` (its attributes of the same names)
_LANGID_PARTS = ("nb_ptc", "nb_pc", "nb_numfeats", "nb_classes", "tk_nextmove", "tk_output")


@lru_cache(maxsize=1)
def _identifier() -> Any:
    """The langid.py identifier with normalised probabilities (loaded once per process).

    langid.py ships its model as a bz2-compressed pickle of lists (2–5 s to unpack);
    the unpacked arrays are kept once per machine in ``<cache>/langid/`` (``<cache>``:
    ``$INSIGHTS_CACHE_DIR``, else ``~/.cache/insights``), which loads in a fraction of
    that. A missing, damaged or unwritable copy only means the model is unpacked again.
    """
    import hashlib
    import pickle

    from langid.langid import LanguageIdentifier, model

    from ._rerun import machine_cache_dir
    from ._safe import write_bytes_atomic

    digest = hashlib.sha1(model if isinstance(model, bytes) else model.encode()).hexdigest()
    path = machine_cache_dir() / "langid" / f"model-{digest[:12]}.pkl"
    try:
        parts = pickle.loads(path.read_bytes())
    except Exception:  # noqa: BLE001 - not there yet, or damaged: unpack the shipped model
        ident = LanguageIdentifier.from_modelstring(model, norm_probs=True)
        parts = tuple(getattr(ident, a) for a in _LANGID_PARTS)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            write_bytes_atomic(path, pickle.dumps(parts, protocol=pickle.HIGHEST_PROTOCOL))
        except Exception:  # noqa: BLE001 - a read-only cache never stops a run
            pass
        return ident
    return LanguageIdentifier(*parts, norm_probs=True)


def identify(text: str) -> tuple[str, float]:
    """The detector's best language (ISO 639-1) for ``text`` and its probability.

    Examples
    --------
    >>> lang, p = identify("Ich war sehr enttäuscht vom Kundenservice der Bank.")
    >>> lang, p > 0.99
    ('de', True)
    """
    lang, prob = _identifier().classify(text[:MAX_CHARS])
    return str(lang), float(prob)


def detect_language(
    text: str, *, min_words: int = MIN_WORDS, min_confidence: float = MIN_CONFIDENCE
) -> str | None:
    """The language of ``text`` (ISO 639-1), or ``None`` when it is too short or unclear.

    Parameters
    ----------
    text : str
    min_words : int
        Texts with fewer words get ``None`` (the detector is not consulted).
    min_confidence : float
        Below this probability the answer is ``None``.

    Returns
    -------
    str or None

    Examples
    --------
    >>> detect_language("The engineer was supposed to come on Tuesday but nobody turned up.")
    'en'
    """
    if len(_WORD.findall(text[:MAX_CHARS])) < min_words:
        return None
    lang, prob = identify(text)
    return lang if prob >= min_confidence else None


def transcript_language(texts: Iterable[str]) -> str | None:
    """The language of a transcript from the text of its turns (all speakers).

    Examples
    --------
    >>> transcript_language(["Hoe was de installatie?",
    ...                      "De monteur zou dinsdag komen, maar er kwam niemand "
    ...                      "en ik moest nog een dag vrij nemen van mijn werk."])
    'nl'
    """
    text, size = [], 0
    for t in texts:
        if size > MAX_CHARS:
            break
        text.append(t)
        size += len(t) + 1
    return detect_language("\n".join(text))


def language_summary(segments: pd.DataFrame, language: str) -> dict[str, Any]:
    """Transcripts per language, and those left out of the one-language stages.

    Parameters
    ----------
    segments : DataFrame
        The segments table (``transcript_id``, ``source``, ``language``).
    language : str
        The study's language (study.yaml ``language``).

    Returns
    -------
    dict
        ``study`` (the study's language), ``transcripts`` (language -> number of
        transcripts; ``"?"`` for those too short to tell) and ``left_out`` (one dict
        per transcript left out: ``transcript_id``, ``source``, ``language``,
        ``segments``), as :func:`insights.schema.language_exclusions` decides.

    Examples
    --------
    >>> import pandas as pd
    >>> seg = pd.DataFrame({"transcript_id": ["a", "a", "b"], "source": ["a.txt", "a.txt", "b.txt"],
    ...                     "language": ["en", "en", "fr"]})
    >>> s = language_summary(seg, "en")
    >>> s["transcripts"], [(t["source"], t["language"], t["segments"]) for t in s["left_out"]]
    ({'en': 1, 'fr': 1}, [('b.txt', 'fr', 1)])
    """
    out: dict[str, Any] = {"study": language, "transcripts": {}, "left_out": []}
    if segments.empty or "transcript_id" not in segments.columns:
        return out
    seg = segments.assign(_why=language_exclusions(segments, language).to_numpy())
    if "language" not in seg.columns:
        seg = seg.assign(language=None)
    if "source" not in seg.columns:
        seg = seg.assign(source=seg["transcript_id"])
    for tid, g in seg.groupby("transcript_id", sort=True):
        lang = g["language"].dropna()
        code = str(lang.iloc[0]) if len(lang) else "?"
        out["transcripts"][code] = out["transcripts"].get(code, 0) + 1
        if (g["_why"] != "").any():
            out["left_out"].append(
                {
                    "transcript_id": str(tid),
                    "source": Path(str(g["source"].iloc[0])).name,
                    "language": code,
                    "segments": int((g["_why"] != "").sum()),
                }
            )
    out["transcripts"] = dict(sorted(out["transcripts"].items()))
    return out
