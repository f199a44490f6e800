"""The offline engine: deterministic rules that answer every model task with no model
(notes, reduce and brief steps, digest stories, verify verdicts), as the ``mock`` backend.
Open ``engine`` first (which task goes where), then ``extractive`` (notes) and ``compose`` (the brief)."""
