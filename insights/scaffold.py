"""``insights new-study NAME``: a study folder to fill in.

::

    NAME/
      study.yaml          commented: every key optional, the defaults work
      participants.csv    the header only
      codebook.yaml       a starter codebook (two example codes to replace)
      transcripts/        put .txt .docx .vtt .srt .csv .json here
"""

from __future__ import annotations

from pathlib import Path

from .schema import OutputError

__all__ = ["new_study", "STUDY_YAML", "CODEBOOK_YAML", "PARTICIPANTS_CSV"]

STUDY_YAML = """\
# study.yaml: every key is optional; delete what you do not need. Unknown keys are an error.
name: {name}
language: en

# The provider, product or brand the study is about, and its other names: intents
# ("I'm leaving them") are counted for drivers only when they are about it, and
# pseudonymisation never takes these words for a person. [] for none (a study of
# practitioners, say). Unset: the capitalised words of `name` are taken.
# provider: [Kestrel Fibre, Kestrel]

# Waves of interviews (for "what changed since the last wave"). Either list the
# transcript file patterns of each wave here, or give each participant a `wave`
# column in participants.csv.
# waves:
#   - {{id: 1, label: "March 2026", transcripts: ["*_w1*"]}}
#   - {{id: 2, label: "September 2026", transcripts: ["*_w2*"]}}

# Speaker names that are the interviewer or moderator (the rest are participants).
interviewers: ["Interviewer", "Moderator"]

# Segments are sentences (default) or whole speaker turns.
segment_by: sentence

# Replace participants' names by pseudonyms before any analysis (the key is kept
# in private/pseudonym_key.csv, apart from the outputs).
pseudonymise: false

# Stages to leave out of `insights run`: codes, themes, emotions, triggers.
# skip_stages: []

# Random seed: the same transcripts and seed give the same themes.
random_state: 42

# Where the per-segment stages run: local, or dask (partitions on a dask.distributed
# cluster: `scheduler` its address, e.g. tcp://10.0.0.5:8786; none: a local cluster).
# The tables are the same either way.
# engine: local
# scheduler: null
"""

PARTICIPANTS_CSV = (
    "participant_id,name,segment,tenure_months,status,channel,wave,session_type,transcript\n"
)

CODEBOOK_YAML = """\
# codebook.yaml: the codes to apply (deductive coding). Replace the examples.
# Each code: name (unique), definition (one line), optional parent, include /
# exclude notes, keywords (a trailing * is a prefix wildcard), examples, color.
threshold: 0.5      # minimum confidence of a semantic coding
codes:
  - name: Price
    definition: What the service costs, and whether it is worth it.
    keywords: [price, expensive, cheap, bill, "cost*"]
    include: [price rises, discounts, value for money]
    exclude: [billing mistakes (use Billing errors)]
    examples: ["It's just too expensive for what you get."]
    color: "#E69F00"

  - name: Billing errors
    parent: Price
    definition: Bills that are wrong, late or confusing.
    keywords: [overcharged, "wrong bill", refund, "charged twice"]
    examples: ["They charged me twice in March and it took weeks to get it back."]
"""


def new_study(path: str | Path, *, name: str | None = None) -> Path:
    """Create a study folder at ``path``.

    It gets a commented ``study.yaml``, an empty ``participants.csv``, a starter
    ``codebook.yaml`` and ``transcripts/``.

    Raises
    ------
    OutputError
        ``path`` exists and is not an empty folder (nothing is overwritten).

    Examples
    --------
    >>> import tempfile
    >>> p = new_study(Path(tempfile.mkdtemp()) / "churn-2026")
    >>> sorted(x.name for x in p.iterdir())
    ['.gitignore', 'codebook.yaml', 'participants.csv', 'study.yaml', 'transcripts']
    """
    path = Path(path)
    if path.exists() and (not path.is_dir() or any(path.iterdir())):
        raise OutputError(
            "already exists and is not empty",
            fix="choose a new folder name (nothing was changed)",
            file=path,
        )
    try:
        (path / "transcripts").mkdir(parents=True, exist_ok=True)
        (path / "study.yaml").write_text(
            STUDY_YAML.format(name=_yaml_str(name or path.name)), encoding="utf-8"
        )
        (path / "participants.csv").write_text(PARTICIPANTS_CSV, encoding="utf-8")
        (path / "codebook.yaml").write_text(CODEBOOK_YAML, encoding="utf-8")
        (path / ".gitignore").write_text("output/\nprivate/\n", encoding="utf-8")
    except OSError as exc:
        raise OutputError(
            f"cannot create the study folder ({exc.strerror or exc})",
            fix="choose a folder you can write to",
            file=path,
        ) from None
    return path


def _yaml_str(s: str) -> str:
    import json

    return json.dumps(s)
