"""maturity-graph: security maturity models, evidence and crosswalks as one RDF graph."""
from importlib.metadata import PackageNotFoundError, version

from .assessment.pipeline import assess
from .assessment.movement import Diff, Movement, diff, diff_assessments
from .assessment.result import AssessmentResult, FrameworkAssessment, Gap, StageRef, StageResult
from .catalogue import Catalogue, Framework, FrameworkCounts, load_catalogue
from .crosswalk.apply import ApplyResult, apply_crosswalk, assess_with_crosswalks
from .crosswalk.check import check_crosswalks
from .crosswalk.curated import compose_crosswalk, curated_mappings
from .crosswalk.derive import derive_mappings
from .crosswalk.model import Mapping, Relation
from .errors import (
    ContentError,
    EvidenceError,
    InputError,
    MaturityGraphError,
    QueryRejected,
    StoreError,
    UnknownFrameworkError,
)
from .evidence.findings import import_prowler
from .evidence.load import EvidenceSet, load_evidence
from .evidence.spreadsheet import import_sheet, template_rows
from .exporters import export
from .queries.runner import named_queries, run_query
from .store import open_store
from .validate.wellformed import ValidationResult, validate_evidence

try:
    __version__ = version("maturity-graph")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0+unknown"

__all__ = [
    "ApplyResult",
    "AssessmentResult",
    "Catalogue",
    "Diff",
    "Movement",
    "ContentError",
    "EvidenceError",
    "EvidenceSet",
    "Framework",
    "FrameworkAssessment",
    "FrameworkCounts",
    "Gap",
    "InputError",
    "Mapping",
    "MaturityGraphError",
    "QueryRejected",
    "Relation",
    "StageRef",
    "StageResult",
    "StoreError",
    "UnknownFrameworkError",
    "ValidationResult",
    "__version__",
    "apply_crosswalk",
    "assess",
    "assess_with_crosswalks",
    "check_crosswalks",
    "compose_crosswalk",
    "curated_mappings",
    "derive_mappings",
    "diff",
    "diff_assessments",
    "export",
    "import_prowler",
    "import_sheet",
    "load_catalogue",
    "load_evidence",
    "named_queries",
    "open_store",
    "run_query",
    "template_rows",
    "validate_evidence",
]
