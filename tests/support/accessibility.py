"""axe-core in the browser tests. The rules are those of WCAG 2.0 and 2.1 at
levels A and AA (KWCAG 2.2 follows WCAG 2.1). axe.min.js is the copy that
axe-playwright-python ships: nothing is fetched from outside."""

import json
import os

from axe_playwright_python.base import AXE_SCRIPT

from tests.support.browser import ARTIFACTS

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
FAILING_IMPACTS = {"serious", "critical"}


def axe_violations(page, exclude=()):
    """The page's violations as axe reports them; `exclude` lists selectors of
    markup that is not ours (the Django admin's own)."""
    # Evaluated, not added as a <script>: a Content-Security-Policy does not apply.
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_SCRIPT)
    context = {"exclude": [[selector] for selector in exclude]} if exclude else None
    refused = getattr(page.context, "csp_violations", [])
    seen = len(refused)
    violations = page.evaluate(
        "([context, options]) => axe.run(context || document, options)"
        "  .then(results => results.violations)",
        [context, {"runOnly": {"type": "tag", "values": WCAG_TAGS},
                   "resultTypes": ["violations"]}])
    # axe sets inline styles while it measures the page; the policy refusing
    # them is no fault of the page (tests/conftest.py WatchedBrowser).
    del refused[seen:]
    return violations


DUPLICATE_IDS = """() => {
  const count = {};
  for (const element of document.querySelectorAll("[id]")) {
    count[element.id] = (count[element.id] || 0) + 1;
  }
  return Object.keys(count).filter(id => count[id] > 1);
}"""


def describe(violations):
    """What a developer needs to fix them: rule, impact, help, where."""
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}"
                     f" [{violation['helpUrl']}]")
        for node in violation["nodes"]:
            target = " ".join(" >>> ".join(part) if isinstance(part, list) else part
                              for part in node["target"])
            lines.append(f"    {target}")
            summary = node.get("failureSummary") or ""
            lines.extend(f"        {line}" for line in summary.splitlines())
    return "\n".join(lines)


def record(name, violations):
    """Keep what axe found on a page in test-artifacts/axe/, failing or not."""
    folder = os.path.join(ARTIFACTS, "axe")
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, f"{name}.json"), "w", encoding="utf-8") as handle:
        json.dump(violations, handle, ensure_ascii=False, indent=1)


def assert_accessible(page, name, exclude=()):
    """No serious or critical violation on the page as it stands. Moderate and
    minor ones are printed (pytest shows them with -rP) and kept."""
    violations = axe_violations(page, exclude)
    record(name, violations)
    failing = [each for each in violations if each["impact"] in FAILING_IMPACTS]
    others = [each for each in violations if each["impact"] not in FAILING_IMPACTS]
    if others:
        print(f"{name} ({page.url}), below serious:\n{describe(others)}")
    assert not failing, f"{name} ({page.url}):\n{describe(failing)}"
    # axe 4.12 no longer checks this (WCAG 2.2 dropped 4.1.1), but a label's
    # `for` or an aria-describedby that points at two elements finds the wrong one.
    duplicates = page.evaluate(DUPLICATE_IDS)
    assert not duplicates, f"{name} ({page.url}): ids used more than once: {duplicates}"
