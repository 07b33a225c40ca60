"""Saving an Excel workbook so that the same rows always give the same bytes (fixed timestamps)."""
from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from openpyxl import Workbook

FIXED_DOC_TIME = dt.datetime(2000, 1, 1)
_FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def workbook_bytes(wb: Workbook) -> bytes:
    """The workbook as .xlsx bytes, its parts dated 1980 and its document properties 2000-01-01."""
    wb.properties.creator = "maturity-graph"
    wb.properties.created = FIXED_DOC_TIME
    buffer = io.BytesIO()
    wb.save(buffer)
    out = io.BytesIO()
    with (zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as source,
          zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target):
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                                 rb"\g<1>2000-01-01T00:00:00Z\g<2>", content)
            entry = zipfile.ZipInfo(info.filename, date_time=_FIXED_ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = info.external_attr
            target.writestr(entry, content)
    return out.getvalue()
