"""Theme discovery (inductive coding) with BERTopic, as a scikit-learn style estimator.

:class:`ThemeModel` fits BERTopic on the participants' segments and keeps a thin
layer of its own on top: readable labels, stable theme ids, edits a researcher
makes (rename, merge, split, drop) and the theme centroids used to assign new
transcripts to the existing themes without refitting.

Choices, and why:

- **What is fitted**: participant speech only (``role`` participant, unknown or
  missing: :data:`insights.schema.ANALYSED_ROLES`), without backchannels ("yeah",
  "mm-hm"), segments shorter than ``min_words`` words and (``exclude_generic``)
  segments with no content word at all ("It was fine, honestly.", "That's what
  annoyed me most."): without a common noun or a verb
  that says what is talked about, a segment only makes sense next to the
  question it answers, and such segments otherwise gather into themes of filler
  that every participant "mentions". Every other segment is still listed in the
  assignments, with ``theme_id`` -1 and the reason in ``excluded``.
- **What is compared** (``content_weight``): each segment's sentence embedding
  plus ``content_weight`` times the embedding of its content words alone (its
  nouns and verbs), so segments group by what they are about more
  than by how it is said ("great", "terrible", "to be honest"). On the
  SemEval-2016 restaurant sentences this raises the NMI of the themes with the
  gold aspect categories from 0.37 to 0.40 with k-means and from 0.44 to 0.48
  with spectral clustering (``benchmarks/themes_eval.py``).
  Content words come from the spaCy pipeline ``spacy_model``; ``spacy_model=None``
  (or ``content_weight=0`` and ``exclude_generic=False``) needs no spaCy.
- **Reduction and clustering** (``method``): ``"spectral"`` (the default for
  ``"auto"`` up to 10,000 segments) clusters the graph that links each segment
  to its 15 nearest neighbours (spectral clustering): themes follow the shape of
  the data rather than k-means' round blobs, and on the SemEval-2016 sentences it
  raises the NMI with the gold categories from 0.40 to 0.48 (0.42-0.48 for 8 to 12
  themes and 10 to 30 neighbours); deterministic for a fixed ``random_state``, a
  couple of seconds on thousands of segments. It tends to gather the segments
  that fit no topic well into one large theme, which is easy to spot and drop.
  ``"kmeans"`` (``"auto"`` above 10,000 segments) reduces the embeddings with PCA
  and clusters them with k-means: well under a second on thousands of segments.
  Both work from a few dozen segments upwards. ``"hdbscan"`` is BERTopic's classic
  UMAP + HDBSCAN (finds the number of themes and an outlier theme itself, but costs
  ~25 s of numba compilation in a fresh process and is repeatable only on one
  machine, single-threaded).
- **Number of themes** (``n_themes="auto"``): ``round(sqrt(n / 5))`` clipped to
  4–40: about 10 for 500 segments, 20 for 2,000, 40 from 8,000 segments on.
- **Labels** (with spaCy): a phrase from the theme's own segments
  (:mod:`insights.themes._phrases`: noun phrases, "price rise at renewal", and
  what happened to them, "engineer didn't turn up", "dropping out every
  evening"), ranked by how distinctive it is of the theme against the other
  themes and how close it is to the theme's centroid (KeyBERT-style; a phrase
  with its modifier at 90% of the best single word's score is taken instead:
  "Video calls", not "Internet"), widened to the longer phrase the segments say
  around it when at least 5% of them (and 3) hold its words. One head phrase:
  never two glued ("Kestrel hub and copper line", "Work & choosing"; "X and Y"
  only as a phrase the segments say, "fees and charges"), never a repeated
  lemma ("Pick meals, meal"), a generic noun without a modifier ("Project",
  "Form", "Data set"), a filler-only phrase ("Answer question"), a person's
  name or another language's word, and a verb's -ing form is of the verb said
  ("hating", where spaCy lemmatises "hated" as "hat") (:func:`label_problems`
  is the check; ``benchmarks/theme_labels_eval.py`` counts it on real studies);
  a phrase said in under 10% of the theme falls back to the first keyword said
  in it, else ``"Mixed talk: a, b, c"``. A one-word label becomes the 2-3 word
  phrase holding its word that 3% (and 5) of the theme's segments say, 3x more
  than the other themes' ("Speech" -> "Speech recognition";
  :mod:`insights.themes._specific`).
  :func:`side_phrase` makes a stance's phrase the same way. With a ``stance`` column,
  no label is one side of a two-sided theme (:mod:`insights.themes._stance`: "Engineer
  turning up", not "Engineer didn't turn up", where most praise the engineers).
  Keywords stay in their column: BERTopic's c-TF-IDF candidates re-ranked by a
  KeyBERT-inspired model and diversified with maximal marginal relevance (no network);
  without spaCy the label is the best two-or-three-word keyword phrase, or the best
  word ("Engineer appointment", "Price"), never ``3_price_cost_pay``.
  With spaCy, keywords that end in a noun come first (a topic is a thing, not
  "thought decent"), dates and durations ("months", "couple weeks") come last,
  and people's names (tokens spaCy tags as PERSON in most of their mentions,
  unless used in three or more transcripts, like a brand it mistakes for a
  name) are never keywords.
- **Codebook guidance** (``codebook=``, ``guidance=``): ``"guided"`` passes each
  code's keywords as BERTopic seed topics; ``"zeroshot"`` assigns segments close
  to a code's definition to that code (labelled with the code's name) and
  clusters the rest.
- **Prevalence**: a theme's ``participants`` are the distinct people with a
  segment in it, by :func:`insights.schema.person_key` (``participant_id``, else
  transcript and speaker); ``prevalence`` is their share of the people among the
  fitted segments.
- **Large studies** (``max_fit_segments``, default 4,000): above that many
  fittable segments the model is fitted on a sample drawn by transcript
  (:func:`theme_sample`) and every segment is then assigned with
  :meth:`ThemeModel.transform`, so the fit's cost stops growing with the study
  and the rest grows linearly (``benchmarks/themes_scale.py``).
- **Assigning new text** (:meth:`ThemeModel.transform`): nearest theme centroid by
  cosine similarity, ``theme_id`` -1 when below ``min_similarity``; the same after
  :meth:`ThemeModel.save` / :meth:`ThemeModel.load`, so ids stay the same across waves.

Examples
--------
>>> from insights.themes import ThemeModel
>>> model = ThemeModel(random_state=0).fit(segments)            # doctest: +SKIP
>>> model.themes_[["theme_id", "label", "size", "prevalence"]]  # doctest: +SKIP
>>> model.rename(3, "Price rise").merge([4, 7], label="Support").drop([9])  # doctest: +SKIP
>>> model.save("output/theme_model")                            # doctest: +SKIP
>>> ThemeModel.load("output/theme_model").transform(wave2)      # doctest: +SKIP
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from insights.themes._backends import METHOD_DESCRIPTIONS, label_from_keywords
from insights.themes._checks import label_problems
from insights.themes._content import (
    FILLER_WORDS,
    TRANSCRIPT_STOP_WORDS,
    fitting_exclusions,
    stop_words,
)
from insights.themes._context import FROM_COLUMN, themes_from_context
from insights.themes._fitting import model_exclusions, theme_sample
from insights.themes._labels import MIXED_TALK
from insights.themes._model import ThemeModel
from insights.themes._sides import side_phrase, side_whats, theme_sides
from insights.themes._stability import theme_stability
from insights.themes._tables import talk_shares

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = [
    "ThemeModel",
    "discover_themes",
    "fitting_exclusions",
    "model_exclusions",
    "themes_from_context",
    "FROM_COLUMN",
    "TRANSCRIPT_STOP_WORDS",
    "FILLER_WORDS",
    "stop_words",
    "METHOD_DESCRIPTIONS",
    "label_from_keywords",
    "label_problems",
    "MIXED_TALK",
    "side_phrase",
    "side_whats",
    "theme_sides",
    "talk_shares",
    "theme_sample",
    "theme_stability",
]


def discover_themes(segments: pd.DataFrame, **params: Any) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One call: fit a :class:`ThemeModel` and return its themes and assignments.

    Parameters
    ----------
    segments : DataFrame
        See :meth:`ThemeModel.fit`.
    **params
        :class:`ThemeModel`'s parameters.

    Returns
    -------
    themes, assignments : DataFrame
        Copies of ``themes_`` and ``assignments_``.

    Examples
    --------
    >>> import pandas as pd
    >>> from insights.embed import HashEmbedder
    >>> seg = pd.DataFrame({"text": [f"the {w} was a problem again {i}"
    ...                              for w in ("price", "wifi") for i in range(6)]})
    >>> themes, assignments = discover_themes(seg, n_themes=2, embedder=HashEmbedder(),
    ...                                       spacy_model=None, representation=())
    >>> len(assignments), int(themes["size"].sum())
    (12, 12)
    """
    model = ThemeModel(**params).fit(segments)
    return model.themes_.copy(), model.assignments_.copy()
