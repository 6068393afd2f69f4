"""Issue 16's "done when": nothing in fund/ names an instrument. A regeling is a folder
(rules/<instrument>/): the Python side is generic and reads every instrument from the rulebook, so
no code branches on an instrument's name or keeps a table per instrument.

The check reads every ``fund/**/*.py`` token by token: identifiers and string literals count,
comments and docstrings do not (they may name an instrument as an example). A word of a token
(split at anything not a letter or digit, so ``llo_facts`` and ``"llo-2026"`` count but ``AllOf``
does not) that is an instrument's folder name (or its plural) fails with file:line.
"""
from __future__ import annotations

import ast
import io
import re
import tokenize
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FUND = ROOT / "fund"


def _instruments() -> set[str]:
    names = {p.name for p in (ROOT / "rules").iterdir() if p.is_dir() and p.name != "shared"}
    assert {"llo", "voucher", "praktijkverklaring"} <= names
    return names | {f"{n}s" for n in names}


def _docstring_lines(tree: ast.AST) -> set[int]:
    lines: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) \
                    and isinstance(body[0].value.value, str):
                lines.update(range(body[0].lineno, body[0].end_lineno + 1))
    return lines


def instrument_names_in_code(path: Path, names: set[str], root: Path = ROOT) -> list[str]:
    """``file:line: token`` for every identifier or string literal that names an instrument."""
    text = path.read_text(encoding="utf-8")
    skip = _docstring_lines(ast.parse(text))
    found = []
    for tok in tokenize.generate_tokens(io.StringIO(text).readline):
        if tok.type not in (tokenize.NAME, tokenize.STRING) or tok.start[0] in skip:
            continue
        if names & set(re.findall(r"[a-z0-9]+", tok.string.lower())):
            found.append(f"{path.relative_to(root)}:{tok.start[0]}: {tok.string}")
    return found


def test_no_code_in_fund_names_an_instrument():
    names = _instruments()
    found = [hit for path in sorted(FUND.rglob("*.py")) for hit in instrument_names_in_code(path, names)]
    assert not found, "fund/ names an instrument (move it into rules/<instrument>/):\n" + "\n".join(found)


def test_the_check_finds_a_branch_and_a_table_but_not_comments_or_docstrings(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text('"""The llo and voucher are examples."""\n'
                      "def f(app):\n"
                      '    """E.g. ``form("llo")``."""\n'
                      '    if app.instrument == "praktijkverklaring":  # a voucher comment\n'
                      "        return 1\n"
                      "    class AllOf: pass\n"
                      'TITLES = {"voucher": "x"}\n'
                      "def llo_facts(): pass\n", encoding="utf-8")
    hits = instrument_names_in_code(sample, {"llo", "voucher", "praktijkverklaring"}, tmp_path)
    assert hits == ['sample.py:4: "praktijkverklaring"', 'sample.py:7: "voucher"', "sample.py:8: llo_facts"]
