"""Checking a summary against its sources: claims, per-claim verdicts (lexical judge, trained
judge or the model), flags for wrong numbers, names, negations and quotes, and missing
content. Open ``run`` first (``compare``), then ``lexical`` (the offline judge) and
``trained`` (the learned one built on it)."""

from .claims import claims_from_brief, claims_from_text, read_summary
from .models import Claim, ClaimResult, Comparison
from .run import compare, compare_claims

__all__ = ["Claim", "ClaimResult", "Comparison", "claims_from_brief", "claims_from_text", "compare",
           "compare_claims", "read_summary"]
