"""Every page in Chinese and in English, checked by axe-core in a real browser: no critical or
serious violation may remain (unlabelled controls, low contrast, broken ARIA), and every page has
exactly one ``<h1>`` and its content in a ``<main>`` landmark.

axe-core is vendored for the tests only under tests/web/vendor/axe-core/ (see its README.md) and
injected into each page after it has rendered. Needs Debian's Chromium and the Python Playwright
package, like tests/web/test_browser.py: the test skips without them, or fails when
LEITAI_REQUIRE_SERVICES=1.
"""

from __future__ import annotations

import contextlib
import json
from pathlib import Path
from typing import Any

import pytest

from tests.web.browsers import Watch
from tests.web.keys import bundled_questions
from tests.web.live import PASSWORD, LiveServer, Recorder, close_all, csrf_token
from tests.web.test_practice_browser import answer

# Without Playwright the browser fixture skips (or fails in CI), before these are used.
with contextlib.suppress(ImportError):
    from playwright.sync_api import Browser, BrowserContext, Page

AXE = Path(__file__).with_name("vendor") / "axe-core" / "axe.min.js"
BAD_BANKS = Path(__file__).parents[1] / "banks" / "bad"
TIMEOUT_MS = 15_000
FAILING_IMPACTS = ("critical", "serious")
# Moderate in axe's grading, but required of every page here: one <h1>, content in landmarks.
REQUIRED_RULES = ("page-has-heading-one", "landmark-one-main", "region")
TEAM, TEAM_NAME, PLAYER = "lhasa", "拉萨支队", "卓玛"
PRACTICE_BANK = "party-history"
PRACTICE_TABS = ("practice", "exam", "wrongbook", "daily", "pk", "history")


# Accessible-name attributes, on rendered elements in English, that are a Chinese string of the
# page's i18n table left untranslated (names from data, such as a team's, are Chinese in both
# languages). The switch to Chinese is itself marked lang="zh-CN".
NAMES_IN_CHINESE = r"""async () => {
  const { STRINGS } = await import('/static/js/i18n.js');
  const escape = (text) => text.replace(/[.*+?^$()|[\]\\]/g, '\\$&');
  const bare = (text) => text.replace(/^[^\p{L}\p{N}{}]+|[^\p{L}\p{N}{}]+$/gu, '');
  const own = Object.entries(STRINGS.zh)
    .filter(([key, zh]) => /\p{Script=Han}/u.test(zh) && STRINGS.en[key] !== zh)
    .map(([, zh]) => new RegExp(`^${escape(bare(zh)).replace(/\{\w+\}/g, '.+')}$`, 'u'));
  return [...document.querySelectorAll('[aria-label], [title], [placeholder], [alt]')]
    .filter((el) => el.getClientRects().length && el.closest('[lang]').lang === 'en')
    .flatMap((el) => ['aria-label', 'title', 'placeholder', 'alt']
      .filter((name) => own.some((zh) => zh.test(bare(el.getAttribute(name) || ''))))
      .map((name) => `${el.tagName.toLowerCase()}[${name}="${el.getAttribute(name)}"]`));
}"""


def problems(page: Page, where: str) -> list[str]:
    """Run axe on the page as it stands; one line per failing rule, with its nodes."""
    # Finite animations (a score's +10 chip fading out) end first: axe would grade a mid-fade.
    page.evaluate(
        "() => Promise.all(document.getAnimations()"
        ".filter((a) => a.effect && a.effect.getComputedTiming().endTime !== Infinity)"
        ".map((a) => a.finished.catch(() => null)))"
    )
    if not page.evaluate("typeof axe !== 'undefined'"):
        # Evaluated, not added as a <script>: the pages' CSP runs no inline script.
        page.evaluate(AXE.read_text(encoding="utf-8"))
    found: list[dict[str, Any]] = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
    )
    # One <h1> among what is rendered (a visually hidden one counts, a hidden card's does not).
    headings = page.evaluate(
        "[...document.querySelectorAll('h1')].filter((h) => h.getClientRects().length).length"
    )
    lines = [] if headings == 1 else [f"{where}: {headings} rendered <h1> elements, not one"]
    if page.evaluate("document.documentElement.lang") == "en":
        # Names set by scripts or templates follow the language switch too.
        chinese: list[str] = page.evaluate(NAMES_IN_CHINESE)
        lines += [f"{where}: a name in Chinese on an English page: {name}" for name in chinese]
    for violation in found:
        if violation["impact"] in FAILING_IMPACTS or violation["id"] in REQUIRED_RULES:
            nodes = violation["nodes"]
            targets = [json.dumps(node["target"], ensure_ascii=False) for node in nodes]
            lines.append(
                f"{where}: {violation['id']} ({violation['impact']}): {violation['help']}; "
                f"{len(targets)} node(s): {', '.join(targets)}"
            )
    return lines


def settled(page: Page, url: str) -> int:
    """Open ``url``, wait until its scripts have drawn the page; the HTTP status."""
    response = page.goto(url)
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(300)
    return response.status if response is not None else 0


def context_for(browser: Browser, lang: str, **options: Any) -> BrowserContext:
    """A browser context whose pages start in ``lang`` (the switch's localStorage key)."""
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", **options)
    context.set_default_timeout(TIMEOUT_MS)
    context.add_init_script(f"localStorage.setItem('leitai.lang', '{lang}')")
    return context


def phone_with_seat(browser: Browser, lang: str, code: str, seat: str) -> BrowserContext:
    """A phone whose localStorage holds the seat, as /join leaves it after joining TEAM."""
    phone = context_for(browser, lang, viewport={"width": 390, "height": 844}, has_touch=True)
    stored = {
        "leitai.seat": seat,
        "leitai.contest": code,
        "leitai.team": TEAM,
        "leitai.team_name": TEAM_NAME,
        "leitai.name": PLAYER,
    }
    phone.add_init_script(
        f"for (const [k, v] of Object.entries({json.dumps(stored)})) localStorage.setItem(k, v);"
    )
    return phone


def logged_in_host(browser: Browser, lang: str, server: LiveServer) -> BrowserContext:
    """A laptop logged in as the host."""
    host = context_for(browser, lang, viewport={"width": 1440, "height": 1000})
    token = csrf_token(host.request.get(server.url + "/login").text())
    login = host.request.post(
        server.url + "/login", form={"password": PASSWORD, "csrf_token": token}
    )
    assert login.ok, login.status
    return host


def anyone_pages(code: str, key: str) -> tuple[str, ...]:
    """The pages anyone may open: home, login, joining, the projector and the audience view."""
    return ("/", "/login", "/join", f"/join/{code}", f"/screen/{code}?key={key}", f"/watch/{code}")


def host_pages(code: str) -> tuple[str, ...]:
    """The host's pages: the contest list, the console, team codes, local buzzers, banks, the
    bank browser and one question, and results."""
    return (
        "/host",
        f"/host/{code}",
        f"/host/{code}/team-codes",
        f"/local/{code}",
        "/admin/banks",
        "/admin/questions?q=西藏",
        "/admin/banks/fire-rescue/questions/fr-001",
        f"/contests/{code}/results",
        f"/contests/{code}/print",
    )


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_page_passes_axe(browser: Browser, server: LiveServer, lang: str) -> None:
    http = server.host()
    created = server.create_contest(http)
    http.close()
    code, key = created["code"], created["screen_key"]
    seat = server.join(code, TEAM, PLAYER)
    found: list[str] = []
    errors: list[str] = []
    watches: dict[int, Watch] = {}

    def opened(context: BrowserContext) -> Page:
        page = context.new_page()
        watches[id(page)] = Watch(page)
        return page

    def audit(page: Page, where: str) -> None:
        found.extend(problems(page, f"{lang} {where}"))
        seen = watches[id(page)].errors
        errors.extend(f"{lang} {where}: {error}" for error in seen)
        seen.clear()

    def check(page: Page, path: str, where: str = "", status: int = 200) -> None:
        assert settled(page, server.url + path) == status, path
        if status != 200:  # the browser logs the page's own status as an error: expected here
            watches[id(page)].errors.clear()
        expected = "en" if lang == "en" else "zh-CN"
        assert page.evaluate("document.documentElement.lang") == expected, path
        audit(page, where or path)

    # Anyone: the home page, the login form, joining, the projector and the audience view.
    anyone = context_for(browser, lang)
    page = opened(anyone)
    for path in anyone_pages(code, key):
        check(page, path)
    check(page, "/play", "/play (no seat)")
    check(page, "/watch/NOSUCH", "the 404 page", status=404)
    anyone.close()

    # A team's phone with a seat, as /join leaves it.
    phone = phone_with_seat(browser, lang, code, seat)
    check(opened(phone), "/play")
    phone.close()

    # The host, logged in: the contest list, the console, local buzzers, banks and results.
    host = logged_in_host(browser, lang, server)
    page = opened(host)
    for path in host_pages(code):
        check(page, path)
    # A bank checked on /admin/banks: its problems, then (mended) its preview.
    bad = (BAD_BANKS / "answer-not-among-options.yaml").read_bytes()
    good = bad.replace("answer: 1922年".encode(), "answer: 1921年".encode())
    page.goto(server.url + "/admin/banks")
    for name, content, shown in (
        ("its problems", bad, "#bank-result > *"),
        ("its preview", good, "#bank-result table"),
    ):
        page.locator("#bank-file").set_input_files(
            {"name": "bank.yaml", "mimeType": "text/yaml", "buffer": content}
        )
        page.locator("#validate-btn").click()
        page.locator(shown).first.wait_for()
        page.wait_for_load_state("networkidle")
        audit(page, f"/admin/banks ({name})")
    # The question editor and the review queue: asking for a name, then with one, a problem
    # shown beside a field.
    for path in ("/admin/review", "/admin/banks/fire-rescue/questions/fr-001/edit"):
        check(page, path, f"{path} (no name yet)")
    token = csrf_token(host.request.get(server.url + "/login").text())
    named = host.request.post(
        server.url + "/api/staff/name", data={"name": "无障碍"}, headers={"X-CSRFToken": token}
    )
    assert named.ok, named.status
    check(page, "/admin/banks/fire-rescue/questions/new")
    check(page, "/admin/banks/fire-rescue/questions/fr-001/edit")
    page.locator("#f-source").fill("")
    page.locator('[data-field="source"] .problem').wait_for()
    audit(page, "the question editor (a problem shown)")
    page.locator("#f-source").fill("新华社")
    page.locator("#f-text").fill(f"无障碍检查的修改（{lang}）：哪支队伍接受了授旗？")
    page.locator("#save-btn:enabled").click()
    page.locator("#saved").wait_for()
    audit(page, "the question editor (saved)")
    check(page, "/admin/review", "/admin/review (an edit waiting)")
    page.locator(".review-item").first.wait_for()
    audit(page, "/admin/review (an edit waiting)")
    host.close()

    # The self-test page: signed out (login and register forms), then each tab of a player.
    player = context_for(browser, lang, viewport={"width": 390, "height": 844}, has_touch=True)
    page = opened(player)
    check(page, "/practice", "/practice (signed out)")
    page.get_by_test_id("account-tab-register").click()
    audit(page, "/practice (register form)")
    registered = player.request.post(
        server.url + "/api/practice/register",
        data={"name": f"无障碍{lang}", "detachment": "拉萨支队", "password": "brave-firefighter-1"},
        headers={"X-CSRFToken": csrf_token(player.request.get(server.url + "/login").text())},
    )
    assert registered.status == 201, registered.text()
    check(page, "/practice", "/practice (signed in)")
    for tab in PRACTICE_TABS:
        page.get_by_test_id(f"tab-{tab}").click()
        page.get_by_test_id(f"panel-{tab}").wait_for(state="visible")
        page.wait_for_load_state("networkidle")
        audit(page, f"/practice tab {tab}")
    # A practice question, then its feedback (right answer, explanation, source).
    page.get_by_test_id("tab-practice").click()
    panel = page.get_by_test_id("panel-practice")
    panel.get_by_test_id(f"bank-{PRACTICE_BANK}").click()
    panel.get_by_test_id("practice-count").fill("2")
    panel.get_by_test_id("start-practice").click()
    panel.get_by_test_id("question").wait_for()
    audit(page, "/practice (a question)")
    question_id = panel.get_by_test_id("question").get_attribute("data-question-id")
    answer(panel, bundled_questions()[f"{PRACTICE_BANK}/{question_id}"], right=False)
    panel.get_by_test_id("feedback").wait_for()
    audit(page, "/practice (feedback)")
    # The 纠错 sheet a player opens under the feedback (the phone's is the same).
    panel.get_by_test_id("report-open").click()
    page.locator("#report-sheet").wait_for()
    audit(page, "/practice (纠错 sheet)")
    player.close()

    assert found == [], "axe found:\n" + "\n".join(found)
    assert errors == []


# The contest moments the live pages are checked in: the host's commands that lead to each.
MOMENTS: tuple[tuple[str, tuple[tuple[str, dict[str, Any]], ...]], ...] = (
    ("a 必答 question read out", (("StartRound", {}), ("OpenQuestion", {"team": TEAM}))),
    ("the team answering on its phone", (("PromptAnswer", {}),)),
    (
        "buzzers armed",
        (
            ("SkipQuestion", {}),
            ("EndRound", {}),
            ("StartRound", {}),
            ("OpenQuestion", {}),
            ("ArmBuzzers", {"countdown_ms": 0}),
        ),
    ),
    ("the team buzzed", (("local_buzz", {"team": TEAM}),)),
    ("judged right, the answer shown", (("Judge", {"team": TEAM, "correct": True}),)),
    ("a 风险 round: the teams pick their points", (("EndRound", {}), ("StartRound", {}))),
    ("the podium", (("EndRound", {}), ("EndContest", {}), ("RevealPodium", {}))),
)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_live_pages_pass_axe_through_a_contest(
    browser: Browser, server: LiveServer, lang: str
) -> None:
    http = server.host()
    # Each moment is held while axe checks five pages, which on a loaded machine outlasts the
    # template's clocks: long ones keep a question open until the test judges it.
    slow = {"answer_seconds": 600, "buzz_window_seconds": 600}
    created = server.create_contest(http, rounds={"0": {"answer_seconds": 600}, "1": slow})
    code, key = created["code"], created["screen_key"]
    seat = server.join(code, TEAM, PLAYER)
    driver = Recorder(server, {"role": "host", "contest": code}, http).connect()
    host = logged_in_host(browser, lang, server)
    anyone = context_for(browser, lang)
    phone = phone_with_seat(browser, lang, code, seat)
    pages: dict[str, Page] = {}
    watches: list[Watch] = []
    for context, path in (
        (host, f"/host/{code}"),
        (host, f"/local/{code}"),
        (anyone, f"/screen/{code}?key={key}"),
        (anyone, f"/watch/{code}"),
        (phone, "/play"),
    ):
        page = context.new_page()
        watches.append(Watch(page))
        settled(page, server.url + path)
        pages[path.split("?")[0]] = page
    found: list[str] = []
    try:
        for moment, commands in MOMENTS:
            for kind, fields in commands:
                sent = (
                    driver.call("local_buzz", fields)
                    if kind == "local_buzz"
                    else driver.call("command", {"type": kind, **fields})
                )
                assert sent["ok"], (kind, sent)
            # Every page gets the update with the acknowledgement; give them a moment to draw it.
            pages[f"/host/{code}"].wait_for_timeout(500)
            for path, page in pages.items():
                found.extend(problems(page, f"{lang} {path} ({moment})"))
        results = host.new_page()
        watches.append(Watch(results))
        settled(results, f"{server.url}/contests/{code}/results")
        found.extend(problems(results, f"{lang} /contests/{code}/results (finished)"))
    finally:
        close_all(driver)
        http.close()
        for context in (host, anyone, phone):
            context.close()

    assert found == [], "axe found:\n" + "\n".join(found)
    assert [error for watch in watches for error in watch.errors] == []
