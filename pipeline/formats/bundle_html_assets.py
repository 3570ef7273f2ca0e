"""The inline style sheets and script of the bundle's HTML pages (``bundle_html``).

They are constants so that a page depends only on its release: the
Content-Security-Policy of each page allows exactly these texts by hash and
nothing else, so a page cannot load anything from anywhere, not even from its
own folder. Fonts are the reader's system fonts: the CJK stacks name the
families Linux (Noto CJK), macOS (PingFang) and Windows (Microsoft JhengHei /
YaHei) ship, and ``:lang()`` picks the Hong Kong, Traditional or Simplified
forms from each element's ``lang``. The font is set on ``html``, whose
``lang`` the more specific ``[lang]`` rules then read, and nowhere below it
without a ``lang``: a rule on ``body`` would hide the page's own language
(a Chinese publish page set in the Latin stack, at the Latin line height).
"""

from __future__ import annotations

import base64
import functools
import hashlib

# Shared by both pages: fonts by language, colours.
_BASE_CSS = """\
:root {
  color-scheme: light;
  --ink: #1d2329; --muted: #5b6670; --rule: #d9dee3; --accent: #0b5c8a; --paper: #fff;
  --pair: #fff1b8; --fuzzy: #9a4d00; --fuzzy-bg: #fdebd3; --missing: #a8231b; --missing-bg: #fbe1df;
  --latin: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Helvetica Neue", Arial, sans-serif;
  --zh-hk: "Noto Sans CJK HK", "Noto Sans HK", "PingFang HK", "Noto Sans CJK TC", "PingFang TC",
    "Microsoft JhengHei", "Source Han Sans HC", sans-serif;
  --zh-tc: "Noto Sans CJK TC", "Noto Sans TC", "PingFang TC", "Microsoft JhengHei", "Source Han Sans TC", sans-serif;
  --zh-sc: "Noto Sans CJK SC", "Noto Sans SC", "PingFang SC", "Microsoft YaHei", "Source Han Sans SC", sans-serif;
}
*, *::before, *::after { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; text-size-adjust: 100%; font: 16px/1.6 var(--latin); }
body { margin: 0; color: var(--ink); background: var(--paper); }
[lang] { font-family: var(--latin); }
[lang]:lang(zh) { font-family: var(--zh-tc); line-height: 1.8; }
[lang]:lang(zh-HK), [lang]:lang(zh-Hant-HK), [lang]:lang(zh-MO), [lang]:lang(zh-Hant-MO) { font-family: var(--zh-hk); }
[lang]:lang(zh-Hans), [lang]:lang(zh-CN), [lang]:lang(zh-SG) { font-family: var(--zh-sc); }
a { color: var(--accent); }
time { white-space: nowrap; }
"""

BILINGUAL_CSS = _BASE_CSS + """\
.page { max-width: 80rem; margin: 0 auto; padding: 1.5rem 1rem 3rem; }
.masthead { border-bottom: 3px solid var(--accent); padding-bottom: 1rem; margin-bottom: 0; }
.kicker { margin: 0; color: var(--muted); font-size: .8rem; letter-spacing: .06em; text-transform: uppercase; }
h1 { font-size: 1.6rem; line-height: 1.3; margin: .3rem 0 .9rem; }
.meta { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; margin: 0; font-size: .9rem; }
.meta dt { color: var(--muted); }
.meta dd { margin: 0; overflow-wrap: anywhere; }
.meta .sep { color: var(--muted); padding: 0 .4em; }
.pair { display: grid; grid-template-columns: minmax(0, 1fr); gap: .6rem 2.5rem; }
.columns { border-bottom: 1px solid var(--rule); background: var(--paper); padding: .6rem 0 .4rem; }
.columns h2 { margin: 0; font-size: .95rem; font-weight: 600; }
.columns .code { color: var(--muted); font: .75rem var(--latin); margin-left: .5em; }
.cell { min-width: 0; border-left: 3px solid var(--rule); padding-left: .8rem; }
.cell.target { border-left-color: var(--accent); }
.row { padding: .9rem 0; border-bottom: 1px solid var(--rule); }
.text { margin: 0; overflow-wrap: break-word; }
.kind-title .text { font-size: 1.3rem; font-weight: 700; line-height: 1.4; }
.kind-caption .text { font-size: .95rem; color: var(--muted); }
.kind-trailer .text { font-size: .9rem; color: var(--muted); }
.seg { border-radius: 3px; transition: background-color .12s ease-out; }
.seg.paired, .seg:target { background: var(--pair); box-shadow: 0 0 0 2px var(--pair); }
.seg-no { font: .68rem/1 var(--latin); vertical-align: super; margin-left: .2em; color: var(--muted); text-decoration: none; }
.seg-no:hover, .seg-no:focus { color: var(--accent); text-decoration: underline; }
mark.term { background: none; color: inherit; border-bottom: 2px dotted var(--accent); cursor: help; }
.badge { display: inline-block; font: 600 .7rem/1.5 var(--latin); padding: 0 .45em; border-radius: 1em;
  margin-right: .35em; vertical-align: .12em; white-space: nowrap; }
.seg.fuzzy { text-decoration: underline wavy #d9891c; text-decoration-skip-ink: none; text-underline-offset: .3em; }
.fuzzy .badge { background: var(--fuzzy-bg); color: var(--fuzzy); }
.fuzzy .origin { font: .7rem/1.5 var(--latin); color: var(--fuzzy); margin-right: .35em; vertical-align: .12em; }
.missing .badge { background: var(--missing-bg); color: var(--missing); }
.glossary { margin-top: 2rem; font-size: .9rem; }
.glossary h2 { font-size: 1rem; margin: 0 0 .5rem; }
.glossary table { border-collapse: collapse; }
.glossary th, .glossary td { text-align: left; padding: .15rem 1.5rem .15rem 0; border-bottom: 1px solid var(--rule); vertical-align: top; }
.colophon { margin-top: 2rem; color: var(--muted); font-size: .8rem; }
@media (min-width: 48rem) {
  .pair { grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); }
  .columns { position: sticky; top: 0; z-index: 1; }
}
@page { margin: 15mm; }
@media print {
  body { font-size: 10pt; color: #000; }
  .page { max-width: none; padding: 0; }
  .pair { grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: .3rem 1.5rem; }
  .columns { position: static; }
  .row { break-inside: avoid; padding: .4rem 0; }
  .seg.paired, .seg:target { background: none; box-shadow: none; }
  .seg-no { display: none; }
  mark.term { border-bottom: 1px dotted #000; }
  a { color: #000; text-decoration: none; }
  .meta a[href]::after { content: " <" attr(href) ">"; }
  .badge { border: 1px solid #000; background: none !important; color: #000 !important; }
  .fuzzy .origin { color: #000; }
}
"""

PUBLISH_CSS = _BASE_CSS + """\
.release { max-width: 46rem; margin: 0 auto; padding: 2rem 1.25rem 3rem; }
.release > header { border-bottom: 3px solid var(--accent); margin-bottom: 1.5rem; padding-bottom: .75rem; }
h1 { font-size: 1.7rem; line-height: 1.4; margin: 0 0 .5rem; }
.release p { margin: 0 0 1em; }
.release p.dateline { margin: 0; color: var(--muted); }
.release p.alternate { margin: .25rem 0 0; font-size: .9rem; }
.release p.caption { color: var(--muted); font-size: .95rem; }
.release p.trailer { color: var(--muted); font-size: .9rem; }
.release > footer { margin-top: 2rem; }
.release p.subtitle { font-weight: 700; font-size: 1.15rem; }
.incomplete { border: 1px solid var(--missing); background: var(--missing-bg); color: var(--missing);
  padding: .5rem .75rem; border-radius: 4px; }
.untranslated { background: var(--missing-bg); border-bottom: 2px dashed var(--missing); }
@page { margin: 20mm; }
@media print {
  body { font-size: 11pt; color: #000; }
  .release { max-width: none; padding: 0; }
  a { color: #000; text-decoration: none; }
  .alternate a[href]::after { content: " <" attr(href) ">"; }
  .untranslated { background: none; border-bottom: 1px dashed #000; }
}
"""

# Hovering or focusing a segment highlights every element of its pair (same
# data-seg); anchors s-<id>/t-<id> with :target do the same without script.
PAIRING_JS = """\
(function () {
  "use strict";
  var groups = new Map();
  document.querySelectorAll("[data-seg]").forEach(function (el) {
    var key = el.getAttribute("data-seg");
    if (!groups.has(key)) { groups.set(key, []); }
    groups.get(key).push(el);
  });
  var current = null;
  function show(key) {
    if (key === current) { return; }
    if (current !== null) { groups.get(current).forEach(function (el) { el.classList.remove("paired"); }); }
    current = key;
    if (key !== null) { groups.get(key).forEach(function (el) { el.classList.add("paired"); }); }
  }
  function follow(event) {
    var el = event.target instanceof Element ? event.target.closest("[data-seg]") : null;
    show(el ? el.getAttribute("data-seg") : null);
  }
  document.addEventListener("mouseover", follow);
  document.addEventListener("focusin", follow);
  document.documentElement.addEventListener("mouseleave", function () { show(null); });
})();
"""


def csp_hash(text: str) -> str:
    """The CSP source expression allowing one inline ``<style>`` or ``<script>`` text."""
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


@functools.lru_cache(maxsize=8)
def content_security_policy(style: str, script: str | None = None) -> str:
    """A policy that allows these inline texts and no load of any kind (worked out once: every page has the same).

    >>> content_security_policy("p{}").startswith("default-src 'none'; style-src 'sha256-")
    True
    """
    parts = ["default-src 'none'", f"style-src {csp_hash(style)}"]
    parts.append(f"script-src {csp_hash(script)}" if script is not None else "script-src 'none'")
    parts += ["img-src 'none'", "font-src 'none'", "base-uri 'none'", "form-action 'none'"]
    return "; ".join(parts)
