"""maturity-graph: security maturity models, evidence and crosswalks as one RDF graph.

The public API is exactly the names in `__all__`, imported from `maturity_graph` itself
(docs/api.md). Every submodule is internal and may change without notice; the CLI uses these
names only (tests/test_public_api.py). Note `maturity_graph.assess` is the function; the
package `maturity_graph.assessment` holds its internals.

Each name is imported from its module when first used (PEP 562), so a program loads only what it
calls: `mgraph --version` loads none of it, and rdflib's SPARQL engine, pyshacl or yaml load only
for the commands that need them.
"""
from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the same names as _MODULES below, for type checkers and readers
    from .assessment.gates import below_target
    from .assessment.movement import Diff, Movement, diff, diff_assessments
    from .assessment.pipeline import assess
    from .assessment.portfolio import PortfolioResult
    from .assessment.result import (
        AssessmentResult,
        AssessmentScope,
        FrameworkAssessment,
        Gap,
        StageRef,
        StageResult,
        Subject,
        stage_text,
    )
    from .assessment.roadmap import Roadmap, RoadmapItem, RoadmapSection, roadmap
    from .assessment.targets import Target
    from .assessment.trend import Trend, trend, trend_assessments
    from .catalogue import Catalogue, Framework, FrameworkCounts, load_catalogue
    from .content_folders import ContentRoot, content_roots, forget_content, use_content
    from .crosswalk.apply import ApplyResult, Carried, apply_crosswalk, assess_with_crosswalks
    from .crosswalk.check import CrosswalkCheck, check_crosswalks
    from .crosswalk.curated import (
        Disagreement,
        compose_crosswalk,
        curated_mappings,
        disagreements,
        unmapped_capabilities,
    )
    from .crosswalk.derive import derive_mappings
    from .crosswalk.model import Mapping, Relation
    from .dataset import DATASET_FORMATS, Dataset, export_dataset, fill_dataset
    from .dataset_server import ServedDataset, serve_dataset
    from .errors import (
        ContentError,
        EvidenceError,
        InputError,
        MaturityGraphError,
        QueryRejected,
        RowErrors,
        StoreError,
        UnknownFrameworkError,
    )
    from .evidence.findings import (
        SCANNER_IMPORTERS,
        SCANNER_STREAMERS,
        FindingsImport,
        ScanImport,
        import_prowler,
        write_prowler_import,
    )
    from .evidence.load import EvidenceSet, load_evidence
    from .evidence.spreadsheet import TEMPLATE_WRITERS, import_sheet, template_rows
    from .evidence.subjects import KINDS as SUBJECT_KINDS
    from .exporters import EXPORTERS, export
    from .exporters.formulas import neutralise_formula
    from .exporters.junit import junit_xml, xml_safe
    from .exporters.results_table import REQUIREMENT_COLUMNS, RESULT_COLUMNS, requirement_rows, result_rows
    from .output import write_output
    from .packs import BuiltPack, Pack, PackCheck, PackFinding, build_pack, check_pack, is_built, is_pack, read_pack
    from .prefixes import compact_iri, prefix_map
    from .progress import terminal_progress
    from .queries.runner import NamedQuery, named_queries, named_query, run_query
    from .queries.sandbox import QueryLimits
    from .rdf import prefixed
    from .report.html import report_html
    from .shacl.run import ENGINES as SHACL_ENGINES
    from .store import StoreSpec, open_store
    from .store.interface import QueryResult, Store
    from .store.loading import LoadedGraph, load_into, loadable
    from .validate.wellformed import ValidationResult, validate_evidence
    from .xlsx_bytes import workbook_bytes

    __version__: str

# The module each public name lives in (SHACL_ENGINES is shacl.run's ENGINES).
_MODULES: dict[str, tuple[str, ...]] = {
    ".assessment.gates": ("below_target",),
    ".assessment.movement": ("Diff", "Movement", "diff", "diff_assessments"),
    ".assessment.pipeline": ("assess",),
    ".assessment.portfolio": ("PortfolioResult",),
    ".assessment.result": (
        "AssessmentResult", "AssessmentScope", "FrameworkAssessment", "Gap", "StageRef", "StageResult", "Subject",
        "stage_text",
    ),
    ".assessment.roadmap": ("Roadmap", "RoadmapItem", "RoadmapSection", "roadmap"),
    ".assessment.targets": ("Target",),
    ".assessment.trend": ("Trend", "trend", "trend_assessments"),
    ".catalogue": ("Catalogue", "Framework", "FrameworkCounts", "load_catalogue"),
    ".content_folders": ("ContentRoot", "content_roots", "forget_content", "use_content"),
    ".crosswalk.apply": ("ApplyResult", "Carried", "apply_crosswalk", "assess_with_crosswalks"),
    ".crosswalk.check": ("CrosswalkCheck", "check_crosswalks"),
    ".crosswalk.curated": (
        "Disagreement", "compose_crosswalk", "curated_mappings", "disagreements", "unmapped_capabilities",
    ),
    ".crosswalk.derive": ("derive_mappings",),
    ".crosswalk.model": ("Mapping", "Relation"),
    ".dataset": ("DATASET_FORMATS", "Dataset", "export_dataset", "fill_dataset"),
    ".dataset_server": ("ServedDataset", "serve_dataset"),
    ".errors": (
        "ContentError", "EvidenceError", "InputError", "MaturityGraphError", "QueryRejected", "RowErrors",
        "StoreError", "UnknownFrameworkError",
    ),
    ".evidence.findings": (
        "SCANNER_IMPORTERS", "SCANNER_STREAMERS", "FindingsImport", "ScanImport", "import_prowler",
        "write_prowler_import",
    ),
    ".evidence.load": ("EvidenceSet", "load_evidence"),
    ".evidence.spreadsheet": ("TEMPLATE_WRITERS", "import_sheet", "template_rows"),
    ".evidence.subjects": ("SUBJECT_KINDS",),
    ".exporters": ("EXPORTERS", "export"),
    ".exporters.formulas": ("neutralise_formula",),
    ".exporters.junit": ("junit_xml", "xml_safe"),
    ".exporters.results_table": ("REQUIREMENT_COLUMNS", "RESULT_COLUMNS", "requirement_rows", "result_rows"),
    ".output": ("write_output",),
    ".packs": (
        "BuiltPack", "Pack", "PackCheck", "PackFinding", "build_pack", "check_pack", "is_built", "is_pack", "read_pack",
    ),
    ".prefixes": ("compact_iri", "prefix_map"),
    ".progress": ("terminal_progress",),
    ".queries.runner": ("NamedQuery", "named_queries", "named_query", "run_query"),
    ".queries.sandbox": ("QueryLimits",),
    ".rdf": ("prefixed",),
    ".report.html": ("report_html",),
    ".xlsx_bytes": ("workbook_bytes",),
    ".shacl.run": ("SHACL_ENGINES",),
    ".store": ("StoreSpec", "open_store"),
    ".store.interface": ("QueryResult", "Store"),
    ".store.loading": ("LoadedGraph", "load_into", "loadable"),
    ".validate.wellformed": ("ValidationResult", "validate_evidence"),
}
_ALIASES = {"SHACL_ENGINES": "ENGINES", "SUBJECT_KINDS": "KINDS"}
_HOME = {name: module for module, names in _MODULES.items() for name in names}


def __getattr__(name: str) -> object:
    """Import a public name's module on first use, and keep the name here so the next use is direct."""
    if name == "__version__":
        value: object = _version()
    elif name in _HOME:
        value = getattr(import_module(_HOME[name], __name__), _ALIASES.get(name, name))
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("maturity-graph")
    except PackageNotFoundError:  # running from a source tree that was never installed
        return "0+unknown"


__all__ = [
    "ApplyResult",
    "AssessmentResult",
    "AssessmentScope",
    "Carried",
    "Catalogue",
    "ContentError",
    "CrosswalkCheck",
    "DATASET_FORMATS",
    "Dataset",
    "Diff",
    "Disagreement",
    "EXPORTERS",
    "EvidenceError",
    "EvidenceSet",
    "FindingsImport",
    "Framework",
    "FrameworkAssessment",
    "FrameworkCounts",
    "Gap",
    "InputError",
    "LoadedGraph",
    "Mapping",
    "MaturityGraphError",
    "Movement",
    "NamedQuery",
    "PortfolioResult",
    "QueryLimits",
    "QueryRejected",
    "QueryResult",
    "Relation",
    "Roadmap",
    "RoadmapItem",
    "RoadmapSection",
    "RowErrors",
    "SCANNER_IMPORTERS",
    "SCANNER_STREAMERS",
    "SHACL_ENGINES",
    "SUBJECT_KINDS",
    "ServedDataset",
    "ScanImport",
    "StageRef",
    "StageResult",
    "Store",
    "StoreError",
    "StoreSpec",
    "Subject",
    "TEMPLATE_WRITERS",
    "Target",
    "Trend",
    "UnknownFrameworkError",
    "ValidationResult",
    "__version__",
    "apply_crosswalk",
    "assess",
    "assess_with_crosswalks",
    "below_target",
    "check_crosswalks",
    "compose_crosswalk",
    "curated_mappings",
    "derive_mappings",
    "diff",
    "diff_assessments",
    "disagreements",
    "export",
    "export_dataset",
    "fill_dataset",
    "import_prowler",
    "import_sheet",
    "junit_xml",
    "xml_safe",
    "REQUIREMENT_COLUMNS",
    "RESULT_COLUMNS",
    "requirement_rows",
    "result_rows",
    "workbook_bytes",
    "stage_text",
    "load_catalogue",
    "ContentRoot",
    "content_roots",
    "forget_content",
    "use_content",
    "load_evidence",
    "load_into",
    "loadable",
    "named_queries",
    "named_query",
    "neutralise_formula",
    "open_store",
    "prefixed",
    "report_html",
    "prefix_map",
    "compact_iri",
    "roadmap",
    "serve_dataset",
    "run_query",
    "template_rows",
    "terminal_progress",
    "trend",
    "trend_assessments",
    "unmapped_capabilities",
    "validate_evidence",
    "write_output",
    "write_prowler_import",
    "BuiltPack",
    "Pack",
    "PackCheck",
    "PackFinding",
    "build_pack",
    "check_pack",
    "is_built",
    "is_pack",
    "read_pack",
]
