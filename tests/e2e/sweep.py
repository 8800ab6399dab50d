"""The phone-and-desktop sweep (issue 14, point 4), shared by the test and by anyone who wants to
run it against a running SIKLA (`python -m tests.e2e.sweep http://127.0.0.1:8000 PASSWORD`).

For a signed-in person it opens every page their navigation reaches, at 360 px and 1366 px, and
notes what a user would notice: the page scrolling sideways, a JavaScript error in the console, an
HTTP 5xx answer, and English words in an Indonesian page."""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from urllib.parse import urlsplit

WIDTHS = (360, 1366)
# English words a translated page has no business showing; proper names and the words that mean
# the same in Indonesian (data, status, online, email…) are not in it.
ENGLISH = frozenset(
    [
        "the",
        "and",
        "with",
        "from",
        "your",
        "please",
        "save",
        "cancel",
        "delete",
        "edit",
        "search",
        "submit",
        "back",
        "next",
        "previous",
        "download",
        "upload",
        "settings",
        "loading",
        "error",
        "required",
        "field",
        "this",
        "none",
        "true",
        "false",
        "show",
        "hide",
        "close",
        "select",
        "choose",
        "filter",
        "clear",
        "items",
        "results",
        "found",
        "logout",
        "login",
        "password",
        "user",
        "users",
        "view",
        "details",
        "report",
        "reports",
        "case",
        "cases",
        "children",
        "child",
        "statistics",
        "home",
        "page",
        "of",
        "yes",
        "add",
        "remove",
        "update",
        "create",
        "new",
        "open",
        "closed",
        "today",
        "yesterday",
        "week",
        "month",
        "year",
        "other",
        "unknown",
    ]
)
ALLOWED = frozenset({"SIKLA", "KLA", "PermenPPPA", "API", "PDF", "XLSX", "CSV", "SAPA", "WhatsApp"})
WORD = re.compile(r"[A-Za-z]+")

# What the sweep notes of a page at one width, in one round trip to the browser: how far it
# scrolls sideways (and the elements that stick out), the text a person sees, and — when asked —
# the links of its main part.
LOOK = """(withLinks) => {
  const width = document.documentElement.clientWidth;
  const over = document.documentElement.scrollWidth - width;
  let overflow = null;
  if (over > 1) {
    const culprits = [];
    for (const el of document.body.querySelectorAll('*')) {
      const box = el.getBoundingClientRect();
      if (box.right > width + 1 && box.width > 0) {
        let scrolls = false;
        for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
          const o = getComputedStyle(p).overflowX;
          if (o === 'auto' || o === 'scroll' || o === 'hidden') { scrolls = true; break; }
        }
        if (!scrolls) culprits.push(el.tagName.toLowerCase() + (el.className ? '.' + String(el.className).split(' ')[0] : '') + (el.dataset.testid ? '[' + el.dataset.testid + ']' : ''));
      }
      if (culprits.length > 5) break;
    }
    overflow = {over: over, culprits: culprits};
  }
  const skip = el => el.closest('code, pre, script, style, [lang="en"], [translate="no"], svg');
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const parts = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!el || skip(el)) continue;
    if (!el.getClientRects().length) continue;  // not shown (a closed menu, a hidden panel)
    parts.push(node.textContent);
  }
  const links = withLinks
    ? Array.from(document.querySelectorAll('main a[href]:not([download])')).map(a => a.getAttribute('href'))
    : [];
  return {overflow: overflow, text: parts.join(' '), links: links};
}"""
NAV_LINKS = """() => Array.from(document.querySelectorAll('.nav-desktop a[href]'))
  .map(a => a.getAttribute('href'))"""
# Not pages: files, the sign-out, switches that change state by GET are none (all POST).
NOT_PAGES = re.compile(
    r"(\.(xlsx|pdf|ics|csv|zip|png|jpg)$|/unduh/|/bukti/|/berkas/|/dokumen/|/keluar/|/static/"
    r"|/api/|/i18n/|/masuk/)"
)
SHAPES = [
    (re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"), "{uid}"),
    (re.compile(r"\b\d{2}(\.\d{2}){1,2}(\.\d{4})?\b"), "{region}"),
    (re.compile(r"\b\d+\b"), "{n}"),
]


@dataclass
class Finding:
    url: str
    width: int
    problem: str

    def __str__(self) -> str:
        return f"{self.url} @{self.width}px: {self.problem}"


@dataclass
class Sweep:
    pages: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)


def english_words(text: str) -> list[str]:
    found = {w for w in WORD.findall(text) if w.lower() in ENGLISH and w not in ALLOWED}
    return sorted(found)


def log_in(page, base: str, username: str, password: str) -> None:
    page.goto(f"{base}/masuk/")
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(password)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_load_state()


def nav_pages(page, base: str) -> list[str]:
    page.goto(f"{base}/")
    seen = []
    for href in page.evaluate(NAV_LINKS):
        path = urlsplit(href).path if href.startswith("http") else href
        if path.startswith("/") and path not in seen:
            seen.append(path)
    return seen


def shape(path: str) -> str:
    """The route a path belongs to: one page of each is enough to see its layout."""
    for pattern, name in SHAPES:
        path = pattern.sub(name, path)
    return path


def links_in(url: str, hrefs: list[str]) -> list[str]:
    host = urlsplit(url).netloc
    found = []
    for href in hrefs:
        parts = urlsplit(href)
        if parts.scheme not in ("", "http", "https") or (parts.netloc and parts.netloc != host):
            continue  # tel:, mailto:, WhatsApp and other sites
        path = parts.path
        if path.startswith("/") and not NOT_PAGES.search(path):
            found.append(path)
    return found


def look(page, base: str, path: str, widths: tuple[int, ...], sweep: Sweep) -> list[str]:
    """Load `path` once at the first width, then look at it at each width in turn (the page is
    resized, not reloaded: the layout reflows as a turned phone or a widened window would)."""
    errors: list[str] = []
    statuses: list[tuple[int, str]] = []
    on_console = lambda m: m.type == "error" and errors.append(m.text)  # noqa: E731
    on_error = lambda e: errors.append(str(e))  # noqa: E731
    on_response = lambda r: (  # noqa: E731
        r.status >= 500
        and r.request.resource_type != "document"
        and statuses.append((r.status, r.url))
    )
    page.on("console", on_console)
    page.on("pageerror", on_error)
    page.on("response", on_response)
    try:
        if page.viewport_size != {"width": widths[0], "height": 800}:
            page.set_viewport_size({"width": widths[0], "height": 800})
        response = page.goto(base + path)
        page.wait_for_load_state("load")
        if response is not None and response.status >= 400:
            # a page offered to this person that refuses them, or is gone, is a finding too
            statuses.append((response.status, path))
        for width in widths:
            if width != widths[0]:
                page.set_viewport_size({"width": width, "height": 800})
            for status, url in statuses:
                sweep.findings.append(Finding(path, width, f"HTTP {status} {url}"))
            for text in errors:
                sweep.findings.append(Finding(path, width, f"console: {text[:200]}"))
            statuses.clear()
            errors.clear()
            seen = page.evaluate(LOOK, width == widths[-1])  # links at the last width
            overflow = seen["overflow"]
            if overflow:
                culprits = ", ".join(overflow["culprits"])
                problem = f"scrolls sideways by {overflow['over']} px ({culprits})"
                sweep.findings.append(Finding(path, width, problem))
            words = english_words(seen["text"])
            if words:
                sweep.findings.append(Finding(path, width, f"English: {', '.join(words)}"))
        return links_in(page.url, seen["links"]) if response is not None and response.ok else []
    finally:
        page.remove_listener("console", on_console)
        page.remove_listener("pageerror", on_error)
        page.remove_listener("response", on_response)


def sweep_as(
    browser,
    base: str,
    username: str | None,
    password: str,
    limit: int = 60,
    also: tuple[str, ...] = (),
) -> Sweep:
    """The pages of the person's navigation (the front door for a visitor) and one page of each
    kind they link to, at both widths; `also` adds pages the navigation does not reach at once but
    whose state must be seen (a determined evaluation's stage table, its gap analysis)."""
    context = browser.new_context()
    page = context.new_page()
    sweep = Sweep()
    try:
        if username:
            log_in(page, base, username, password)
            start = nav_pages(page, base)
        else:
            start = ["/", "/lapor/", "/kla/", "/konsultasi-publik/", "/masuk/"]
        start += [p for p in also if p not in start]
        queue, shapes = list(start), {shape(p) for p in start}
        while queue and len(sweep.pages) < limit:
            path = queue.pop(0)
            sweep.pages.append(path)
            # the navigation's pages at both widths; the pages they lead to on the phone, where
            # layouts break (the wide screen of those is the same template)
            found = look(page, base, path, WIDTHS if path in start else WIDTHS[:1], sweep)
            if path not in start:
                continue  # one step from the navigation
            for link in found:
                if shape(link) not in shapes:
                    shapes.add(shape(link))
                    queue.append(link)
    finally:
        context.close()
    return sweep


if __name__ == "__main__":  # a look at a running SIKLA, outside the test suite
    from playwright.sync_api import sync_playwright

    from tests.e2e.chromium import CHROMIUM, CHROMIUM_ARGS

    base, password, *users = sys.argv[1:]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for user in users or [None]:
            result = sweep_as(browser, base, None if user == "-" else user, password)
            print(f"== {user}: {len(result.pages)} pages, {len(result.findings)} findings")
            for finding in result.findings:
                print("  ", finding)
