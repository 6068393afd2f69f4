"""Signed checkpoints of the audit chain, kept outside the database (issue 12, ASVS V6/V7).

Whoever can write the database could change an event and recompute every hash after it; the chain
alone would then still close. A checkpoint anchors the chain outside the database: the head of the
chain (seq, hash) and the time, signed with an Ed25519 key (``cryptography``) that the database
never sees (``FUND_AUDIT_SIGNING_KEY_FILE``), written as one JSON file per checkpoint to
``FUND_AUDIT_CHECKPOINT_DIR``. ``fund audit verify`` checks the chain against every checkpoint and
names the first one that no longer matches.
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from flask import current_app
from sqlalchemy import select

from fund.audit.chain import canonical_json
from fund.extensions import db
from fund.models.audit import AuditEvent


class CheckpointError(RuntimeError):
    """A checkpoint cannot be made or read; the message is Dutch."""


@dataclass(frozen=True)
class CheckpointMismatch:
    file: str
    seq: int
    problem: str


def generate_key(path: Path) -> str:
    """Write a new private key (PEM, mode 0600, never overwritten); return the public key (hex)."""
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(pem)
    return _public_hex(key.public_key())


def _public_hex(public: Ed25519PublicKey) -> str:
    return public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw).hex()


def _key() -> Ed25519PrivateKey:
    path = current_app.config.get("FUND_AUDIT_SIGNING_KEY_FILE")
    if not path:
        raise CheckpointError("FUND_AUDIT_SIGNING_KEY_FILE is niet gezet: zonder sleutel kan er geen "
                              "controlepunt worden ondertekend (maak er een met `fund audit keygen`).")
    try:
        key = serialization.load_pem_private_key(Path(path).read_bytes(), password=None)
    except (OSError, ValueError) as exc:
        raise CheckpointError(f"De sleutel in {path} is niet te lezen: {exc}.") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise CheckpointError(f"De sleutel in {path} is geen Ed25519-sleutel.")
    return key


def _directory() -> Path:
    path = current_app.config.get("FUND_AUDIT_CHECKPOINT_DIR")
    if not path:
        raise CheckpointError("FUND_AUDIT_CHECKPOINT_DIR is niet gezet: kies een map buiten de database "
                              "voor de controlepunten.")
    return Path(path)


def configured() -> bool:
    cfg = current_app.config
    return bool(cfg.get("FUND_AUDIT_SIGNING_KEY_FILE") and cfg.get("FUND_AUDIT_CHECKPOINT_DIR"))


def _signed_part(body: dict) -> bytes:
    return canonical_json({k: body[k] for k in ("seq", "hash", "at")}).encode()


def make(now: datetime | None = None) -> Path:
    """Sign the current head of the chain and write it as a new file (never overwriting one)."""
    key = _key()
    head = db.session.execute(select(AuditEvent.seq, AuditEvent.hash)
                              .order_by(AuditEvent.seq.desc()).limit(1)).first()
    if head is None:
        raise CheckpointError("Het controlespoor is nog leeg: er is niets om te ondertekenen.")
    at = (now or datetime.now(timezone.utc)).astimezone(timezone.utc)
    body = {"seq": head.seq, "hash": head.hash, "at": at.strftime("%Y-%m-%dT%H:%M:%SZ")}
    body["public_key"] = _public_hex(key.public_key())
    body["signature"] = key.sign(_signed_part(body)).hex()
    directory = _directory()
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{at:%Y-%m-%dT%H%M%SZ}-seq{head.seq}.json"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o444)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(body, fh, indent=2)
        fh.flush()
        os.fsync(fh.fileno())
    return path


def daily() -> Path | None:
    """The tick's checkpoint: one per (UTC) day, when a key and a folder are configured. The real
    time, not the project clock: a checkpoint says when it was signed."""
    if not configured():
        return None
    directory = _directory()
    today = datetime.now(timezone.utc).date()
    if directory.is_dir() and any(directory.glob(f"{today:%Y-%m-%d}T*.json")):
        return None
    try:
        return make()
    except CheckpointError:
        return None  # an empty chain: nothing to anchor yet


def verify_checkpoints() -> tuple[int, CheckpointMismatch | None]:
    """Every checkpoint file, oldest first: its signature is ours and the event it names still has
    the hash it had. Returns (checkpoints checked, first mismatch or None)."""
    public = _key().public_key()
    files = sorted(_directory().glob("*.json"))
    for count, path in enumerate(files, start=1):
        try:
            body = json.loads(path.read_text(encoding="utf-8"))
            signature = bytes.fromhex(body["signature"])
            public.verify(signature, _signed_part(body))
        except (ValueError, KeyError, TypeError, InvalidSignature):
            return count, CheckpointMismatch(path.name, int(body.get("seq", 0)) if isinstance(body, dict) else 0,
                                             "de handtekening klopt niet (bestand gewijzigd of andere sleutel)")
        stored = db.session.scalar(select(AuditEvent.hash).where(AuditEvent.seq == body["seq"]))
        if stored is None:
            return count, CheckpointMismatch(path.name, body["seq"], "deze gebeurtenis ontbreekt in de database")
        if stored != body["hash"]:
            return count, CheckpointMismatch(path.name, body["seq"],
                                             "de hash in de database is anders dan bij ondertekening")
    return len(files), None
