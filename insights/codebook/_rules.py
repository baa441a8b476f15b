"""Rule coding: spaCy ``Matcher`` patterns from a codebook's keywords and patterns."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from insights.errors import ConfigError

from ._model import Codebook
from ._segments import prepare_segments

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

_NEGATORS = frozenset(
    "not no never n't without hardly barely nothing none nobody neither nor cannot".split()
)
_CLAUSE_BREAK = frozenset([",", ";", ":", "but", "although", "though", "however", ".", "!", "?"])
_GAP = "..."

#: bump when rule matching changes, to invalidate cached matches
_RULES_VERSION = "2"  # 2: the pipeline has the entity recogniser


def _load_nlp():
    """The default pipeline for rule coding: the themes' content pipeline (no parser).

    The matches read lemmas, which the entity recogniser does not change; it is the
    pipeline the codes stage's content analysis parses the same segments with, so
    within :func:`insights.nlp.shared_parses` each segment is parsed once (the
    sample study's rule pass: 4.6 s of spaCy in a profile of main).
    """
    from insights.nlp import load_spacy

    return load_spacy(exclude=("parser",))


#: a keyword of many inflected words is matched through a set test past this many patterns
_MAX_VARIANTS = 16


def _token_specs(nlp, phrase: str) -> list[list[dict[str, Any]]]:
    """Matcher patterns for one keyword / pattern string: by lemma, and by lower-case form.

    The patterns are matched on a copy of each segment whose lemmas are lower-cased
    (see ``_lowered``). A word matches when the token's lemma is the
    keyword's lemma or its lower-case form; each such choice is its own pattern, so the
    matcher compares integers instead of calling a Python test on every token.
    """
    slots: list[tuple[str, str]] = []
    plain: list[str] = []
    for w in phrase.split():
        if w == _GAP:
            slots.append(("gap", ""))
        elif w == "*":
            slots.append(("any", ""))
        elif w.endswith("*") and len(w) > 1:
            slots.append(("prefix", w[:-1].lower()))
        else:
            slots.append(("word", str(len(plain))))
            plain.append(w)
    # spaCy may split a word into several tokens (e.g. "wi-fi"): keep its tokens
    groups: list[list[tuple[str, str]]] = [[] for _ in plain]
    if plain:
        doc = nlp(" ".join(plain))
        offsets = []
        pos = 0
        for w in plain:
            offsets.append((pos, pos + len(w)))
            pos += len(w) + 1
        for tok in doc:
            for k, (a, b) in enumerate(offsets):
                if a <= tok.idx < b:
                    groups[k].append((tok.lemma_.lower(), tok.lower_))
    by_lemma: list[list[dict[str, Any]]] = [[]]
    by_lower: list[dict[str, Any]] = []
    for kind, value in slots:
        if kind == "gap":
            tokens = [{"OP": "?"} for _ in range(3)]
        elif kind == "any":
            tokens = [{}]
        elif kind == "prefix":
            tokens = [{"LOWER": {"REGEX": "^" + re.escape(value)}}]
        else:
            tokens = []
            for lemma, lower in groups[int(value)]:
                by_lower.append({"LOWER": lower})
                forms = sorted({lemma, lower})
                if len(forms) == 1 or len(by_lemma) * len(forms) > _MAX_VARIANTS:
                    tok = {"LEMMA": forms[0]} if len(forms) == 1 else {"LEMMA": {"IN": forms}}
                    by_lemma = [p + [tok] for p in by_lemma]
                else:
                    by_lemma = [p + [{"LEMMA": f}] for p in by_lemma for f in forms]
            continue
        by_lemma = [p + tokens for p in by_lemma]
        by_lower.extend(tokens)
    return [*by_lemma, by_lower]


def _lowered(doc):
    """A copy of ``doc`` with the same tokens whose lemmas are lower-cased."""
    from spacy.tokens import Doc

    return Doc(
        doc.vocab,
        words=[t.text for t in doc],
        spaces=[bool(t.whitespace_) for t in doc],
        lemmas=[t.lemma_.lower() for t in doc],
    )


class _RuleCoder:
    def __init__(self, codebook: Codebook, nlp) -> None:
        from spacy.matcher import Matcher

        self.nlp = nlp
        # keywords and string patterns: matched on the copy with lower-cased lemmas;
        # token patterns written by the researcher: on the segment itself
        self.matcher = Matcher(nlp.vocab, validate=True)
        self.token_matcher = Matcher(nlp.vocab, validate=True)
        self.regexes: list[tuple[str, re.Pattern]] = []
        # matches of one span are told in codebook order
        self.order = {nlp.vocab.strings.add(c.name): i for i, c in enumerate(codebook.codes)}
        for code in codebook.codes:
            specs: list[list[dict[str, Any]]] = []
            token_specs: list[list[dict[str, Any]]] = []
            for kw in code.keywords:
                specs.extend(_token_specs(nlp, kw))
            for pat in code.patterns:
                if isinstance(pat, list):
                    token_specs.append(pat)
                elif len(pat) > 2 and pat.startswith("/") and pat.endswith("/"):
                    try:
                        self.regexes.append((code.name, re.compile(pat[1:-1], re.IGNORECASE)))
                    except re.error as exc:
                        raise ConfigError(
                            f"code {code.name!r}: pattern {pat!r} is not a valid "
                            f"regular expression ({exc})",
                            fix="correct the regex between the slashes",
                        ) from exc
                else:
                    specs.extend(_token_specs(nlp, pat))
            for matcher, found in ((self.matcher, specs), (self.token_matcher, token_specs)):
                found = [s for s in found if s]
                if not found:
                    continue
                try:
                    matcher.add(code.name, found)
                except Exception as exc:
                    raise ConfigError(
                        f"code {code.name!r}: a keyword or pattern is not a valid "
                        f"spaCy pattern ({exc})",
                        fix="see https://spacy.io/usage/rule-based-matching "
                        "for the token-pattern format",
                    ) from exc

    @staticmethod
    def _negated(doc, start: int) -> bool:
        for i in range(start - 1, max(start - 4, -1), -1):
            tok = doc[i]
            low = tok.lower_
            if low in _CLAUSE_BREAK:
                return False
            if low in _NEGATORS or tok.lemma_.lower() in _NEGATORS:
                return True
        return False

    def _matches(self, doc) -> list[tuple[int, int, int]]:
        found = list(self.matcher(_lowered(doc))) if len(self.matcher) else []
        if len(self.token_matcher):
            found.extend(self.token_matcher(doc))
        # one match per (code, span), in the order of the text
        return sorted(set(found), key=lambda m: (m[1], m[2], self.order[m[0]]))

    def code(self, ids: Sequence[str], texts: Sequence[str], *, batch_size: int = 256):
        """Yield (segment_id, code, matched_text, negated) per match."""
        from insights.nlp import parse_texts

        docs = parse_texts(self.nlp, texts, batch_size=batch_size)
        for sid, doc in zip(ids, docs, strict=True):
            found: dict[str, tuple[str, bool]] = {}
            for match_id, start, end in self._matches(doc):
                code = self.nlp.vocab.strings[match_id]
                neg = self._negated(doc, start)
                prev = found.get(code)
                if prev is None or (prev[1] and not neg):
                    found[code] = (doc[start:end].text, neg)
            for code, rx in self.regexes:
                m = rx.search(doc.text)
                if m and (code not in found or found[code][1]):
                    found[code] = (m.group(0), False)
            for code, (text, neg) in found.items():
                yield sid, code, text, neg


def rule_code(
    segments: pd.DataFrame,
    codebook: Codebook,
    *,
    nlp=None,
    include_negated: bool = False,
    cache: str | Path | None = None,
) -> pd.DataFrame:
    """Keyword / pattern matches: ``segment_id, code, match, negated`` (one row per code hit).

    With ``cache`` (a folder), matches are kept per text under a key of the
    codebook's keywords and patterns and the spaCy pipeline and version: a re-run with
    the same rules lemmatises only texts it has not seen (none: spaCy is not even loaded).
    """
    import pandas as pd

    from insights._rerun import cached_values

    def match(todo: list[str]) -> list[list[tuple[str, str, bool]]]:
        found: list[list[tuple[str, str, bool]]] = [[] for _ in todo]
        coder = _RuleCoder(codebook, nlp if nlp is not None else _load_nlp())
        for k, code, text, negated in coder.code(list(range(len(todo))), todo):
            found[k].append((code, text, negated))
        return found

    segs = prepare_segments(segments)
    ids, texts = segs["segment_id"].tolist(), segs["text"].tolist()
    namespace = f"rules:{_rules_key(codebook, nlp)}"
    hits, _ = cached_values(texts, match, folder=cache, namespace=namespace)
    rows = [
        (sid, code, text, neg)
        for sid, found in zip(ids, hits, strict=True)
        for code, text, neg in found
    ]
    out = pd.DataFrame(rows, columns=["segment_id", "code", "match", "negated"])
    if not include_negated:
        out = out[~out["negated"]].reset_index(drop=True)
    return out


def _rules_key(codebook: Codebook, nlp) -> str:
    import hashlib
    import json

    from insights.nlp import DEFAULT_SPACY_MODEL, pipeline_key

    # None: what _load_nlp() loads
    pipeline = pipeline_key(DEFAULT_SPACY_MODEL if nlp is None else nlp)
    rules = [
        (
            c.name,
            list(c.keywords),
            [p if isinstance(p, str) else json.dumps(p, sort_keys=True) for p in c.patterns],
        )
        for c in codebook.codes
        if c.keywords or c.patterns
    ]
    blob = json.dumps([_RULES_VERSION, pipeline, sorted(_NEGATORS), rules])
    return hashlib.sha1(blob.encode()).hexdigest()[:16]


def rule_matrix(
    segs: pd.DataFrame,
    codebook: Codebook,
    ids: Sequence[str],
    names: Sequence[str],
    *,
    nlp=None,
    cache: str | Path | None = None,
) -> np.ndarray:
    """1.0 where segment ``ids[i]`` has a (non-negated) rule hit for code ``names[j]``."""
    if not any(c.keywords or c.patterns for c in codebook.codes):
        return np.zeros((len(ids), len(names)))
    hits = rule_code(segs, codebook, nlp=nlp, cache=cache)
    row = {sid: i for i, sid in enumerate(ids)}
    col = {n: j for j, n in enumerate(names)}
    mat = np.zeros((len(ids), len(names)))
    for sid, code in zip(hits["segment_id"], hits["code"], strict=True):
        if sid in row and code in col:
            mat[row[sid], col[code]] = 1.0
    return mat
