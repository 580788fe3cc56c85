"""End to end in a real browser: headless Chromium (Playwright, sync API) driving a real
``serve`` process (gunicorn) over an index built from the bundled ``corpus/``.

Every page is watched: a request to another host, a console error, an uncaught script error
or a Content-Security-Policy violation fails the test that caused it. Screenshots of the main
pages at desktop and phone widths are saved in ``screenshots/`` (git-ignored) for review.

Needs Debian's Chromium at ``/usr/bin/chromium`` (``apt-get install chromium``): Playwright's
own browser download is not used.
"""

from __future__ import annotations

import json
import re
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Locator,
    Page,
    Request,
    WebError,
    expect,
    sync_playwright,
)

from search.engines.whoosh.indexing import reindex
from search.indexing import ReindexOptions
from tests.support.paths import ROOT
from tests.support.server import serving

pytestmark = [pytest.mark.browser]

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TIMEOUT_MS = 5_000  # every wait, click and navigation of these tests
SCREENSHOTS = ROOT / "screenshots"
SCREENS: dict[str, dict[str, Any]] = {
    "desktop": {"viewport": {"width": 1280, "height": 900}},
    "phone": {
        "viewport": {"width": 390, "height": 844},
        "is_mobile": True,
        "has_touch": True,
        "device_scale_factor": 2,
    },
}
DESKTOP = SCREENS["desktop"]
# Reports every CSP violation of a page to Python (installed through the DevTools protocol,
# so the page's own CSP does not block this script).
CSP_REPORTER = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.__reportCspViolation(`${event.violatedDirective} blocked ${event.blockedURI}`);
});
"""


# --- the server ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real ``serve`` (gunicorn, 2 workers) over the bundled corpus, on a free local port."""
    index = tmp_path_factory.mktemp("browser") / "index"
    reindex([ROOT / "corpus"], index, ReindexOptions(synonyms_file=ROOT / "synonyms.txt"))
    with serving(index) as base:
        yield base


# --- the browser and its watched pages -----------------------------------------------------


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.is_file():
        pytest.fail(
            f"{CHROMIUM} is missing: install Debian's Chromium (`sudo apt-get install chromium`)"
            " to run the browser tests",
            pytrace=False,
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, timeout=30_000
        )
        yield browser
        browser.close()


@dataclass
class Watch:
    """A browser context and what went wrong in it: requests to another host, console errors,
    uncaught script errors, CSP violations."""

    context: BrowserContext
    base_url: str
    foreign_requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    script_errors: list[str] = field(default_factory=list)
    csp_violations: list[str] = field(default_factory=list)

    def on_request(self, request: Request) -> None:
        if not request.url.startswith((self.base_url + "/", "data:")):
            self.foreign_requests.append(request.url)

    def on_console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.console_errors.append(f"{message.text} ({message.location.get('url')})")

    def on_web_error(self, error: WebError) -> None:
        self.script_errors.append(str(error.error))

    def on_csp_violation(self, description: str) -> None:
        self.csp_violations.append(description)

    def problems(self) -> dict[str, list[str]]:
        found = {
            "requests to other hosts": self.foreign_requests,
            "console errors": self.console_errors,
            "script errors": self.script_errors,
            "CSP violations": self.csp_violations,
        }
        return {name: items for name, items in found.items() if items}

    def new_page(self) -> Page:
        return self.context.new_page()


@pytest.fixture
def open_watch(browser: Browser, base_url: str) -> Iterator[Callable[..., Watch]]:
    """Opens watched browser contexts (``new_context`` options); at the end of the test, closes
    them and fails if anything went wrong in one of them (see ``Watch``)."""
    watches: list[Watch] = []

    def open_one(**options: Any) -> Watch:
        context = browser.new_context(base_url=base_url, locale="fr-FR", **options)
        context.set_default_timeout(TIMEOUT_MS)
        context.set_default_navigation_timeout(TIMEOUT_MS)
        watch = Watch(context, base_url)
        context.on("request", watch.on_request)
        context.on("console", watch.on_console)
        context.on("weberror", watch.on_web_error)
        if options.get("java_script_enabled", True):
            context.expose_function("__reportCspViolation", watch.on_csp_violation)
            context.add_init_script(CSP_REPORTER)
        watches.append(watch)
        return watch

    yield open_one
    for watch in watches:
        watch.context.close()
    assert [watch.problems() for watch in watches if watch.problems()] == []


@pytest.fixture
def watch(open_watch: Callable[..., Watch]) -> Watch:
    """A watched desktop browser context."""
    return open_watch(**DESKTOP)


@pytest.fixture
def page(watch: Watch) -> Page:
    return watch.new_page()


# --- helpers -------------------------------------------------------------------------------


def search_box(page: Page) -> Locator:
    """The search box: role ``searchbox`` without JavaScript, ``combobox`` with it."""
    return page.get_by_label("Rechercher dans les communiqués")


def result_count(page: Page) -> int:
    """The total shown above the results (``31 résultats — page 1 sur 4`` → 31)."""
    text = page.locator("p.count").inner_text()
    match = re.search(r"(\d[\d\u202f\u00a0 ]*) résultats?\b", text)
    assert match, f"no result count in {text!r}"
    return int(re.sub(r"\D", "", match.group(1)))


def query_of(page: Page) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)


def hit_titles(page: Page) -> list[str]:
    return page.locator("ol.hits h2 a").all_inner_texts()


# --- the tests -----------------------------------------------------------------------------


def test_search_without_accents_highlights_the_accented_word(page: Page) -> None:
    page.goto("/")
    box = search_box(page)
    box.press_sequentially("securite")
    with page.expect_navigation():
        box.press("Enter")
    assert query_of(page)["q"] == ["securite"]
    assert result_count(page) > 10
    marks = page.locator("ol.hits mark")
    expect(marks.first).to_be_visible()
    assert "sécurité" in {text.lower() for text in marks.all_inner_texts()}
    expect(box).to_have_value("securite")
    expect(page).to_have_title("securite — Recherche de communiqués")


@pytest.mark.parametrize("facet", ["Type", "Source"])
def test_a_facet_filters_every_result_and_its_chip_removes_it(page: Page, facet: str) -> None:
    page.goto("/?q=sécurité")
    total = result_count(page)
    section = page.locator("aside section.facet").filter(
        has=page.get_by_role("heading", name=facet, exact=True)
    )
    link = section.get_by_role("link").first
    value = link.inner_text()
    link.click()
    chip = page.locator("ul.active-filters li")
    expect(chip).to_have_count(1)
    expect(chip).to_contain_text(f"{facet} : {value}")
    assert query_of(page)[facet.lower()] == [value]
    assert 0 < result_count(page) <= total
    hits = page.locator("ol.hits li.hit")
    expect(hits.first).to_be_visible()
    shown = hits.locator(f".meta .{facet.lower()}").all_inner_texts()
    assert shown == [value] * hits.count()
    expect(section.locator("[aria-current]")).to_have_text(value)

    chip.get_by_role("link", name=f"Retirer le filtre {facet} : {value}").click()
    expect(page.locator("ul.active-filters")).to_have_count(0)
    assert facet.lower() not in query_of(page)
    assert result_count(page) == total


def test_next_page_keeps_the_sort_and_the_period(page: Page) -> None:
    page.goto("/?q=sécurité")
    page.get_by_role("navigation", name="Trier").get_by_role("link", name="plus récents").click()
    expect(page).to_have_url(re.compile(r"sort=date"))
    page.get_by_label("Du").fill("2020")
    page.get_by_role("button", name="Appliquer").click()
    expect(page.locator("ul.active-filters")).to_contain_text("Période : 2020 – …")
    pages = page.get_by_role("navigation", name="Pages de résultats")
    expect(pages.locator("[aria-current=page]")).to_have_text("1")
    assert result_count(page) > 10
    first_on_page_1 = hit_titles(page)[0]
    dates_on_page_1 = page.locator("ol.hits time").evaluate_all("e => e.map(t => t.dateTime)")

    pages.get_by_role("link", name="Suivante →").click()
    expect(pages.locator("[aria-current=page]")).to_have_text("2")
    expect(page.locator("p.count")).to_contain_text("page 2 sur")
    assert hit_titles(page)[0] != first_on_page_1
    args = query_of(page)
    assert args["q"] == ["sécurité"] and args["page"] == ["2"]
    assert args["sort"] == ["date"] and args["from"] == ["2020"]
    dates = page.locator("ol.hits time").evaluate_all("e => e.map(t => t.dateTime)")
    assert dates == sorted(dates, reverse=True) and dates[0] <= dates_on_page_1[-1]
    assert min(dates) >= "2020"
    expect(page.locator("ol.hits")).to_have_attribute("start", "11")


def test_document_page_highlights_the_query_and_links_back(page: Page) -> None:
    page.goto("/?q=sécurité")
    first = page.locator("ol.hits h2 a").first
    title = first.inner_text()
    first.click()
    expect(page).to_have_url(re.compile(r"/documents/[^?]+\?q="))
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    marks = page.locator("article .body mark")
    expect(marks.first).to_be_visible()
    assert {text.lower() for text in marks.all_inner_texts()} >= {"sécurité"}
    similar = page.get_by_role("region", name="Communiqués similaires")
    expect(similar.get_by_role("link").first).to_be_visible()
    assert similar.get_by_role("link").count() >= 2

    page.get_by_role("link", name="← Retour aux résultats pour « sécurité »").click()
    expect(page.locator("ol.hits h2 a").first).to_have_text(title)
    assert query_of(page) == {"q": ["sécurité"]}


def test_back_link_returns_to_the_same_results(page: Page) -> None:
    page.goto("/?q=sécurité&sort=date&from=2020&page=2")
    page.locator("ol.hits h2 a").first.click()
    page.get_by_role("link", name="← Retour aux résultats pour « sécurité »").click()
    expect(page.locator("ol.hits")).to_be_visible()
    assert query_of(page) == {"q": ["sécurité"], "sort": ["date"], "from": ["2020"], "page": ["2"]}


def focused(page: Page) -> dict[str, str]:
    return page.evaluate(
        """() => {
          const el = document.activeElement;
          const style = getComputedStyle(el);
          return {id: el.id, inHit: String(!!el.closest("ol.hits h2")), tag: el.tagName,
                  outlineStyle: style.outlineStyle, outlineWidth: style.outlineWidth,
                  boxShadow: style.boxShadow, text: el.textContent.trim()};
        }"""
    )


def test_keyboard_only_search_and_open_a_result(page: Page) -> None:
    page.goto("/")
    for _ in range(5):  # the box is autofocused on the home page; Tab to it otherwise
        if focused(page)["id"] == "q":
            break
        page.keyboard.press("Tab")
    assert focused(page)["id"] == "q"
    page.keyboard.type("otan")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert query_of(page)["q"] == ["otan"]

    for _ in range(40):
        page.keyboard.press("Tab")
        state = focused(page)
        if state["inHit"] == "true":
            break
    else:
        pytest.fail("Tab never reached a result link")
    assert state["tag"] == "A"
    has_outline = state["outlineStyle"] != "none" and state["outlineWidth"] != "0px"
    assert has_outline or state["boxShadow"] != "none", state
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(state["text"])


def test_suggestions_as_you_type_open_with_the_keyboard(page: Page) -> None:
    page.goto("/")
    box = page.get_by_role("combobox", name="Rechercher dans les communiqués")
    box.press_sequentially("cyb", delay=120)
    listbox = page.get_by_role("listbox", name="Suggestions")
    expect(listbox).to_be_visible()
    options = listbox.get_by_role("option")
    expect(options.first).to_be_visible()
    assert options.count() >= 2
    expect(box).to_have_attribute("aria-expanded", "true")
    first = options.first.inner_text()

    box.press("ArrowDown")
    expect(options.first).to_have_attribute("aria-selected", "true")
    expect(box).to_have_attribute("aria-activedescendant", "suggestion-0")
    with page.expect_navigation():
        box.press("Enter")
    if "/documents/" in page.url:
        expect(page.get_by_role("heading", level=1)).to_be_visible()
    else:
        assert query_of(page)["q"] == [first] and first.lower().startswith("cyb")
        assert result_count(page) >= 1


def test_the_site_works_without_javascript(open_watch: Callable[..., Watch]) -> None:
    page = open_watch(java_script_enabled=False, **DESKTOP).new_page()
    page.goto("/")
    box = search_box(page)
    box.press_sequentially("securite")
    with page.expect_navigation():
        box.press("Enter")
    assert result_count(page) > 10
    expect(page.locator("ol.hits mark").first).to_be_visible()
    expect(page.locator("#suggestions")).to_have_count(0)
    page.locator("ol.hits h2 a").first.click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()


def test_a_pasted_text_finds_its_communique_without_javascript(
    open_watch: Callable[..., Watch],
) -> None:
    source = ROOT / "corpus" / "communiques" / "2019-02-14-armees-cyberdefense-doctrine.md"
    text = source.read_text("utf-8").split("---\n", 2)[2]  # the body, after the front matter
    page = open_watch(java_script_enabled=False, **DESKTOP).new_page()
    page.goto("/")
    page.get_by_text("Coller un texte").click()
    page.get_by_label("Texte (").fill(text)
    with page.expect_navigation():
        page.get_by_role("button", name="Chercher ce texte").click()
    expect(page.locator("p.shortened")).to_contain_text("Texte long")
    assert hit_titles(page)[0].startswith("Le ministère des Armées présente sa doctrine")
    searched = search_box(page).input_value()
    assert 0 < len(searched) < len(text)  # the box holds the words searched, not the text
    with page.expect_navigation():
        page.get_by_role("link", name="plus récents").click()
    assert query_of(page)["q"] == [searched] and query_of(page)["sort"] == ["date"]
    assert result_count(page) > 0


def test_a_timeline_bar_filters_to_its_period(page: Page) -> None:
    page.goto("/?q=sécurité")
    total = result_count(page)
    bars = page.locator("figure.timeline svg a")
    assert bars.count() >= 3
    label = bars.nth(1).get_attribute("aria-label") or ""
    match = re.fullmatch(r"(\d{4}) : (\d+) résultats?", label)
    assert match, label
    year, count = match.group(1), int(match.group(2))
    bars.nth(1).click()
    expect(page.locator("ul.active-filters")).to_contain_text(f"Période : {year} ")
    args = query_of(page)
    assert args["from"] == [year] and args["to"] == [year]
    assert result_count(page) == count <= total
    dates = page.locator("ol.hits time").evaluate_all("e => e.map(t => t.dateTime)")
    assert len(dates) == min(count, 10) and all(date.startswith(year) for date in dates)


def test_no_foreign_request_console_error_or_csp_violation(watch: Watch) -> None:
    page = watch.new_page()
    page.goto("/")
    page.get_by_role("combobox").press_sequentially("otan", delay=60)
    expect(page.get_by_role("listbox")).to_be_visible()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.locator("aside section.facet a").first.click()
    page.locator("ol.hits h2 a").first.click()
    page.get_by_role("region", name="Communiqués similaires").get_by_role("link").first.click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    page.goto("/documents/not-a-document")  # the 404 page is watched too
    expect(page.get_by_role("heading", level=1)).to_have_text("Introuvable")
    assert watch.console_errors == [
        "Failed to load resource: the server responded with a status of 404 (NOT FOUND)"
        f" ({watch.base_url}/documents/not-a-document)"
    ]  # Chromium logs every 404 response; that one was asked for
    watch.console_errors.clear()
    assert watch.problems() == {}

    # The watch is not blind: an inline script added to the page is blocked by the CSP.
    page.evaluate(
        "() => document.body.append(Object.assign(document.createElement('script'),"
        " {textContent: 'window.ran = 1'}))"
    )
    deadline = time.monotonic() + TIMEOUT_MS / 1000
    while not watch.csp_violations and time.monotonic() < deadline:
        page.wait_for_timeout(50)  # the report arrives asynchronously
    assert page.evaluate("() => window.ran") is None
    assert watch.csp_violations and "script-src" in watch.csp_violations[0]
    watch.csp_violations.clear()
    watch.console_errors.clear()  # Chromium also logs the blocked script as an error


def visit_home_results_and_document(page: Page) -> Iterator[str]:
    """Open the home page, the results for « sécurité », then the first result; yield names."""
    page.goto("/")
    yield "home"
    page.goto("/?q=sécurité")
    yield "results"
    page.locator("ol.hits h2 a").first.click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    yield "document"


@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_screenshots(open_watch: Callable[..., Watch], device: str) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    page = open_watch(**SCREENS[device]).new_page()
    for name in visit_home_results_and_document(page):
        path = SCREENSHOTS / f"{name}-{device}.png"
        page.screenshot(path=path, full_page=True)
        assert path.stat().st_size > 10_000


@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_no_page_is_wider_than_the_screen(open_watch: Callable[..., Watch], device: str) -> None:
    page = open_watch(**SCREENS[device]).new_page()
    screen = SCREENS[device]["viewport"]["width"]
    widths = {
        name: page.evaluate("() => document.documentElement.scrollWidth")
        for name in visit_home_results_and_document(page)
    }
    assert {name: width for name, width in widths.items() if width > screen} == {}


def test_the_site_has_an_icon(page: Page) -> None:
    page.goto("/")
    has_icon_link = page.locator("link[rel~=icon]").count() > 0
    assert has_icon_link or page.request.get("/favicon.ico").ok


# --- issue 18: what a first-time user trips on ------------------------------------------------


def test_several_values_of_one_facet_can_be_ticked(page: Page) -> None:
    page.goto("/?q=sécurité")
    total = result_count(page)
    section = page.locator("aside section.facet").filter(
        has=page.get_by_role("heading", name="Type", exact=True)
    )
    first = section.get_by_role("link").nth(0)
    first_value = first.inner_text()
    first.click()
    one = result_count(page)
    second = section.locator("a:not([aria-current])").first
    expect(second).to_be_visible()  # the other types stay listed once one is chosen
    second_value = second.inner_text()
    second.click()
    assert sorted(query_of(page)["type"]) == sorted([first_value, second_value])
    expect(page.locator("ul.active-filters li")).to_have_count(2)
    assert one < result_count(page) <= total
    shown = set(page.locator("ol.hits .meta .type").all_inner_texts())
    assert shown <= {first_value, second_value} and len(shown) == 2
    expect(section.locator("a[aria-current]")).to_have_count(2)
    section.locator("a[aria-current]", has_text=first_value).click()  # unticked
    assert query_of(page)["type"] == [second_value]


def test_escape_closes_the_suggestions_and_keeps_the_text(page: Page) -> None:
    page.goto("/")
    box = page.get_by_role("combobox", name="Rechercher dans les communiqués")
    box.press_sequentially("cyb", delay=120)
    listbox = page.get_by_role("listbox", name="Suggestions")
    expect(listbox).to_be_visible()
    box.press("Escape")
    expect(listbox).to_be_hidden()
    expect(box).to_have_attribute("aria-expanded", "false")
    expect(box).to_have_value("cyb")
    box.press("Escape")  # a second Escape, list closed: the browser's own (clears the box)
    expect(box).to_have_value("")


def test_title_suggestions_are_labelled_by_their_type(page: Page, base_url: str) -> None:
    with urllib.request.urlopen(base_url + "/api/suggest?q=discours") as response:
        titles = json.load(response)["titles"]
    assert {title["type"] for title in titles} >= {"discours"}, titles
    page.goto("/")
    box = page.get_by_role("combobox", name="Rechercher dans les communiqués")
    box.press_sequentially("discours", delay=60)
    options = page.get_by_role("listbox", name="Suggestions").get_by_role("option")
    expect(options.first).to_be_visible()
    kinds = page.locator("#suggestions .kind").all_inner_texts()
    assert kinds == [title["type"] or "document" for title in titles]


def test_keyboard_users_reach_the_first_result_without_crossing_the_timeline(page: Page) -> None:
    page.goto("/?q=sécurité")
    expect(page.locator("figure.timeline")).to_be_visible()
    assert page.locator("figure.timeline a").count() > 5
    search_box(page).focus()
    first = page.locator("ol.hits h2 a").first
    for presses in range(1, 40):
        page.keyboard.press("Tab")
        if first.evaluate("link => link === document.activeElement"):
            break
        focused = page.evaluate("document.activeElement.closest('figure') !== null")
        assert not focused, f"Tab {presses} stopped on a timeline bar"
    else:
        pytest.fail("Tab never reached the first result")
    assert presses <= 5


def test_the_search_box_is_wide_on_a_phone(open_watch: Callable[..., Watch]) -> None:
    page = open_watch(**SCREENS["phone"]).new_page()
    for path in ("/", "/?q=sécurité"):
        page.goto(path)
        box = search_box(page).bounding_box()
        assert box and box["width"] >= 0.6 * 390, (path, box)


def test_the_home_page_opens_the_corpus_like_a_press_room(page: Page) -> None:
    page.goto("/")
    latest = page.get_by_role("region", name="Derniers communiqués").locator("li.hit")
    expect(latest.first).to_be_visible()
    dates = latest.locator("time").evaluate_all("e => e.map(t => t.dateTime)")
    assert len(dates) == 8 and dates == sorted(dates, reverse=True)
    browse = page.get_by_role("complementary", name="Parcourir")
    for heading in ("Par année", "Par type", "Par source"):
        expect(browse.get_by_role("heading", name=heading)).to_be_visible()
    entry = browse.locator("section.facet", has_text="Par type").locator("li").first
    value = entry.get_by_role("link").inner_text()
    count = int(re.sub(r"\D", "", entry.locator(".n").inner_text()))
    entry.get_by_role("link").click()
    assert query_of(page)["type"] == [value]
    assert result_count(page) == count
    shown = set(page.locator("ol.hits .meta .type").all_inner_texts())
    assert shown == {value}
    page.go_back()
    year = browse.locator("section.facet", has_text="Par année").get_by_role("link").first
    label = year.inner_text()
    year.click()
    expect(page.locator("ul.active-filters")).to_contain_text(f"Période : {label}")
    years = {
        d[:4] for d in page.locator("ol.hits time").evaluate_all("e => e.map(t => t.dateTime)")
    }
    assert years == {label}


def test_the_period_form_reads_french_dates_and_says_a_mistake_beside_it(page: Page) -> None:
    page.goto("/?q=sécurité")
    total = result_count(page)
    form = page.locator("form.dates")
    form.get_by_label("Du").fill("mars 2024")
    form.get_by_label("au").fill("2019")  # the other way round: swapped
    form.get_by_role("button", name="Appliquer").click()
    expect(page.locator("ul.active-filters")).to_contain_text("Période : 2019 – mars 2024")
    dates = page.locator("ol.hits time").evaluate_all("e => e.map(t => t.dateTime)")
    assert dates and all("2019-01-01" <= day <= "2024-03-31" for day in dates)
    form.get_by_label("Du").fill("30/02/2024")
    form.get_by_role("button", name="Appliquer").click()
    error = form.locator("#period-error")
    expect(error).to_be_visible()
    expect(error).to_contain_text("« Du »")
    expect(form.get_by_label("Du")).to_have_attribute("aria-invalid", "true")
    expect(form.get_by_label("Du")).to_have_value("30/02/2024")
    assert result_count(page) == total  # the results stay, without the period
