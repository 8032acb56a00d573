"""axe-core (vendored under tests/e2e/vendor for the tests only, never served) on every public page
type, on a 390 px phone and a 1366 px desktop: no serious or critical violation, best practices
included (unique landmark labels, a region for every part of the page)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.celery_worker import eager_tasks  # noqa: F401 - an autouse fixture: tasks run in the test process
from tests.e2e.conftest import CHROMIUM_ARGS
from tests.e2e.test_phone_layout import public_pages

AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
WIDTHS = (390, 1366)
FAILING = {"serious", "critical"}
# Moderate by axe's measure, but a screen reader's list of landmarks is useless without them.
ALSO_FAILING = {"landmark-unique"}
# Every rule axe runs by default: WCAG 2.0–2.2 A and AA and its best practices.
RUN = "() => axe.run(document, {resultTypes: ['violations']})"


@pytest.fixture
def page_without_csp(chromium_path, monkeypatch, settings):
    """A page where axe's script may be injected: the portal's Content-Security-Policy allows only its
    own scripts, which is tested elsewhere; here the browser is told to set it aside."""
    from playwright.sync_api import sync_playwright

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        context = browser.new_context(bypass_csp=True, locale="vi-VN")
        yield context.new_page()
        browser.close()


def violations(page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    found = page.evaluate(RUN)["violations"]
    return [
        f"{rule['id']} ({rule['impact']}): {rule['help']} — {', '.join(where(node) for node in rule['nodes'][:3])}"
        for rule in found
        if rule["impact"] in FAILING or rule["id"] in ALSO_FAILING
    ]


# What axe does not check: a form sent to an empty address (some assistive tools announce it as broken),
# and a <time> whose datetime is not a date or moment a machine can read.
MARKUP = """() => {
  const problems = [...document.querySelectorAll('form[action=""]')].map(() => 'a form with action=""');
  for (const time of document.querySelectorAll('time')) {
    const value = time.getAttribute('datetime') || time.textContent.trim();
    const valid = /^\\d{4}-\\d{2}(-\\d{2}(T\\d{2}:\\d{2}(:\\d{2}(\\.\\d+)?)?(Z|[+-]\\d{2}:\\d{2})?)?)?$/;
    if (!valid.test(value) || Number.isNaN(Date.parse(value.length === 7 ? value + '-01' : value))) {
      problems.push(`<time datetime="${value}">`);
    }
  }
  return problems;
}"""


def where(node: dict) -> str:
    return " ".join(node["target"])


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_no_public_page_has_a_serious_or_critical_accessibility_violation(demo, live_server, page_without_csp):
    page = page_without_csp
    # The check itself works: a page with an image without a text alternative fails it.
    page.set_content('<!DOCTYPE html><html lang="vi"><title>t</title><main><img src="x.png"></main></html>')
    assert any(problem.startswith("image-alt (critical)") for problem in violations(page))
    pages = public_pages()
    problems = {}
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        for name, path in pages.items():
            response = page.goto(live_server.url + path)
            assert response.status == 200, f"{name}: {path} answered {response.status}"
            found = violations(page) + page.evaluate(MARKUP)
            if found:
                problems[f"{name} at {width} px"] = found
    assert problems == {}
