"""The offline engine: deterministic rules that answer every model task with no model
(notes, picks, reduce and brief steps, digest stories, verify verdicts), as the ``mock`` backend.
Open ``engine`` first (which task goes where), then ``extractive`` (notes) and ``compose`` (the brief);
``picks`` offers the select task's candidates and the engine's own picks."""
