#!/usr/bin/env python3
"""WCAG contrast check of the widget themes: every skin, light and dark.

Reads the CSS variables of theme.css and each skin-*.css, resolves them the
way the cascade does (skin light < base dark < skin dark, by specificity),
and checks each foreground/background pair the widgets use. Exit 1 on a
failure. Usage: python3 static/check_contrast.py (run by `cargo xtask test`)
"""
import pathlib
import re
import sys

HERE = pathlib.Path(__file__).parent
TEXT = 4.5   # WCAG AA, normal text
UI = 3.0     # WCAG AA, non-text (borders, focus rings)

PAIRS = [
    ("fg", "bg", TEXT), ("muted", "bg", TEXT), ("link", "bg", TEXT),
    ("fg", "input-bg", TEXT), ("muted", "input-bg", TEXT),
    ("accent-fg", "accent", TEXT), ("accent-fg", "accent-hover", TEXT),
    ("link", "hover-bg", TEXT), ("link", "input-bg", TEXT),
    ("error", "bg", TEXT), ("error-fg", "error-bg", TEXT),
    ("notice-fg", "notice-bg", TEXT), ("warn-fg", "warn-bg", TEXT),
    ("badge-fg", "badge-bg", TEXT),
    ("border-strong", "bg", UI), ("border-strong", "input-bg", UI), ("focus", "bg", UI),
    ("accent", "bg", UI), ("error", "input-bg", UI),
]


def blocks(css, selector):
    """Variables of every rule whose selector is exactly `selector`, in order."""
    out = {}
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    for sel, body in re.findall(r"([^{}]+)\{([^{}]*)\}", css):
        if sel.strip() == selector:
            out.update(dict(re.findall(r"--bt-([\w-]+)\s*:\s*([^;]+);", body)))
    return out


def lum(hex_colour):
    h = hex_colour.strip().lstrip("#")
    if len(h) == 3:
        h = "".join(c * 2 for c in h)
    chan = [int(h[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in chan]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def ratio(a, b):
    la, lb = sorted((lum(a), lum(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def main():
    base = (HERE / "theme.css").read_text()
    # Only the top-level blocks (the media-query copies must equal them).
    base_light = blocks(base, ".bt-root")
    base_dark = blocks(base, ".bt-root[data-theme=dark]")
    media_dark = blocks(base, ".bt-root:not([data-theme])")
    # One check per palette (skin x mode) and per dark copy; a palette fails
    # when any of its pairs does.
    passed = failed = 0

    def check(ok, what):
        nonlocal passed, failed
        passed += ok
        failed += not ok
        if not ok:
            print(f"FAIL {what}")

    check(media_dark == base_dark, "theme.css: the prefers-color-scheme dark block equals [data-theme=dark]")
    for skin_path in sorted(HERE.glob("skin-*.css")):
        skin = skin_path.read_text()
        skin_light = blocks(skin, ".bt-root")
        skin_dark = blocks(skin, ".bt-root[data-theme=dark]")
        check(blocks(skin, ".bt-root:not([data-theme])") == skin_dark,
              f"{skin_path.name}: the prefers-color-scheme dark block equals [data-theme=dark]")
        palettes = {
            "light": {**base_light, **skin_light},
            "dark": {**base_light, **skin_light, **base_dark, **skin_dark},
        }
        for mode, pal in palettes.items():
            palette_ok = True
            for fg, bg, need in PAIRS:
                r = ratio(pal[fg], pal[bg])
                ok = r >= need
                palette_ok &= ok
                print(f"{'ok  ' if ok else 'FAIL'} {skin_path.name:16} {mode:5} {fg:>13} on {bg:<12} {r:5.2f} (≥{need})")
            check(palette_ok, f"{skin_path.name} {mode}: every pair meets WCAG AA")
    # The summary lines `cargo xtask test` counts (node --test's format).
    print(f"# pass {passed}")
    print(f"# fail {failed}")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
