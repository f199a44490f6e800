"""briefer: one-page, source-grounded briefings from long source text.

    import briefer
    result = briefer.brief(["report.txt"])          # offline unless a model server is set
    print(briefer.render(result, "md"))
"""

from .backends import make_backend
from .briefs.pipeline import BriefOptions, brief, brief_documents
from .digests.run import DigestResult, digest
from .errors import (
    BrieferError,
    InputError,
    JobBusy,
    NotesError,
    TemplateError,
    UsageError,
)
from .formats.paper import fit_to_page, render_pdf
from .formats.render import render
from .llm.base import Backend, ChatRequest, ChatResponse
from .offline.engine import MockBackend
from .schema import Brief, Notes
from .version import __version__  # noqa: F401 (briefer.__version__)

__all__ = [
    "Backend", "Brief", "BriefOptions", "BrieferError", "ChatRequest", "ChatResponse",
    "DigestResult", "InputError", "JobBusy", "MockBackend", "Notes", "NotesError", "TemplateError", "UsageError",
    "brief", "brief_documents", "digest", "fit_to_page", "make_backend", "render", "render_pdf",
]
