"""Every browser journey acts on a page only once it is live.

The portal paints each page from its prerendered HTML and starts the page's scripts
after that first paint (portal_app/frontend_build.py). Until React has hydrated the
page and the websocket has run its on_load handlers, a click or a choice is lost; on
a loaded machine that moment lasts seconds. The app says where it stands in a hidden
mark (components/hydration_mark.py: Reflex's `State.is_hydrated`, "false" in the
prerendered page and from each in-app navigation until its on_load handlers ran).

`guard_browser` (conftest's `browser` fixture) makes every context the suite opens
put a Playwright locator handler on each of its pages: before any action or
auto-waiting assertion, while the page shows the mark as "false", Playwright first
waits for it to turn "true". A navigation of any kind (page.goto, a reload, a link,
a redirect, a new tab) is covered, with nothing to call in the journey. A page
without the mark (an API answer, a file) is not waited on; a context with
JavaScript off is left alone, and `unguard(page)` lets a test look at a page before
it is live (the first paint)."""

from __future__ import annotations

from playwright.sync_api import Browser, BrowserContext, Page

MARK = "#portal-hydrated"
NOT_LIVE = f'body:has({MARK}[data-hydrated="false"])'
LIVE = f'{MARK}[data-hydrated="true"]'
TIMEOUT_MS = 30_000


def wait_until_live(page: Page, timeout: float = TIMEOUT_MS) -> None:
    """Wait until the page shows the mark as "true" (fails after `timeout` ms)."""
    page.locator(LIVE).wait_for(state="attached", timeout=timeout)


UNGUARDED = "_portal_unguarded"


def guard_page(page: Page) -> None:
    if getattr(page, UNGUARDED, False):
        return
    # no_wait_after: the handler's own wait is the condition (the mark "true" makes
    # NOT_LIVE match nothing), and a failing wait fails the action with its reason.
    page.add_locator_handler(page.locator(NOT_LIVE), lambda _mark: wait_until_live(page),
                             no_wait_after=True)
    if getattr(page, UNGUARDED, False):  # unguard() ran while the handler was being added
        page.remove_locator_handler(page.locator(NOT_LIVE))


def unguard(page: Page) -> None:
    """No wait on this page. The context's "page" event that guards a new page can be
    handled after `new_page()` returned (seen on a loaded machine): the mark makes
    that late guard undo itself."""
    setattr(page, UNGUARDED, True)
    page.remove_locator_handler(page.locator(NOT_LIVE))


def guard_context(context: BrowserContext) -> BrowserContext:
    for page in context.pages:
        guard_page(page)
    context.on("page", guard_page)
    return context


def guard_browser(browser: Browser) -> Browser:
    """Every context `browser.new_context(...)` makes from now on guards its pages
    (and `browser.new_page(...)`, which makes its own context)."""
    new_context = browser.new_context
    new_page = browser.new_page

    def guarded_context(*args, **kwargs) -> BrowserContext:
        context = new_context(*args, **kwargs)
        return context if kwargs.get("java_script_enabled") is False else guard_context(context)

    def guarded_page(*args, **kwargs) -> Page:
        page = new_page(*args, **kwargs)
        if kwargs.get("java_script_enabled") is not False:
            guard_page(page)
        return page

    browser.new_context = guarded_context
    browser.new_page = guarded_page
    return browser
