"""A real SMTP server (aiosmtpd) on a free loopback port, and the app configured to send to it."""
from __future__ import annotations

import email
import email.policy
import socket
import threading

import pytest


class Inbox:
    """What the SMTP server received, parsed."""

    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []
        self._lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd handler hook
        msg = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self._lock:
            self.messages.append(msg)
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list:
        return [m for m in self.messages if m["To"] == address]

    def subjects(self, address: str) -> list[str]:
        return [str(m["Subject"]) for m in self.to(address)]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp_server():
    from aiosmtpd.controller import Controller

    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    inbox.url = f"smtp://{controller.hostname}:{controller.port}"
    yield inbox
    controller.stop()


@pytest.fixture
def mail_app(sqlite_url, tmp_path, smtp_server):
    """The app sending real SMTP to the test server, letters rendered after each commit."""
    from fund.extensions import db
    from tests.conftest import make_app

    app = make_app(sqlite_url, tmp_path, FUND_SMTP_URL=smtp_server.url, FUND_LETTERS=True,
                   FUND_BASE_URL="https://fonds.test")
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()
