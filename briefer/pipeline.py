"""Source files in, a grounded ``Brief`` out: ingest -> chunk -> map -> merge -> reduce -> brief.

Each chunk goes through ``extract.j2`` for notes; notes are grounded, merged across chunks
and, when too large for one call, condensed in stages through ``reduce.j2``; ``brief.j2``
turns them into the brief, which is grounded again and fitted to the word budget.
"""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, TypeVar

from pydantic import BaseModel, ValidationError

from .backends import BACKEND_NAMES, Backend, ChatRequest, make_backend
from .budget import fit_to_budget
from .chunking import Chunk, chunk_document, render_lines
from .document import Document
from .errors import NotesError, UsageError
from .grounding import Grounder, ground_draft, ground_notes
from .ingest import DEFAULT_MAX_BYTES, load_sources
from .merge import merge_notes
from .prompts import Prompts
from .schema import Brief, BriefDraft, Meta, Notes, SourceRef, strict_json_schema
from .tokens import count_tokens, get_encoding

M = TypeVar("M", bound=BaseModel)


@dataclass
class BriefOptions:
    max_words: int = 500
    chunk_tokens: int = 2000
    chunk_overlap: int = 0
    max_reasks: int = 2
    reduce_tokens: int = 6000  # merged notes above this go through staged reduce
    as_of: str | None = None
    title: str | None = None
    prompts_dir: Path | str | None = None
    max_input_bytes: int = DEFAULT_MAX_BYTES

    def validate(self) -> None:
        if self.max_words < 50:
            raise UsageError(f"--max-words must be at least 50 (got {self.max_words})")
        if self.as_of and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", self.as_of):
            raise UsageError(f"--as-of must be a date as YYYY-MM-DD (got {self.as_of!r})")
        if self.max_reasks < 0:
            raise UsageError("--max-reasks cannot be negative")


@dataclass
class _Usage:
    calls: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    modes: set[str] = field(default_factory=set)


def parse_json_object(text: str) -> dict:
    """The JSON object in a model's answer, tolerating code fences and leading prose."""
    text = text.strip()
    fenced = re.search(r"```(?:json)?\s*(.*?)```", text, re.S)
    if fenced:
        text = fenced.group(1).strip()
    start = text.find("{")
    if start < 0:
        raise ValueError("the answer contains no JSON object")
    try:
        value, _ = json.JSONDecoder().raw_decode(text[start:])
    except json.JSONDecodeError as exc:
        raise ValueError(f"invalid JSON ({exc.msg} at line {exc.lineno} column {exc.colno})") from exc
    if not isinstance(value, dict):
        raise ValueError("the answer is not a JSON object")
    return value


def _problem(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        parts = []
        for err in exc.errors()[:3]:
            where = ".".join(str(p) for p in err["loc"]) or "top level"
            parts.append(f"{where}: {err['msg']}")
        more = f" (and {exc.error_count() - 3} more)" if exc.error_count() > 3 else ""
        return "; ".join(parts) + more
    return str(exc)


class _Run:
    """One brief in the making: holds the backend, prompts, usage and grounding state."""

    def __init__(self, docs: list[Document], backend: Backend, options: BriefOptions):
        self.docs = docs
        self.backend = backend
        self.options = options
        self.prompts = Prompts(options.prompts_dir)
        self.grounder = Grounder(docs)
        self.usage = _Usage()
        self.title = options.title or docs[0].title or Path(docs[0].path).stem or "Brief"

    def ask(self, task: str, messages: list[dict[str, str]], model: type[M], label: str) -> M:
        """Ask, validate, and re-ask with the problem (bounded) until the answer validates."""
        schema = strict_json_schema(model)
        attempts = self.options.max_reasks + 1
        problem, content = "", ""
        for _ in range(attempts):
            request = ChatRequest(task=task, messages=messages, schema_name=model.__name__.lower(),
                                  schema=schema)
            response = self.backend.complete(request)
            self.usage.calls += 1
            self.usage.prompt_tokens += response.prompt_tokens
            self.usage.completion_tokens += response.completion_tokens
            if "mode" in response.extra:
                self.usage.modes.add(response.extra["mode"])
            content = response.content
            try:
                if response.finish_reason == "length":
                    raise ValueError("the answer was cut off before the JSON ended (finish_reason=length)")
                if response.finish_reason == "refusal":
                    raise ValueError(f"the model refused: {response.extra.get('refusal')}")
                return model.model_validate(parse_json_object(content))
            except (ValueError, ValidationError) as exc:
                problem = _problem(exc)
            retry = self.prompts.render("retry.j2", error=problem)
            messages = [*messages, {"role": "assistant", "content": content},
                        *[m for m in retry if m["role"] == "user"]]
        raise NotesError(f"{label}: model could not produce valid notes after {attempts} "
                         f"attempt{'s' if attempts != 1 else ''}: {problem}",
                         attempts=attempts, last_output=content)

    # ------------------------------------------------------------ stages

    def chunks(self) -> list[Chunk]:
        out: list[Chunk] = []
        for doc in self.docs:
            out += chunk_document(doc, max_tokens=self.options.chunk_tokens,
                                  overlap_tokens=self.options.chunk_overlap, model=self.backend.model)
        return out

    def _blocks(self, chunk: Chunk) -> list[dict]:
        """Chunk pieces grouped under their headings, as the prompt shows them."""
        sentences = self.grounder.sentences
        blocks: list[dict] = []
        run: list = []
        heading: str | None = None
        for piece in chunk.pieces:
            piece_heading = sentences[piece.sentence_id].heading
            if run and piece_heading != heading:
                blocks.append({"heading": heading, "lines": render_lines(run)})
                run = []
            heading = piece_heading
            run.append(piece)
        if run:
            blocks.append({"heading": heading, "lines": render_lines(run)})
        # a heading repeated from the previous block adds nothing
        for before, block in zip(blocks, blocks[1:]):
            if block["heading"] == before["heading"]:
                block["heading"] = None
        return blocks

    def map_chunk(self, chunk: Chunk, total: int) -> Notes:
        messages = self.prompts.render("extract.j2", title=self.title, chunk_number=chunk.index + 1,
                                       chunk_total=total, blocks=self._blocks(chunk))
        label = f"chunk {chunk.index + 1} of {total}" + (f" ({chunk.doc_id})" if len(self.docs) > 1 else "")
        return ground_notes(self.ask("extract", messages, Notes, label), self.grounder)

    def reduce(self, parts: list[Notes]) -> Notes:
        """Merge notes; while they are too large for one brief call, condense in stages."""
        source_text = "\n".join(d.text for d in self.docs)
        merged = merge_notes(parts, source_text)
        budget = self.options.reduce_tokens
        for _ in range(4):  # each round at least halves the number of parts
            size = count_tokens(merged.model_dump_json(), self.backend.model)
            if size <= budget:
                break
            groups = _pack(parts, budget, self.backend.model)
            reduced = []
            for number, group in enumerate(groups, 1):
                messages = self.prompts.render(
                    "reduce.j2", title=self.title, part_number=number, part_total=len(groups),
                    notes_json=merge_notes(group, source_text).model_dump_json())
                answer = self.ask("reduce", messages, Notes, f"reduce part {number} of {len(groups)}")
                reduced.append(ground_notes(answer, self.grounder))
            new = merge_notes(reduced, source_text)
            if count_tokens(new.model_dump_json(), self.backend.model) >= size:
                merged = new
                break  # no progress: go on with what we have rather than loop
            parts, merged = reduced, new
        return merged

    def final(self, notes: Notes) -> BriefDraft:
        messages = self.prompts.render("brief.j2", title=self.title, max_words=self.options.max_words,
                                       notes_json=notes.model_dump_json())
        draft = self.ask("brief", messages, BriefDraft, "brief")
        return ground_draft(draft, self.grounder)


def _pack(parts: list[Notes], budget: int, model: str | None) -> list[list[Notes]]:
    """Consecutive groups of notes, each within ``budget`` tokens, at least two per group
    where there are two, so every reduce round makes progress."""
    groups: list[list[Notes]] = []
    current: list[Notes] = []
    size = 0
    for part in parts:
        tokens = count_tokens(part.model_dump_json(), model)
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


def brief_documents(docs: list[Document], backend: Backend, options: BriefOptions | None = None,
                    progress: Callable[[int, int], None] | None = None) -> Brief:
    """Brief already-loaded documents with a ready backend."""
    options = options or BriefOptions()
    options.validate()
    started = time.perf_counter()
    run = _Run(docs, backend, options)
    chunks = run.chunks()
    parts = []
    for chunk in chunks:
        parts.append(run.map_chunk(chunk, len(chunks)))
        if progress:
            progress(len(parts), len(chunks))
    draft = run.final(run.reduce(parts))
    draft, words = fit_to_budget(draft, options.max_words)
    used = sorted(set(_used_ids(draft)), key=_sort_key)
    meta = Meta(backend=backend.name, model=backend.model, llm_calls=run.usage.calls,
                prompt_tokens=run.usage.prompt_tokens, completion_tokens=run.usage.completion_tokens,
                chunks=len(chunks), dropped_ungrounded=run.grounder.dropped,
                elapsed_s=round(time.perf_counter() - started, 3), words=words)
    return Brief(title=run.title, as_of=options.as_of, **draft.model_dump(),
                 citations=run.grounder.citations(used),
                 sources=[SourceRef(id=d.id, path=d.path, sha256=d.sha256) for d in docs], meta=meta)


def brief(sources: list[str | Path] | str | Path, *, backend: Backend | str = "auto",
          model: str | None = None, base_url: str | None = None, api_key: str | None = None,
          options: BriefOptions | None = None, notice: Callable[[str], None] | None = None,
          **option_overrides) -> Brief:
    """Brief one or more source files (``"-"`` reads stdin).

    ``backend`` is a ``Backend`` instance or a name (``auto``, ``mock``, ``openai``);
    keyword arguments such as ``max_words=300`` override fields of ``options``.
    """
    options = replace(options or BriefOptions(), **option_overrides)
    options.validate()
    paths = [str(sources)] if isinstance(sources, (str, Path)) else [str(s) for s in sources]
    if not paths:
        raise UsageError("no source given")
    if isinstance(backend, str) and backend not in BACKEND_NAMES:
        raise UsageError(f"unknown backend {backend!r} (choose {', '.join(BACKEND_NAMES)})")
    docs = load_sources(paths, max_bytes=options.max_input_bytes, warn=notice)
    if isinstance(backend, str):
        backend = make_backend(backend, model=model, base_url=base_url, api_key=api_key, notice=notice)
    # load the model's encoding now, so a fallback is reported through ``notice`` (or not at all)
    get_encoding(backend.model, warn=notice or (lambda message: None))
    return brief_documents(docs, backend, options)
