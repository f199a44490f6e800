"""The command line: exact output and exit codes, through typer's test runner."""

import json

import pytest
from typer.testing import CliRunner

from briefer.backends import OFFLINE_NOTICE
from briefer.cli import app

runner = CliRunner()


def run(*args, input=None):
    return runner.invoke(app, list(args), input=input)


def test_brief_offline_default_says_so_once(example_path):
    result = run("brief", str(example_path))
    assert result.exit_code == 0
    assert result.stderr == OFFLINE_NOTICE + "\n"
    assert result.stdout.startswith("# Blinken and China’s Wang Yi hold first meeting since spy balloon incident\n")


def test_quiet_silences_the_notice(example_path):
    result = run("brief", "-q", str(example_path))
    assert result.exit_code == 0
    assert result.stderr == ""


def test_json_format_follows_contract(example_path):
    result = run("brief", "-q", "--format", "json", str(example_path))
    data = json.loads(result.stdout)
    assert list(data) == ["schema_version", "title", "as_of", "bluf", "bluf_evidence", "sides",
                          "agreements", "disputes", "next_steps", "quotes", "citations", "sources", "meta"]
    assert data["schema_version"] == "1"
    assert list(data["meta"]) == ["backend", "model", "llm_calls", "prompt_tokens", "completion_tokens",
                                  "chunks", "dropped_ungrounded", "elapsed_s", "words",
                                  "cache_hits", "structured_output", "cost_usd", "check", "dropped_for_page",
                                  "map_task", "model_picks", "picks_dropped", "shared_prefix_tokens"]


def test_stdin_dash(example_path):
    result = run("brief", "-q", "-", input=example_path.read_bytes())
    assert result.exit_code == 0
    assert "Sources: -" in result.stdout


def test_output_file_written(tmp_path, example_path):
    out = tmp_path / "brief.md"
    result = run("brief", "-q", str(example_path), "-o", str(out))
    assert result.exit_code == 0 and result.stdout == ""
    assert out.read_text(encoding="utf-8").startswith("# Blinken")
    assert [p.name for p in tmp_path.iterdir()] == ["brief.md"]  # no temp files left


def test_failed_run_leaves_existing_output_untouched(tmp_path):
    out = tmp_path / "brief.md"
    out.write_text("previous good brief\n")
    result = run("brief", "-q", str(tmp_path / "missing.txt"), "-o", str(out))
    assert result.exit_code == 2
    assert out.read_text() == "previous good brief\n"


@pytest.fixture
def bad_inputs(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    blank = tmp_path / "blank.txt"
    blank.write_text("  \n\t\n  \n")
    binary = tmp_path / "photo.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    big = tmp_path / "big.txt"
    big.write_text("The minister said the talks went well. " * 40000)  # 1.5 MB
    return {"empty": empty, "blank": blank, "binary": binary, "big": big, "dir": tmp_path}


@pytest.mark.parametrize("case, extra, message, code", [
    ("missing", [], "no such file: {missing}", 2),
    ("dir", [], "{dir} is a directory, not a file", 2),
    ("empty", [], "{empty} is empty", 2),
    ("blank", [], "{blank} is empty", 2),
    ("binary", [], "{binary} looks like a binary file, not text", 2),
    ("big", ["--max-input-mb", "1"], "{big} is 1.5 MB, over the 1 MB input limit (--max-input-mb)", 2),
])
def test_bad_input_one_line_error(bad_inputs, tmp_path, case, extra, message, code):
    paths = {k: str(v) for k, v in bad_inputs.items()}
    paths["missing"] = str(tmp_path / "missing.txt")
    result = run("brief", "-q", *extra, paths[case])
    assert result.exit_code == code
    assert result.stderr == "briefer: error: " + message.format(**paths) + "\n"
    assert result.stdout == ""


@pytest.mark.parametrize("args, message", [
    (["--format", "xml"], "unknown format 'xml' (choose md, json, txt, html, pdf)"),
    (["--format", "pdf", "--paper", "a5"], "unknown paper 'a5' (choose a4, letter)"),
    (["--paper", "letter"], "--paper works with --format html or pdf"),
    (["--backend", "gpt"], "unknown backend 'gpt' (choose auto, mock, openai)"),
    (["--as-of", "yesterday"], "--as-of must be a date as YYYY-MM-DD (got 'yesterday')"),
    (["--max-words", "10"], "--max-words must be at least 50 (got 10)"),
    (["--chunk-tokens", "10"], None),
])
def test_bad_option_one_line_error(example_path, args, message):
    result = run("brief", "-q", *args, str(example_path))
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("briefer: error: ")
    if message:
        assert result.stderr == f"briefer: error: {message}\n"


def test_click_usage_errors_are_one_line():
    result = run("brief")
    assert result.exit_code == 2
    assert result.stderr == "briefer: error: Missing argument 'SOURCE...'.\n"


def test_template_syntax_error(tmp_path, example_path):
    (tmp_path / "extract.j2").write_text("{% block system %}Hi {{ title }{% endblock %}\n")
    result = run("brief", "-q", "--prompts-dir", str(tmp_path), str(example_path))
    assert result.exit_code == 2
    assert result.stderr.startswith("briefer: error: template extract.j2 line 1: ")
    assert result.stderr.count("\n") == 1


def test_template_undefined_variable(tmp_path, example_path):
    (tmp_path / "extract.j2").write_text("{% block user %}{{ no_such_thing }}{% endblock %}\n")
    result = run("brief", "-q", "--prompts-dir", str(tmp_path), str(example_path))
    assert result.exit_code == 2
    assert result.stderr == "briefer: error: template extract.j2: 'no_such_thing' is undefined\n"


def test_verbose_adds_traceback(tmp_path):
    result = run("brief", "-q", "-v", str(tmp_path / "missing.txt"))
    assert result.exit_code == 2
    assert "Traceback" in result.stderr
    assert result.stderr.rstrip().endswith("briefer: error: no such file: " + str(tmp_path / "missing.txt"))


def test_prompts_override_is_used(tmp_path, example_path):
    from briefer.llm.prompts import builtin_prompts_dir

    text = (builtin_prompts_dir() / "extract.j2").read_text().replace("You write structured notes", "OVERRIDDEN helper writes notes")
    (tmp_path / "extract.j2").write_text(text)
    listing = run("prompts", "--prompts-dir", str(tmp_path))
    assert f"extract.j2   {tmp_path / 'extract.j2'}" in listing.stdout
    assert "--prompts-dir" in listing.stdout
    shown = run("prompts", "extract.j2", "--prompts-dir", str(tmp_path))
    assert "OVERRIDDEN helper" in shown.stdout


def test_prompts_unknown_name():
    result = run("prompts", "nope.j2")
    assert result.exit_code == 2
    assert result.stderr == "briefer: error: no prompt template named 'nope.j2' (have: extract.j2, select.j2, reduce.j2, brief.j2, retry.j2, verify.j2, digest.j2)\n"


def test_chunk_shows_token_counts(example_path):
    result = run("chunk", str(example_path), "--chunk-tokens", "300")
    assert result.exit_code == 0
    headers = [line for line in result.stdout.splitlines() if line.startswith("--- chunk ")]
    assert len(headers) >= 4
    assert headers[0].startswith("--- chunk 1/")
    for header in headers:
        assert int(header.split(": ")[1].split(" tokens")[0]) <= 300


@pytest.mark.parametrize("command", ["brief", "chunk", "prompts"])
def test_every_command_has_help_with_example(command):
    result = run(command, "--help")
    assert result.exit_code == 0
    assert "Example" in result.stdout


def test_top_level_help_lists_commands():
    result = run("--help")
    assert result.exit_code == 0
    for command in ("brief", "chunk", "prompts"):
        assert command in result.stdout
