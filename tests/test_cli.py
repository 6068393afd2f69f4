"""The installed ``fund`` command passes exit codes through (regeling §7: 0 decision, 2 input error)."""
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.example_documents import LLO_EXAMPLE

EXAMPLE = LLO_EXAMPLE


def _fund(*args, stdin=None, cwd=None):
    exe = shutil.which("fund", path=str(Path(sys.executable).parent)) or "fund"
    env = dict(os.environ, FUND_INSTANCE_PATH=str(cwd))
    return subprocess.run([exe, *args], input=stdin, capture_output=True, text=True, cwd=cwd,
                          env=env, timeout=60)


def test_eval_decision_exits_0(tmp_path):
    doc = tmp_path / "aanvraag.json"
    doc.write_text(json.dumps(EXAMPLE))
    result = _fund("rules", "eval", str(doc), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert (out["outcome"], out["amount"], out["ruleset"]) == ("eligible", "1800.00", "llo-2026")


@pytest.mark.parametrize("stdin", ['{"instrument": "llo"}', "geen json"])
def test_eval_input_error_exits_2_with_errors_on_stdout(tmp_path, stdin):
    result = _fund("rules", "eval", "-", stdin=stdin, cwd=tmp_path)
    assert result.returncode == 2
    assert json.loads(result.stdout)["errors"]


def test_rules_check_exits_0(tmp_path):
    assert _fund("rules", "check", cwd=tmp_path).returncode == 0
