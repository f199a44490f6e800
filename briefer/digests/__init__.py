"""Daily digests: gather a day's documents (files, pages, feeds), brief each once (stored in
SQLite state so nothing is paid for twice), and group the briefs into grounded stories.
Open ``run`` first (``digest``); ``gather``, ``state`` and ``stories`` are its stages."""
