"""Progress of long imports: one updating line on a terminal's stderr, nothing anywhere else (issue 9, item 6)."""
from __future__ import annotations

import io
import os
import pty
import select
import subprocess
import sys
from pathlib import Path

from maturity_graph.cli import main
from maturity_graph.evidence.findings import import_prowler
from maturity_graph.evidence.spreadsheet import import_sheet
from maturity_graph.progress import EVERY, TerminalProgress, terminal_progress
from tests.conftest import REPO
from tests.engine.evidence.big_scans import write_ocsf_scan

EXAMPLE = REPO / "examples" / "fernhill-payments" / "prowler-scan.ocsf.json"


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_the_line_is_redrawn_in_place_and_cleared_at_the_end() -> None:
    stream, clock = FakeTerminal(), Clock()
    line = TerminalProgress(stream, "scan.json", "findings", clock=clock)
    line(512, None)
    line(1024, None)  # within a tenth of a second: not drawn
    clock.now = 1.0
    line(123_456, None)
    clock.now = 2.0
    line(40, 100)
    line.finish()
    assert stream.getvalue() == (
        "\rscan.json: 512 findings"
        "\rscan.json: 123,456 findings"
        "\rscan.json: 40 of 100 findings (40%)" + " " * 0
        + "\r" + " " * len("scan.json: 40 of 100 findings (40%)") + "\r"
    )
    assert "\n" not in stream.getvalue()


def test_a_shorter_line_blanks_what_the_longer_one_left() -> None:
    stream, clock = FakeTerminal(), Clock()
    line = TerminalProgress(stream, "s", "rows", clock=clock)
    line(1_000_000, None)
    clock.now = 1.0
    line(5, None)
    assert stream.getvalue().endswith("\rs: 5 rows" + " " * (len("s: 1,000,000 rows") - len("s: 5 rows")))


def test_nothing_is_shown_when_not_a_terminal_or_quiet() -> None:
    assert terminal_progress(io.StringIO(), "x", "rows") is None
    assert terminal_progress(FakeTerminal(), "x", "rows", quiet=True) is None
    assert isinstance(terminal_progress(FakeTerminal(), "x", "rows"), TerminalProgress)


def test_a_broken_terminal_does_not_fail_the_import() -> None:
    class Closed(FakeTerminal):
        def write(self, text: str) -> int:
            raise OSError("gone")

    line = TerminalProgress(Closed(), "x", "rows")
    line(1, None)
    line.finish()


def test_the_importers_report_findings_and_rows(tmp_path: Path) -> None:
    seen: list[tuple[int, int | None]] = []
    path = tmp_path / "scan.json"
    write_ocsf_scan(path, EVERY * 2 + 3)
    import_prowler(path, progress=lambda done, total: seen.append((done, total)))
    assert seen == [(EVERY, None), (EVERY * 2, None), (EVERY * 2 + 3, None)]
    rows: list[tuple[int, int | None]] = []
    sheet = tmp_path / "sheet.csv"
    sheet.write_text("framework,requirement_id,status,date\n" + "sbd,SBD-SPO-L2-1,met,2026-03-01\n" * 3,
                     encoding="utf-8")
    import_sheet(sheet, progress=lambda done, total: rows.append((done, total)))
    assert rows == [(3, None)]


def test_the_cli_writes_no_progress_into_a_pipe(tmp_path: Path, capsys) -> None:
    path = tmp_path / "scan.json"
    write_ocsf_scan(path, EVERY * 3)
    assert main(["evidence", "import", "--from", "prowler", str(path), "-o", str(tmp_path / "out.ttl")]) == 0
    err = capsys.readouterr().err
    assert "\r" not in err and err.startswith(f"scan.json: {EVERY * 3} check results")


def _stderr_on_a_terminal(args: list[str], cwd: Path) -> str:
    """Run the CLI with stderr on a pseudo-terminal; what the terminal received."""
    leader, follower = pty.openpty()
    child = subprocess.Popen([sys.executable, "-c", "import sys; from maturity_graph.cli import main; "
                              "sys.exit(main(sys.argv[1:]))", *args], cwd=cwd, stdin=subprocess.DEVNULL,
                             stdout=subprocess.DEVNULL, stderr=follower)
    os.close(follower)
    received = b""
    while True:
        ready, _, _ = select.select([leader], [], [], 60)
        if not ready:
            break
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        received += chunk
    os.close(leader)
    assert child.wait(timeout=60) == 0, received
    return received.decode("utf-8", "replace")


def test_on_a_terminal_the_line_updates_and_quiet_silences_it(tmp_path: Path) -> None:
    path = tmp_path / "scan.json"
    write_ocsf_scan(path, 6_000)
    args = ["evidence", "import", "--from", "prowler", str(path), "-o", str(tmp_path / "out.ttl")]
    shown = _stderr_on_a_terminal(args, tmp_path)
    assert "\rscan.json: " in shown and " findings" in shown, shown
    assert "6,000 check results" not in shown and "6000 check results" in shown  # the summary is plain
    quiet = _stderr_on_a_terminal([*args, "--quiet"], tmp_path)
    assert "\r" not in quiet.replace("\r\n", "\n") and "6000 check results" in quiet
