"""axe-core, from the project's own node_modules, run on every page a browser test opens and
again after every htmx swap. Violations are collected per browser context and fail the test."""

from pathlib import Path

from playwright.sync_api import BrowserContext, Page

AXE_SOURCE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"

# Runs in every document before the page's own scripts. Init scripts are added by the browser
# itself, so the page's Content-Security-Policy neither blocks them nor reports them.
HOOK = """
(() => {
  let queue = Promise.resolve();
  const audit = (when) => {
    queue = queue.then(() => window.axe.run(document, { resultTypes: ["violations"] }))
      .then((result) => window.__axeReport(location.pathname, when, result.violations.map((v) => ({
        id: v.id, impact: v.impact,
        nodes: v.nodes.slice(0, 5).map((n) => n.target.join(" ") + " :: " + n.failureSummary),
      }))))
      .catch((error) => window.__axeReport(location.pathname, when, [{ id: "axe-error",
        impact: "critical", nodes: [String(error)] }]));
    return queue;
  };
  window.__axeIdle = () => queue;
  window.addEventListener("load", () => audit("page"));
  document.addEventListener("htmx:afterSettle", (event) => audit("swap #" + event.detail.elt.id));
})();
"""


def audit_context(context: BrowserContext) -> list[dict]:
    """Audit every page of `context`; returns the list that violations are added to."""
    found: list[dict] = []
    audited: list[str] = []

    def report(path: str, when: str, violations: list[dict]) -> None:
        audited.append(f"{path} ({when})")
        found.extend({"page": path, "when": when, **v} for v in violations)

    # Colours are measured as they settle, not halfway through a button's hover transition
    # (Bootstrap turns transitions off for reduced motion).
    for page in context.pages:
        page.emulate_media(reduced_motion="reduce")
    context.on("page", lambda page: page.emulate_media(reduced_motion="reduce"))
    context.expose_function("__axeReport", report)
    context.add_init_script(path=str(AXE_SOURCE))
    context.add_init_script(HOOK)
    context.axe_violations = found
    context.axe_audited = audited
    return found


def wait_for_audits(page: Page) -> None:
    """Let the audits of the page as it is now finish (before navigating away, or at the end)."""
    page.wait_for_load_state("load")
    page.evaluate("() => window.__axeIdle && window.__axeIdle()")


def describe(violations: list[dict]) -> str:
    return "\n".join(
        f"{v['page']} ({v['when']}): {v['id']} [{v['impact']}] " + " | ".join(v["nodes"])
        for v in violations
    )
