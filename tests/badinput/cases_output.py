"""Outputs that would overwrite an input or cannot be written, and text that attacks the reader (issue 8, items 5,
9 and 10). Every output target lives in the case folder or is a device or read-only place, never the repository."""
from __future__ import annotations

import os
import socket
from pathlib import Path

from tests.badinput.harness import REPO, Case

EVIDENCE = (REPO / "examples" / "northwind-devices" / "sbd-evidence.ttl").read_text(encoding="utf-8")
SCAN = (REPO / "examples" / "fernhill-payments" / "prowler-scan.ocsf.json").read_text(encoding="utf-8")
QUERY = "SELECT ?s WHERE { ?s ?p ?o } LIMIT 1\n"
IS_INPUT = r"the output is the input file .*ev\.ttl; write the result to another file"
# A date holding a screen-clearing escape and a right-to-left override, as Turtle \u escapes.
EVIL_DATE = EVIDENCE.replace('ev:date "', 'ev:date "\\u001B[2J\\u202E', 1)


def hard_link(folder: Path) -> None:
    os.link(folder / "ev.ttl", folder / "hard.ttl")


def unix_socket(folder: Path) -> None:
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(folder / "out.sock"))
    server.close()  # the socket file stays


def planted_link(folder: Path) -> None:
    shared = folder / "shared"
    shared.mkdir()
    shared.chmod(0o1777)
    (folder / "victim.txt").write_text("precious\n", encoding="utf-8")
    (shared / "report.txt").symlink_to(folder / "victim.txt")
    os.lchown(shared / "report.txt", 4242, 4242)


CASES = [
    # -o naming an input (item 5)
    Case(id="output-is-the-evidence", argv=["assess", "ev.ttl", "-o", "ev.ttl"], files={"ev.ttl": EVIDENCE},
         message=IS_INPUT),
    Case(id="output-is-the-evidence-by-absolute-path", argv=["assess", "ev.ttl", "-o", "{dir}/ev.ttl"],
         files={"ev.ttl": EVIDENCE}, message=IS_INPUT),
    Case(id="output-is-a-symlink-to-the-evidence", argv=["assess", "ev.ttl", "-o", "link.ttl"],
         files={"ev.ttl": EVIDENCE}, symlinks={"link.ttl": "ev.ttl"}, message=IS_INPUT),
    Case(id="output-is-a-hard-link-to-the-evidence", argv=["assess", "ev.ttl", "-f", "turtle", "-o", "hard.ttl"],
         files={"ev.ttl": EVIDENCE}, make=hard_link, message=IS_INPUT),
    Case(id="output-is-the-query-file", argv=["query", "q.rq", "ev.ttl", "-o", "q.rq"],
         files={"ev.ttl": EVIDENCE, "q.rq": QUERY}, message=r"the output is the input file .*q\.rq"),
    Case(id="output-is-the-query-evidence", argv=["query", "-q", QUERY, "ev.ttl", "-f", "csv", "-o", "ev.ttl"],
         files={"ev.ttl": EVIDENCE}, message=IS_INPUT),
    Case(id="output-is-the-new-snapshot", argv=["diff", "old.ttl", "ev.ttl", "-o", "ev.ttl"],
         files={"old.ttl": EVIDENCE, "ev.ttl": EVIDENCE}, message=IS_INPUT),
    Case(id="output-is-the-prowler-scan",
         argv=["evidence", "import", "--from", "prowler", "scan.json", "-o", "scan.json"],
         files={"scan.json": SCAN}, message=r"the output is the input file .*scan\.json"),
    Case(id="output-is-the-crosswalk-evidence",
         argv=["crosswalk", "apply", "ev.ttl", "--from", "sbd", "--to", "ztmm", "-o", "ev.ttl"],
         files={"ev.ttl": EVIDENCE}, message=IS_INPUT),
    Case(id="output-is-a-planted-symlink-in-a-sticky-folder", argv=["assess", "ev.ttl", "-o", "shared/report.txt"],
         files={"ev.ttl": EVIDENCE}, make=planted_link, message=r"symlink another user made in a shared folder"),
    # outputs that cannot be written (items 5 and 10): one line, exit 2, not an internal error
    Case(id="output-to-dev-full", argv=["evidence", "template", "--framework", "sbd", "-o", "/dev/full"],
         message=r"^mgraph: error: /dev/full: cannot write the output: No space left on device$"),
    Case(id="output-to-a-symlink-to-dev-full", argv=["assess", "ev.ttl", "-o", "out.txt"],
         files={"ev.ttl": EVIDENCE}, symlinks={"out.txt": "/dev/full"}, message=r"out\.txt: .*No space left on device"),
    Case(id="output-in-read-only-sysfs",
         argv=["evidence", "template", "--framework", "sbd", "-o", "/sys/kernel/mgraph-corpus-output.txt"],
         message=r"cannot write the output: cannot create a file in /sys/kernel: (Permission denied|Read-only)"),
    Case(id="output-over-a-proc-file", argv=["evidence", "template", "--framework", "sbd", "-o", "/proc/version"],
         message=r"/proc/version: cannot write the output: cannot create a file in /proc"),
    Case(id="output-into-a-missing-folder",
         argv=["evidence", "template", "--framework", "sbd", "-o", "no/such/out.csv"],
         message=r"the folder to write into does not exist"),
    Case(id="output-is-a-folder", argv=["evidence", "template", "--framework", "sbd", "-o", "{dir}"],
         message=r"usage error: .*is a directory.*--help"),
    Case(id="output-is-a-socket", argv=["evidence", "template", "--framework", "sbd", "-o", "out.sock"],
         make=unix_socket, message=r"out\.sock: the output is a socket"),
    # text that attacks the reader (item 9): the one error line shows escapes, never the raw characters
    Case(id="error-line-file-name-with-terminal-escape", argv=["assess", "\x1b[2J\x1b]0;pwned\x07missing.ttl"],
         message=r"^[^\x1b\x07]*\\x1b\[2J\\x1b\]0;pwned\\x07missing\.ttl[^\x1b\x07]*$"),
    Case(id="error-line-file-name-with-newline", argv=["assess", "two\nlines.ttl"], message=r"two\\x0alines\.ttl"),
    Case(id="error-line-file-name-with-bidi-override", argv=["assess", "\u202eltt.exe"],
         message=r"^[^\u202e]*\\u202eltt\.exe"),
    Case(id="error-line-evidence-value-with-escapes", argv=["assess", "ev.ttl"], files={"ev.ttl": EVIL_DATE},
         message=r"^[^\x1b\u202e]*\\x1b\[2J\\u202e[^\x1b\u202e]*$"),
    Case(id="usage-error-with-escapes-is-one-line", argv=["assess", "ev.ttl", "-f", "\x1b[2J\u202etable"],
         files={"ev.ttl": EVIDENCE}, message=r"^mgraph: usage error: [^\x1b\u202e]*\\x1b\[2J\\u202etable.*--help"),
]
