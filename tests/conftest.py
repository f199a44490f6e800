from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "blinken-wang-munich.txt"


def pytest_collection_modifyitems(config, items):
    """Deselect ``visual`` tests unless the ``-m`` expression names them (``pytest -m
    visual``): they need Chromium and make screenshots for a person, not a verdict."""
    if "visual" in (config.getoption("markexpr", default="") or ""):
        return
    visual = [item for item in items if item.get_closest_marker("visual") is not None]
    if visual:
        config.hook.pytest_deselected(items=visual)
        items[:] = [item for item in items if item.get_closest_marker("visual") is None]


@pytest.fixture(autouse=True)
def isolated_env(monkeypatch, tmp_path_factory):
    """No test sees the developer's API keys, servers or config and cache folders."""
    for var in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "BRIEFER_MODEL", "CI_LLM_KEY"):
        monkeypatch.delenv(var, raising=False)
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / ".cache"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.setenv("BRIEFER_CACHE_DIR", str(home / "cache"))
    monkeypatch.setenv("BRIEFER_CONFIG", str(home / "config.toml"))
    monkeypatch.setenv("BRIEFER_DATA_DIR", str(home / "data"))


@pytest.fixture
def example_path() -> Path:
    return EXAMPLE
