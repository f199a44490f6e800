"""briefer: one-page, source-grounded briefings from long source text.

    import briefer
    result = briefer.brief(["report.txt"])          # offline unless a model server is set
    print(briefer.render(result, "md"))
"""

from .backends import Backend, ChatRequest, ChatResponse, MockBackend, make_backend
from .digest import DigestResult, digest
from .errors import BrieferError, InputError, JobBusy, NotesError, TemplateError, UsageError
from .paper import fit_to_page, render_pdf
from .pipeline import BriefOptions, brief, brief_documents
from .render import render
from .schema import Brief, Notes

__version__ = "0.1.0"
__all__ = [
    "Backend", "Brief", "BriefOptions", "BrieferError", "ChatRequest", "ChatResponse",
    "DigestResult", "InputError", "JobBusy", "MockBackend", "Notes", "NotesError", "TemplateError", "UsageError",
    "brief", "brief_documents", "digest", "fit_to_page", "make_backend", "render", "render_pdf",
]
