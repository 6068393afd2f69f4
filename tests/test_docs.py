"""The statements of README.md, rules/README.md and docs/ that issue 10 found untrue stay true."""
from __future__ import annotations

import re
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
README = (REPO / "README.md").read_text(encoding="utf-8")
# os.environ.get("X") / os.environ["X"] / env.get("X") / envvar="X" anywhere in the application
ENV_READ = re.compile(r"""(?:environ(?:\.get)?\(\s*|environ\[\s*|\benv\.get\(\s*|envvar=)["']([A-Z][A-Z0-9_]+)["']""")


def _variables_read_by_the_code() -> set[str]:
    names: set[str] = set()
    for path in [*(REPO / "fund").rglob("*.py"), REPO / "wsgi.py", REPO / "gunicorn.conf.py"]:
        names.update(ENV_READ.findall(path.read_text(encoding="utf-8")))
    for path in (REPO / "fund").rglob("*.py"):  # names kept in a constant, e.g. ENV_VAR = "FUND_TODAY"
        names.update(re.findall(r'^[A-Z_]*ENV[A-Z_]* = "([A-Z][A-Z0-9_]+)"', path.read_text(encoding="utf-8"), re.M))
    return names


def test_the_configuration_table_lists_every_variable_the_code_reads():
    table = README.split("## Configuration (environment)", 1)[1].split("\n## ", 1)[0]
    documented = set(re.findall(r"^\| `([A-Z][A-Z0-9_]+)` \|", table, re.M))
    read = _variables_read_by_the_code()
    assert {"FUND_BASE_URL", "FUND_DOCUMENT_DIR", "FUND_MAX_UPLOAD_BYTES", "FUND_RATELIMIT_STORAGE_URI",
            "FUND_LETTERS", "REDIS_URL", "FUND_TODAY"} <= read
    missing = read - documented
    assert not missing, f"add these variables to the configuration table in README.md: {sorted(missing)}"


def test_python_versions_are_said_once_the_same_way():
    requires = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["requires-python"]
    assert requires == ">=3.11,<3.14"
    assert "Python 3.11, 3.12 or 3.13" in README
    assert "3.11, 3.12 of 3.13" in (REPO / "Makefile").read_text()


def test_readme_commands_match_the_cli():
    from fund.reports.cli import quarter_command

    output = next(p for p in quarter_command.params if p.name == "output")
    assert output.required and "--output FILE` | quarterly report" in README


def test_readme_links_the_rules_readme_and_the_deploy_guide():
    assert "(rules/README.md)" in README and "(docs/deploy.md)" in README
    deploy = (REPO / "docs" / "deploy.md").read_text(encoding="utf-8")
    for must in ("createuser", "fund db upgrade", "gunicorn", "X-Forwarded-Proto", "fund worker",
                 "fund workflow tick", "pg_dump", "pg_restore", "fund audit verify"):
        assert must in deploy, must


def test_the_spec_is_named_relative_to_the_repository():
    rules_readme = (REPO / "rules" / "README.md").read_text(encoding="utf-8")
    for text in (README, rules_readme):
        assert "`../shared/spec/regeling.md`" in text
        assert "/work/" not in text


def test_architecture_lists_every_blueprint(tmp_path):
    from fund.app import create_app

    app = create_app({"INSTANCE_PATH": str(tmp_path), "TESTING": True})
    architecture = (REPO / "docs" / "architecture.md").read_text(encoding="utf-8")
    table = set(re.findall(r"^\| `([a-z_]+)` \| `/", architecture, re.M))
    assert set(app.blueprints) <= table, sorted(set(app.blueprints) - table)
