"""Which backend a run uses: the offline engine (``mock``) or any OpenAI-compatible server
(``openai``, wrapped by the response cache), chosen by name or, for ``auto``, by settings."""

from __future__ import annotations

from .errors import UsageError
from .llm.base import Backend
from .offline.engine import MockBackend

BACKEND_NAMES = ("auto", "mock", "openai")
OFFLINE_NOTICE = ("briefer: no OPENAI_API_KEY, OPENAI_BASE_URL or --base-url set: using the offline "
                  "extractive engine (set OPENAI_API_KEY, or pass --base-url URL --model M, to use an LLM)")


def check_backend_name(name: str) -> None:
    if name not in BACKEND_NAMES:
        raise UsageError(f"unknown backend {name!r} (choose {', '.join(BACKEND_NAMES)})")


def make_backend(name: str = "auto", *, settings=None, notice=None, cache=None, **flags) -> Backend:
    """A backend by name. ``settings`` come from ``briefer.config.load_settings`` (built
    from ``flags`` such as ``model=``/``base_url=`` when not given). ``auto`` picks
    ``openai`` when a server or key is configured, else the offline engine, and then calls
    ``notice`` with one line saying so. ``cache`` (a ResponseCache) wraps the openai
    backend so answers are reused and structured-output modes remembered."""
    from .llm.config import load_settings

    check_backend_name(name)
    settings = settings or load_settings(**flags)
    if name == "auto":
        name = "openai" if settings.wants_llm() else "mock"
        if name == "mock" and notice:
            notice(OFFLINE_NOTICE)
    if name == "mock":
        return MockBackend()
    from .llm.cached import CachedBackend
    from .llm.openai_backend import OpenAIBackend

    backend = OpenAIBackend(model=settings.model, base_url=settings.base_url, api_key=settings.api_key,
                            timeout=settings.timeout, max_retries=settings.max_retries, capabilities=cache)
    return CachedBackend(backend, cache) if cache is not None else backend


__all__ = ["BACKEND_NAMES", "OFFLINE_NOTICE", "check_backend_name", "make_backend"]
