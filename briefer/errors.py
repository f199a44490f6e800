"""Errors raised by briefer.

Every failure a user can cause or meet is a ``BrieferError``; the CLI turns it into one
line on stderr and an exit code. Foreign exceptions (OSError, openai.APIError, jinja2
errors, ...) are caught at the boundary where they happen and re-raised as one of these
with ``raise ... from exc``, so the cause stays available under ``-v``.

    BrieferError                 exit_code 1 (runtime)
    ├── InputError               exit_code 2: missing, empty, binary or oversized input
    ├── UsageError               exit_code 2: bad option values (format, backend, ...)
    ├── TemplateError            exit_code 2: a prompt/output template that fails to load or render
    ├── BackendError             exit_code 1: the model server failed (network, HTTP, auth)
    ├── NotesError               exit_code 1: the model could not produce valid notes
    └── JobBusy                  exit_code 75 (EX_TEMPFAIL): another process runs the same digest job
"""

from __future__ import annotations


class BrieferError(Exception):
    exit_code = 1


class InputError(BrieferError):
    exit_code = 2


class UsageError(BrieferError):
    exit_code = 2


class TemplateError(BrieferError):
    exit_code = 2


class BackendError(BrieferError):
    exit_code = 1


class NotesError(BrieferError):
    """Validation kept failing after the bounded re-asks."""

    exit_code = 1

    def __init__(self, message: str, *, attempts: int = 0, last_output: str | None = None):
        super().__init__(message)
        self.attempts = attempts
        self.last_output = last_output


class JobBusy(BrieferError):
    """Another process holds the job's lock; try again later."""

    exit_code = 75
