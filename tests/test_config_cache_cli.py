"""Configuration precedence, `briefer config show`, `briefer cache`, `--dry-run` and `-v`."""

import json
import os

import pytest
from openai_server import FakeOpenAI
from typer.testing import CliRunner

from briefer import MockBackend, UsageError, brief
from briefer.briefs.plan import TOKENS_PER_MESSAGE, TOKENS_PER_REPLY
from briefer.cli import app
from briefer.llm.config import load_settings

runner = CliRunner()

CONFIG = """
default_profile = "local"

[profiles.local]
base_url = "http://127.0.0.1:8080/v1"
model = "smollm2"
api_key_env = "CI_LLM_KEY"
concurrency = 2

[profiles.other]
model = "gpt-4o-mini"

[prices."smollm2"]
input = 1.0
output = 2.0
"""


@pytest.fixture
def config_file():
    path = os.environ["BRIEFER_CONFIG"]
    with open(path, "w") as handle:
        handle.write(CONFIG)
    return path


def test_precedence_flag_env_profile_default(config_file, monkeypatch):
    settings = load_settings()
    assert (settings.profile, settings.base_url, settings.model, settings.concurrency, settings.timeout) == \
        ("local", "http://127.0.0.1:8080/v1", "smollm2", 2, 120.0)
    assert settings.sources["model"] == "profile local" and settings.sources["timeout"] == "default"
    monkeypatch.setenv("BRIEFER_MODEL", "from-env")
    assert load_settings().model == "from-env"
    assert load_settings(model="from-flag").model == "from-flag"
    assert load_settings(profile="other").base_url is None
    assert load_settings().prices["smollm2"] == {"input": 1.0, "output": 2.0}


def test_key_comes_from_the_named_variable_only(config_file, monkeypatch):
    assert load_settings().api_key is None
    monkeypatch.setenv("CI_LLM_KEY", "sk-abcdefghijklmnop1234")
    assert load_settings().api_key == "sk-abcdefghijklmnop1234"


def test_unknown_profile_and_bad_toml(config_file):
    with pytest.raises(UsageError, match=r"^no profile 'nope' in .*config.toml \(local, other\)$"):
        load_settings(profile="nope")
    with open(config_file, "w") as handle:
        handle.write("default_profile = \n")
    result = runner.invoke(app, ["config", "show"])
    assert result.exit_code == 2
    assert result.stderr.startswith("briefer: error: config file ") and result.stderr.count("\n") == 1


def test_config_show_masks_key(config_file, monkeypatch):
    monkeypatch.setenv("CI_LLM_KEY", "sk-abcdefghijklmnop1234")
    result = runner.invoke(app, ["config", "show"])
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[1:] == [
        "profile: local",
        "base_url: http://127.0.0.1:8080/v1  [profile local]",
        "model: smollm2  [profile local]",
        "api_key_env: CI_LLM_KEY  [profile local]",
        "concurrency: 2  [profile local]",
        "timeout: 120.0  [default]",
        "max_retries: 3  [default]",
        "api_key: sk-…1234  [env CI_LLM_KEY]",
        "backend for --backend auto: openai",
    ]
    assert "abcdefghijklmnop" not in result.stdout


def test_verbose_reports_calls_then_cache_hits(example_path):
    with FakeOpenAI() as server:
        args = ["brief", "-q", "-v", str(example_path), "--base-url", server.base_url, "--model", "m"]
        first = runner.invoke(app, args)
        second = runner.invoke(app, args)
    assert first.exit_code == 0 and second.exit_code == 0
    # a model server: the select map task, one call for the one chunk (merge and brief are offline)
    assert first.stderr.startswith("briefer: 1 calls, 0 cache hits, ")
    assert ", json_schema, 1 chunk, 0 dropped as ungrounded, " in first.stderr
    assert "briefer: map task select: " in first.stderr and " model picks used, " in first.stderr
    assert second.stderr.startswith("briefer: 0 calls, 1 cache hits, 0 prompt + 0 completion tokens, ")
    assert first.stdout == second.stdout


def test_cache_stats_and_clear(example_path):
    with FakeOpenAI() as server:
        runner.invoke(app, ["brief", "-q", str(example_path), "--base-url", server.base_url, "--model", "m",
                            "--map", "notes"])
    stats = runner.invoke(app, ["cache", "stats"])
    assert stats.exit_code == 0
    lines = stats.stdout.splitlines()
    assert lines[0] == f"cache: {os.path.join(os.environ['BRIEFER_CACHE_DIR'], 'cache.sqlite3')}"
    assert lines[1].startswith("responses: 2 (")
    assert lines[2] == "servers with a known structured-output mode: 1"
    cleared = runner.invoke(app, ["cache", "clear"])
    assert cleared.stdout == "removed 2 cached responses\n"
    assert runner.invoke(app, ["cache", "stats"]).stdout.splitlines()[1].startswith("responses: 0 (")


def test_dry_run_sends_nothing(example_path, config_file):
    with FakeOpenAI() as server:
        result = runner.invoke(app, ["brief", "--dry-run", str(example_path), "--base-url", server.base_url,
                                     "--map", "notes"])
    assert server.requests == []
    # it looked for a tokenize endpoint, found none, and counted with tiktoken
    assert server.other_requests == ["/extras/tokenize/count", "/tokenize"]
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "Dry run: no chat request was sent."
    assert lines[1] == (f"model: smollm2 at {server.base_url} (tokens counted with tiktoken cl100k_base, "
                        "structured output: json_schema)")
    assert lines[2] == "1 chunk, 2 calls:"
    assert lines[3].startswith("  extract     1 call  ") and lines[4].startswith("  brief       1 call  ")
    assert lines[6].startswith("estimated cost: $") and "(smollm2 at $1 in / $2 out per 1M tokens)" in lines[6]


def test_dry_run_counts_with_the_servers_tokenizer(example_path, config_file):
    with FakeOpenAI(tokenize=True) as server:
        result = runner.invoke(app, ["brief", "--dry-run", "--format", "json", str(example_path),
                                     "--base-url", server.base_url, "--map", "notes"])
    assert server.requests == []
    assert result.exit_code == 0
    planned = json.loads(result.stdout)
    assert planned["counted_with"] == "the server's tokenizer (POST /extras/tokenize/count)"
    # the fake server counts words: the map prompt is its messages' words plus the chat format's
    backend = MockBackend()
    brief([example_path], backend=backend)
    words = sum(len(m["content"].split()) + TOKENS_PER_MESSAGE for m in backend.requests[0].messages)
    assert planned["calls"][0] == {"task": "extract", "prompt_tokens": words + TOKENS_PER_REPLY}


def test_no_progress_bar_when_stderr_is_not_a_terminal(example_path):
    result = runner.invoke(app, ["brief", "-q", str(example_path), "--chunk-tokens", "200"])
    assert result.exit_code == 0 and result.stderr == ""


@pytest.mark.parametrize("command", [["config", "show"], ["cache", "stats"], ["cache", "clear"]])
def test_subcommands_have_help_with_example(command):
    result = runner.invoke(app, [*command, "--help"])
    assert result.exit_code == 0 and "Example" in result.stdout
