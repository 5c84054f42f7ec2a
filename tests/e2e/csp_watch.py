"""The browser suite fails a test whose pages had anything refused by the portal's
Content-Security-Policy: `watch_csp` is called on every browser context the suite
makes (conftest's `context`, a11y's `_new_context`); conftest's autouse
`no_csp_violations` fails the test that caused one."""

# The current test's violations.
SEEN: list[str] = []

# Every document reports its `securitypolicyviolation` events (script, eval, style,
# connect, frame, image… refusals all raise one), except frames of other origins (a
# video player), whose policies are not ours.
_REPORT = """
document.addEventListener("securitypolicyviolation", (e) => {
  let ours;
  try { ours = window.top.location.origin === location.origin; } catch { ours = false; }
  if (!ours) return;
  window.__cspViolation(`${e.violatedDirective} refused ${e.blockedURI || "inline"} `
                        + `at ${e.sourceFile}:${e.lineNumber} on ${location.pathname}`);
});
"""


def watch_csp(ctx) -> None:
    """Record every CSP violation of every page of `ctx` in SEEN."""
    ctx.expose_binding("__cspViolation", lambda _source, text: SEEN.append(text))
    ctx.add_init_script(_REPORT)


INJECT = """() => new Promise((refused) => {
  document.addEventListener("securitypolicyviolation", (e) => refused(e.violatedDirective),
                            {once: true});
  const script = document.createElement("script");
  script.textContent = "window.__injected = true";
  document.body.appendChild(script);
})"""


def an_injected_script_is_refused_and_reported(page) -> None:
    """The policy is enforced (an inline script the page did not ship never runs) and
    the suite's CSP watch sees it; that one report is then taken back."""
    assert page.evaluate(INJECT) == "script-src-elem"
    assert page.evaluate("window.__injected === undefined")
    for _ in range(100):
        if SEEN:
            break
        page.wait_for_timeout(50)
    assert len(SEEN) == 1 and SEEN[0].startswith("script-src-elem refused inline"), SEEN
    SEEN.clear()
