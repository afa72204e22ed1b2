"""Build static/img/icons.svg: a sprite of only the Bootstrap Icons that Leanlog uses.

Run by hand after using a new icon, never at run time:
    npm pack bootstrap-icons@1.13.2 (in /tmp), untar, then
    python tools/build_icon_sprite.py /tmp/.../package/icons
It scans the templates for {% icon "name" %} and the Python code for "bi-name" strings.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE_NAME = re.compile(r'{%\s*icon\s+"([a-z0-9-]+)"(?:\s+"([a-z0-9-]+)")?')
PYTHON_NAME = re.compile(r'"bi-([a-z0-9-]+)"')


def used_icons() -> set[str]:
    names: set[str] = set()
    for path in (ROOT / "templates").rglob("*.html"):
        for name, suffix in TEMPLATE_NAME.findall(path.read_text()):
            names.add(name + suffix)
    for folder in ("dogs", "journal", "sharing", "api"):
        for path in (ROOT / folder).rglob("*.py"):
            for name in PYTHON_NAME.findall(path.read_text()):
                names.add(name)
                # Flag levels are also drawn filled ({% icon flag.level_icon "-fill" %}).
                if path.name == "flags.py":
                    names.add(f"{name}-fill")
    return names


def symbol(name: str, svg: str) -> str:
    body = re.search(r"<svg[^>]*>(.*)</svg>", svg, re.S).group(1)
    body = re.sub(r">\s+<", "><", body.strip())
    return f'<symbol id="{name}" viewBox="0 0 16 16">{body}</symbol>'


def main(icons_dir: str) -> None:
    folder = Path(icons_dir)
    symbols = []
    for name in sorted(used_icons()):
        path = folder / f"{name}.svg"
        if path.exists():
            symbols.append(symbol(name, path.read_text()))
        else:
            print(f"no such icon: {name}", file=sys.stderr)
    out = ROOT / "static" / "img" / "icons.svg"
    out.write_text(
        '<svg xmlns="http://www.w3.org/2000/svg">'
        "<!-- Bootstrap Icons 1.13.2, MIT licence (static/vendor/bootstrap-icons/LICENSE) -->"
        + "".join(symbols)
        + "</svg>\n"
    )
    print(f"{len(symbols)} icons, {out.stat().st_size} bytes -> {out}")


if __name__ == "__main__":
    main(sys.argv[1])
