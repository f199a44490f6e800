"""A backend for tests: answers queued in advance, every request recorded.

``ScriptedBackend().queue(raw, ...)`` serves the queued answers in order; ``requests`` and
``answers`` show exactly what was asked and answered. With the queue empty it calls
``answer``, which subclasses supply (the offline engine answers from the request's text).
"""

from __future__ import annotations

from ..errors import BackendError
from .base import Backend, ChatRequest, ChatResponse


def _words(messages: list[dict[str, str]]) -> int:
    return sum(len(m["content"].split()) for m in messages)


class ScriptedBackend(Backend):
    name = "scripted"

    def __init__(self, responses: list[str] | None = None):
        self.model = None
        self.responses: list[str] = list(responses or [])
        self.requests: list[ChatRequest] = []
        self.answers: list[str] = []

    def queue(self, *responses: str) -> "ScriptedBackend":
        self.responses.extend(responses)
        return self

    def complete(self, request: ChatRequest) -> ChatResponse:
        self.requests.append(request)
        content = self.responses.pop(0) if self.responses else self.answer(request)
        self.answers.append(content)
        # Word counts stand in for tokens: a scripted backend has no tokenizer of its own.
        return ChatResponse(content=content, prompt_tokens=_words(request.messages),
                            completion_tokens=len(content.split()))

    def answer(self, request: ChatRequest) -> str:
        raise BackendError(f"no scripted answer left for the {request.task!r} request")
