"""Text basics: reading sources into sentences with stable ids, chunking them by tokens,
and grounding (does a quote or id really stand in the source?).
Open ``ingest`` first (sources -> ``document.Document``); then ``chunking``, ``grounding``."""
