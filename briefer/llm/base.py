"""The one interface between the pipeline and a language model.

A backend takes a ``ChatRequest`` (messages plus the JSON schema the answer must follow)
and returns a ``ChatResponse`` with the raw text and token usage. Parsing, validation,
re-asking and grounding live in the pipeline, so every backend gets them for free.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar, Literal

Task = Literal["extract", "select", "reduce", "brief", "verify", "digest"]


@dataclass
class ChatRequest:
    task: Task  # what the answer is for; servers never see it, the offline engine uses it
    messages: list[dict[str, str]]
    schema_name: str
    schema: dict[str, Any]
    temperature: float = 0.0
    max_tokens: int | None = None


@dataclass
class ChatResponse:
    content: str
    prompt_tokens: int = 0
    completion_tokens: int = 0
    finish_reason: str | None = "stop"
    extra: dict[str, Any] = field(default_factory=dict)


class Backend:
    """Subclasses set ``name`` and implement ``complete`` (or ``acomplete``, which the
    pipeline calls; by default it runs ``complete`` in place)."""

    name: ClassVar[str] = "base"
    model: str | None = None

    def complete(self, request: ChatRequest) -> ChatResponse:
        raise NotImplementedError

    async def acomplete(self, request: ChatRequest) -> ChatResponse:
        return self.complete(request)

    async def aclose(self) -> None:
        """Release connections at the end of a run (inside its event loop)."""

    def cache_identity(self) -> str | None:
        """Which server answers (for the response cache); None means: never cache."""
        return None
