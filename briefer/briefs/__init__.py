"""Making a brief: chunks to notes (map), notes merged and reduced, the brief step, then
grounding and the one-page word budget; ``plan`` is the dry run (calls, tokens, cost).
Open ``pipeline`` first; ``merge`` and ``budget`` are its later stages; ``select`` is the
select map task (the model picks sentence ids; the picks become grounded notes)."""
