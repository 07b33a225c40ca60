"""An assessment as JUnit XML, the test report schema Jenkins, GitLab and GitHub Actions show.

testsuites > testsuite (one per subject, framework and capability) > testcase (one per requirement).
A requirement is a test that fails (<failure>, with the reason as its message) when it is unmet
and its stage is at or below the capability's target (its own, else its framework's: gates.py),
or, without a target, at or below the capability's next stage: what a CI pipeline is asked to
reach. An unmet requirement of a stage beyond that is <skipped> ("not required yet"), and so is
a requirement that is not applicable.

Evidence text is untrusted: ElementTree escapes markup, and characters XML 1.0 cannot hold
(C0 controls but tab, newline and carriage return, lone surrogates, U+FFFE, U+FFFF), as well as
C1 controls and the bidi and line-separator characters a CI web page would act on, are written
as visible escapes (\\x1b, \\u202e), as on the terminal.
"""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence

from ..assessment.gates import target_of
from ..assessment.movement import subject_of
from ..assessment.requirements import Reason
from ..assessment.result import AssessmentResult, FrameworkAssessment, StageResult
from ..catalogue import RequirementRow

_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
                     "\u2028\u2029\ud800-\udfff\ufffe\uffff]")
SHORT_TEXT = 80


def xml_safe(text: str) -> str:
    """`text` with every character XML cannot hold, or a web page would act on, shown as an escape."""
    def escaped(match: re.Match[str]) -> str:
        code = ord(match.group())
        return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"

    return _UNSAFE.sub(escaped, text)


def _element(parent: ET.Element, tag: str, text: str | None = None, **attributes: object) -> ET.Element:
    node = ET.SubElement(parent, tag, {k: xml_safe(str(v)) for k, v in attributes.items()})
    if text is not None:
        node.text = xml_safe(text)
    return node


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= SHORT_TEXT else text[: SHORT_TEXT - 1].rstrip() + "…"


def _limit(fw: FrameworkAssessment, capability: StageResult, rows: Sequence[RequirementRow]) -> int:
    """The highest stage whose unmet requirements are failures: the target, else the next stage."""
    target = target_of(fw, capability)
    if target is not None:
        return target.rank
    if capability.next_stage is not None:
        return capability.next_stage.rank
    if capability.stage is not None:
        return capability.stage.rank
    return min((r.rank for r in rows), default=0)


def _suite(root: ET.Element, result: AssessmentResult, fw: FrameworkAssessment, capability: StageResult,
           rows: Sequence[RequirementRow]) -> tuple[int, int, int]:
    subject = subject_of(fw)
    limit = _limit(fw, capability, rows)
    target = target_of(fw, capability)
    day = (fw.as_of or result.as_of).isoformat()
    prefix = f"{fw.scope.name}, {day} / " if fw.scope is not None else ""  # one subject may be assessed twice
    suite = _element(root, "testsuite", name=f"{prefix}{fw.framework} {capability.id} {capability.label}",
                     tests=len(rows), failures=0, errors=0, skipped=0, time=0)
    properties = _element(suite, "properties")
    facts = {"framework": f"{fw.framework} {fw.version}", "as_of": day,
             "stage": capability.stage.label if capability.stage else
             ("below the first stage" if capability.assessed else "not assessed"),
             "target": target.label if target else "", "subject": subject.id if subject else "",
             "assessment": str(fw.scope.iri) if fw.scope is not None and fw.scope.iri is not None else ""}
    for name, value in facts.items():
        if value:
            _element(properties, "property", name=name, value=value)
    classname = ".".join([*([subject.id] if subject else []), fw.framework, capability.id])
    failures = skipped = 0
    for row in sorted(rows, key=lambda r: (r.rank, r.id)):
        case = _element(suite, "testcase", classname=classname, name=f"{row.id} {_short(row.text)}", time=0)
        outcome = fw.requirements.get(row.requirement)
        reason = outcome.reason if outcome is not None else "no outcome"
        if outcome is not None and outcome.satisfied:
            if outcome.cause == Reason.NOT_APPLICABLE:
                skipped += 1
                _element(case, "skipped", message=f"not applicable: {reason}")
        elif row.rank <= limit:
            failures += 1
            _element(case, "failure", f"{row.stage_label}: {row.text}\n{reason}", message=reason, type="unmet")
        else:
            skipped += 1
            _element(case, "skipped", message=f"not required yet ({row.stage_label} is beyond "
                                              f"{'the target' if target else 'the next stage'}): {reason}")
    suite.set("failures", str(failures))
    suite.set("skipped", str(skipped))
    return len(rows), failures, skipped


def junit_xml(result: AssessmentResult) -> bytes:
    """The assessment as a JUnit XML document (UTF-8, with its declaration)."""
    root = ET.Element("testsuites", {"name": "mgraph assess"})
    totals = [0, 0, 0]
    for fw in result.frameworks:
        rows = result.catalogue.requirement_rows(result.catalogue.get(fw.framework))
        by_capability: dict[str, list[RequirementRow]] = {}
        for row in rows:
            by_capability.setdefault(str(row.place.capability), []).append(row)
        for capability in fw.of_kind("capability"):
            counts = _suite(root, result, fw, capability, by_capability.get(str(capability.iri), []))
            totals = [t + c for t, c in zip(totals, counts, strict=True)]
    for name, value in zip(("tests", "failures", "skipped"), totals, strict=True):
        root.set(name, str(value))
    root.set("errors", "0")
    root.set("time", "0")
    ET.indent(root)
    document: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return document + b"\n"
