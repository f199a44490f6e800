"""Small builders shared by tests."""

import json


def notes_json(**lists) -> str:
    """A notes answer as a model would send it."""
    base = {"key_points": [], "actors": [], "positions": [], "disputes": [], "agreements": [],
            "next_steps": [], "quotes": []}
    base.update(lists)
    return json.dumps(base)
