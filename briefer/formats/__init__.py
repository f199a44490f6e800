"""Output formats: Markdown, text, JSON and HTML through Jinja2 templates (``briefer/templates``),
and PDF fitted to one page of paper by dropping the lowest-priority items.
Open ``render`` first; ``paper`` does the PDF and the one-page fit."""
