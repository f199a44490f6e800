"""The source document as the rest of the pipeline sees it: sentences with stable ids."""

from __future__ import annotations

from dataclasses import dataclass, field

_new = object.__new__
_set = object.__setattr__


@dataclass(frozen=True)
class Sentence:
    id: str  # "S3" for a single source, "D2.S3" when several sources are briefed together
    text: str  # exactly as it stands in the decoded source (edges stripped)
    paragraph: int  # 0-based paragraph index within the document
    section: int  # 0-based; a new section starts at every heading
    heading: str | None  # the heading this sentence falls under, if any

    @classmethod
    def make(cls, id: str, text: str, paragraph: int, section: int, heading: str | None) -> "Sentence":
        """``Sentence(...)`` for the thousands a long document has: the same object (its
        fields in its ``__dict__``), without the five ``object.__setattr__`` calls of a
        frozen dataclass's ``__init__`` (~3 us a sentence)."""
        sentence = _new(cls)
        _set(sentence, "__dict__", {"id": id, "text": text, "paragraph": paragraph, "section": section,
                                    "heading": heading})
        return sentence


@dataclass
class Document:
    id: str  # "D1", "D2", ...
    path: str  # as given on the command line; "-" for stdin
    sha256: str  # of the raw input bytes
    text: str  # the decoded text (after markup stripping for HTML/Markdown)
    title: str | None = None
    sentences: list[Sentence] = field(default_factory=list)

    def sentence_map(self) -> dict[str, Sentence]:
        return {s.id: s for s in self.sentences}
