"""Any backend behind the response cache: an answer already paid for is not asked again."""

from __future__ import annotations

from .base import Backend, ChatRequest, ChatResponse
from .cache import ResponseCache, request_key


class CachedBackend(Backend):
    def __init__(self, inner: Backend, cache: ResponseCache):
        self.inner = inner
        self.cache = cache
        self.name = inner.name
        self.model = inner.model
        self.hits = 0

    def complete(self, request: ChatRequest) -> ChatResponse:  # pragma: no cover - async path is used
        raise NotImplementedError("use acomplete")

    async def acomplete(self, request: ChatRequest) -> ChatResponse:
        server = self.inner.cache_identity()
        if server is None:
            return await self.inner.acomplete(request)
        key = request_key(server, self.inner.model, request)
        cached = self.cache.get(key)
        if cached is not None:
            self.hits += 1
            return cached
        response = await self.inner.acomplete(request)
        # only complete answers are worth keeping; a cut-off or refused one is asked again
        if response.finish_reason == "stop" and response.content.strip():
            self.cache.put(key, server, self.inner.model, response)
        return response

    async def aclose(self) -> None:
        await self.inner.aclose()

    def __getattr__(self, name):  # mode, base_url, ... of the wrapped backend
        return getattr(self.inner, name)
