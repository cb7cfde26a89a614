"""Script payloads in every Markdown corner the site enables: each would set ``window.__flN`` if it ran.

Shared by the property test of the rendering path (tests/test_bodyhtml.py)
and the Chromium test on both engines (tests/test_xss_browser.py).
"""

from __future__ import annotations


def _set(n: int) -> str:
    return f"window.__fl{n}=1"


#: (kind, Markdown) pairs; the number in each payload is its global's.
PAYLOADS: list[tuple[str, str]] = [
    ("script element", f"<script>{_set(1)}</script>"),
    ("img onerror", f'<img src=x onerror="{_set(2)}">'),
    ("svg onload", f'<svg onload="{_set(3)}"></svg>'),
    ("script inside svg", f"<svg><script>{_set(4)}</script></svg>"),
    ("iframe srcdoc", '<iframe srcdoc="<script>parent.__fl5=1</script>"></iframe>'),
    ("javascript: link", f"[a](javascript:{_set(6)})"),
    ("entity-spelled scheme", "[b](jav&#x61;script:window.__fl7=1)"),
    ("raw javascript: href", f'<a href="javascript:{_set(8)}">c</a>'),
    ("reference in a block quote", f"> [quoted][r9]\n>\n> [r9]: javascript:{_set(9)}"),
    ("reference in a list item", f"- [listed][r10]\n\n    [r10]: javascript:{_set(10)}"),
    ("reference in a footnote", f"Note[^f11].\n\n[^f11]: [in note][r11]\n\n    [r11]: javascript:{_set(11)}"),
    ("HTML in an admonition", f'!!! note\n    <img src=x onerror="{_set(12)}">'),
    ("script in a collapsed admonition", f"??? warning\n    <script>{_set(13)}</script>"),
    ("HTML in a footnote body", f'See[^f14].\n\n[^f14]: <img src=x onerror="{_set(14)}">'),
    ("HTML in a definition", f'Term\n:   <svg onload="{_set(15)}"></svg>'),
    ("lazy list continuation", f'- item\n<img src=x onerror="{_set(16)}">'),
    ("escaped backticks", f'\\`<img src=x onerror="{_set(17)}">\\`'),
    ("code span across paragraphs", f'`start\n\n<img src=x onerror="{_set(18)}"> end`'),
    ("details ontoggle", f'<details open ontoggle="{_set(19)}"><summary>s</summary>x</details>'),
    ("body onload", f'<body onload="{_set(20)}">'),
    ("autofocus onfocus", f'<input autofocus onfocus="{_set(21)}">'),
    ("video source onerror", f'<video><source onerror="{_set(22)}"></video>'),
    ("audio onerror", f'<audio src=x onerror="{_set(23)}"></audio>'),
    ("object data", f'<object data="javascript:{_set(24)}"></object>'),
    ("embed src", f'<embed src="javascript:{_set(25)}">'),
    ("mutation via math/style", f'<math><mtext><table><mglyph><style><img src=x onerror="{_set(26)}">'),
    ("form action", f'<form><button formaction="javascript:{_set(27)}">go</button></form>'),
    ("data: URL link", '<a href="data:text/html,&lt;script&gt;parent.__fl28=1&lt;/script&gt;">d</a>'),
    ("vbscript: link", '<a href="vbscript:msgbox(29)">v</a>'),
    ("style url", f'<div style="background:url(javascript:{_set(30)})">s</div>'),
    ("marquee onstart", f'<marquee onstart="{_set(31)}">m</marquee>'),
    ("noscript title breakout", f'<noscript><p title="</noscript><img src=x onerror={_set(32)}>">'),
    ("template script", f"<template><script>{_set(33)}</script></template>"),
    ("meta refresh", f'<meta http-equiv="refresh" content="0;url=javascript:{_set(34)}">'),
    ("base href", '<base href="javascript:window.__fl35=1//">'),
    ("stylesheet link", f'<link rel="stylesheet" href="javascript:{_set(36)}">'),
    ("angle-bracket destination", f"[x](<javascript:{_set(37)}>)"),
    ("mixed-case scheme", f"[x](JaVaScRiPt:{_set(38)})"),
    ("tab inside the scheme", "[x](java&#9;script:window.__fl39=1)"),
    ("img onerror in a table cell", f'| a | b |\n|---|---|\n| <img src=x onerror="{_set(40)}"> | 2 |'),
    ("leading space in href", f'<a href=" javascript:{_set(41)}">l</a>'),
    ("CDATA", f'<![CDATA[<img src=x onerror="{_set(42)}">]]>'),
    ("comment trick", f'<!--><img src=x onerror="{_set(43)}">-->'),
    ("unknown tag with handler", f'<x-y onclick="{_set(44)}" onmouseover="{_set(44)}">x</x-y>'),
    ("javascript: image", f"![i](javascript:{_set(45)})"),
    ("select autofocus", f'<select autofocus onfocus="{_set(46)}"></select>'),
    ("heading with handler", f'### Heading <img src=x onerror="{_set(47)}">'),
    ("nested admonitions", f'!!! note\n    !!! danger\n        <img src=x onerror="{_set(48)}">'),
    ("entity-encoded tag", f"&lt;img src=x onerror={_set(49)}&gt;"),
    ("srcset", f'<img srcset="javascript:{_set(50)} 1x" src="ok.png">'),
]

#: How many globals the payloads could set.
GLOBALS = 50
