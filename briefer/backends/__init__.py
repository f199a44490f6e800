"""Backends: the offline engine (``mock``) and any OpenAI-compatible server (``openai``)."""

from __future__ import annotations

import os

from ..errors import UsageError
from .base import Backend, ChatRequest, ChatResponse
from .mock import MockBackend

BACKEND_NAMES = ("auto", "mock", "openai")
OFFLINE_NOTICE = ("briefer: no OPENAI_API_KEY, OPENAI_BASE_URL or --base-url set: using the offline "
                  "extractive engine (set OPENAI_API_KEY, or pass --base-url URL --model M, to use an LLM)")


def wants_llm(base_url: str | None = None) -> bool:
    return bool(base_url or os.environ.get("OPENAI_API_KEY") or os.environ.get("OPENAI_BASE_URL"))


def make_backend(name: str = "auto", *, model: str | None = None, base_url: str | None = None,
                 api_key: str | None = None, timeout: float = 120.0, notice=None) -> Backend:
    """A backend by name; ``auto`` picks ``openai`` when a server is configured, else the
    offline engine, and then calls ``notice`` with one line saying so."""
    if name not in BACKEND_NAMES:
        raise UsageError(f"unknown backend {name!r} (choose {', '.join(BACKEND_NAMES)})")
    if name == "auto":
        if wants_llm(base_url):
            name = "openai"
        else:
            if notice:
                notice(OFFLINE_NOTICE)
            name = "mock"
    if name == "mock":
        return MockBackend()
    from .openai_backend import OpenAIBackend

    return OpenAIBackend(model=model, base_url=base_url, api_key=api_key, timeout=timeout)


__all__ = ["Backend", "ChatRequest", "ChatResponse", "MockBackend", "make_backend", "BACKEND_NAMES"]
