"""Source files in, a grounded ``Brief`` out: ingest -> chunk -> map -> merge -> reduce -> brief.

Each chunk goes through ``extract.j2`` for notes (concurrently, up to ``concurrency`` calls
at a time); notes are grounded, merged across chunks and, when too large for one call,
condensed in stages through ``reduce.j2``; ``brief.j2`` turns them into the brief, which
is grounded again and fitted to the word budget.

With ``map_task="select"`` (``--map select``; ``auto``, the default, picks it for a
model server) each chunk goes through ``select.j2``
instead: the model picks sentence ids (``briefs/select.py``), the picks become grounded
notes, and merging, condensing and the brief itself are the offline engine's
deterministic steps: one model call per chunk, nothing for the model to write. The
engine reads a chunk only after its answer, and only when the reduce needs its notes.
"""

from __future__ import annotations

import asyncio
import re
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable

from ..backends import check_backend_name, make_backend
from ..errors import NotesError, UsageError
from ..llm.asking import Asker, Truncated
from ..llm.base import Backend
from ..llm.costs import cost_usd
from ..llm.prompts import Prompts
from ..offline.gazetteer import forget_texts
from ..offline.picks import Candidates
from ..schema import Brief, BriefDraft, CheckScores, Meta, Notes, SourceRef, notes_json
from ..text.chunking import Chunk, chunk_document, render_lines
from ..text.document import Document
from ..text.grounding import Grounder, ground_draft, ground_notes
from ..text.ingest import DEFAULT_MAX_BYTES, load_sources
from ..text.tokens import get_encoding
from .budget import fit_to_budget
from .merge import merge_notes
from .select import PickCounts, Picks, PicksSpec, notes_from_picks

MAP_TASKS = ("auto", "notes", "select")

Progress = Callable[[int, int], None]


@dataclass
class BriefOptions:
    max_words: int = 500
    chunk_tokens: int = 2000
    chunk_overlap: int = 0
    max_reasks: int = 2
    answer_tokens: int | None = None  # cap on each answer (max_tokens); None: the server's own
    reduce_tokens: int = 6000  # merged notes above this go through staged reduce
    concurrency: int | None = None  # None: the configured value (default 4)
    use_cache: bool = True
    check: bool = False  # run the lexical compare on the result and put its scores in meta
    as_of: str | None = None
    title: str | None = None
    prompts_dir: Path | str | None = None
    max_input_bytes: int = DEFAULT_MAX_BYTES
    # select: the model picks sentence ids; notes: it writes notes; auto (default): select
    # with a model server, notes with the offline engine (whose notes are its own)
    map_task: str = "auto"

    def validate(self) -> None:
        if self.map_task not in MAP_TASKS:
            raise UsageError(f"--map must be one of {', '.join(MAP_TASKS)} (got {self.map_task!r})")
        if self.max_words < 50:
            raise UsageError(f"--max-words must be at least 50 (got {self.max_words})")
        if self.as_of and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", self.as_of):
            raise UsageError(f"--as-of must be a date as YYYY-MM-DD (got {self.as_of!r})")
        if self.max_reasks < 0:
            raise UsageError("--max-reasks cannot be negative")
        if self.concurrency is not None and self.concurrency < 1:
            raise UsageError(f"--concurrency must be at least 1 (got {self.concurrency})")


@dataclass
class SelectPart:
    """A chunk's candidates and the model's validated picks, read into notes on demand."""

    cand: "Candidates"
    picks: Picks


class _Run:
    """One brief in the making: holds the backend, prompts, usage and grounding state."""

    def __init__(self, docs: list[Document], backend: Backend, options: BriefOptions):
        self.docs = docs
        self.backend = backend
        self.options = options
        self.prompts = Prompts(options.prompts_dir)
        self.grounder = Grounder(docs)
        self.asker = Asker(backend, self.prompts, options.max_reasks, options.answer_tokens,
                           limit=asyncio.Semaphore(options.concurrency or 4))
        self.title = options.title or docs[0].title or Path(docs[0].path).stem or "Brief"
        self.encoding = get_encoding(backend.model)
        self.picks = PickCounts()
        self.unread_chunks = 0  # select: chunks whose picks the reduce did not need read
        self.shared_prefix: list[int] = []  # per map call: tokens before anything chunk-specific
        self._bare: dict[str, str] = {}
        self._prefix_tokens: dict[str, int] = {}

    def note_shared_prefix(self, messages: list[dict[str, str]], template: str) -> None:
        """Count the map call's prefix that every map call of the run shares: the template
        rendered around an empty chunk, up to where the two first differ. (The bare
        rendering and the count of each distinct prefix are made once a run.)"""
        bare = self._bare.get(template)
        if bare is None:
            empty = self.prompts.render(template, title=self.title, chunk_number=0, chunk_total=0, blocks=[],
                                        **({"sides": []} if template == "select.j2" else {}))
            bare = self._bare[template] = "\n".join(m["content"] for m in empty)
        full = "\n".join(m["content"] for m in messages)
        n = _common_prefix_length(full, bare)
        # stop at the last line break inside the shared part: "Section 1" vs "Section 0"
        cut = full.rfind("\n", 0, n)
        prefix = full[:cut if cut > 0 else n]
        tokens = self._prefix_tokens.get(prefix)
        if tokens is None:
            tokens = self._prefix_tokens[prefix] = self.count(prefix)
        self.shared_prefix.append(tokens)

    def chunks(self) -> list[Chunk]:
        out: list[Chunk] = []
        for doc in self.docs:
            out += chunk_document(doc, max_tokens=self.options.chunk_tokens,
                                  overlap_tokens=self.options.chunk_overlap, model=self.backend.model)
        return [replace(chunk, index=i) for i, chunk in enumerate(out)]

    def blocks(self, pieces) -> list[dict]:
        """Pieces grouped under their headings, as the prompt shows them."""
        sentences = self.grounder.sentences
        blocks: list[dict] = []
        run: list = []
        heading: str | None = None
        for piece in pieces:
            piece_heading = sentences[piece.sentence_id].heading
            if run and piece_heading != heading:
                blocks.append({"heading": heading, "lines": render_lines(run)})
                run = []
            heading = piece_heading
            run.append(piece)
        if run:
            blocks.append({"heading": heading, "lines": render_lines(run)})
        for before, block in zip(blocks, blocks[1:]):  # a repeated heading adds nothing
            if block["heading"] == before["heading"]:
                block["heading"] = None
        return blocks

    def extract_messages(self, pieces, number: int, total: int) -> list[dict[str, str]]:
        return self.prompts.render("extract.j2", title=self.title, chunk_number=number,
                                   chunk_total=total, blocks=self.blocks(pieces))

    async def map_chunk(self, chunk: Chunk, total: int) -> "Notes | SelectPart":
        label = f"chunk {chunk.index + 1} of {total}"
        if self.options.map_task == "select":
            return await self.select_chunk(chunk, total, label)
        return await self._map_pieces(list(chunk.pieces), chunk.index + 1, total, label, split=True)

    async def select_chunk(self, chunk: Chunk, total: int, label: str) -> "SelectPart":
        from ..offline.lexicon import Line
        from ..offline.picks import find_candidates

        sentences = self.grounder.sentences
        lines = [Line(sid, sentences[sid].text, sentences[sid].heading) for sid in chunk.sentence_ids
                 if sid in sentences]
        # A fast scan offers the candidates (no reading by the engine before the call)
        cand = find_candidates(lines, self.title)
        messages = self.prompts.render("select.j2", title=self.title, chunk_number=chunk.index + 1,
                                       chunk_total=total, sides=cand.sides, blocks=self.blocks(list(chunk.pieces)))
        self.note_shared_prefix(messages, "select.j2")
        try:
            picks = await self.asker.ask("select", messages, PicksSpec(cand), label)
        except Truncated:
            raise NotesError(f"{label}: model could not produce valid notes: its picks were cut off "
                             f"(finish_reason=length); raise --max-answer-tokens") from None
        return SelectPart(cand, picks)

    def read_picks(self, part: "SelectPart") -> Notes:
        """The engine reads the chunk and turns the model's picks into grounded notes."""
        notes, counts = notes_from_picks(part.picks, part.cand)
        self.picks.add(counts)
        return ground_notes(notes, self.grounder)

    async def _map_pieces(self, pieces: list, number: int, total: int, label: str, split: bool) -> Notes:
        messages = self.extract_messages(pieces, number, total)
        self.note_shared_prefix(messages, "extract.j2")
        try:
            notes = await self.asker.ask("extract", messages, Notes, label)
        except Truncated:
            # The notes did not fit the answer: ask once for each half of the chunk instead.
            # Only once: a model that runs on to the limit again is looping, not long-winded.
            if not split or len(pieces) < 2:
                raise NotesError(f"{label}: model could not produce valid notes: the answer was "
                                 f"cut off (finish_reason=length)") from None
            half = len(pieces) // 2
            parts = await asyncio.gather(
                self._map_pieces(pieces[:half], number, total, label + " (first half)", split=False),
                self._map_pieces(pieces[half:], number, total, label + " (second half)", split=False))
            return merge_notes(list(parts), self.grounder.source_norm)
        return ground_notes(notes, self.grounder)

    async def read_in_order(self, parts: list["asyncio.Future[SelectPart]"]) -> list[Notes]:
        """The chunks' picks as notes, in document order, read as their answers come in,
        until the notes read are over the reduce budget. The engine reads a chunk only
        when the reduce needs its notes: over the budget, the halving keeps the head of
        each list of those read, so the chunks after them are not read (their picks were
        checked against the chunk's ids when they came in). The reading (~10 ms a chunk)
        runs in a worker thread while later answers are awaited."""
        from concurrent.futures import ThreadPoolExecutor

        budget = self.options.reduce_tokens
        loop = asyncio.get_running_loop()
        read: list[Notes] = []
        size = 0
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="briefer-read") as worker:
            for part in parts:
                if size > budget:
                    break
                notes, tokens = await loop.run_in_executor(worker, self._read_and_count, await part)
                read.append(notes)
                size += tokens
        self.unread_chunks = len(parts) - len(read)
        return read

    def _read_and_count(self, part: "SelectPart") -> tuple[Notes, int]:
        notes = self.read_picks(part)
        return notes, self.count(notes_json(notes))

    def reduce_picks(self, read: list[Notes]) -> Notes:
        """The select task's offline reduce: the notes read (``read_in_order``) merged;
        while over the budget, each list keeps its better (first) half."""
        from ..offline.compose import condense_notes

        budget = self.options.reduce_tokens
        merged = merge_notes(read, self.grounder.source_norm)
        size = self.count(notes_json(merged))
        for _ in range(8):  # the offline reduce: keep the better half of each list
            if size <= budget:
                break
            merged = condense_notes(merged)
            size = self.count(notes_json(merged))
        return merged

    async def reduce(self, parts: list[Notes]) -> Notes:
        """Merge notes; while they are too large for one brief call, condense in stages."""
        merged = merge_notes(parts, self.grounder.source_norm)
        budget = self.options.reduce_tokens
        size = self.count(notes_json(merged))
        for _ in range(4):  # each round at least halves the number of parts
            if size <= budget:
                break
            groups = pack_notes(parts, budget, self.count)
            reduced = await asyncio.gather(*(self._reduce_group(group, n, len(groups))
                                             for n, group in enumerate(groups, 1)))
            new = merge_notes(list(reduced), self.grounder.source_norm)
            new_size = self.count(notes_json(new))
            if new_size >= size:
                merged = new
                break  # no progress: go on with what we have rather than loop
            parts, merged, size = list(reduced), new, new_size
        return merged

    def count(self, text: str) -> int:
        return len(self.encoding.encode_ordinary(text))

    async def _reduce_group(self, group: list[Notes], number: int, total: int) -> Notes:
        messages = self.prompts.render("reduce.j2", title=self.title, part_number=number, part_total=total,
                                       notes_json=notes_json(merge_notes(group, self.grounder.source_norm)))
        label = f"reduce part {number} of {total}"
        try:
            answer = await self.asker.ask("reduce", messages, Notes, label)
        except Truncated:
            raise NotesError(f"{label}: model could not produce valid notes: the answer was cut off "
                             f"(finish_reason=length); try a smaller --chunk-tokens") from None
        return ground_notes(answer, self.grounder)

    def brief_messages(self, notes: Notes) -> list[dict[str, str]]:
        return self.prompts.render("brief.j2", title=self.title, max_words=self.options.max_words,
                                   notes_json=notes_json(notes))

    async def final(self, notes: Notes) -> BriefDraft:
        if self.options.map_task == "select":
            from ..offline.compose import compose_brief

            draft = BriefDraft.model_validate(compose_brief(notes))
            if notes.disputes:  # the disputes the model picked, where their checks held
                draft.disputes = notes.disputes
            seen: set[str] = set()  # one dispute per issue (chunks may pick the same one)
            draft.disputes = [d for d in draft.disputes
                              if not (d.issue.lower() in seen or seen.add(d.issue.lower()))][:3]
            return ground_draft(draft, self.grounder)
        try:
            draft = await self.asker.ask("brief", self.brief_messages(notes), BriefDraft, "brief")
        except Truncated:
            raise NotesError("brief: model could not produce valid notes: the answer was cut off "
                             "(finish_reason=length)") from None
        return ground_draft(draft, self.grounder)


def _common_prefix_length(a: str, b: str) -> int:
    """``len(os.path.commonprefix([a, b]))`` by halving with C-speed comparisons of
    prefixes (commonprefix walks the characters in Python: ~0.3 ms a map call)."""
    n = min(len(a), len(b))
    if a.startswith(b[:n]):
        return n
    lo, hi = 0, n  # a and b share their first lo characters, not their first hi
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if a.startswith(b[:mid]):
            lo = mid
        else:
            hi = mid
    return lo


def resolve_map_task(options: BriefOptions, online: bool) -> BriefOptions:
    """``auto``: the select task for a model server, the notes task for the offline engine."""
    if options.map_task != "auto":
        return options
    return replace(options, map_task="select" if online else "notes")


def pack_notes(parts: list[Notes], budget: int, count: Callable[[str], int]) -> list[list[Notes]]:
    """Consecutive groups of notes, each within ``budget`` tokens (``count``), at least two
    per group where there are two, so every reduce round makes progress."""
    groups: list[list[Notes]] = []
    current: list[Notes] = []
    size = 0
    for part in parts:
        tokens = count(notes_json(part))
        if current and size + tokens > budget and len(current) >= 2:
            groups.append(current)
            current, size = [], 0
        current.append(part)
        size += tokens
    if current:
        groups.append(current)
    return groups


def _used_ids(draft: BriefDraft) -> list[str]:
    ids: list[str] = list(draft.bluf_evidence)
    for side in draft.sides:
        ids += side.evidence
        for pos in side.positions:
            ids += pos.evidence
    for item in [*draft.agreements, *draft.next_steps, *draft.quotes]:
        ids += item.evidence
    for dispute in draft.disputes:
        for stance in dispute.stances:
            ids += stance.evidence
    return ids


def _sort_key(sentence_id: str) -> tuple[int, int]:
    doc, _, sent = sentence_id.rpartition("S")
    return (int(doc.strip("D.") or 1), int(sent))


async def brief_async(docs: list[Document], backend: Backend, options: BriefOptions,
                       progress: Progress | None, prices: dict | None) -> Brief:
    started = time.perf_counter()
    forget_texts()  # the memo of what the engine read holds this brief's texts only
    options = resolve_map_task(options, backend.name != "mock")
    run = _Run(docs, backend, options)
    chunks = run.chunks()
    done = 0

    async def map_one(chunk: Chunk) -> Notes:
        nonlocal done
        notes = await run.map_chunk(chunk, len(chunks))
        done += 1
        if progress:
            progress(done, len(chunks))
        return notes

    if options.map_task == "select":
        # the answers are read into notes in document order as they come in
        loop = asyncio.get_running_loop()
        answered = [loop.create_future() for _ in chunks]
        # A chunk's candidates are scanned when its call is at most one round of calls
        # away: the first calls go out after a few scans instead of all of them (every
        # task ran its scan before the event loop got to send the first requests), and
        # the later scans run while answers are awaited.
        ahead = asyncio.Semaphore(2 * (options.concurrency or 4))

        async def select_one(n: int, chunk: Chunk) -> None:
            async with ahead:
                answered[n].set_result(await map_one(chunk))

        reader = asyncio.ensure_future(run.read_in_order(answered))
        try:
            await asyncio.gather(*(select_one(n, chunk) for n, chunk in enumerate(chunks)))
        except BaseException:
            reader.cancel()
            raise
        reduced = run.reduce_picks(await reader)
    else:
        parts = await asyncio.gather(*(map_one(chunk) for chunk in chunks))
        reduced = await run.reduce(list(parts))
    draft = await run.final(reduced)
    draft, words = fit_to_budget(draft, options.max_words)
    used = sorted(set(_used_ids(draft)), key=_sort_key)
    usage = run.asker.usage
    cost = None if backend.name == "mock" else cost_usd(backend.model, usage.prompt_tokens,
                                                          usage.completion_tokens, prices)
    meta = Meta(backend=backend.name, model=backend.model, llm_calls=usage.calls,
                prompt_tokens=usage.prompt_tokens, completion_tokens=usage.completion_tokens,
                chunks=len(chunks), dropped_ungrounded=run.grounder.dropped,
                elapsed_s=round(time.perf_counter() - started, 3), words=words,
                cache_hits=usage.cache_hits, structured_output=usage.modes[-1] if usage.modes else None,
                cost_usd=cost, map_task=options.map_task,
                model_picks=run.picks.used if options.map_task == "select" else None,
                picks_dropped=run.picks.dropped,
                shared_prefix_tokens=min(run.shared_prefix) if run.shared_prefix else None)
    result = Brief(title=run.title, as_of=options.as_of, **draft.model_dump(),
                   citations=run.grounder.citations(used),
                   sources=[SourceRef(id=d.id, path=d.path, sha256=d.sha256) for d in docs], meta=meta)
    if options.check:
        from ..compare import claims_from_brief, compare_claims

        checked = compare_claims(claims_from_brief(result), docs)
        result.meta.check = CheckScores(faithfulness=checked.faithfulness, coverage=checked.coverage,
                                        supported=checked.counts.supported,
                                        unsupported=checked.counts.unsupported,
                                        contradicted=checked.counts.contradicted)
    return result


def brief_documents(docs: list[Document], backend: Backend, options: BriefOptions | None = None,
                    progress: Progress | None = None, prices: dict | None = None) -> Brief:
    """Brief already-loaded documents with a ready backend."""
    options = options or BriefOptions()
    options.validate()

    async def run() -> Brief:
        try:
            return await brief_async(docs, backend, options, progress, prices)
        finally:
            await backend.aclose()

    return asyncio.run(run())


def _prepare(sources, backend, options, option_overrides, notice, flags):
    """Shared by ``brief`` and ``plan``: options, documents, settings, backend."""
    options = replace(options or BriefOptions(), **option_overrides)
    options.validate()
    paths = [str(sources)] if isinstance(sources, (str, Path)) else [str(s) for s in sources]
    if not paths:
        raise UsageError("no source given")
    if isinstance(backend, str):
        check_backend_name(backend)
    docs = load_sources(paths, max_bytes=options.max_input_bytes, warn=notice)
    options, settings, backend = open_backend(backend, options, notice, flags)
    return options, docs, settings, backend


def open_backend(backend, options: BriefOptions, notice, flags):
    """Settings (flag > env > profile > default) and a ready backend, cached when online."""
    from ..llm.cache import ResponseCache
    from ..llm.config import load_settings

    settings = load_settings(**flags)
    if options.concurrency is None:
        options = replace(options, concurrency=settings.concurrency)
    if isinstance(backend, str):
        check_backend_name(backend)
        online = backend == "openai" or (backend == "auto" and settings.wants_llm())
        cache = ResponseCache() if options.use_cache and online else None
        backend = make_backend(backend, settings=settings, notice=notice, cache=cache)
    # load the model's encoding now, so a fallback is reported through ``notice`` (or not at all)
    get_encoding(backend.model, warn=notice or (lambda message: None))
    return options, settings, backend


def brief(sources: list[str | Path] | str | Path, *, backend: Backend | str = "auto",
          model: str | None = None, base_url: str | None = None, profile: str | None = None, timeout: float | None = None,
          options: BriefOptions | None = None, notice: Callable[[str], None] | None = None,
          progress: Progress | None = None, **option_overrides) -> Brief:
    """Brief one or more source files (``"-"`` reads stdin).

    ``backend`` is a ``Backend`` instance or a name (``auto``, ``mock``, ``openai``);
    ``model``/``base_url``/``profile`` override the configured settings; keyword
    arguments such as ``max_words=300`` override fields of ``options``.
    """
    options, docs, settings, backend = _prepare(sources, backend, options, option_overrides, notice,
                                                {"profile": profile, "model": model, "base_url": base_url,
                                                 "timeout": timeout})
    return brief_documents(docs, backend, options, progress=progress, prices=settings.prices)
