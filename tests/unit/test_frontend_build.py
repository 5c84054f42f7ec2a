"""The build plugin (portal_app/frontend_build.py): one vendor chunk in the Vite
config Reflex writes, and the built pages' module preloads at low priority with
their gzip copies rewritten to match."""

import gzip

from portal_app.frontend_build import add_vendor_group, lower_preload_priority, rewrite_pages

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
PAGE = ('<head><link rel="modulepreload" href="/assets/vendor-1.js"/>'
        '<link rel="modulepreload" href="/assets/root-2.js"/>'
        '<link rel="stylesheet" href="/assets/styles.css"/></head>')


def test_vendor_group_is_added_once_after_reflexs_own():
    once = add_vendor_group(CONFIG)
    assert once.index('name: "reflex-env"') < once.index('name: "vendor"')
    assert "lucide-react" in once  # the icons stay split
    assert add_vendor_group(once) == once


def test_an_unknown_config_layout_is_left_alone():
    other = "export default defineConfig({});"
    assert add_vendor_group(other) == other


def test_module_preloads_get_low_priority_and_nothing_else_changes():
    low = lower_preload_priority(PAGE)
    assert low.count('rel="modulepreload" fetchpriority="low"') == 2
    assert '<link rel="stylesheet" href="/assets/styles.css"/>' in low
    assert lower_preload_priority(low) == low


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
    assert 'fetchpriority="low"' in new
    assert gzip.decompress((tmp_path / "login" / "index.html.gz").read_bytes()).decode() == new
    assert not (tmp_path / "login" / "index.html.br").exists()
    assert untouched.read_text() == "<p>no scripts</p>"
    assert rewrite_pages(tmp_path) == 0
