"""Bad input to `mgraph report` (issue 11, item 1): its options and its output, each refused in one line."""
from __future__ import annotations

from tests.badinput.harness import REPO, Case

EVIDENCE = (REPO / "examples" / "northwind-devices" / "sbd-evidence.ttl").read_text(encoding="utf-8")
IS_INPUT = r"the output is the input file .*ev\.ttl; write the result to another file"

CASES = [
    Case(id="report-without-evidence", argv=["report", "-o", "out.html"],
         message=r"usage error: Missing argument 'EVIDENCE\.\.\.'"),
    Case(id="report-evidence-missing", argv=["report", "missing.ttl", "-o", "out.html"],
         message=r"^mgraph: error: missing\.ttl: file not found$"),
    Case(id="report-output-is-the-evidence", argv=["report", "ev.ttl", "-o", "ev.ttl"], files={"ev.ttl": EVIDENCE},
         message=IS_INPUT),
    Case(id="report-output-into-a-missing-folder", argv=["report", "ev.ttl", "-o", "no/such/report.html"],
         files={"ev.ttl": EVIDENCE}, message=r"the folder to write into does not exist"),
    Case(id="report-unknown-framework", argv=["report", "ev.ttl", "--framework", "nope", "-o", "out.html"],
         files={"ev.ttl": EVIDENCE}, message=r"unknown framework 'nope'; known frameworks: .*sbd@"),
    Case(id="report-unknown-subject", argv=["report", "ev.ttl", "--subject", "nobody", "-o", "out.html"],
         files={"ev.ttl": EVIDENCE}, message=r"no assessment of subject 'nobody' in the evidence"),
    Case(id="report-impossible-as-of", argv=["report", "ev.ttl", "--as-of", "2026-02-30", "-o", "out.html"],
         files={"ev.ttl": EVIDENCE}, message=r"usage error: Invalid value for '--as-of'"),
    Case(id="report-evidence-not-rdf", argv=["report", "ev.ttl", "-o", "out.html"],
         files={"ev.ttl": "<html><script>alert(1)</script></html>\n"}, message=r"ev\.ttl"),
]
