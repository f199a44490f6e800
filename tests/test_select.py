"""The select map task: the model picks sentence ids, briefer turns them into grounded items.

Through the real SDK against the loopback server (which answers select requests like the
offline engine), and with answers that are garbage or valid-but-wrong: those end in one
clean line, or in a brief with the bad picks dropped, never an ungrounded item.
"""

import json
import subprocess
import sys

import pytest
from openai_server import FakeOpenAI, Reply, completion

from briefer import MockBackend, brief
from briefer.offline.lexicon import Line
from briefer.offline.picks import find_candidates
from briefer.text.ingest import load_sources


def assert_grounded(result, source: str) -> None:
    for sid, text in result.citations.items():
        assert text in source, sid
    for quote in result.quotes:
        assert quote.text in source
    ids = list(result.bluf_evidence)
    for side in result.sides:
        ids += [i for p in side.positions for i in p.evidence]
    for d in result.disputes:
        ids += [i for s in d.stances for i in s.evidence]
    ids += [i for n in result.next_steps for i in n.evidence]
    assert ids and all(i in result.citations for i in ids)


def candidates_of(path):
    doc = load_sources([str(path)])[0]
    lines = [Line(s.id, s.text, s.heading) for s in doc.sentences]
    return find_candidates(lines, doc.title), {s.id: s.text for s in doc.sentences}


def test_select_over_http_is_grounded_and_constrained(example_path):
    with FakeOpenAI() as server:
        result = brief([example_path], backend="openai", base_url=server.base_url, model="test-model",
                       map_task="select", chunk_tokens=500)
    meta = result.meta
    assert meta.map_task == "select" and meta.model_picks > 0 and meta.chunks >= 2
    assert meta.llm_calls == meta.chunks  # one call per chunk: merge and brief are offline steps
    assert_grounded(result, example_path.read_text(encoding="utf-8"))
    assert len([s for s in result.sides if s.positions]) >= 2 and result.disputes
    bodies = [r["body"] for r in server.requests]
    # ids are constrained to the chunk's sentences: an enum in the schema
    # (chunks are asked concurrently: the requests arrive in any order)
    enums = [b["response_format"]["json_schema"]["schema"]["properties"]["lead"]["enum"] for b in bodies]
    assert "S1" in [e[0] for e in enums]
    assert sorted(i for e in enums for i in e) == sorted({i for e in enums for i in e})  # no id in two chunks
    assert all(sid.startswith("S") for e in enums for sid in e)
    # the fixed text comes first: the system message is the same for every call, the chunk is last
    assert len({b["messages"][0]["content"] for b in bodies}) == 1
    assert all(b["messages"][-1]["content"].rstrip().endswith("</source>") for b in bodies)
    assert meta.shared_prefix_tokens and meta.shared_prefix_tokens > 150


def test_garbage_answers_end_in_one_clean_line(example_path, tmp_path):
    """A model that answers garbage every time: exit 1, one line, no traceback."""
    garbage = [Reply(body=completion(text)) for text in
               ('{"lead": "S999", "sides": "everyone"}', "no JSON at all", '{"lead": 42}')]
    with FakeOpenAI() as server:
        server.script = list(garbage)
        proc = subprocess.run([sys.executable, "-m", "briefer.cli", "brief", str(example_path), "--map", "select",
                               "--base-url", server.base_url, "--model", "m", "--no-cache", "-q"],
                              capture_output=True, text=True)
    assert proc.returncode == 1 and proc.stdout == ""
    lines = proc.stderr.splitlines()
    assert len(lines) == 1 and "model could not produce valid notes after 3 attempts" in lines[0], proc.stderr


def test_wrong_picks_are_dropped_never_ungrounded(example_path):
    """Picks that fit the schema but not the text: sides the sentence does not name, a
    background line as the lead, a made-up topic, every next-step candidate: the checks
    drop or replace them."""
    cand, text_of = candidates_of(example_path)
    wrong_side = {sid: next(s for s in cand.sides if s not in text_of[sid] and s != "none") for sid in cand.position_ids}
    answer = {"lead": cand.position_ids[-1],
              "sides": wrong_side,
              "next_steps": {sid: "yes" for sid in cand.step_ids},
              "disputes": [{"topic": "Nuclear war in 2031", "ids": cand.position_ids[:4]}]}
    backend = MockBackend()
    backend.queue(json.dumps(answer))
    result = brief([example_path], backend=backend, map_task="select")
    source = example_path.read_text(encoding="utf-8")
    assert_grounded(result, source)
    assert result.meta.picks_dropped > 0
    assert all("2031" not in d.issue and "Nuclear" not in d.issue for d in result.disputes)
    positions = {tuple(p.evidence): side.name for side in result.sides for p in side.positions}
    engine = {tuple(p.evidence): p.side or p.actor for p in cand.notes.positions}
    for evidence, side in positions.items():
        # each position's side is who speaks in it (the engine's reading) or a side it names
        assert side == engine.get(evidence) or side in " ".join(text_of[i] for i in evidence), (evidence, side)
    for step in result.next_steps:
        assert step.evidence[-1] in cand.step_ids


def test_unknown_map_task_is_a_usage_error(example_path):
    from briefer.errors import UsageError

    with pytest.raises(UsageError, match="--map must be one of auto, notes, select"):
        brief([example_path], backend="mock", map_task="free")


def test_mock_select_matches_the_engine(example_path):
    """The offline engine answers select requests too (mock backend): same sides and next steps."""
    notes_brief = brief([example_path], backend="mock")
    select_brief = brief([example_path], backend="mock", map_task="select")
    assert {s.name for s in select_brief.sides} == {s.name for s in notes_brief.sides}
    assert any(n.actor == "Wang Yi" for n in select_brief.next_steps)
    assert select_brief.meta.llm_calls == 1


def test_candidates_are_found_without_the_engine(example_path):
    """The engine reads a chunk after the model answered, not before the call: the scan
    that offers candidates leaves the reading undone; it still offers the engine's
    statements and next steps, and the sides who speak."""
    cand, _ = candidates_of(example_path)
    assert "notes" not in cand.__dict__  # the reading is a cached property, not made yet
    assert {"United States", "China"} <= set(cand.sides)
    engine = cand.notes  # now read
    assert {p.evidence[-1] for p in engine.positions} <= set(cand.position_ids)
    assert {s.evidence[-1] for s in engine.next_steps} <= set(cand.step_ids)


def test_hand_written_schema_and_checks_match_the_pydantic_model(example_path):
    """PicksSpec writes the schema and checks the answers that picks_model describes."""
    from pydantic import ValidationError

    from briefer.briefs.select import PicksSpec, picks_model
    from briefer.offline.picks import engine_picks
    from briefer.schema import strict_json_schema

    doc = load_sources([str(example_path)])[0]
    lines = [Line(s.id, s.text, s.heading) for s in doc.sentences]
    for part in (lines, lines[:8], lines[8:]):
        cand = find_candidates(part, doc.title)
        spec, model = PicksSpec(cand), picks_model(cand)
        assert spec.json_schema == strict_json_schema(model)
        good = engine_picks(cand)
        bad = [{**good, "lead": "S999"}, {k: v for k, v in good.items() if k != "lead"}, {"lead": 42},
               {**good, "disputes": [{"topic": "x" * 41, "ids": []}]}]
        if cand.position_ids:
            bad += [{**good, "sides": "everyone"}, {**good, "sides": {**good["sides"], cand.position_ids[0]: "Mars"}},
                    {**good, "disputes": [{"topic": "t", "ids": ["S999"]}]}]
        if cand.step_ids:
            bad.append({**good, "next_steps": {cand.step_ids[0]: "maybe"}})
        picks = spec.model_validate(good)
        reference = model.model_validate(good)
        assert picks.lead == reference.lead
        assert picks.sides == (reference.sides.model_dump(by_alias=True, mode="json") if cand.position_ids else {})
        for answer in bad:
            with pytest.raises(ValidationError):
                model.model_validate(answer)
            with pytest.raises(ValueError):
                spec.model_validate(answer)


def test_long_document_reads_only_the_chunks_the_reduce_keeps(example_path, tmp_path):
    """Notes over the reduce budget keep the head of each list: the chunks after the notes
    that fill it are not read by the engine (their picks were checked when they came in)."""
    long = tmp_path / "long.txt"
    long.write_text("\n\n".join([example_path.read_text(encoding="utf-8")] * 6), encoding="utf-8")
    result = brief([long], backend="mock", map_task="select", chunk_tokens=500, reduce_tokens=1500)
    assert result.meta.chunks >= 8 and result.meta.llm_calls == result.meta.chunks
    assert_grounded(result, long.read_text(encoding="utf-8"))
    cited = {int(i.lstrip("S")) for i in result.citations}
    assert max(cited) < 0.5 * len(load_sources([str(long)])[0].sentences)


def test_every_step_the_engine_reads_is_a_candidate():
    """The scan's next-step candidates hold every sentence the engine reads a step in."""
    from pathlib import Path

    data = Path(__file__).parent / "data"
    for path in [*sorted((data / "articles").glob("*.txt")), data / "grain-talks.txt"]:
        doc = load_sources([str(path)])[0]
        lines = [Line(s.id, s.text, s.heading) for s in doc.sentences]
        cand = find_candidates(lines, doc.title)
        steps = {s.evidence[-1] for s in cand.notes.next_steps}
        assert steps <= set(cand.step_ids), path.name


def test_other_side_keeps_the_engines_reading_or_is_dropped(example_path):
    """'other' (a party not on offer): the engine's reading of who speaks stands; with no
    reading of the sentence, the pick is dropped."""
    from briefer.briefs.select import PicksSpec, notes_from_picks
    from briefer.offline.picks import OTHER

    cand, text_of = candidates_of(example_path)
    read = {p.evidence[-1]: p for p in cand.notes.positions}
    spoken = next(sid for sid in cand.position_ids if sid in read)
    unread = next((sid for sid in cand.position_ids if sid not in read), None)
    answer = {"lead": cand.ids[0], "sides": {sid: "none" for sid in cand.position_ids}, "disputes": []}
    answer["sides"][spoken] = OTHER
    if unread:
        answer["sides"][unread] = OTHER
    if cand.step_ids:
        answer["next_steps"] = {sid: "no" for sid in cand.step_ids}
    notes, counts = notes_from_picks(PicksSpec(cand).model_validate(answer), cand)
    assert [p.evidence[-1] for p in notes.positions] == [spoken]
    assert notes.positions[0].actor == read[spoken].actor and notes.positions[0].side == read[spoken].side
    assert counts.dropped == (1 if unread else 0)
