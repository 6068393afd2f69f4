"""Drive pages and check each one: axe-core finds 0 violations on every page visited."""
from __future__ import annotations

import re

from axe_playwright_python.sync_playwright import Axe

from tests.browser.conftest import SCREENSHOTS
from tests.web.helpers import PASSWORD

_axe = Axe()


class Walker:
    """Wraps a Playwright page; every navigation goes through here and is checked."""

    def __init__(self, page, base_url: str):
        self.page = page
        self.base_url = base_url
        self.checked: list[str] = []
        self.loads = 0
        page.on("load", self._loaded)

    def _loaded(self, _page):
        self.loads += 1

    # -- checks ------------------------------------------------------------------------------
    def check(self, screenshot: str | None = None) -> None:
        self.inspect(screenshot)
        self.checked.append(self.page.url)

    def open_details(self, summary: str, screenshot: str | None = None) -> str:
        """Open a ``<details>`` on the current page (no navigation), check the page again with
        its content shown, and return that content's text."""
        details = self.page.locator("details", has=self.page.locator("summary", has_text=summary))
        details.locator("summary").click()
        assert details.get_attribute("open") is not None
        self.inspect(screenshot)
        return details.inner_text()

    def inspect(self, screenshot: str | None = None) -> None:
        """axe-core, lang, h1 and reflow on the page as it is now; a screenshot if asked."""
        page = self.page
        page.wait_for_load_state("load")
        assert page.locator("html").get_attribute("lang") == "nl"
        assert page.locator("h1").count() >= 1, page.url
        results = _axe.run(page)
        assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"
        # WCAG 1.4.10 (reflow): the page itself never scrolls sideways; wide tables scroll in
        # their own region (.fund-table-scroll)
        width, viewport = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
        assert width <= viewport, f"{page.url}: the page is {width} px wide in a {viewport} px window"
        if screenshot:
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SCREENSHOTS / f"{screenshot}.png"), full_page=True)

    def all_pages_checked(self) -> None:
        assert self.loads == len(self.checked), (self.loads, self.checked)

    # -- navigation ----------------------------------------------------------------------------
    def goto(self, path: str, screenshot: str | None = None) -> None:
        self.page.goto(self.base_url + path)
        self.check(screenshot)

    def click(self, selector_or_locator, screenshot: str | None = None) -> None:
        locator = (self.page.locator(selector_or_locator) if isinstance(selector_or_locator, str)
                   else selector_or_locator)
        with self.page.expect_navigation():
            locator.click()
        self.check(screenshot)

    def fill(self, answers: dict, scope=None) -> None:
        root = scope or self.page
        for name, value in answers.items():
            if root.locator(f'[name="{name}-dag"]').count():
                # A date as three boxes: "2026-09-01" or "1-9-2026" goes into dag, maand, jaar.
                parts = value.split("-")
                day, month, year = (parts[2], parts[1], parts[0]) if len(parts[0]) == 4 else parts
                for part, text in (("dag", day), ("maand", month), ("jaar", year)):
                    root.locator(f'[name="{name}-{part}"]').fill(text.lstrip("0") or text)
                continue
            field = root.locator(f'[name="{name}"]').first
            tag = field.evaluate("e => e.tagName.toLowerCase() + ':' + (e.type || '')")
            if tag == "input:radio":
                root.locator(f'input[name="{name}"][value="{value}"]').check()
            elif tag.startswith("select"):
                field.select_option(value)
            else:
                field.fill(value)

    def submit(self, answers: dict | None = None, button: str | None = None, scope=None,
               screenshot: str | None = None) -> None:
        root = scope or self.page
        if answers:
            self.fill(answers, root)
        if button:
            target = root.get_by_role("button", name=button)
        else:
            target = root.locator('button[type="submit"]').last if scope is not None else \
                root.locator('main button[type="submit"]').last
        self.click(target, screenshot)

    def flash(self) -> str:
        return " ".join(self.page.locator(".utrecht-alert").all_inner_texts())

    def login(self, email: str, password: str = PASSWORD) -> None:
        self.goto("/auth/login")
        self.submit({"email": email, "password": password}, button="Inloggen")
        assert "/auth/login" not in self.page.url, self.flash()

    def logout(self) -> None:
        self.click(self.page.get_by_role("button", name=re.compile("^Uitloggen")))
