"""The ``insights`` command.

A stable contract (external evaluations call it): see the README. Bad input gets
one line on stderr naming the file, the place, what is wrong and how to fix it,
and exit status 2 — never a traceback, never a half-written output.

Heavy libraries are imported inside the commands, so ``insights --help`` is fast.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from .schema import InsightsError

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

app = typer.Typer(
    name="insights",
    help=(
        "Qualitative insight analysis: transcripts to segments, codes, themes, emotions, "
        "triggers and reports."
    ),
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

Quiet = Annotated[bool, typer.Option("--quiet", "-q", help="No progress bars.")]


def _quiet(quiet: bool) -> None:
    if quiet:
        from ._progress import set_progress

        set_progress(False)


def read_input_table(path: Path) -> pd.DataFrame:
    """Read a segments table given on the command line (IN.csv) and complete it."""
    from .segments import read_segments_csv

    return read_segments_csv(path)


def write_table(df: pd.DataFrame, path: Path) -> Path:
    """Write a table atomically (temporary file, then rename)."""
    from ._safe import write_atomic

    return write_atomic(path, lambda p: df.to_csv(p, index=False))


@app.callback(invoke_without_command=True)
def _root(
    version: Annotated[bool, typer.Option("--version", help="Print the version and exit.")] = False,
) -> None:
    if version:
        from importlib.metadata import version as v

        typer.echo(f"insights {v('insights')}")
        raise typer.Exit(0)


@app.command()
def run(
    study_dir: Annotated[
        Path, typer.Argument(help="The study folder (study.yaml, participants.csv, transcripts/).")
    ],
    out: Annotated[
        Path | None, typer.Option("--out", help="Output folder (default STUDY_DIR/output).")
    ] = None,
    skip: Annotated[
        list[str] | None,
        typer.Option(
            "--skip", help="Leave out a stage (repeatable): codes, themes, emotions, triggers."
        ),
    ] = None,
    refit_themes: Annotated[
        bool,
        typer.Option(
            "--refit-themes",
            help="Fit themes afresh instead of assigning to the saved ones (theme ids change).",
        ),
    ] = False,
    engine: Annotated[
        str | None,
        typer.Option(
            "--engine",
            help="Where the per-segment stages run: local (this process) or dask "
            "(default: engine in study.yaml, else local).",
        ),
    ] = None,
    scheduler: Annotated[
        str | None,
        typer.Option(
            "--scheduler",
            help="The Dask scheduler's address, tcp://host:8786 (default: a local cluster).",
        ),
    ] = None,
    quiet: Quiet = False,
) -> None:
    """Run the whole pipeline on a study folder; print the path of the report."""
    from .study import run as run_study

    _quiet(quiet)
    result = run_study(
        study_dir,
        out=out,
        skip=tuple(skip or ()),
        refit_themes=refit_themes,
        engine=engine,
        scheduler=scheduler,
    )
    counts = result.counts
    typer.echo(
        f"{counts.get('transcripts', 0)} transcripts, {counts.get('segments', 0)} segments "
        f"({counts.get('participants', 0)} participants) in {result.timings.get('total', 0):.1f} s",
        err=True,
    )
    unlinked = result.tables.get("participants_unlinked")
    if unlinked is not None and len(unlinked):
        typer.echo(_unlinked_warning(unlinked), err=True)
    typer.echo(str(result.report))


def _unlinked_warning(unlinked: pd.DataFrame) -> str:
    """One line on the people of participants.csv no speaker was linked to (run.json lists all)."""
    shown = "; ".join(f"{r.participant_id}: {r.reason}" for r in unlinked.head(3).itertuples())
    more = f"; and {len(unlinked) - 3} more" if len(unlinked) > 3 else ""
    return (
        f"insights: warning: participants.csv: {len(unlinked)} "
        f"{'person is' if len(unlinked) == 1 else 'people are'} linked to no speaker, so "
        f"their attributes are in no table ({shown}{more}; all in run.json, "
        "participants_unlinked). Fix: give participants.csv a name or aliases column with "
        "the speaker labels, or label the speakers with their participant_id"
    )


@app.command()
def parse(
    paths: Annotated[
        list[Path],
        typer.Argument(
            metavar="PATH",
            help="Transcript files (txt, md, docx, vtt, srt, csv, tsv, xlsx, json) or folders.",
        ),
    ],
    out: Annotated[Path, typer.Option("--out", help="The segments table to write (CSV).")] = Path(
        "segments.csv"
    ),
    unit: Annotated[
        str, typer.Option("--unit", help="Segment unit: sentence or turn.")
    ] = "sentence",
    interviewer: Annotated[
        list[str] | None,
        typer.Option("--interviewer", help="A speaker who is the interviewer (repeatable)."),
    ] = None,
    participants: Annotated[
        Path | None,
        typer.Option(
            "--participants", help="participants.csv to link speakers to participant ids."
        ),
    ] = None,
    skipped: Annotated[
        Path | None,
        typer.Option(
            "--skipped", help="Also write the text not in any segment, with reasons (CSV)."
        ),
    ] = None,
    quiet: Quiet = False,
) -> None:
    """Read transcripts into a segments table."""
    import pandas as pd

    from .io import SUFFIXES, load_participants
    from .schema import InputError
    from .segments import build_segments
    from .study import list_transcripts, read_transcripts, skipped_table

    _quiet(quiet)
    files: list[Path] = []
    for p in paths:
        files.extend(list_transcripts(p) if p.is_dir() else [p])
    if not files:
        raise InputError(
            "no transcript files found",
            fix=f"pass files ending in {', '.join(SUFFIXES)}",
            file=", ".join(map(str, paths)),
        )
    people = load_participants(participants) if participants else None
    transcripts = read_transcripts(files)
    segments = pd.concat(
        [
            build_segments(t, unit=unit, interviewers=interviewer or (), participants=people)
            for t in transcripts
        ],
        ignore_index=True,
    )
    from ._safe import write_files_atomic

    tables = {out: segments, **({skipped: skipped_table(transcripts)} if skipped else {})}
    # both written before either replaces a file: a --skipped that cannot be written
    # leaves the old segments table as it was
    write_files_atomic(
        {p: (lambda tmp, df=df: df.to_csv(tmp, index=False)) for p, df in tables.items()}
    )
    typer.echo(f"{len(files)} files, {len(segments)} segments -> {out}", err=True)


@app.command()
def code(
    input: Annotated[
        Path, typer.Argument(help="A segments table (CSV) with at least a text column.")
    ],
    codebook: Annotated[
        Path, typer.Option("--codebook", help="codebook.yaml (or a REFI-QDA .qdc).")
    ],
    out: Annotated[Path, typer.Option("--out", help="The codes table to write (CSV).")] = Path(
        "codes.csv"
    ),
    decisions: Annotated[
        Path | None,
        typer.Option(
            "--decisions", help="Human decisions (CSV: segment_id, code, confidence 1/0); they win."
        ),
    ] = None,
    rules_only: Annotated[
        bool, typer.Option("--rules-only", help="Keyword/pattern rules only (no embeddings).")
    ] = False,
    quiet: Quiet = False,
) -> None:
    """Code every segment with a codebook: segment_id, code, confidence, method, coder."""
    from .codebook import Codebook, code_segments
    from .io import read_csv_table

    _quiet(quiet)
    segments = read_input_table(input)
    book = Codebook.load(codebook)
    dec = read_csv_table(decisions) if decisions else None
    try:
        codes = code_segments(
            segments, book, decisions=dec, methods=("rule",) if rules_only else ("rule", "semantic")
        )
    except InsightsError as exc:  # a rule the codebook holds that cannot be compiled
        if exc.file is None:
            exc.file = str(codebook)
        raise
    write_table(codes, out)
    typer.echo(f"{len(codes)} codes on {codes['segment_id'].nunique()} segments -> {out}", err=True)


@app.command()
def themes(
    input: Annotated[
        Path, typer.Argument(help="A segments table (CSV) with at least a text column.")
    ],
    out: Annotated[Path, typer.Option("--out", help="The themes table to write (CSV).")] = Path(
        "themes.csv"
    ),
    assignments: Annotated[
        Path | None,
        typer.Option("--assignments", help="Also write segment_id, theme_id, probability (CSV)."),
    ] = None,
    model: Annotated[
        Path | None,
        typer.Option(
            "--model", help="A saved theme model folder: assign to its themes without refitting."
        ),
    ] = None,
    save_model: Annotated[
        Path | None,
        typer.Option("--save-model", help="Save the fitted theme model to this folder."),
    ] = None,
    n_themes: Annotated[
        str, typer.Option("--n-themes", help="Number of themes, or 'auto'.")
    ] = "auto",
    method: Annotated[
        str, typer.Option("--method", help="auto, spectral, kmeans or hdbscan.")
    ] = "auto",
    seed: Annotated[
        int, typer.Option("--seed", help="Random seed (same input and seed -> same themes).")
    ] = 42,
    quiet: Quiet = False,
) -> None:
    """Discover themes: theme_id, label, keywords, size, prevalence, quotes."""
    from .schema import ConfigError
    from .themes import ThemeModel

    _quiet(quiet)
    segments = read_input_table(input)
    if model is not None:
        tm = ThemeModel.load(model)
        assigned = tm.transform(segments)
        table = tm.summarize(segments, assigned)
    else:
        if n_themes != "auto" and not n_themes.isdigit():
            raise ConfigError(
                f"--n-themes must be 'auto' or a number, not {n_themes!r}", fix="e.g. --n-themes 12"
            )
        tm = ThemeModel(
            n_themes=int(n_themes) if n_themes.isdigit() else "auto",
            method=method,
            random_state=seed,
        )
        tm.fit(segments)
        assigned, table = tm.assignments_, tm.themes_
        if save_model is not None:
            tm.save(save_model)
    write_table(table, out)
    if assignments is not None:
        write_table(assigned, assignments)
    typer.echo(f"{int((table['theme_id'] != -1).sum())} themes -> {out}", err=True)


@app.command()
def emotions(
    input: Annotated[
        Path, typer.Argument(help="A segments table (CSV) with at least a text column.")
    ],
    out: Annotated[Path, typer.Option("--out", help="The emotions table to write (CSV).")] = Path(
        "emotions.csv"
    ),
    quiet: Quiet = False,
) -> None:
    """Score emotions: segment_id, emotions, ekman, valence, intensity, p_<label> for the 28 GoEmotions labels."""  # noqa: E501
    from .emotions import score_emotions

    _quiet(quiet)
    segments = read_input_table(input)
    table = score_emotions(segments, file=input)
    write_table(table, out)
    emotional = int((~table["emotions"].isin(("", "neutral"))).sum())
    typer.echo(f"{len(table)} segments scored, {emotional} emotional -> {out}", err=True)


@app.command()
def triggers(
    input: Annotated[
        Path, typer.Argument(help="A segments table (CSV); an 'emotion' column is taken as given.")
    ],
    out: Annotated[Path, typer.Option("--out", help="The triggers table to write (CSV).")] = Path(
        "triggers.csv"
    ),
    emotions_table: Annotated[
        Path | None,
        typer.Option(
            "--emotions", help="An emotions table of these segments (else emotions are detected)."
        ),
    ] = None,
    codes: Annotated[
        Path | None,
        typer.Option("--codes", help="A codes table: the theme of a cause is its best code."),
    ] = None,
    themes_table: Annotated[
        Path | None,
        typer.Option("--themes", help="A themes table (with --assignments): the theme of a cause."),
    ] = None,
    assignments: Annotated[
        Path | None, typer.Option("--assignments", help="The theme assignments of these segments.")
    ] = None,
    context_turns: Annotated[
        int, typer.Option("--context-turns", help="How many turns back a cause may lie.")
    ] = 3,
    quiet: Quiet = False,
) -> None:
    """Find what caused each emotion: segment_id, emotion, cause_segment_id, cause_start, cause_end, cause_text, theme, intent, confidence."""  # noqa: E501
    from .emotions import get_emotion_model
    from .io import read_csv_table
    from .triggers import find_triggers

    _quiet(quiet)
    segments = read_input_table(input)
    given = {
        name: read_csv_table(path)
        for name, path in (
            ("emotions", emotions_table),
            ("codes", codes),
            ("themes", themes_table),
            ("assignments", assignments),
        )
        if path
    }
    table = find_triggers(
        segments, model=get_emotion_model(), context_turns=context_turns, file=input, **given
    )
    write_table(table, out)
    typer.echo(
        f"{table['segment_id'].nunique()} emotional segments, {len(table)} causes -> {out}",
        err=True,
    )


@app.command("new-study")
def new_study(
    name: Annotated[
        Path, typer.Argument(help="The study folder to create (its name is the study's name).")
    ],
) -> None:
    """Scaffold a study folder: commented study.yaml, empty participants.csv, starter codebook.yaml, transcripts/."""  # noqa: E501
    from .scaffold import new_study as scaffold

    path = scaffold(name)
    typer.echo(
        f"created {path}/ (study.yaml, participants.csv, codebook.yaml, transcripts/); "
        f"add transcripts, then: insights run {path}",
        err=True,
    )
    typer.echo(str(path))


@app.command("import-qdpx")
def import_qdpx(
    project: Annotated[
        Path,
        typer.Argument(
            help=(
                "A REFI-QDA project (.qdpx): our own study.qdpx coded in a QDA tool, or a "
                "project NVivo, ATLAS.ti, MAXQDA or QualCoder exported from its own sources."
            )
        ),
    ],
    study_dir: Annotated[
        Path, typer.Argument(help="The study folder (created when it does not exist).")
    ],
    out: Annotated[
        Path | None,
        typer.Option("--out", help="Output folder of that study's run (default STUDY_DIR/output)."),
    ] = None,
) -> None:
    """Bring the codings people made in a QDA tool in as human decisions (STUDY_DIR/decisions.csv).

    Sources that are not yet the study's transcripts become plain-text transcripts, the
    project's codes are merged into codebook.yaml, and each coded selection becomes an
    accepted decision on every segment it covers, by the coder who made it.
    """
    from .segments import read_segments_csv
    from .study import plan_qdpx_import, write_qdpx_import

    seg_path = (out or study_dir / "output") / "segments.csv"
    segments = read_segments_csv(seg_path) if seg_path.is_file() else None
    plan = plan_qdpx_import(project, study_dir, segments=segments)
    for note in plan.notes:
        typer.echo(f"insights: note: {note}", err=True)
    for r in plan.unmatched.itertuples(index=False):
        typer.echo(
            f"insights: warning: {project.name}: selection {r.selection} in {r.source!r} "
            f"(characters {r.start}-{r.end}, code {r.code!r}, by {r.user}) matched no segment: "
            f"{r.reason}",
            err=True,
        )
    write_qdpx_import(plan)
    typer.echo(f"{plan.summary()} -> {study_dir / 'decisions.csv'}", err=True)


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the app; an :class:`InsightsError` becomes one line and exit 2."""
    from typer.exceptions import TyperException

    try:
        rv = app(args=argv, standalone_mode=False, prog_name="insights")
    except InsightsError as exc:
        print(f"insights: error: {exc.message}", file=sys.stderr)
        sys.exit(2)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except (typer.Abort, KeyboardInterrupt):
        print("insights: interrupted; previous outputs are unchanged", file=sys.stderr)
        sys.exit(130)
    except TyperException as exc:  # usage errors: a missing argument, an unknown option
        show = getattr(exc, "show", None)
        if show is not None:
            show()
        else:
            print(f"insights: error: {exc}", file=sys.stderr)
        sys.exit(getattr(exc, "exit_code", 2))
    sys.exit(rv if isinstance(rv, int) else 0)


if __name__ == "__main__":  # pragma: no cover
    main()
