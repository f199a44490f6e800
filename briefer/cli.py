"""The ``briefer`` command: parse arguments, make one library call, render, exit cleanly.

Errors become one line on stderr (``briefer: error: ...``) and an exit code: 2 for usage
and input errors, 1 for runtime errors. ``-v`` adds the traceback.
"""

from __future__ import annotations

import json
import sys
import traceback
from pathlib import Path
from typing import List, Optional

import typer
from typer.core import TyperGroup

from .errors import BrieferError, UsageError

# Typer's usage-error class, reached through its public BadParameter (recent Typer
# releases carry their own copy of click, so ``import click`` is not guaranteed).
_ClickUsageError = next(c for c in typer.BadParameter.__mro__ if c.__name__ == "UsageError")


class _OneLineErrors(TyperGroup):
    """Click's usage errors as one line and exit code 2, for every command."""

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        try:
            result = super().main(args=args, prog_name=prog_name or "briefer",
                                  complete_var=complete_var, standalone_mode=False, **extra)
        except _ClickUsageError as exc:
            typer.echo(f"briefer: error: {exc.format_message()}", err=True)
            sys.exit(2)
        except (typer.Abort, KeyboardInterrupt):
            typer.echo("briefer: aborted", err=True)
            sys.exit(130)
        sys.exit(result if isinstance(result, int) else 0)


app = typer.Typer(
    cls=_OneLineErrors,
    help="One-page, source-grounded briefings from long source text.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _say(message: str) -> None:
    typer.echo(message, err=True)


def _fail(exc: BaseException, verbose: bool) -> None:
    if verbose:
        traceback.print_exception(exc)
    if isinstance(exc, BrieferError):
        _say(f"briefer: error: {exc}")
        raise typer.Exit(exc.exit_code)
    _say(f"briefer: error: unexpected {type(exc).__name__}: {exc}" + ("" if verbose else " (run with -v for details)"))
    raise typer.Exit(1)


def _emit(text: str | bytes, output: Optional[Path]) -> None:
    if output is None:
        if isinstance(text, bytes):
            sys.stdout.flush()
            sys.stdout.buffer.write(text)
            sys.stdout.buffer.flush()
            return
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    from .files import atomic_write

    atomic_write(output, text)


VerboseOpt = typer.Option(False, "--verbose", "-v", help="Show details on stderr, and tracebacks on errors.")
QuietOpt = typer.Option(False, "--quiet", "-q", help="Say nothing on stderr but errors.")
BackendOpt = typer.Option("auto", "--backend", "-b", help="auto, mock (offline) or openai.")
ModelOpt = typer.Option(None, "--model", "-m", help="Model name for the openai backend.")
BaseUrlOpt = typer.Option(None, "--base-url", help="OpenAI-compatible server, e.g. http://127.0.0.1:8080/v1.")
ProfileOpt = typer.Option(None, "--profile", "-p", help="Named profile from the config file.")


@app.command("brief")
def brief_command(
    sources: List[str] = typer.Argument(..., metavar="SOURCE...", help="Files to brief (.txt, .md, .html); - reads stdin."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write to FILE (atomically) instead of stdout."),
    fmt: str = typer.Option("md", "--format", "-f", help="md, json, txt, html or pdf (pdf needs the pdf extra)."),
    paper: Optional[str] = typer.Option(None, "--paper", help="a4 or letter: fit to one page of this size (pdf: default a4; html: needs the pdf extra)."),
    backend: str = BackendOpt,
    model: Optional[str] = ModelOpt,
    base_url: Optional[str] = BaseUrlOpt,
    profile: Optional[str] = ProfileOpt,
    max_words: int = typer.Option(500, "--max-words", help="Word budget for the brief's body (one page)."),
    chunk_tokens: int = typer.Option(2000, "--chunk-tokens", help="Largest chunk sent to the model, in tokens."),
    map_task: str = typer.Option("auto", "--map", envvar="BRIEFER_MAP", help="Map task: select (the model picks "
                                 "sentence ids), notes (it writes notes) or auto: select with a model server, "
                                 "notes offline."),
    chunk_overlap: int = typer.Option(0, "--chunk-overlap", help="Tokens each chunk repeats from the previous one."),
    concurrency: Optional[int] = typer.Option(None, "--concurrency", help="Model calls at a time (default 4)."),
    timeout: Optional[float] = typer.Option(None, "--timeout", help="Seconds to wait for one answer (default 120)."),
    answer_tokens: Optional[int] = typer.Option(None, "--max-answer-tokens", help="Cap each model answer at N tokens (max_tokens)."),
    no_cache: bool = typer.Option(False, "--no-cache", help="Neither use nor fill the response cache."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Print the planned calls, tokens and cost; send nothing."),
    check: bool = typer.Option(False, "--check", help="Check the brief against its sources (briefer compare) and put the scores in meta."),
    prompts_dir: Optional[Path] = typer.Option(None, "--prompts-dir", help="Folder whose templates replace the built-in ones by file name."),
    as_of: Optional[str] = typer.Option(None, "--as-of", help="Date the brief is current as of (YYYY-MM-DD)."),
    title: Optional[str] = typer.Option(None, "--title", help="Title for the brief (default: the source's own)."),
    max_input_mb: float = typer.Option(20.0, "--max-input-mb", help="Refuse inputs larger than this."),
    quiet: bool = QuietOpt,
    verbose: bool = VerboseOpt,
) -> None:
    """Make a one-page brief of SOURCE files, every item citing its source sentences.

    Example:

        briefer brief examples/blinken-wang-munich.txt

        briefer brief report.html --format json -o brief.json --base-url http://127.0.0.1:8080/v1 --model local

        briefer brief examples/blinken-wang-munich.txt --format pdf --paper letter -o brief.pdf
    """
    from .briefs.pipeline import BriefOptions, brief
    from .formats.render import FORMATS, check_paper, render

    notice = None if quiet else _say
    try:
        formats = (*FORMATS, "pdf")
        if fmt not in formats:
            raise UsageError(f"unknown format {fmt!r} (choose {', '.join(formats)})")
        fit_page = _check_page_options(fmt, check_paper(paper), output, dry_run)
        options = BriefOptions(max_words=max_words, chunk_tokens=chunk_tokens, chunk_overlap=chunk_overlap,
                               concurrency=concurrency, use_cache=not no_cache, prompts_dir=prompts_dir,
                               answer_tokens=answer_tokens,
                               as_of=as_of, title=title, max_input_bytes=int(max_input_mb * 1024 * 1024),
                               check=check, map_task=map_task)
        options.validate()
        server = {"backend": backend, "model": model, "base_url": base_url, "profile": profile, "timeout": timeout}
        if dry_run:
            from .briefs.plan import describe_plan, plan, plan_json

            planned = plan(sources, options=options, notice=notice, **server)
            _emit(plan_json(planned) if fmt == "json" else describe_plan(planned), output)
            return
        with _ProgressBar(enabled=not quiet) as bar:
            result = brief(sources, options=options, notice=notice, progress=bar.update, **server)
        if fit_page:
            from .formats.paper import fit_to_page
            from .formats.render import render_html

            fitted = fit_to_page(result, paper or "a4", notice=notice)
            result = fitted.brief
            _emit(fitted.pdf() if fmt == "pdf" else render_html(result, paper), output)
        else:
            _emit(render(result, fmt), output)
    except Exception as exc:  # noqa: BLE001 - every failure becomes one clean line
        _fail(exc, verbose)
    if verbose:
        m = result.meta
        cost = f", ${m.cost_usd:.4f}" if m.cost_usd is not None else ""
        mode = f", {m.structured_output}" if m.structured_output else ""
        _say(f"briefer: {m.llm_calls} calls, {m.cache_hits} cache hits, {m.prompt_tokens} prompt + "
             f"{m.completion_tokens} completion tokens{cost}{mode}, {m.chunks} chunk{'s' if m.chunks != 1 else ''}, "
             f"{m.dropped_ungrounded} dropped as ungrounded, {m.words} words, {m.elapsed_s:.2f} s")
        if m.shared_prefix_tokens is not None:
            picks = f"; {m.model_picks} model picks used, {m.picks_dropped} dropped" if m.model_picks is not None else ""
            _say(f"briefer: map task {m.map_task}: {m.shared_prefix_tokens} prompt tokens of each map call are a "
                 f"shared prefix (cacheable){picks}")


def _check_page_options(fmt: str, paper: str | None, output: Path | None, dry_run: bool) -> bool:
    """Whether the brief must be fitted to one page (pdf, or html with --paper); refuses
    what cannot work before any model is asked."""
    if paper and fmt not in ("html", "pdf"):
        raise UsageError("--paper works with --format html or pdf")
    fit_page = (fmt == "pdf" or paper is not None) and not dry_run
    if fit_page:
        from .formats.paper import require_weasyprint

        require_weasyprint()
    if fmt == "pdf" and output is None and sys.stdout.isatty() and not dry_run:
        raise UsageError("a PDF is binary: write it with -o FILE or redirect stdout")
    return fit_page


class _ProgressBar:
    """A rich progress bar on stderr for multi-chunk runs, only when stderr is a terminal."""

    def __init__(self, enabled: bool):
        self.enabled = enabled and sys.stderr.isatty()
        self.progress = None
        self.task = None

    def __enter__(self) -> "_ProgressBar":
        return self

    def update(self, done: int, total: int) -> None:
        if not self.enabled or total < 2:
            return
        if self.progress is None:
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                TimeElapsedColumn,
            )

            self.progress = Progress("chunks", BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                                     console=Console(stderr=True), transient=True)
            self.progress.start()
            self.task = self.progress.add_task("map", total=total)
        self.progress.update(self.task, completed=done)

    def __exit__(self, *exc) -> None:
        if self.progress is not None:
            self.progress.stop()


@app.command("chunk")
def chunk_command(
    source: str = typer.Argument(..., metavar="SOURCE", help="File to chunk; - reads stdin."),
    chunk_tokens: int = typer.Option(2000, "--chunk-tokens", help="Largest chunk, in tokens."),
    chunk_overlap: int = typer.Option(0, "--chunk-overlap", help="Tokens each chunk repeats from the previous one."),
    model: Optional[str] = typer.Option(None, "--model", "-m", help="Count tokens with this model's encoding."),
    as_json: bool = typer.Option(False, "--json", help="Print chunks as JSON lines."),
    verbose: bool = VerboseOpt,
) -> None:
    """Show how SOURCE is cut into chunks, with token counts.

    Example:

        briefer chunk examples/blinken-wang-munich.txt --chunk-tokens 300
    """
    from .text.chunking import chunk_document, render_lines
    from .text.ingest import load_sources

    try:
        doc = load_sources([source], warn=_say)[0]
        chunks = chunk_document(doc, max_tokens=chunk_tokens, overlap_tokens=chunk_overlap, model=model)
    except Exception as exc:  # noqa: BLE001
        _fail(exc, verbose)
    for chunk in chunks:
        ids = chunk.sentence_ids
        if as_json:
            typer.echo(json.dumps({"index": chunk.index, "tokens": chunk.tokens, "overlap": chunk.overlap,
                                   "sentences": ids, "text": render_lines(chunk.pieces)}, ensure_ascii=False))
        else:
            typer.echo(f"--- chunk {chunk.index + 1}/{len(chunks)}: {chunk.tokens} tokens, "
                       f"{len(ids)} sentences ({ids[0]}-{ids[-1]})")
            typer.echo(render_lines(chunk.pieces))


@app.command("prompts")
def prompts_command(
    name: Optional[str] = typer.Argument(None, help="Template to show, e.g. extract.j2."),
    prompts_dir: Optional[Path] = typer.Option(None, "--prompts-dir", help="Folder of overriding templates."),
    verbose: bool = VerboseOpt,
) -> None:
    """List the prompt templates, or show one.

    A file in --prompts-dir with the same name as a built-in template replaces it.

    Example:

        briefer prompts extract.j2
    """
    from .llm.prompts import TEMPLATE_NAMES, Prompts

    try:
        prompts = Prompts(prompts_dir)
        if name:
            typer.echo(prompts.source(name), nl=False)
            return
        for template in TEMPLATE_NAMES:
            typer.echo(f"{template:<12} {prompts.path_of(template)}")
    except Exception as exc:  # noqa: BLE001
        _fail(exc, verbose)
    typer.echo("\nOverride any template by file name: copy it into a folder, edit it, and pass "
               "--prompts-dir FOLDER to briefer brief. Each has a system and a user block.")


@app.command("compare")
def compare_command(
    summary: str = typer.Argument(..., metavar="SUMMARY", help="Summary to check: text, Markdown or a briefer JSON brief."),
    sources: List[str] = typer.Argument(..., metavar="SOURCE...", help="The source files it summarises."),
    fmt: Optional[str] = typer.Option(None, "--format", "-f", help="table, md or json (default: table on a terminal, else md)."),
    judge: str = typer.Option("lexical", "--judge", help="lexical (offline, rules), trained (offline, a learned model) or llm (the configured model)."),
    fail_under: Optional[float] = typer.Option(None, "--fail-under", help="Exit 1 when faithfulness is below this."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write to FILE (atomically) instead of stdout."),
    model: Optional[str] = typer.Option(None, "--model", "-m", help="Model for --judge llm."),
    base_url: Optional[str] = typer.Option(None, "--base-url", help="Server for --judge llm."),
    quiet: bool = QuietOpt,
    verbose: bool = VerboseOpt,
) -> None:
    """Check SUMMARY against SOURCE files: unsupported claims, wrong numbers, names, dates,
    negations and quotes, and what important content is missing.

    Example:

        briefer compare examples/blinken-wang-munich.json examples/blinken-wang-munich.txt

        briefer compare notes.md report.txt --fail-under 0.8 --format json
    """
    from .compare import compare
    from .formats.render import COMPARE_FORMATS, render_comparison

    try:
        chosen = fmt or ("table" if sys.stdout.isatty() and output is None else "md")
        if chosen not in COMPARE_FORMATS:
            raise UsageError(f"unknown format {chosen!r} (choose {', '.join(COMPARE_FORMATS)})")
        if fail_under is not None and not 0 <= fail_under <= 1:
            raise UsageError(f"--fail-under must be between 0 and 1 (got {fail_under:g})")
        result = compare(summary, sources, judge=judge, notice=None if quiet else _say,
                         model=model, base_url=base_url)
        _emit(render_comparison(result, chosen), output)
    except Exception as exc:  # noqa: BLE001
        _fail(exc, verbose)
    if fail_under is not None and result.faithfulness < fail_under:
        if not quiet:
            _say(f"briefer: faithfulness {result.faithfulness:.2f} is below {fail_under:g}")
        raise typer.Exit(1)


@app.command("digest")
def digest_command(
    sources: List[str] = typer.Argument(..., metavar="SOURCE...", help="Files, folders, globs, web pages or RSS/Atom feeds."),
    since: str = typer.Option("24h", "--since", help="Window: a span (24h, 90m, 7d) back from now, or a date (YYYY-MM-DD)."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Folder for YYYY-MM-DD.<format> (and .json); default: print."),
    title: Optional[str] = typer.Option(None, "--title", help="Digest title (default: 'Digest: JOB')."),
    fmt: str = typer.Option("md", "--format", "-f", help="md, json or html."),
    job: str = typer.Option("digest", "--job", help="Job name: its lock, its runs, and what counts as new since its last digest."),
    state: Optional[Path] = typer.Option(None, "--state", help="State file (SQLite; default: the user data folder)."),
    backend: str = BackendOpt,
    model: Optional[str] = ModelOpt,
    base_url: Optional[str] = BaseUrlOpt,
    profile: Optional[str] = ProfileOpt,
    max_words: int = typer.Option(500, "--max-words", help="Word budget of each document's brief."),
    max_input_mb: float = typer.Option(20.0, "--max-input-mb", help="Skip documents larger than this."),
    quiet: bool = QuietOpt,
    verbose: bool = VerboseOpt,
) -> None:
    """Make one digest of the documents SOURCES hold inside the window: each document is
    briefed once (re-runs reuse the stored briefs), then merged into stories.

    Example:

        briefer digest inbox/ https://example.org/feed.xml --since 24h -o digests/
    """
    from .briefs.pipeline import BriefOptions
    from .digests.run import DIGEST_FORMATS, digest
    from .formats.render import render_digest

    notice = None if quiet else _say
    try:
        if fmt not in DIGEST_FORMATS:
            raise UsageError(f"unknown format {fmt!r} (choose {', '.join(DIGEST_FORMATS)})")
        options = BriefOptions(max_words=max_words, max_input_bytes=int(max_input_mb * 1024 * 1024))
        formats = list(dict.fromkeys([fmt, "json"])) if output else [fmt]
        result = digest(sources, since=since, out_dir=output, title=title, formats=formats, job=job, state=state,
                        backend=backend, model=model, base_url=base_url, profile=profile, notice=notice,
                        options=options)
        if output is None:
            _emit(render_digest(result.digest, fmt), None)
    except Exception as exc:  # noqa: BLE001
        _fail(exc, verbose)
    m = result.digest.meta
    if not quiet:
        where = f" -> {', '.join(str(f) for f in result.files)}" if result.files else ""
        _say(f"briefer: digest {result.digest.date}: {m.stories} stor{'y' if m.stories == 1 else 'ies'} from "
             f"{m.documents} document{'' if m.documents == 1 else 's'} ({m.briefed} briefed, {m.reused} reused, "
             f"{m.skipped} skipped), {m.llm_calls} model call{'' if m.llm_calls == 1 else 's'}{where}")


schedule_app = typer.Typer(help="Run digest jobs from a TOML jobs file on cron schedules.", no_args_is_help=True)
app.add_typer(schedule_app, name="schedule")
JobsFileArg = typer.Argument(..., metavar="FILE", help="Jobs file (TOML, a table per job).")
ExportOutputOpt = typer.Option(None, "--output", "-o",
                               help="--cron: write this file; --systemd: write the units into this folder.")


@schedule_app.command("run")
def schedule_run(file: Path = JobsFileArg, quiet: bool = QuietOpt, verbose: bool = VerboseOpt) -> None:
    """Run each job of FILE at its cron times, in the foreground, until Ctrl-C.

    A run missed while the computer slept runs once on wake-up if within the job's misfire_grace (default 12h).

    Several missed runs make one. On start, a due job whose latest time is within its grace runs at once.

    Example:

        briefer schedule run examples/jobs.toml
    """
    from .schedule.runner import run_forever

    try:
        stopped_job = run_forever(file, report=typer.echo, warn=_say,
                                  notice=None if quiet else _say, verbose=verbose)
    except Exception as exc:  # noqa: BLE001
        _fail(exc, verbose)
    _say("briefer: scheduler stopped" + (f" (interrupted job {stopped_job}: its next run reuses the briefs "
                                         "already made)" if stopped_job else ""))


@schedule_app.command("once")
def schedule_once(
    file: Path = JobsFileArg,
    job: str | None = typer.Argument(None, metavar="JOB", help="Run this job now, due or not."),
    quiet: bool = QuietOpt,
    verbose: bool = VerboseOpt,
) -> None:
    """Run the due jobs of FILE (or JOB, due or not) once, and exit: for cron, systemd and CI.

    Due: the job never succeeded, or one of its cron times has passed since its last success started.

    Exit code 1 (2 for bad input) when a job failed. A job that another process is running is skipped.

    Example:

        briefer schedule once examples/jobs.toml

        briefer schedule once examples/jobs.toml example
    """
    from .schedule.runner import exit_code, run_once

    try:
        outcomes = run_once(file, job, notice=None if quiet else _say)
    except Exception as exc:  # noqa: BLE001
        _fail(exc, verbose)
    for outcome in outcomes:
        if outcome.status == "failed":
            _say(f"briefer: error: {outcome.describe()}")
        else:
            typer.echo(outcome.describe())
    raise typer.Exit(exit_code(outcomes))


@schedule_app.command("show")
def schedule_show(
    file: Path = JobsFileArg,
    count: int = typer.Option(3, "--count", "-n", help="How many next run times to show per job."),
    verbose: bool = VerboseOpt,
) -> None:
    """Show each job of FILE: cron, time zone, next run times and last successful run.

    Example:

        briefer schedule show examples/jobs.toml
    """
    from .schedule.runner import load_jobs, show

    try:
        if count < 1:
            raise UsageError(f"--count must be at least 1 (got {count})")
        typer.echo(show(load_jobs(file), count=count), nl=False)
    except Exception as exc:  # noqa: BLE001
        _fail(exc, verbose)


@schedule_app.command("export")
def schedule_export(
    file: Path = JobsFileArg,
    cron: bool = typer.Option(False, "--cron", help="Crontab lines."),
    systemd: bool = typer.Option(False, "--systemd", help="A systemd service and timer per job."),
    output: Path | None = ExportOutputOpt,
    verbose: bool = VerboseOpt,
) -> None:
    """Print crontab lines, or a systemd service and timer per job, that run `schedule once FILE JOB`.

    Example:

        briefer schedule export examples/jobs.toml --cron

        briefer schedule export examples/jobs.toml --systemd -o ~/.config/systemd/user
    """
    from .errors import InputError
    from .files import atomic_write
    from .schedule.runner import export_cron, export_systemd, load_jobs, render_units

    try:
        if cron == systemd:
            raise UsageError("choose one of --cron and --systemd")
        jobs_file = load_jobs(file)
        if cron:
            _emit(export_cron(jobs_file), output)
            return
        units = export_systemd(jobs_file)
        if output is None:
            typer.echo(render_units(units, jobs_file), nl=False)
            return
        try:
            output.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise InputError(f"cannot write units to {output}: {exc.strerror or exc}") from exc
        for name, text in units.items():
            atomic_write(output / name, text)
            typer.echo(f"wrote {output / name}")
    except Exception as exc:  # noqa: BLE001
        _fail(exc, verbose)
    timers = " ".join(name for name in units if name.endswith(".timer"))
    _say(f"briefer: for user units: systemctl --user daemon-reload && systemctl --user enable --now {timers}")


config_app = typer.Typer(help="Show the effective model-server settings.", no_args_is_help=True)
cache_app = typer.Typer(help="Inspect or clear the response cache.", no_args_is_help=True)
app.add_typer(config_app, name="config")
app.add_typer(cache_app, name="cache")


@config_app.command("show")
def config_show(
    profile: Optional[str] = typer.Option(None, "--profile", "-p", help="Profile to show (default: the file's default_profile)."),
    verbose: bool = VerboseOpt,
) -> None:
    """Print the effective settings (flag > env > profile > default), the API key masked.

    Example:

        briefer config show --profile local
    """
    from .llm.config import describe, load_settings

    try:
        typer.echo(describe(load_settings(profile=profile)), nl=False)
    except Exception as exc:  # noqa: BLE001
        _fail(exc, verbose)


@cache_app.command("stats")
def cache_stats(verbose: bool = VerboseOpt) -> None:
    """How many answers the cache holds and the tokens they would cost again.

    Example:

        briefer cache stats
    """
    from .llm.cache import ResponseCache

    try:
        stats = ResponseCache().stats()
    except Exception as exc:  # noqa: BLE001
        _fail(exc, verbose)
    typer.echo(f"cache: {stats['path']}\n"
               f"responses: {stats['responses']} ({stats['prompt_tokens']} prompt + "
               f"{stats['completion_tokens']} completion tokens saved on re-runs)\n"
               f"servers with a known structured-output mode: {stats['servers']}\n"
               f"size: {stats['bytes'] / 1024:.1f} KiB")


@cache_app.command("clear")
def cache_clear(verbose: bool = VerboseOpt) -> None:
    """Delete every cached answer and remembered server mode.

    Example:

        briefer cache clear
    """
    from .llm.cache import ResponseCache

    try:
        removed = ResponseCache().clear()
    except Exception as exc:  # noqa: BLE001
        _fail(exc, verbose)
    typer.echo(f"removed {removed} cached response{'s' if removed != 1 else ''}")


def main() -> None:
    app()


if __name__ == "__main__":
    main()
