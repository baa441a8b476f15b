"""A REFI-QDA project from any QDA tool into a study: transcripts, codebook, human decisions."""

from __future__ import annotations

import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import InputError
from ..io import transcript_id_for
from ._config import Study, list_transcripts, load_config

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

#: columns of ``QdpxImport.unmatched``: the selections that code no segment
UNMATCHED_COLUMNS = ("source", "selection", "start", "end", "code", "user", "reason")


@dataclass
class QdpxImport:
    """What importing a project would change (:func:`plan_qdpx_import`); nothing is written yet."""

    study_dir: Path
    #: decision rows: segment_id, code, confidence (1), method, coder, user, overlap, source
    decisions: pd.DataFrame
    #: new transcript file name -> its text (sources that are not yet the study's transcripts)
    transcripts: dict[str, str]
    #: the codebook with the project's codes merged in (None: nothing to change in it)
    codebook: Any
    added_codes: list[str]
    notes: list[str]
    unmatched: pd.DataFrame
    #: codings by users that stand for insights' own models (our export coming back)
    model_codings: int = 0
    case_codings: int = 0
    other_sources: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """One line for the researcher: what came in and what did not."""
        d = self.decisions
        users = sorted(set(d["user"])) if len(d) else []
        parts = [
            f"{len(d)} human codings ({d['segment_id'].nunique() if len(d) else 0} segments, "
            f"{len(users)} coder(s): {', '.join(users) or '-'})"
        ]
        if self.transcripts:
            parts.append(f"{len(self.transcripts)} new transcript(s) in transcripts/")
        if self.added_codes:
            parts.append(f"{len(self.added_codes)} code(s) added to codebook.yaml")
        if len(self.unmatched):
            parts.append(f"{len(self.unmatched)} selection(s) matched no segment (listed above)")
        if self.model_codings:
            parts.append(f"{self.model_codings} codings by insights' own models left out")
        if self.case_codings:
            parts.append(f"{self.case_codings} case codings (not codes) left out")
        if self.other_sources:
            parts.append(f"{len(self.other_sources)} non-text source(s) left out")
        return "; ".join(parts)


def _file_name(source_name: str, taken: set[str]) -> str:
    """A transcript file name for a source: its name (without a document suffix) + .txt."""
    stem = re.sub(
        r"\.(txt|docx?|rtf|odt|pdf|md|csv|tsv|xlsx|json|vtt|srt)$",
        "",
        source_name.strip(),
        flags=re.I,
    )
    stem = re.sub(r'[\\/:*?"<>|\x00-\x1f]+', "_", stem).strip(" ._") or "source"
    name, k = f"{stem}.txt", 2
    while transcript_id_for(Path(name)) in taken:
        name, k = f"{stem}_{k}.txt", k + 1
    taken.add(transcript_id_for(Path(name)))
    return name


def _without_own_groups(project: Any) -> Any:
    """The project without our own export's theme and emotion groups (not codebook codes)."""
    import dataclasses

    from ..report.exchange import qdpx_guid

    if project.origin != "insights":
        return project
    drop = {qdpx_guid(project.name, "group", g) for g in ("themes", "emotions")}
    kept = []
    for c in project.codes:  # parents come before their children
        if c.parent in drop:  # (by place: an older export gave a theme its code's GUID)
            drop.add(c.guid)
        elif c.guid not in drop:
            kept.append(c)
    return dataclasses.replace(project, codes=kept)


def _existing_study(study_dir: Path) -> Study:
    config = load_config(study_dir / "study.yaml")
    participants = None
    if (study_dir / "participants.csv").is_file():
        from ..io import load_participants

        participants = load_participants(study_dir / "participants.csv")
    folder = study_dir / "transcripts"
    files = []
    if folder.is_dir():
        files = list_transcripts(
            folder, include=config.transcripts.include, exclude=config.transcripts.exclude
        )
    return Study(path=study_dir, config=config, participants=participants, files=files)


def _source_segments(
    project: Any, study: Study, segments: pd.DataFrame | None
) -> tuple[dict[str, pd.DataFrame], dict[str, str]]:
    """Segments for each text source (GUID key -> its transcript's segments), new files."""
    from ..report.exchange import qdpx_guid
    from ._read import read_study

    ours = {transcript_id_for(f): f for f in study.files}
    by_name = {f.name.casefold(): transcript_id_for(f) for f in study.files}
    if segments is not None and len(segments):
        seg_src = segments.drop_duplicates("transcript_id")
        for tid, src in zip(seg_src["transcript_id"].astype(str), seg_src["source"], strict=True):
            ours.setdefault(tid, study.path / "transcripts" / str(src))
            by_name.setdefault(str(src).casefold(), tid)
    own_guid = {qdpx_guid(project.name, "source", tid): tid for tid in ours}
    matched: dict[str, str] = {}  # source guid -> existing transcript id
    for src in project.sources:
        tid = (
            own_guid.get(src.guid)
            or by_name.get(src.name.casefold())
            or (
                transcript_id_for(Path(src.name))
                if transcript_id_for(Path(src.name)) in ours
                else None
            )
        )
        if tid is not None:
            matched[src.guid] = tid
    out: dict[str, pd.DataFrame] = {}
    need = sorted(set(matched.values()))
    have = (
        segments[segments["transcript_id"].astype(str).isin(need)] if segments is not None else None
    )
    if need and (have is None or have["transcript_id"].nunique() < len(need)):
        files = [ours[t] for t in need if ours[t].exists()]
        if files:
            view = Study(
                path=study.path, config=study.config, participants=study.participants, files=files
            )
            have = read_study(view)[0]
    for guid, tid in matched.items():
        if have is not None:
            out[guid] = have[have["transcript_id"].astype(str) == tid]
    new: dict[str, str] = {}
    taken = set(ours)
    staged: dict[str, str] = {}
    source_names: dict[str, str] = {}
    for src in project.sources:
        if src.guid in matched or not src.text.strip():
            continue
        name = _file_name(src.name, taken)
        new[name] = src.text
        staged[name] = src.guid
        source_names[name] = src.name
    if new:
        with tempfile.TemporaryDirectory(prefix="insights-qdpx-") as tmp:
            files = []
            for name, text in new.items():
                (Path(tmp) / name).write_text(text, encoding="utf-8")
                files.append(Path(tmp) / name)
            view = Study(
                path=study.path, config=study.config, participants=study.participants, files=files
            )
            try:
                seg = read_study(view)[0]
            except InputError as exc:
                raise InputError(
                    f"a source cannot be read as a transcript: {exc.what}",
                    fix=exc.fix,
                    file=project.file,
                    where=f"TextSource {source_names.get(Path(exc.file or '').name, '?')!r}",
                ) from None
        for name, guid in staged.items():
            out[guid] = seg[seg["transcript_id"] == transcript_id_for(Path(name))]
    return out, new


def plan_qdpx_import(
    project_path: str | Path,
    study_dir: str | Path,
    *,
    segments: pd.DataFrame | None = None,
    min_overlap: float = 0.5,
) -> QdpxImport:
    """Read a REFI-QDA project and work out what it brings into the study (writes nothing).

    Sources that are the study's transcripts (our own export, or a file of the same
    name) keep them; the others become new plain-text transcripts named after the
    source. Each coded ``PlainTextSelection`` becomes an accepted human decision on
    every segment it covers (:func:`insights.io.refi.map_selections`, the share covered
    in ``overlap``), by the user who made the coding. The project's codes are merged
    into the study's codebook (:func:`insights.codebook.merge_codes`).

    Parameters
    ----------
    project_path : str or Path
        The ``.qdpx`` file.
    study_dir : str or Path
        The study folder (it may not exist yet: then the project's sources are its
        transcripts).
    segments : DataFrame, optional
        The segments of the study's last run (``output/segments.csv``), so that our own
        exported project maps onto exactly the text it was made from.
    min_overlap : float
        See :func:`insights.io.refi.map_selections`.
    """
    import pandas as pd

    from ..codebook import HUMAN_CODER, Codebook, codes_from_project, load_codebook, merge_codes
    from ..io.refi import align_segments, map_selections, read_project

    project = _without_own_groups(read_project(project_path))
    study_dir = Path(study_dir)
    study = _existing_study(study_dir)
    seg_of, new = _source_segments(project, study, segments)
    codes, names, notes = codes_from_project(project)
    book, added, changed = None, [], False
    if codes:
        path = study_dir / "codebook.yaml"
        old = load_codebook(path) if path.is_file() else Codebook(name=project.name)
        book, added, conflicts = merge_codes(old, codes)
        notes += conflicts
        changed = not path.is_file() or book.to_yaml() != old.to_yaml()
        lower = {c.name.casefold(): c.name for c in book.codes}
        names = {g: lower.get(n.casefold(), n) for g, n in names.items()}
    model_users = {g for g, n in project.users.items() if n.startswith("insights")}
    rows, unmatched, model_codings = [], [], 0
    for src in project.sources:
        seg = seg_of.get(src.guid)
        spans = None
        if seg is not None and len(seg):
            found = align_segments(seg["text"].astype(str).tolist(), src.text)
            keep = [s is not None for s in found]
            spans = pd.DataFrame(
                {
                    "segment_id": seg["segment_id"].astype(str).to_numpy()[keep],
                    "start": [s[0] for s in found if s is not None],
                    "end": [s[1] for s in found if s is not None],
                }
            )
        for sel in src.selections:
            codings = [(c, u) for c, u in sel.codings if u not in model_users]
            model_codings += len(sel.codings) - len(codings)
            if not codings:
                continue
            hit = (
                map_selections(spans, sel.start, sel.end, min_overlap=min_overlap)
                if spans is not None
                else None
            )
            for code, user in codings:
                who = project.users.get(user) or user or "unknown"
                if code not in names:
                    reason = "it codes a discovered theme or an emotion, not a codebook code"
                    unmatched.append((src.name, sel.guid, sel.start, sel.end, code, who, reason))
                    continue
                if hit is None or hit.empty:
                    reason = (
                        "no segment of the source covers it enough"
                        if hit is not None
                        else "the source has no segments"
                    )
                    unmatched.append(
                        (src.name, sel.guid, sel.start, sel.end, names[code], who, reason)
                    )
                    continue
                for sid, ov in zip(hit["segment_id"], hit["overlap"], strict=True):
                    rows.append((sid, names[code], 1.0, "human", HUMAN_CODER, who, ov, src.name))
    cols = ["segment_id", "code", "confidence", "method", "coder", "user", "overlap", "source"]
    decisions = pd.DataFrame(rows, columns=cols)
    decisions = decisions.sort_values("overlap", ascending=False, kind="stable")
    decisions = decisions.drop_duplicates(["segment_id", "code", "user"]).sort_index()
    return QdpxImport(
        study_dir=study_dir,
        decisions=decisions.reset_index(drop=True),
        transcripts=new,
        codebook=book if changed else None,
        added_codes=added,
        notes=notes,
        unmatched=pd.DataFrame(unmatched, columns=list(UNMATCHED_COLUMNS)),
        model_codings=model_codings,
        case_codings=project.case_codings,
        other_sources=project.other_sources,
    )


def write_qdpx_import(plan: QdpxImport) -> list[Path]:
    """Write what :func:`plan_qdpx_import` found: new transcripts, decisions.csv, codebook.yaml.

    The decisions are merged with those already in ``decisions.csv`` (the last decision on
    a segment and code wins); every file is written through a temporary file and a rename.
    """
    from .._safe import write_files_atomic
    from ..codebook import merge_decisions
    from ..io import read_csv_table

    study_dir = plan.study_dir
    (study_dir / "transcripts").mkdir(parents=True, exist_ok=True)
    writers: dict[Path, Any] = {}
    for name, text in plan.transcripts.items():
        writers[study_dir / "transcripts" / name] = lambda p, t=text: p.write_text(
            t, encoding="utf-8"
        )
    target = study_dir / "decisions.csv"
    if len(plan.decisions):
        old = read_csv_table(target) if target.exists() else None
        both = merge_decisions(old, plan.decisions)
        writers[target] = lambda p: both.to_csv(p, index=False)
    written = write_files_atomic(writers)
    if plan.codebook is not None:
        written.append(plan.codebook.save(study_dir / "codebook.yaml"))
    return written
