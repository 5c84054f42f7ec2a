"""The build plugin (portal_app/frontend_build.py): one vendor chunk in the Vite
config Reflex writes, and the built pages' scripts started after the first paint
(React Router's bootstrap kept verbatim for its CSP hash), with their gzip copies
rewritten to match."""

import gzip

from portal_app.api.page_policy import inline_script_hashes
from portal_app.frontend_build import BOOT_TYPE, add_vendor_group, defer_scripts, rewrite_pages

CONFIG = """      output: {
        codeSplitting: {
          groups: [
            {
              test: /env.json/,
              name: "reflex-env",
            },
          ],
        },
      },"""
BOOT = ('import "/assets/manifest-1.js";\nimport * as route0 from "/assets/root-2.js";\n'
        'window.__reactRouterRouteModules = {"root":route0};\n'
        'import("/assets/entry.client-3.js");')
PAGE = ('<head><link rel="modulepreload" href="/assets/vendor-1.js"/>'
        '<link rel="modulepreload" href="/assets/root-2.js"/>'
        '<link rel="stylesheet" href="/assets/styles.css"/></head><body><p>Hello</p>'
        '<script>window.__reactRouterContext = {};</script>'
        f'<script type="module" async="">{BOOT}</script></body>')


def test_vendor_group_is_added_once_after_reflexs_own():
    once = add_vendor_group(CONFIG)
    assert once.index('name: "reflex-env"') < once.index('name: "vendor"')
    assert "lucide-react" in once  # the icons stay split
    assert add_vendor_group(once) == once


def test_an_unknown_config_layout_is_left_alone():
    other = "export default defineConfig({});"
    assert add_vendor_group(other) == other


def test_the_bootstrap_and_its_preloads_wait_for_the_first_paint():
    deferred = defer_scripts(PAGE)
    assert '<link rel="modulepreload"' not in deferred
    assert '<script type="module"' not in deferred  # nothing starts while parsing
    boot = f'<script type="{BOOT_TYPE}" id="portal-boot" data-preload="/assets/vendor-1.js /assets/root-2.js">{BOOT}</script>'
    assert boot in deferred
    assert "requestAnimationFrame" in deferred
    assert '<link rel="stylesheet" href="/assets/styles.css"/>' in deferred
    assert "<p>Hello</p>" in deferred
    # The module script the loader makes has the original text: its CSP hash is listed.
    assert set(inline_script_hashes(PAGE.encode())) < set(inline_script_hashes(deferred.encode()))
    assert defer_scripts(deferred) == deferred


def test_a_page_without_one_bootstrap_is_left_alone():
    assert defer_scripts("<p>static</p>") == "<p>static</p>"
    twice = PAGE.replace("</body>", f'<script type="module" async="">{BOOT}</script></body>')
    assert defer_scripts(twice) == twice


def test_rewrite_pages_rewrites_the_gzip_copy_and_drops_other_encodings(tmp_path):
    page = tmp_path / "login" / "index.html"
    page.parent.mkdir()
    page.write_text(PAGE)
    (tmp_path / "login" / "index.html.gz").write_bytes(gzip.compress(PAGE.encode()))
    (tmp_path / "login" / "index.html.br").write_bytes(b"old")
    untouched = tmp_path / "plain.html"
    untouched.write_text("<p>no scripts</p>")

    assert rewrite_pages(tmp_path) == 1
    new = page.read_text()
    assert 'id="portal-boot"' in new
    assert gzip.decompress((tmp_path / "login" / "index.html.gz").read_bytes()).decode() == new
    assert not (tmp_path / "login" / "index.html.br").exists()
    assert untouched.read_text() == "<p>no scripts</p>"
    assert rewrite_pages(tmp_path) == 0


def test_the_bench_still_counts_a_deferred_pages_scripts(tmp_path):
    from bench.browser import page_assets

    (tmp_path / "before.html").write_text(PAGE)
    (tmp_path / "after.html").write_text(defer_scripts(PAGE))
    before = set(page_assets(tmp_path, "before.html"))
    assert {"/assets/vendor-1.js", "/assets/root-2.js", "/assets/styles.css"} <= before
    assert set(page_assets(tmp_path, "after.html")) == before
