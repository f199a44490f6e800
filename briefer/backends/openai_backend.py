"""Any OpenAI-compatible chat server through the official ``openai`` SDK.

Servers differ in what structured output they accept, so the backend tries, in order,
``json_schema`` (strict), ``json_object`` with the schema attached (llama.cpp's server),
and plain text with the schema in the prompt; the first mode a server accepts is kept for
the rest of the run. SDK errors are mapped to ``BackendError`` here, at the boundary.
"""

from __future__ import annotations

import json
import os

from ..errors import BackendError
from .base import Backend, ChatRequest, ChatResponse

DEFAULT_MODEL = "gpt-4o-mini"
MODES = ("json_schema", "json_object", "text")
# Status codes with which servers turn down a response_format they do not support.
_FORMAT_REJECTED = {400, 422, 500, 501}


def _response_format(mode: str, request: ChatRequest) -> dict | None:
    if mode == "json_schema":
        return {"type": "json_schema",
                "json_schema": {"name": request.schema_name, "schema": request.schema, "strict": True}}
    if mode == "json_object":
        return {"type": "json_object", "schema": request.schema}
    return None


def _with_schema_in_prompt(request: ChatRequest) -> list[dict[str, str]]:
    messages = [dict(m) for m in request.messages]
    hint = ("\n\nAnswer with one JSON object that follows this JSON schema:\n"
            + json.dumps(request.schema, separators=(",", ":")))
    first_user = next(i for i, m in enumerate(messages) if m["role"] == "user")
    messages[first_user]["content"] += hint
    return messages


class OpenAIBackend(Backend):
    name = "openai"

    def __init__(self, model: str | None = None, base_url: str | None = None,
                 api_key: str | None = None, timeout: float = 120.0, max_retries: int = 2):
        import openai  # imported here: the SDK is slow to import and offline runs skip it

        self._openai = openai
        self.model = model or os.environ.get("BRIEFER_MODEL") or DEFAULT_MODEL
        self.base_url = base_url or os.environ.get("OPENAI_BASE_URL") or "https://api.openai.com/v1"
        # Local servers need no key, but the SDK insists on one.
        key = api_key or os.environ.get("OPENAI_API_KEY") or "not-needed"
        self.client = openai.OpenAI(api_key=key, base_url=self.base_url, timeout=timeout,
                                    max_retries=max_retries)
        self.mode: str | None = None

    def complete(self, request: ChatRequest) -> ChatResponse:
        openai = self._openai
        modes = [self.mode] if self.mode else list(MODES)
        for position, mode in enumerate(modes):
            messages = request.messages if mode == "json_schema" else _with_schema_in_prompt(request)
            kwargs = {"model": self.model, "messages": messages, "temperature": request.temperature}
            if request.max_tokens:
                kwargs["max_tokens"] = request.max_tokens
            fmt = _response_format(mode, request)
            if fmt is not None:
                kwargs["response_format"] = fmt
            try:
                response = self.client.chat.completions.create(**kwargs)
            except openai.APIStatusError as exc:
                last = position == len(modes) - 1
                if exc.status_code in _FORMAT_REJECTED and not last and self.mode is None:
                    continue  # this server does not take this response_format: try the next
                raise BackendError(self._describe(exc)) from exc
            except openai.APITimeoutError as exc:
                raise BackendError(f"the model server at {self.base_url} timed out") from exc
            except openai.APIConnectionError as exc:
                raise BackendError(f"cannot reach the model server at {self.base_url}: {exc.__cause__ or exc}") from exc
            self.mode = mode
            return self._to_response(response, mode)
        raise BackendError("the server accepted no response format")  # unreachable in practice

    def _describe(self, exc) -> str:
        status = exc.status_code
        if status == 401:
            return f"the model server at {self.base_url} rejected the API key (HTTP 401); check OPENAI_API_KEY"
        if status == 404:
            return f"the model server at {self.base_url} has no model {self.model!r} (HTTP 404)"
        message = getattr(exc, "message", "") or str(exc)
        return f"the model server at {self.base_url} answered HTTP {status}: {message}"

    def _to_response(self, response, mode: str) -> ChatResponse:
        if not response.choices:
            return ChatResponse(content="", finish_reason="empty", extra={"mode": mode})
        choice = response.choices[0]
        message = choice.message
        usage = response.usage
        refusal = getattr(message, "refusal", None)
        return ChatResponse(
            content=message.content or "",
            prompt_tokens=getattr(usage, "prompt_tokens", 0) or 0,
            completion_tokens=getattr(usage, "completion_tokens", 0) or 0,
            finish_reason="refusal" if refusal else choice.finish_reason,
            extra={"mode": mode, "refusal": refusal},
        )
