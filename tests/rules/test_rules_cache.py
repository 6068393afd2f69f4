"""The rulebook cache between processes (fund.rules.cache): same results, never stale, never broken."""
from __future__ import annotations

import copy
import json
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from fund.rules import InputError, cache
from fund.rules.cases import load_cases
from fund.rules.cli import rules_cli
from fund.rules.explain import describe
from fund.rules.rulebook import DEFAULT_RULES_DIR, load
from tests.example_documents import LLO_EXAMPLE

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture()
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv(cache.CACHE_DIR_ENV, str(folder))
    return folder


@pytest.fixture()
def rules_copy(tmp_path: Path) -> Path:
    target = tmp_path / "rules"
    shutil.copytree(DEFAULT_RULES_DIR, target)
    return target


class CountingLoad:
    """The real loader, counting how often the cache had to call it."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, rules_dir: Path):
        self.calls += 1
        return load(rules_dir)


def _outcome(book, document):
    try:
        return book.evaluate(copy.deepcopy(document))
    except InputError as exc:
        return {"errors": exc.errors}


def test_a_cache_hit_gives_what_a_cold_load_gives(cache_dir: Path) -> None:
    counting = CountingLoad()
    cold = cache.load(DEFAULT_RULES_DIR, counting)
    warm = cache.load(DEFAULT_RULES_DIR, counting)
    assert counting.calls == 1 and warm is not cold  # the second came from the file
    cases = load_cases(DEFAULT_RULES_DIR)
    assert len(cases) > 50
    for case in cases:  # every YAML test case: outcome, amount, reasons and every trace sentence
        assert _outcome(warm, case.document) == _outcome(cold, case.document), case.id
    assert _outcome(warm, LLO_EXAMPLE) == _outcome(cold, LLO_EXAMPLE)
    assert [rs.id for rs in warm.rulesets()] == [rs.id for rs in cold.rulesets()]
    for a, b in zip(warm.rulesets(), cold.rulesets()):
        assert describe(a) == describe(b)
        assert (a.params, a.param_meta, a.tijdvak, a.procedure) == (b.params, b.param_meta, b.tijdvak, b.procedure)
    assert warm.forms == cold.forms and warm.tijdvakken == cold.tijdvakken
    assert (warm.instruments, warm.messages, warm.document_labels) == (cold.instruments, cold.messages,
                                                                          cold.document_labels)


def test_a_changed_rule_file_invalidates_the_cache(cache_dir: Path, rules_copy: Path) -> None:
    counting = CountingLoad()
    doc = copy.deepcopy(LLO_EXAMPLE)
    doc["training"]["cost"] = "5000.00"
    assert cache.load(rules_copy, counting).evaluate(copy.deepcopy(doc))["amount"] == "2500.00"
    params = rules_copy / "llo" / "parameters.yaml"
    params.write_text(params.read_text(encoding="utf-8").replace('2026-01-01: "2500.00"', '2026-01-01: "2750.00"'),
                      encoding="utf-8")
    assert cache.load(rules_copy, counting).evaluate(copy.deepcopy(doc))["amount"] == "2750.00"
    assert counting.calls == 2
    cache.load(rules_copy, counting)
    assert counting.calls == 2  # unchanged again: from the cache
    (rules_copy / "llo" / "notes.txt").write_text("nieuw bestand", encoding="utf-8")  # any new file counts
    cache.load(rules_copy, counting)
    assert counting.calls == 3


def test_a_changed_schema_or_loader_invalidates_the_cache(rules_copy: Path, monkeypatch: pytest.MonkeyPatch,
                                                          tmp_path: Path) -> None:
    before = cache.key(rules_copy)
    fake_fund = tmp_path / "fund"
    shutil.copytree(REPO / "fund" / "rules", fake_fund / "rules")
    shutil.copytree(REPO / "fund" / "models", fake_fund / "models")
    monkeypatch.setattr(cache, "_FUND", fake_fund)
    assert cache.key(rules_copy) == before
    schema = fake_fund / "rules" / "schema.py"
    schema.write_text(schema.read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8")
    assert cache.key(rules_copy) != before


def test_a_broken_cache_file_falls_back_to_a_normal_load(cache_dir: Path) -> None:
    counting = CountingLoad()
    cache.load(DEFAULT_RULES_DIR, counting)
    path = cache.cache_file(cache_dir, DEFAULT_RULES_DIR)
    header = path.read_bytes().split(b"\n", 1)[0]
    for broken in (b"", b"not json at all\n", header + b"\n" + b"\x80\x05garbage",
                   path.read_bytes()[: len(header) + 5000]):
        path.write_bytes(broken)
        book = cache.load(DEFAULT_RULES_DIR, counting)
        assert book.evaluate(copy.deepcopy(LLO_EXAMPLE))["outcome"] == "eligible"
    assert counting.calls == 5
    assert cache.read(path, cache.key(DEFAULT_RULES_DIR)) is not None  # written again, whole


def test_a_cache_file_others_may_write_is_not_read(cache_dir: Path) -> None:
    counting = CountingLoad()
    cache.load(DEFAULT_RULES_DIR, counting)
    path = cache.cache_file(cache_dir, DEFAULT_RULES_DIR)
    os.chmod(path, 0o666)
    assert cache.read(path, cache.key(DEFAULT_RULES_DIR)) is None
    os.chmod(path, 0o600)
    assert cache.read(path, cache.key(DEFAULT_RULES_DIR)) is not None


def test_concurrent_writers_never_leave_half_a_file(cache_dir: Path) -> None:
    book = load(DEFAULT_RULES_DIR)
    current = cache.key(DEFAULT_RULES_DIR)
    path = cache.cache_file(cache_dir, DEFAULT_RULES_DIR)
    cache.write(path, current, book)
    seen: list[object] = []
    errors: list[BaseException] = []

    def writer() -> None:
        for _ in range(3):
            cache.write(path, current, book)

    def reader() -> None:
        try:
            for _ in range(20):
                seen.append(cache.read(path, current))
        except BaseException as exc:  # pragma: no cover - the assertion below reports it
            errors.append(exc)

    threads = [threading.Thread(target=writer) for _ in range(4)] + [threading.Thread(target=reader)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors and len(seen) == 20 and all(b is not None for b in seen)
    assert [p.name for p in cache_dir.iterdir()] == [path.name]  # no temporary files left


def test_an_empty_cache_dir_setting_switches_the_cache_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(cache.CACHE_DIR_ENV, "")
    counting = CountingLoad()
    cache.load(DEFAULT_RULES_DIR, counting)
    cache.load(DEFAULT_RULES_DIR, counting)
    assert counting.calls == 2


def test_rules_check_always_reads_the_files(cache_dir: Path, rules_copy: Path) -> None:
    """A cache file that claims to be current for broken rules (forged, or a bug in the key) does
    not fool `fund rules check`: it loads and checks every file itself."""
    good = load(rules_copy)
    params = rules_copy / "llo" / "parameters.yaml"
    params.write_text(params.read_text(encoding="utf-8").replace('2026-01-01: "2500.00"', '2026-01-01: "veel"'),
                      encoding="utf-8")
    cache.write(cache.cache_file(cache_dir, rules_copy.resolve()), cache.key(rules_copy.resolve()), good)
    assert cache.load(rules_copy.resolve(), load) is not None  # the forged file would be believed here
    from click.testing import CliRunner

    result = CliRunner().invoke(rules_cli, ["--rules-dir", str(rules_copy), "check"], obj={})
    assert result.exit_code == 1
    assert "llo/parameters.yaml" in result.output and "getal" in result.output


def test_a_warm_rules_eval_imports_no_schema(cache_dir: Path, tmp_path: Path) -> None:
    """`fund rules eval` in a new process with a current cache: the same answer as the first
    (cold) run, without importing pydantic, PyYAML or the rule-file schema."""
    document = tmp_path / "doc.json"
    document.write_text(json.dumps(LLO_EXAMPLE), encoding="utf-8")
    env = {**os.environ, cache.CACHE_DIR_ENV: str(cache_dir)}
    env.pop("FUND_RULES_DIR", None)
    probe = (
        "import sys, runpy\n"
        f"sys.argv = ['fund', 'rules', 'eval', {str(document)!r}]\n"
        "try:\n    runpy.run_module('fund', run_name='__main__')\n"
        "except SystemExit as exc:\n    assert exc.code in (0, None), exc.code\n"
        "heavy = sorted(m for m in ('pydantic', 'yaml', 'fund.rules.schema', 'fund.rules.portal',\n"
        "    'fund.models', 'sqlalchemy') if m in sys.modules)\n"
        "print('IMPORTED', heavy, file=sys.stderr)\n"
    )
    runs = [subprocess.run([sys.executable, "-c", probe], cwd=REPO, env=env, capture_output=True, text=True,
                           check=True) for _ in range(2)]
    assert json.loads(runs[0].stdout) == json.loads(runs[1].stdout)
    assert json.loads(runs[1].stdout)["outcome"] == "eligible"
    assert "'pydantic'" in runs[0].stderr  # the cold run built the schema ...
    assert "IMPORTED []" in runs[1].stderr  # ... the warm one did not
