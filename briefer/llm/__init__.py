"""Talking to a language model: the ``Backend`` interface, the OpenAI-compatible backend,
the response cache, prompt templates, settings, costs, and the validate-then-re-ask loop.
Open ``base`` first (the interface), then ``asking`` (how answers are checked and re-asked)."""
