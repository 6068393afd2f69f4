"""``fund audit verify``: walk the hash chain of the audit trail and check it against the signed
checkpoints; ``fund audit checkpoint``: sign the current head; ``fund audit keygen``: a new key."""
from pathlib import Path

import click
from flask.cli import with_appcontext

from fund.audit.chain import verify


@click.group("audit", help="Het controlespoor (audit trail).")
def audit_cli():
    pass


@audit_cli.command("verify", help="Controleer de hash-keten van alle gebeurtenissen en de controlepunten.")
@with_appcontext
def verify_command():
    from fund.audit import checkpoint

    count, broken = verify()
    if broken is not None:
        click.echo(
            f"Controlespoor NIET in orde bij gebeurtenis {broken.seq}"
            f"{f' (id {broken.event_id})' if broken.event_id else ''}: {broken.problem} — {broken.detail}.",
            err=True,
        )
        raise SystemExit(1)
    if not checkpoint.configured():
        click.echo(f"Controlespoor in orde: {count} gebeurtenissen, keten sluit. Let op: zonder "
                   "FUND_AUDIT_SIGNING_KEY_FILE en FUND_AUDIT_CHECKPOINT_DIR zijn er geen controlepunten "
                   "buiten de database gecontroleerd.")
        return
    try:
        checked, mismatch = checkpoint.verify_checkpoints()
    except checkpoint.CheckpointError as exc:
        raise click.ClickException(str(exc)) from None
    if mismatch is not None:
        click.echo(f"Controlespoor NIET in orde: controlepunt {mismatch.file} (gebeurtenis {mismatch.seq}) "
                   f"klopt niet meer: {mismatch.problem}. De keten is na dat controlepunt herschreven.",
                   err=True)
        raise SystemExit(1)
    click.echo(f"Controlespoor in orde: {count} gebeurtenissen, keten sluit, {checked} ondertekende "
               "controlepunten kloppen.")


@audit_cli.command("checkpoint", help="Onderteken de laatste gebeurtenis (volgnummer, hash, tijd) "
                                      "en schrijf het controlepunt buiten de database.")
@with_appcontext
def checkpoint_command():
    from fund.audit import checkpoint

    try:
        path = checkpoint.make()
    except checkpoint.CheckpointError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Controlepunt geschreven: {path}")


@audit_cli.command("keygen", help="Maak een nieuwe Ed25519-sleutel voor de controlepunten.")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
def keygen_command(path: Path):
    from fund.audit import checkpoint

    try:
        public = checkpoint.generate_key(path)
    except FileExistsError:
        raise click.ClickException(f"{path} bestaat al; een sleutel wordt nooit overschreven.") from None
    except OSError as exc:  # no such folder, no right to write there
        raise click.ClickException(f"De sleutel kan niet worden geschreven naar {path}: "
                                   f"{exc.strerror}. Maak eerst de map, alleen leesbaar voor de eigenaar.") from None
    click.echo(f"Sleutel geschreven naar {path} (alleen leesbaar voor de eigenaar).")
    click.echo(f"Publieke sleutel (bewaar ook op papier): {public}")
