"""Keyset paging of the officer queue: every open application exactly once, in order, both ways.

Rows are inserted with many equal sort values (ties broken by id) and some without a value
(NULLs come last on SQLite and PostgreSQL alike), on both databases.
"""
from __future__ import annotations

import datetime as dt
import re
from html import unescape

import pytest
from sqlalchemy import insert

from fund.extensions import db
from fund.models import Application
from fund.models.application import OPEN_STATUSES
from fund.views.staff_queries import PAGE_SIZE
from tests.web.helpers import login
from tests.workflow.conftest import make_people

N = 2 * PAGE_SIZE + 23


def _fill(people) -> list[dict]:
    base = dt.datetime(2026, 10, 1, 9, 0, tzinfo=dt.timezone.utc)
    rows = []
    for i in range(N):
        rows.append({
            "number": f"DOF-2026-9{i:05d}", "instrument": "llo", "facts": {},
            "status": OPEN_STATUSES[i % len(OPEN_STATUSES)], "applicant_id": people.inwoner.id,
            "created_at": base, "updated_at": base, "version": 1, "deadline_extended": False,
            # five deadlines for all (ties), every 11th without one
            "decision_deadline": None if i % 11 == 3 else dt.date(2026, 12, 1) + dt.timedelta(days=i % 5),
            "received_at": None if i % 13 == 5 else base + dt.timedelta(hours=i % 4),
        })
    rows.append({**rows[0], "number": "DOF-2026-999999", "status": "gesloten"})  # not open work
    db.session.execute(insert(Application), rows)
    db.session.commit()
    return rows


def _expected(sort: str) -> list[str]:
    key = "received_at" if sort in ("ontvangen", "nieuw") else "decision_deadline"
    apps = db.session.scalars(db.select(Application).where(Application.status.in_(OPEN_STATUSES))).all()
    valued = sorted((a for a in apps if getattr(a, key) is not None),
                    key=lambda a: (getattr(a, key), a.id), reverse=sort == "nieuw")
    nulls = sorted((a for a in apps if getattr(a, key) is None), key=lambda a: a.id,
                   reverse=sort == "nieuw")
    return [a.number for a in valued + nulls]


def _page(client, url):
    html = client.get(url).get_data(as_text=True)
    numbers = re.findall(r'>(DOF-2026-9\d{5})</a>', html)
    links = {rel: unescape(href) for rel, href in re.findall(r'rel="(prev|next)" href="([^"]+)"', html)}
    caption = re.search(r"Aanvragen, pagina (\d+)", html)
    return numbers, links, int(caption.group(1)) if caption else None


@pytest.mark.parametrize("sort", ["termijn", "ontvangen", "nieuw"])
def test_keyset_pages_walk_forward_and_back(any_app, sort):
    people = make_people()
    _fill(people)
    expected = _expected(sort)
    assert len(expected) == N
    client = any_app.test_client()
    login(client, people.officer)

    pages, url = [], f"/behandeling/?sort={sort}"
    while url:
        numbers, links, caption = _page(client, url)
        assert caption == len(pages) + 1
        assert ("prev" in links) == bool(pages)  # no "Vorige" on the first page
        pages.append(numbers)
        url = links.get("next")
    assert [len(p) for p in pages] == [PAGE_SIZE, PAGE_SIZE, 23]
    assert sum(pages, []) == expected  # each open application once, in the queue's order

    # back from the last page gives the same pages again, and the filter stays on
    url, back = links["prev"], []
    assert f"sort={sort}" in url
    while url:
        numbers, links, caption = _page(client, url)
        back.append(numbers)
        assert "next" in links
        url = links.get("prev")
    assert back == pages[-2::-1]


def test_broken_or_old_cursor_shows_the_first_page(app):
    people = make_people()
    _fill(people)
    client = app.test_client()
    login(client, people.officer)
    first, _, caption = _page(client, "/behandeling/")
    assert caption == 1 and first == _expected("termijn")[:PAGE_SIZE]
    for url in ("/behandeling/?na=gisteren_12", "/behandeling/?voor=2026-13-45_3",
                "/behandeling/?na=_", "/behandeling/?pagina=3"):
        numbers, links, caption = _page(client, url)
        assert (numbers, caption, "prev" in links) == (first, 1, False), url
