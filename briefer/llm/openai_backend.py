"""Any OpenAI-compatible chat server through the official ``openai`` SDK (async client).

Structured output: servers differ in what they accept, so the first request probes, in
order, ``json_schema`` (strict), ``json_object`` with the schema (llama.cpp's server takes
it as a grammar) and plain text with the schema in the prompt. The first mode a server
accepts is kept for the run and remembered per server and model in the cache database.

Retries: one layer only, the SDK's own (``max_retries``: exponential backoff with jitter
on 408/409/429/5xx and connection errors, honouring ``Retry-After``). Probe requests go
out with retries off, since a 4xx/500 there means "format not supported"; anything else
during a probe is retried as a normal request. SDK errors become ``BackendError`` here.
"""

from __future__ import annotations

import asyncio
import json
import os

from ..errors import BackendError
from .base import Backend, ChatRequest, ChatResponse

DEFAULT_MODEL = "gpt-4o-mini"
MODES = ("json_schema", "json_object", "text")
# Status codes with which servers turn down a response_format they do not support.
_FORMAT_REJECTED = {400, 422, 500, 501}
# Worth the SDK's retries (as the SDK itself judges: timeouts, conflicts, rate limits, 5xx).
_TRANSIENT = {408, 409, 429, 502, 503, 504}


_SSL_CONTEXT: list = []  # the SDK's default TLS context, made once per process


def _http_client(openai, timeout: float):
    """The SDK's default async HTTP client, with one TLS context for the process: making
    the context loads the CA certificates (~35 ms of CPU), which the SDK does for every
    client, so once per brief. None (the SDK makes its own) where the SDK has no such hooks."""
    try:
        from openai import _base_client

        http = getattr(_base_client, "httpx2", None) or getattr(_base_client, "httpx")
        if not _SSL_CONTEXT:
            _SSL_CONTEXT.append(http.create_ssl_context())
        return openai.DefaultAsyncHttpxClient(verify=_SSL_CONTEXT[0], timeout=timeout)
    except Exception:  # pragma: no cover - other SDK versions
        return None


def response_format(mode: str, request: ChatRequest) -> dict | None:
    if mode == "json_schema":
        return {"type": "json_schema",
                "json_schema": {"name": request.schema_name, "schema": request.schema, "strict": True}}
    if mode == "json_object":
        return {"type": "json_object", "schema": request.schema}
    return None


def messages_for(mode: str, request: ChatRequest) -> list[dict[str, str]]:
    """In text mode nothing constrains the answer, so the schema goes into the prompt."""
    if mode != "text":
        return request.messages
    messages = [dict(m) for m in request.messages]
    first_user = next(i for i, m in enumerate(messages) if m["role"] == "user")
    messages[first_user]["content"] += ("\n\nAnswer with one JSON object that follows this JSON schema:\n"
                                        + json.dumps(request.schema, separators=(",", ":")))
    return messages


class OpenAIBackend(Backend):
    name = "openai"

    def __init__(self, model: str | None = None, base_url: str | None = None, api_key: str | None = None,
                 timeout: float = 120.0, max_retries: int = 3, capabilities=None):
        import openai  # imported here: the SDK is slow to import and offline runs skip it

        self._openai = openai
        self.model = model or os.environ.get("BRIEFER_MODEL") or DEFAULT_MODEL
        self.base_url = (base_url or os.environ.get("OPENAI_BASE_URL") or "https://api.openai.com/v1").rstrip("/")
        # Local servers need no key, but the SDK insists on one.
        self._api_key = api_key or os.environ.get("OPENAI_API_KEY") or "not-needed"
        self.timeout = timeout
        self.max_retries = max_retries
        self.capabilities = capabilities  # a ResponseCache, to remember modes across runs
        self.mode: str | None = capabilities.get_mode(self.base_url, self.model) if capabilities else None
        self._loop = None
        self._client = None

    def cache_identity(self) -> str:
        return self.base_url

    def _client_for_loop(self):
        """The async client belongs to one event loop; each brief runs in its own."""
        loop = asyncio.get_running_loop()
        if self._loop is not loop:
            self._loop = loop
            self._client = self._openai.AsyncOpenAI(api_key=self._api_key, base_url=self.base_url,
                                                    timeout=self.timeout, max_retries=self.max_retries,
                                                    http_client=_http_client(self._openai, self.timeout))
        return self._client

    def complete(self, request: ChatRequest) -> ChatResponse:
        async def once() -> ChatResponse:
            try:
                return await self.acomplete(request)
            finally:
                await self.aclose()

        return asyncio.run(once())

    async def acomplete(self, request: ChatRequest) -> ChatResponse:
        client = self._client_for_loop()
        if self.mode is None:
            # Every request in flight probes on its own rather than waiting for a first
            # one: on servers that take json_schema (most) that costs no extra round trip.
            return await self._probe(client, request)
        return await self._send(client, request, self.mode)

    async def aclose(self) -> None:
        """Close the HTTP client inside the event loop that opened it."""
        if self._client is not None:
            await self._client.close()
        self._client = self._loop = None

    async def _probe(self, client, request: ChatRequest) -> ChatResponse:
        openai = self._openai
        for position, mode in enumerate(MODES):
            if self.mode is not None and MODES.index(self.mode) > position:
                continue  # another request already found this mode refused
            try:
                response = await self._send(client.with_options(max_retries=0), request, mode, raw=True)
            except openai.APIStatusError as exc:
                if exc.status_code in _FORMAT_REJECTED and position < len(MODES) - 1:
                    continue  # this server does not take this response_format: try the next
                if exc.status_code not in _TRANSIENT:
                    raise BackendError(self._describe(exc)) from exc
                response = await self._send(client, request, mode)  # 429, 503...: retry as usual
            except (openai.APITimeoutError, openai.APIConnectionError):
                response = await self._send(client, request, mode)
            self.mode = mode
            if self.capabilities is not None:
                self.capabilities.set_mode(self.base_url, self.model, mode)
            return response
        raise BackendError("the server accepted no response format")  # pragma: no cover

    async def _send(self, client, request: ChatRequest, mode: str, raw: bool = False) -> ChatResponse:
        openai = self._openai
        kwargs = {"model": self.model, "messages": messages_for(mode, request),
                  "temperature": request.temperature}
        if request.max_tokens:
            kwargs["max_tokens"] = request.max_tokens
        fmt = response_format(mode, request)
        if fmt is not None:
            kwargs["response_format"] = fmt
        try:
            # The SDK's documented raw ``post`` sends the same body as ``chat.completions.create``
            # and keeps its retries and errors, without re-walking the (already plain JSON)
            # parameters against its type hints: that walk cost ~1.5 ms of CPU per call.
            # ``cast_to=object``: the answer's JSON as the SDK decoded it, not built into
            # ChatCompletion models (~0.5 ms a call) only to read three fields.
            response = await client.post("/chat/completions", body=kwargs, cast_to=object)
        except openai.APIStatusError as exc:
            if raw:
                raise
            raise BackendError(self._describe(exc)) from exc
        except openai.APITimeoutError as exc:
            if raw:
                raise
            raise BackendError(f"the model server at {self.base_url} did not answer within "
                               f"{self.timeout:g} s ({self.max_retries} retries); raise --timeout") from exc
        except openai.APIConnectionError as exc:
            if raw:
                raise
            raise BackendError(f"cannot reach the model server at {self.base_url}: "
                               f"{exc.__cause__ or exc}") from exc
        return self._to_response(response, mode)

    def _describe(self, exc) -> str:
        status = exc.status_code
        if status == 401:
            return f"the model server at {self.base_url} rejected the API key (HTTP 401); check OPENAI_API_KEY"
        if status == 404:
            return f"the model server at {self.base_url} has no model {self.model!r} (HTTP 404)"
        message = getattr(exc, "message", "") or str(exc)
        return f"the model server at {self.base_url} answered HTTP {status}: {message}"

    def _to_response(self, response, mode: str) -> ChatResponse:
        """A ChatResponse from the chat completion's JSON (a dict; anything else: empty)."""
        response = response if isinstance(response, dict) else {}
        usage = response.get("usage") or {}
        usage = usage if isinstance(usage, dict) else {}
        tokens = {"prompt_tokens": usage.get("prompt_tokens") or 0,
                  "completion_tokens": usage.get("completion_tokens") or 0}
        choices = response.get("choices")
        if not choices or not isinstance(choices, list) or not isinstance(choices[0], dict):
            return ChatResponse(content="", finish_reason="empty", extra={"mode": mode}, **tokens)
        choice = choices[0]
        message = choice.get("message") if isinstance(choice.get("message"), dict) else {}
        refusal = message.get("refusal")
        content = message.get("content")
        return ChatResponse(content=content if isinstance(content, str) else "",
                            finish_reason="refusal" if refusal else choice.get("finish_reason"),
                            extra={"mode": mode, "refusal": refusal}, **tokens)
