"""Settings for the model server: flags > environment > config-file profile > defaults.

The config file is TOML, at ``$BRIEFER_CONFIG`` or ``config.toml`` in the user config
folder (``briefer config show`` prints the path)::

    default_profile = "local"

    [profiles.local]
    base_url = "http://127.0.0.1:8080/v1"
    model = "smollm2"
    api_key_env = "LOCAL_LLM_KEY"     # the *name* of the variable holding the key
    concurrency = 2
    timeout = 300

    [prices."my-model"]               # USD per million tokens; overrides the built-in table
    input = 0.20
    output = 0.80

API keys are never read from the file, only from the environment variable it names.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import UsageError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

DEFAULTS: dict[str, Any] = {
    "base_url": None,
    "model": None,
    "api_key_env": "OPENAI_API_KEY",
    "concurrency": 4,
    "timeout": 120.0,
    "max_retries": 3,
}
ENV = {"base_url": "OPENAI_BASE_URL", "model": "BRIEFER_MODEL"}
_TYPES = {"base_url": str, "model": str, "api_key_env": str, "concurrency": int,
          "timeout": float, "max_retries": int}


def config_path() -> Path:
    if os.environ.get("BRIEFER_CONFIG"):
        return Path(os.environ["BRIEFER_CONFIG"])
    import platformdirs

    return Path(platformdirs.user_config_dir("briefer")) / "config.toml"


def read_config(path: Path | None = None) -> dict[str, Any]:
    path = path or config_path()
    if not path.is_file():
        return {}
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(f"config file {path}: {exc}") from exc
    except OSError as exc:
        raise UsageError(f"cannot read config file {path}: {exc.strerror}") from exc


@dataclass
class Settings:
    base_url: str | None = None
    model: str | None = None
    api_key_env: str = "OPENAI_API_KEY"
    concurrency: int = 4
    timeout: float = 120.0
    max_retries: int = 3
    profile: str | None = None
    prices: dict[str, dict[str, float]] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)  # setting -> where it came from

    @property
    def api_key(self) -> str | None:
        return os.environ.get(self.api_key_env) or None

    def wants_llm(self) -> bool:
        return bool(self.base_url or self.api_key)


def load_settings(profile: str | None = None, **flags: Any) -> Settings:
    """Effective settings; ``flags`` are command-line values (None means not given)."""
    config = read_config()
    name = profile or config.get("default_profile")
    profiles = config.get("profiles", {})
    if name and name not in profiles:
        known = ", ".join(sorted(profiles)) or "none defined"
        raise UsageError(f"no profile {name!r} in {config_path()} ({known})")
    chosen = profiles.get(name, {}) if name else {}
    settings = Settings(profile=name)
    for key, default in DEFAULTS.items():
        value, source = default, "default"
        if key in chosen:
            value, source = chosen[key], f"profile {name}"
        if key in ENV and os.environ.get(ENV[key]):
            value, source = os.environ[ENV[key]], f"env {ENV[key]}"
        if flags.get(key) is not None:
            value, source = flags[key], "flag"
        if value is not None:
            try:
                value = _TYPES[key](value)
            except (TypeError, ValueError) as exc:
                raise UsageError(f"{key} must be a {_TYPES[key].__name__} (got {value!r} from {source})") from exc
        setattr(settings, key, value)
        settings.sources[key] = source
    if settings.concurrency < 1:
        raise UsageError(f"concurrency must be at least 1 (got {settings.concurrency})")
    prices = dict(config.get("prices", {}))
    if "prices" in chosen and settings.model:
        prices[settings.model] = chosen["prices"]
    settings.prices = prices
    return settings


def mask(key: str | None) -> str:
    if not key:
        return "(not set)"
    if len(key) <= 12:
        return "****"
    return f"{key[:3]}…{key[-4:]}"


def describe(settings: Settings) -> str:
    """``briefer config show``: the effective settings, the key masked."""
    lines = [f"config file: {config_path()}" + ("" if config_path().is_file() else " (not present)"),
             f"profile: {settings.profile or '(none)'}"]
    for key in DEFAULTS:
        value = getattr(settings, key)
        lines.append(f"{key}: {value if value is not None else '(not set)'}  [{settings.sources.get(key, 'default')}]")
    lines.append(f"api_key: {mask(settings.api_key)}  [env {settings.api_key_env}]")
    backend = "openai" if settings.wants_llm() else "mock (offline engine)"
    lines.append(f"backend for --backend auto: {backend}")
    return "\n".join(lines) + "\n"
