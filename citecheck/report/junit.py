"""JUnit XML: one test case per reference, for CI systems that show test results.

A finding at or above ``fail_on`` fails its reference's test case; an unverified reference is
skipped (it could not be checked, which is not a failure); findings below the threshold go to
the case's output. Document-level findings are one more case, "manuscript". ElementTree
escapes every text and attribute, so titles with markup cannot break the XML.
"""

from __future__ import annotations

from pathlib import Path
from xml.etree import ElementTree as ET

from citecheck.audit import Report, fails
from citecheck.checks.codes import CODES
from citecheck.model import Finding


def _line(f: Finding) -> str:
    where = f" (line {f.line})" if f.line else ""
    return f"{f.severity} {CODES[f.code].id} {f.code}{where}: {f.message}"


def _case(
    suite: ET.Element,
    name: str,
    path: str,
    line: int | None,
    findings: list[Finding],
    fail_on: str,
    skipped: str | None = None,
) -> tuple[int, int]:
    case = ET.SubElement(suite, "testcase", classname=f"citecheck.{Path(path).stem}", name=name)
    case.set("file", path)
    if line:
        case.set("line", str(line))
    failing = [f for f in findings if fails(f.code, f.severity, fail_on)]
    if failing:
        first = failing[0]
        failure = ET.SubElement(
            case, "failure", type=f"{CODES[first.code].id} {first.code}", message=first.message
        )
        failure.text = "\n".join(_line(f) for f in failing)
    elif skipped is not None:
        ET.SubElement(case, "skipped", message=skipped)
    rest = [f for f in findings if f not in failing]
    if rest:
        ET.SubElement(case, "system-out").text = "\n".join(_line(f) for f in rest)
    return int(bool(failing)), int(skipped is not None and not failing)


def to_junit(report: Report) -> str:
    path = report.manuscript.path
    root = ET.Element("testsuites", name="citecheck")
    suite = ET.SubElement(root, "testsuite", name=path, time=f"{report.seconds:.3f}")
    failures = skipped = 0
    for r in report.references:
        unverified = next((f.message for f in r.findings if f.code == "unverified"), None)
        name = f"[{r.index}] {' '.join(r.reference.raw.split())[:120]}"
        failed, skip = _case(
            suite, name, path, r.reference.line, r.findings, report.fail_on, unverified
        )
        failures, skipped = failures + failed, skipped + skip
    tests = len(report.references)
    if report.findings:
        failed, _ = _case(suite, "manuscript", path, None, report.findings, report.fail_on)
        failures, tests = failures + failed, tests + 1
    for element in (root, suite):
        element.set("tests", str(tests))
        element.set("failures", str(failures))
        element.set("errors", "0")
        element.set("skipped", str(skipped))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
