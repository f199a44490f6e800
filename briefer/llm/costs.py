"""Estimated cost of model calls from a price table (``briefer/data/prices.toml``)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from .config import tomllib

_PRICES = Path(__file__).resolve().parent.parent / "data" / "prices.toml"


@lru_cache(maxsize=1)
def builtin_prices() -> dict[str, dict[str, float]]:
    with _PRICES.open("rb") as handle:
        return tomllib.load(handle)


def price_for(model: str | None, overrides: dict | None = None) -> dict[str, float] | None:
    """USD per million tokens for ``model``: an exact entry, else the longest listed name
    the model starts with ('gpt-4o-mini-2024-07-18' -> 'gpt-4o-mini'), else None."""
    if not model:
        return None
    table = {**builtin_prices(), **(overrides or {})}
    if model in table:
        return table[model]
    prefixes = [name for name in table if model.startswith(name)]
    return table[max(prefixes, key=len)] if prefixes else None


def cost_usd(model: str | None, prompt_tokens: int, completion_tokens: int,
             overrides: dict | None = None) -> float | None:
    price = price_for(model, overrides)
    if price is None:
        return None
    total = prompt_tokens * price.get("input", 0.0) + completion_tokens * price.get("output", 0.0)
    return round(total / 1_000_000, 6)
