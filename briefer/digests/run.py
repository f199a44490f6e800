"""A daily digest: gather the day's documents, brief each once, merge them into stories.

    result = briefer.digest(["inbox/", "https://example.org/feed.xml"], since="24h", out_dir="digests")

Never paid for twice: a document's brief is kept in the state (keyed by its content hash
and the brief settings) the moment it is made, and the cross-document step by everything
that went into it, so a re-run with unchanged inputs makes no model call, and a run killed
half-way resumes from the briefs already made. Output files are written only at the end
and atomically, so a failed run never replaces a good digest. One lock per job keeps two
runs of the same job apart.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import re
import time
from collections.abc import Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Callable

from ..briefs.pipeline import BriefOptions, brief_async, open_backend
from ..errors import BrieferError, JobBusy, NotesError, UsageError
from ..formats.render import DIGEST_FORMATS, render_digest
from ..llm.asking import Asker, Truncated, Usage
from ..llm.base import Backend
from ..llm.costs import cost_usd
from ..llm.prompts import Prompts
from ..schema import (
    Brief,
    Digest,
    DigestDocument,
    DigestDraft,
    DigestMeta,
    SkippedSource,
)
from ..text.document import Document
from ..text.grounding import Grounder
from .gather import gather
from .state import State
from .stories import ground_stories, payload, payload_json, used_ids

_SINCE_RE = re.compile(r"^(\d+)\s*([mhdw])$")
_UNITS = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


@dataclass
class DigestResult:
    digest: Digest
    files: list[Path]
    run_id: int


def parse_since(since: str | None, now: datetime) -> datetime | None:
    """``24h``, ``90m``, ``7d``, ``2w`` before ``now``, or a date (its midnight in now's zone)."""
    if since is None or since == "":
        return None
    text = since.strip().lower()
    if m := _SINCE_RE.match(text):
        return now - timedelta(**{_UNITS[m.group(2)]: int(m.group(1))})
    try:
        day = datetime.strptime(text, "%Y-%m-%d")
    except ValueError:
        raise UsageError(f"bad --since {since!r}: use a span such as 24h, 90m, 7d, or a date YYYY-MM-DD") from None
    return day.replace(tzinfo=now.tzinfo)


@contextmanager
def job_lock(state_path: Path, job: str):
    """An exclusive, non-blocking lock per job; the OS drops it when the process dies."""
    try:
        import fcntl
    except ImportError:  # not POSIX: no lock (documented)
        yield
        return
    folder = state_path.parent / "locks"
    folder.mkdir(parents=True, exist_ok=True)
    handle = open(folder / f"{re.sub(r'[^A-Za-z0-9_.-]', '_', job)}.lock", "w")
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise JobBusy(f"digest job {job!r} is already running (lock {handle.name})") from None
        yield
    finally:
        handle.close()


def _key(*parts) -> str:
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode("utf-8")).hexdigest()


def _labelled(doc: Document, doc_id: str) -> Document:
    """The document under its digest id, sentence ids prefixed: S7 -> D3.S7."""
    return replace(doc, id=doc_id, sentences=[replace(s, id=f"{doc_id}.{s.id}") for s in doc.sentences])


class _DigestRun:
    def __init__(self, backend: Backend, options: BriefOptions, state: State):
        self.backend = backend
        self.options = options
        self.state = state
        self.usage = Usage()  # model calls of this run: per-document briefs and the digest step
        self.briefed = 0
        self.reused_shas: set[str] = set()
        # what shapes a brief besides the text: a changed setting means a new brief
        from ..version import __version__

        self.prompts = Prompts(options.prompts_dir)
        self.settings = (__version__, backend.name, backend.cache_identity(), backend.model,
                         options.max_words, options.chunk_tokens, options.chunk_overlap,
                         self.prompts.fingerprint())

    async def brief_each(self, docs: list[Document]) -> tuple[list[Brief | None], list[str | None]]:
        """Each document's brief, from the state or made now (and stored at once)."""
        briefs: list[Brief | None] = []
        problems: list[str | None] = []
        for doc in docs:
            key = _key("brief", doc.sha256, self.settings)
            stored = self.state.brief(key)
            if stored is not None:
                briefs.append(Brief.model_validate_json(stored))
                problems.append(None)
                self.reused_shas.add(doc.sha256)
                continue
            try:
                made = await brief_async([doc], self.backend, self.options, None, None)
            except NotesError as exc:  # one document the model cannot handle spoils nothing else
                briefs.append(None)
                problems.append(f"could not be briefed: {exc}")
                continue
            m = made.meta
            self.usage.add(m.llm_calls, m.cache_hits, m.prompt_tokens, m.completion_tokens)
            self.state.put_brief(key, doc.sha256, made.model_dump_json())
            self.briefed += 1
            briefs.append(made)
            problems.append(None)
        return briefs, problems

    async def stories_draft(self, messages: list[dict[str, str]]) -> DigestDraft:
        key = _key("digest", messages, self.settings)
        stored = self.state.reduction(key)
        if stored is not None:
            return DigestDraft.model_validate_json(stored)
        asker = Asker(self.backend, self.prompts, self.options.max_reasks,
                      self.options.answer_tokens)
        try:
            draft = await asker.ask("digest", messages, DigestDraft, "digest")
        except Truncated:
            raise NotesError("digest: model could not produce valid notes: the answer was cut off "
                             "(finish_reason=length)") from None
        finally:
            u = asker.usage
            self.usage.add(u.calls, u.cache_hits, u.prompt_tokens, u.completion_tokens)
        self.state.put_reduction(key, draft.model_dump_json())
        return draft


def digest(sources: Sequence[str], *, since: str | None = "24h", out_dir: str | Path | None = None,
           title: str | None = None, formats: Sequence[str] = ("md", "json"), job: str = "digest",
           state: str | Path | None = None, backend: Backend | str = "auto", model: str | None = None,
           base_url: str | None = None, profile: str | None = None, now: datetime | None = None,
           notice: Callable[[str], None] | None = None, options: BriefOptions | None = None) -> DigestResult:
    """Digest ``sources`` (files, folders, globs, URLs, feeds) for the window ``since``..``now``.

    Writes ``out_dir/YYYY-MM-DD.<format>`` for each of ``formats`` when ``out_dir`` is given.
    Raises ``JobBusy`` when another process runs the same ``job``.
    """
    started = time.perf_counter()
    now = now or datetime.now().astimezone()
    if now.tzinfo is None:
        now = now.astimezone()
    window_start = parse_since(since, now)
    for fmt in formats:
        if fmt not in DIGEST_FORMATS:
            raise UsageError(f"unknown digest format {fmt!r} (choose {', '.join(DIGEST_FORMATS)})")
    if not sources:
        raise UsageError("no source given")
    if out_dir is not None:
        _ensure_dir(Path(out_dir))
    options = options or BriefOptions()
    options.validate()
    date = now.date().isoformat()
    store = State(state)
    try:
        with job_lock(store.path, job):
            run_id = store.start_run(job, date)
            try:
                built = _build(list(sources), window_start, now, date, title or f"Digest: {job}", job, store,
                               backend, options, notice, {"profile": profile, "model": model, "base_url": base_url})
                built.meta.run_id = run_id
                built.meta.elapsed_s = round(time.perf_counter() - started, 3)
                rendered = {fmt: render_digest(built, fmt) for fmt in formats}
                files = []
                if out_dir is not None:
                    from ..files import atomic_write

                    for fmt, text in rendered.items():
                        path = Path(out_dir) / f"{date}.{fmt}"
                        atomic_write(path, text)
                        files.append(path)
                store.finish_run(run_id, _counts(built), [d.sha256 for d in built.documents])
            except BaseException as exc:
                store.fail_run(run_id, str(exc) or type(exc).__name__)
                raise
    finally:
        store.close()
    return DigestResult(digest=built, files=files, run_id=run_id)


def _ensure_dir(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:  # FileExistsError too: a file stands where the folder should be
        raise BrieferError(f"cannot write digests to {folder}: {exc.strerror or exc}") from exc


def _counts(built: Digest) -> dict:
    m = built.meta
    return {"documents": m.documents, "briefed": m.briefed, "reused": m.reused, "skipped": m.skipped,
            "stories": m.stories, "llm_calls": m.llm_calls, "cache_hits": m.cache_hits}


def _build(sources, window_start, now, date, title, job, store: State, backend, options, notice, flags) -> Digest:
    gathered = gather(sources, since=window_start, until=now, max_bytes=options.max_input_bytes, warn=notice)
    for location, kind, error in gathered.sources:
        store.saw_source(location, kind, error)
    skipped = [SkippedSource(source=s.source, reason=s.reason) for s in gathered.skipped]
    if not gathered.documents and skipped:
        raise BrieferError(f"nothing to digest: all {len(skipped)} source(s) were skipped "
                           f"(first: {skipped[0].source}: {skipped[0].reason})")
    for doc in gathered.documents:
        store.saw_document(doc.path, doc.sha256, doc.title)
    options, settings, backend = open_backend(backend, options, notice, flags)
    run = _DigestRun(backend, options, store)

    async def work():
        try:
            briefs, problems = await run.brief_each(gathered.documents)
            kept = [(doc, brief) for doc, brief in zip(gathered.documents, briefs) if brief is not None]
            for doc, problem in zip(gathered.documents, problems):
                if problem:
                    skipped.append(SkippedSource(source=doc.path, reason=problem))
            labelled = [(f"D{i}", doc, brief) for i, (doc, brief) in enumerate(kept, start=1)]
            if not labelled:
                return labelled, DigestDraft(stories=[])
            data = payload([(doc_id, brief) for doc_id, _, brief in labelled])
            messages = run.prompts.render(
                "digest.j2", title=title, date=date, count=len(labelled), briefs_json=payload_json(data))
            return labelled, await run.stories_draft(messages)
        finally:
            await backend.aclose()

    labelled, draft = asyncio.run(work())
    grounder = Grounder([_labelled(doc, doc_id) for doc_id, doc, _ in labelled])
    sha_of = {doc_id: doc.sha256 for doc_id, doc, _ in labelled}
    stories = ground_stories(draft, grounder, store.previous_documents(job, date), sha_of)
    u = run.usage
    cost = None if backend.name == "mock" else cost_usd(backend.model, u.prompt_tokens, u.completion_tokens,
                                                          settings.prices)
    meta = DigestMeta(backend=backend.name, model=backend.model, llm_calls=u.calls, cache_hits=u.cache_hits,
                      prompt_tokens=u.prompt_tokens, completion_tokens=u.completion_tokens,
                      documents=len(labelled), briefed=run.briefed, reused=len(run.reused_shas), skipped=len(skipped),
                      stories=len(stories), dropped_ungrounded=grounder.dropped, cost_usd=cost)
    documents = [DigestDocument(id=doc_id, location=doc.path, title=brief.title, sha256=doc.sha256,
                                brief="reused" if doc.sha256 in run.reused_shas else "new")
                 for doc_id, doc, brief in labelled]
    return Digest(job=job, title=title, date=date, since=window_start.isoformat() if window_start else None,
                  until=now.isoformat(), stories=stories, documents=documents, skipped=skipped,
                  citations=grounder.citations(used_ids(stories)), meta=meta)
