"""engine/packs/check.py and `mgraph framework build|check`: the bundled content checks, run on a pack, with the
findings named by the pack's rows."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from maturity_graph import InputError, build_pack, check_pack
from maturity_graph.cli import main


def _tamper(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_pack_checks_clean(pack_dir: Path) -> None:
    result = check_pack(pack_dir)
    assert result.ok and result.findings == ()


def test_built_pack_checks_clean(pack_dir: Path, tmp_path: Path) -> None:
    built = build_pack(pack_dir, tmp_path / "out")
    result = check_pack(built.path)
    assert result.ok and result.findings == ()
    assert result.framework_files == (built.framework_file,)


def test_requirement_without_shape_names_its_row(pack_dir: Path, tmp_path: Path) -> None:
    built = build_pack(pack_dir, tmp_path / "out")
    _tamper(built.framework_file, "    mm:shape acme-psmsh:cr-1 ;\n", "")
    result = check_pack(built.path)
    assert not result.ok
    found = {(f.check, f.node.rsplit("/", 1)[-1]): f.rows for f in result.findings}
    assert found[("requirement-without-shape", "cr-1")] == ("requirements.csv row 6",)
    assert found[("shape:Requirement-shape", "cr-1")] == ("requirements.csv row 6",)
    assert found[("orphan-shape", "cr-1")] == ("requirements.csv row 6",)  # the shape, traced to its requirement
    assert all(f.node.startswith("https://w3id.org/maturity-graph/") and "acme-psm" in f.node for f in result.findings)


def test_undefined_concept_is_a_finding(pack_dir: Path, tmp_path: Path) -> None:
    built = build_pack(pack_dir, tmp_path / "out")
    _tamper(built.framework_file, "mm:concept cpt:policy-review ", "mm:concept cpt:policy-reviewed ")
    found = {f.check: f for f in check_pack(built.path).findings}
    assert found["concept-undefined"].rows == ("requirements.csv row 3",)
    assert found["concept-undefined"].value == "https://w3id.org/maturity-graph/concept/policy-reviewed"


def test_checks_that_do_not_apply_to_packs(pack_dir: Path, tmp_path: Path) -> None:
    """TRN-1 has no concept and TRN-2's threshold has no quantifier reading: neither is reported for a pack, while
    the same queries still fire on the same node shapes when they are not the pack's (tests/ontology/test_qa.py)."""
    built = build_pack(pack_dir, tmp_path / "out")
    text = built.framework_file.read_text(encoding="utf-8")
    assert "acme-psm:trn-1 a mm:Requirement" in text and "mm:reading" not in text
    assert check_pack(built.path).findings == ()


def test_baseline_with_requirement_is_found(pack_dir: Path, tmp_path: Path) -> None:
    built = build_pack(pack_dir, tmp_path / "out")
    _tamper(built.framework_file, "mm:isBaseline true ;", "mm:isBaseline true ;\n    mm:requires acme-psm:cr-1 ;")
    checks = {f.check for f in check_pack(built.path).findings}
    assert {"baseline-with-requirements", "shape:Criterion-baseline"} <= checks


def test_neither_pack_nor_build(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="neither a framework pack"):
        check_pack(tmp_path)


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_build_and_check(pack_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    code, _, err = _run(capsys, "framework", "build", str(pack_dir), "-o", str(out))
    assert code == 0, err
    assert "built acme-psm 1.0" in err and "6 requirements (1 measured)" in err
    code, stdout, _ = _run(capsys, "framework", "check", str(out))
    assert code == 0 and "no findings" in stdout
    _tamper(out / "ontology" / "frameworks" / "acme-psm.ttl", "    mm:shape acme-psmsh:cr-1 ;\n", "")
    code, stdout, _ = _run(capsys, "framework", "check", str(out))
    assert code == 1
    assert "requirements.csv row 6: requirement-without-shape on cr-1" in stdout
    code, stdout, _ = _run(capsys, "framework", "check", str(out), "-f", "json")
    assert code == 1
    body = json.loads(stdout)
    assert body["status"] == "findings"
    assert {"requirements.csv row 6"} == {row for f in body["results"] for row in f["rows"]}


def test_cli_bad_pack_is_exit_2(pack_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (pack_dir / "requirements.csv").write_text("dimension,capability\nx,y\n", encoding="utf-8")
    code, _, err = _run(capsys, "framework", "check", str(pack_dir))
    assert code == 2
    assert "requirements.csv:1: the header lacks the column(s) stage" in err
