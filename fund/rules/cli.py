"""``fund rules ...``: check the rule files, run their tests, evaluate a facts document, explain."""
from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any

import click
from flask.cli import with_appcontext

from fund.rules.errors import InputError, RuleFileError

EXIT_INPUT_ERROR = 2


def _rules_dir(value: str | None) -> Path | None:
    return Path(value) if value else None


@click.group("rules", help="Regels van de regeling: controleren, testen, toepassen en uitleggen.")
@click.option("--rules-dir", envvar="FUND_RULES_DIR", default=None,
              help="Map met regels (standaard: rules/ in de repository).")
@click.pass_context
def rules_cli(ctx: click.Context, rules_dir: str | None) -> None:
    ctx.ensure_object(dict)
    ctx.obj["rules_dir"] = _rules_dir(rules_dir)


@rules_cli.command("check", help="Laad en controleer elk regelbestand en elk testbestand.")
@click.pass_context
def check(ctx: click.Context) -> None:
    from fund.rules.cases import load_cases
    from fund.rules.rulebook import load, rules_dir_from

    root = rules_dir_from(ctx.obj["rules_dir"])
    problems = []
    book = None
    try:
        book = load(root)
    except RuleFileError as exc:
        problems.extend(exc.problems)
    try:
        cases = load_cases(root)
    except RuleFileError as exc:
        problems.extend(exc.problems)
        cases = []
    for problem in problems:
        click.echo(str(problem))
    if problems:
        click.echo(f"{len(problems)} probleem/problemen gevonden", err=True)
        ctx.exit(1)
    assert book is not None
    click.echo(f"OK: {len(book.rulesets())} regelsets ({', '.join(rs.id for rs in book.rulesets())}), "
               f"{len(cases)} testgevallen")


@rules_cli.command("test", help="Voer de YAML-testgevallen naast de regels uit.")
@click.option("-v", "--verbose", is_flag=True, help="Toon ook geslaagde gevallen.")
@click.pass_context
def test(ctx: click.Context, verbose: bool) -> None:
    from fund.rules.cases import run_all

    try:
        results = run_all(ctx.obj["rules_dir"])
    except RuleFileError as exc:
        for problem in exc.problems:
            click.echo(str(problem))
        ctx.exit(1)
        return
    failed = [r for r in results if not r.passed]
    for r in results:
        if not r.passed:
            click.echo(f"FAIL {r.case.file}:{r.case.line} {r.case.name}")
            for failure in r.failures:
                click.echo(f"    {failure}")
        elif verbose:
            click.echo(f"ok   {r.case.id}")
    click.echo(f"{len(results) - len(failed)} passed, {len(failed)} failed")
    if failed:
        ctx.exit(1)


def _print_json(value: Any) -> None:
    click.echo(json.dumps(value, ensure_ascii=False, indent=2))


@rules_cli.command("eval", help="Beoordeel een feitendocument (JSON-bestand, of - voor standaardinvoer).")
@click.argument("file", type=click.File("r", encoding="utf-8"))
@click.pass_context
def eval_command(ctx: click.Context, file: Any) -> None:
    from fund.rules.rulebook import load_rulebook

    text = file.read()
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        book_messages = load_rulebook(ctx.obj["rules_dir"]).messages
        _print_json({"errors": [{"field": "document", "message": book_messages["geen_json"].format(fout=exc.msg)}]})
        ctx.exit(EXIT_INPUT_ERROR)
        return
    try:
        result = load_rulebook(ctx.obj["rules_dir"]).evaluate(document)
    except InputError as exc:
        _print_json({"errors": exc.errors})
        ctx.exit(EXIT_INPUT_ERROR)
        return
    _print_json(result)


@rules_cli.command("explain", help="Leg de regels van een instrument uit (voor het algoritmeregister).")
@click.argument("instrument")
@click.option("--date", "on_date", default=None, help="Datum (JJJJ-MM-DD); standaard vandaag.")
@click.pass_context
def explain_command(ctx: click.Context, instrument: str, on_date: str | None) -> None:
    from fund.rules.explain import describe
    from fund.rules.rulebook import load_rulebook
    from fund.workflow import clock

    try:
        day = dt.date.fromisoformat(on_date) if on_date else clock.today()
    except ValueError:
        raise click.BadParameter("is geen geldige datum (JJJJ-MM-DD)", param_hint="--date") from None
    try:
        ruleset = load_rulebook(ctx.obj["rules_dir"]).ruleset(instrument, day)
    except LookupError as exc:
        click.echo(str(exc.args[0]), err=True)
        ctx.exit(1)
        return
    click.echo(describe(ruleset))


@rules_cli.command("publish", help="Publiceer de regels, bijvoorbeeld voor het Algoritmeregister.")
@click.option("--format", "fmt", type=click.Choice(["algoritmeregister"]), required=True,
              help="algoritmeregister: publicatiestandaard 1.0.0, een registratie per instrument.")
@click.option("--output", type=click.Path(dir_okay=False, writable=True), default=None,
              help="Schrijf naar dit bestand (standaard: standaarduitvoer).")
@click.option("--date", "on_date", default=None, help="Regels die gelden op deze datum (JJJJ-MM-DD); standaard vandaag.")
@click.pass_context
def publish_command(ctx: click.Context, fmt: str, output: str | None, on_date: str | None) -> None:
    from flask import current_app, has_app_context

    from fund.rules.algoritmeregister import problems, registrations
    from fund.workflow import clock

    try:
        day = dt.date.fromisoformat(on_date) if on_date else clock.today()
    except ValueError:
        raise click.BadParameter("is geen geldige datum (JJJJ-MM-DD)", param_hint="--date") from None
    if has_app_context():
        cfg = current_app.config
    else:  # pragma: no cover - `python -m fund.rules.cli` without the app
        from fund.config import load_config

        cfg = load_config(".")
    result = registrations(organization=cfg["FUND_BESTUURSORGAAN"].name, contact_email=cfg["FUND_CONTACT"].email,
                           website=cfg.get("FUND_BASE_URL"), on_date=day,
                           rules_dir=ctx.obj["rules_dir"])
    found = [f"{r['source_id']}: {p}" for r in result for p in problems(r)]
    if found:
        for line in found:
            click.echo(line, err=True)
        click.echo("De registratie voldoet niet aan de publicatiestandaard; niets geschreven.", err=True)
        ctx.exit(1)
        return
    text = json.dumps(result, ensure_ascii=False, indent=2) + "\n"
    if output:
        Path(output).write_text(text, encoding="utf-8")
        click.echo(f"{len(result)} registraties geschreven naar {output}")
    else:
        click.echo(text, nl=False)


def _day(value: str | None, hint: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        raise click.BadParameter("is geen geldige datum (JJJJ-MM-DD)", param_hint=hint) from None


@rules_cli.command("simulate", help="Wat zou een ontwerp van de regels doen met de aanvragen die al binnen zijn? "
                   "Leest alleen; verandert niets.")
@click.option("--draft", "draft", required=True, type=click.Path(exists=True, file_okay=False),
              help="Map met het ontwerp: een volledige kopie van rules/ met de wijzigingen.")
@click.option("--from", "start", default=None, help="Ontvangen vanaf (JJJJ-MM-DD); standaard begin van het huidige tijdvak.")
@click.option("--to", "end", default=None, help="Ontvangen tot en met (JJJJ-MM-DD); standaard einde van het huidige tijdvak.")
@click.option("--instrument", default=None, help="Alleen dit instrument.")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "xlsx"]), default="text")
@click.option("--output", type=click.Path(dir_okay=False, writable=True), default=None,
              help="Schrijf naar dit bestand (verplicht voor xlsx).")
@with_appcontext
@click.pass_context
def simulate_command(ctx: click.Context, draft: str, start: str | None, end: str | None,
                     instrument: str | None, fmt: str, output: str | None) -> None:
    from fund.reports.simulation import as_text, default_period, simulate, write_xlsx
    from fund.rules.rulebook import load_rulebook
    from fund.workflow import clock

    try:
        draft_book = load_rulebook(draft)
    except RuleFileError as exc:
        for problem in exc.problems:
            click.echo(str(problem), err=True)
        click.echo("Het ontwerp bevat fouten; er is niets gesimuleerd.", err=True)
        ctx.exit(1)
        return
    book = load_rulebook(ctx.obj["rules_dir"])
    if instrument and instrument not in book.instruments:
        raise click.BadParameter(f"onbekend instrument; kies uit: {', '.join(book.instruments)}",
                                 param_hint="--instrument")
    first, last = _day(start, "--from"), _day(end, "--to")
    if first is None or last is None:
        try:
            tv_start, tv_end = default_period(clock.today(), book)
        except LookupError as exc:
            raise click.UsageError(f"{exc.args[0]}; geef --from en --to") from None
        first, last = first or tv_start, last or tv_end
    if fmt == "xlsx" and not output:
        raise click.UsageError("Geef --output voor een Excel-bestand.")
    report = simulate(Path(draft), start=first, end=last, instrument=instrument,
                      rules_dir=ctx.obj["rules_dir"])
    del draft_book
    if fmt == "xlsx":
        write_xlsx(report, Path(output))
        click.echo(f"Simulatie geschreven naar {output}")
        return
    text = as_text(report) if fmt == "text" else json.dumps(report, ensure_ascii=False, indent=2) + "\n"
    if output:
        Path(output).write_text(text, encoding="utf-8")
        click.echo(f"Simulatie geschreven naar {output}")
    else:
        click.echo(text, nl=False)


def main() -> None:  # pragma: no cover - convenience entry point
    rules_cli(obj={})


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
