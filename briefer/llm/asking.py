"""Asking a model for JSON that validates: parse, validate, re-ask with the problem.

Bounded: after ``max_reasks`` re-asks the last problem is raised as ``NotesError``
carrying the attempt count and the last raw output. A cut-off answer
(``finish_reason == "length"``) raises ``Truncated`` instead, so the caller can retry
with a smaller chunk.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
from dataclasses import dataclass, field
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from ..errors import NotesError
from ..schema import strict_json_schema
from .base import Backend, ChatRequest
from .prompts import Prompts

M = TypeVar("M", bound=BaseModel)


class Truncated(Exception):
    """The answer hit the token limit before the JSON ended."""


@dataclass
class Usage:
    calls: int = 0  # requests that reached the server (cache hits excluded)
    cache_hits: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    modes: list[str] = field(default_factory=list)

    def add(self, calls: int, cache_hits: int, prompt_tokens: int, completion_tokens: int) -> None:
        """Count another run's calls and tokens in (a digest adds up its documents' briefs)."""
        self.calls += calls
        self.cache_hits += cache_hits
        self.prompt_tokens += prompt_tokens
        self.completion_tokens += completion_tokens


def parse_json_object(text: str) -> dict:
    """The JSON object in a model's answer, tolerating code fences and leading prose."""
    text = text.strip()
    fenced = re.search(r"```(?:json)?\s*(.*?)```", text, re.S)
    if fenced:
        text = fenced.group(1).strip()
    start = text.find("{")
    if start < 0:
        raise ValueError("the answer contains no JSON object" if text else "the answer was empty")
    try:
        # strict=False: grammar-constrained servers may put raw control characters in strings
        value, _ = json.JSONDecoder(strict=False).raw_decode(text[start:])
    except json.JSONDecodeError as exc:
        raise ValueError(f"invalid JSON ({exc.msg} at line {exc.lineno} column {exc.colno})") from exc
    if not isinstance(value, dict):
        raise ValueError("the answer is not a JSON object")
    return value


def describe_problem(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        parts = []
        for err in exc.errors()[:3]:
            where = ".".join(str(p) for p in err["loc"]) or "top level"
            parts.append(f"{where}: {err['msg']}")
        more = f" (and {exc.error_count() - 3} more)" if exc.error_count() > 3 else ""
        return "; ".join(parts) + more
    return str(exc)


class Asker:
    def __init__(self, backend: Backend, prompts: Prompts, max_reasks: int = 2,
                 answer_tokens: int | None = None, limit: asyncio.Semaphore | None = None):
        self.backend = backend
        self.limit = limit  # requests in flight at a time (held for the request only)
        self.answer_tokens = answer_tokens
        self.prompts = prompts
        self.max_reasks = max_reasks
        self.usage = Usage()

    def _account(self, response) -> None:
        if response.extra.get("cached"):
            self.usage.cache_hits += 1
        else:
            self.usage.calls += 1
            self.usage.prompt_tokens += response.prompt_tokens
            self.usage.completion_tokens += response.completion_tokens
        mode = response.extra.get("mode")
        if mode and mode not in self.usage.modes:
            self.usage.modes.append(mode)

    async def ask(self, task: str, messages: list[dict[str, str]], model: type[M], label: str) -> M:
        """``model``: a pydantic model, or an answer format made for one request, with
        ``schema_name``, ``json_schema`` and ``model_validate`` (raising ValueError), such as
        the select task's ``PicksSpec``."""
        schema = getattr(model, "json_schema", None)
        if not isinstance(schema, dict):
            schema = strict_json_schema(model)
        name = getattr(model, "schema_name", None) or model.__name__.lower()
        attempts = self.max_reasks + 1
        problem, content = "", ""
        for _ in range(attempts):
            request = ChatRequest(task=task, messages=messages, schema_name=name,
                                  schema=schema, max_tokens=self.answer_tokens)
            async with self.limit or contextlib.nullcontext():
                response = await self.backend.acomplete(request)
            # Let a request that waited for the slot go out before this answer is checked:
            # the server works on it meanwhile.
            await asyncio.sleep(0)
            self._account(response)
            content = response.content
            if response.finish_reason == "length":
                raise Truncated(label)
            try:
                if response.finish_reason == "refusal":
                    raise ValueError(f"the model refused: {response.extra.get('refusal')}")
                return model.model_validate(parse_json_object(content))
            except (ValueError, ValidationError) as exc:
                problem = describe_problem(exc)
            retry = self.prompts.render("retry.j2", error=problem,
                                        schema_json=json.dumps(schema, separators=(",", ":")))
            messages = [*messages, {"role": "assistant", "content": content},
                        *[m for m in retry if m["role"] == "user"]]
        raise NotesError(f"{label}: model could not produce valid notes after {attempts} "
                         f"attempt{'s' if attempts != 1 else ''}: {problem}",
                         attempts=attempts, last_output=content)
