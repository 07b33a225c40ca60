"""SSSOM TSV export: the mapping-set file format of crosswalks/, which passes `sssom validate`."""
from __future__ import annotations

from collections.abc import Sequence

from ..crosswalk.model import Mapping
from ..crosswalk.sssom import MappingSetFile, sssom_text, to_mapping_set
from .interface import ExportContext, Exporter


def to_sssom_set(mappings: Sequence[Mapping], *, context: ExportContext) -> MappingSetFile:
    return to_mapping_set(
        mappings,
        name=context.name,
        title=context.set_title,
        labels=context.labels(mappings),
        date=context.set_date(mappings),
    )


class SSSOMExporter(Exporter):
    name = "sssom"
    media_type = "text/tab-separated-values"
    suffix = ".sssom.tsv"

    def render(self, mappings: Sequence[Mapping], *, context: ExportContext) -> str:
        return sssom_text(to_sssom_set(mappings, context=context))
