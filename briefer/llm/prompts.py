"""Prompt templates: Jinja2 files with a ``system`` and a ``user`` block each.

The built-in templates live in the repository's ``prompts/`` folder (shipped inside the
wheel as ``briefer/prompts``). ``--prompts-dir DIR`` puts DIR in front: a file there with
the same name as a built-in template replaces it.
"""

from __future__ import annotations

from pathlib import Path

import jinja2

from ..errors import TemplateError

TEMPLATE_NAMES = ("extract.j2", "select.j2", "reduce.j2", "brief.j2", "retry.j2", "verify.j2", "digest.j2")


def builtin_prompts_dir() -> Path:
    here = Path(__file__).resolve().parent.parent  # the briefer package
    for candidate in (here / "prompts", here.parent / "prompts"):  # wheel, then source tree
        if (candidate / "extract.j2").is_file():
            return candidate
    raise TemplateError("briefer's prompt templates are missing from the installation")


# One Jinja2 environment per search path for the process: an environment keeps the
# templates it compiled (compiling select.j2 and its siblings cost ~10 ms a brief) and
# reloads one whose file changed (auto_reload checks the file's mtime).
_ENVIRONMENTS: dict[tuple[str, ...], jinja2.Environment] = {}


def _environment(searchpath: list[str]) -> jinja2.Environment:
    key = tuple(searchpath)
    env = _ENVIRONMENTS.get(key)
    if env is None:
        env = _ENVIRONMENTS[key] = jinja2.Environment(
            loader=jinja2.FileSystemLoader(searchpath),
            undefined=jinja2.StrictUndefined,
            keep_trailing_newline=False,
            autoescape=False,  # prompts are plain text, not HTML
        )
    return env


class Prompts:
    def __init__(self, override_dir: Path | str | None = None):
        self.override_dir = Path(override_dir) if override_dir else None
        if self.override_dir and not self.override_dir.is_dir():
            raise TemplateError(f"--prompts-dir {self.override_dir} is not a directory")
        searchpath = [str(self.override_dir)] if self.override_dir else []
        searchpath.append(str(builtin_prompts_dir()))
        self.env = _environment(searchpath)

    def path_of(self, name: str) -> Path:
        if self.override_dir and (self.override_dir / name).is_file():
            return self.override_dir / name
        return builtin_prompts_dir() / name

    def source(self, name: str) -> str:
        path = self.path_of(name)
        if not path.is_file():
            raise TemplateError(f"no prompt template named {name!r} (have: {', '.join(TEMPLATE_NAMES)})")
        return path.read_text(encoding="utf-8")

    def fingerprint(self) -> str:
        """A hash of every template in use: an edited prompt makes different answers."""
        import hashlib

        digest = hashlib.sha256()
        for name in TEMPLATE_NAMES:
            digest.update(name.encode() + b"\0" + self.source(name).encode("utf-8") + b"\0")
        return digest.hexdigest()

    def render(self, name: str, **variables) -> list[dict[str, str]]:
        """Chat messages from the template's ``system`` and ``user`` blocks."""
        try:
            template = self.env.get_template(name)
            context = template.new_context(variables)
            messages = []
            for role in ("system", "user"):
                block = template.blocks.get(role)
                if block is not None:
                    text = "".join(block(context)).strip()
                    if text:
                        messages.append({"role": role, "content": text})
        except jinja2.TemplateSyntaxError as exc:
            where = Path(exc.filename).name if exc.filename else name
            raise TemplateError(f"template {where} line {exc.lineno}: {exc.message}") from exc
        except jinja2.UndefinedError as exc:
            raise TemplateError(f"template {self.path_of(name).name}: {exc.message}") from exc
        except jinja2.TemplateNotFound as exc:
            raise TemplateError(f"no prompt template named {name!r}") from exc
        if not any(m["role"] == "user" for m in messages):
            raise TemplateError(f"template {name} has no user block")
        return messages
