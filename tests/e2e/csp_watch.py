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
