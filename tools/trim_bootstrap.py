"""Write static/vendor/bootstrap/bootstrap.subset.min.css: Bootstrap's CSS less the rules no page uses.

Its source, Bootstrap's whole minified CSS, lies in tools/vendor/ so collectstatic never serves it.
Run by hand after using a new Bootstrap class, never at run time:
    python tools/trim_bootstrap.py
A rule stays when every class its selector names appears somewhere in the templates, the
crispy-forms Bootstrap 5 templates, the Python code or the scripts; rules without classes
(elements, :root, the dark theme's variables) always stay.
"""

from __future__ import annotations

import re
from pathlib import Path

import crispy_bootstrap5

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "tools" / "vendor" / "bootstrap" / "bootstrap.min.css"
TARGET = ROOT / "static" / "vendor" / "bootstrap" / "bootstrap.subset.min.css"
WORD = re.compile(r"[A-Za-z0-9_-]+")
CLASS = re.compile(r"\.((?:[A-Za-z0-9_-]|\\.)+)")
# Classes that templates build from parts (base.html: alert-{{ message.tags }}).
BUILT = {"alert-success", "alert-info", "alert-warning", "alert-danger"}


def used_words() -> set[str]:
    words: set[str] = set(BUILT)
    apps = ("templates", "accounts", "config", "dogs", "journal", "sharing", "api")
    folders = [ROOT / name for name in apps]
    folders += [ROOT / "static" / "js", Path(crispy_bootstrap5.__file__).parent]
    for folder in folders:
        for path in folder.rglob("*"):
            if path.suffix in {".html", ".py", ".js"}:
                words.update(WORD.findall(path.read_text(errors="replace")))
    return words


def blocks(css: str) -> list[tuple[str, str]]:
    """Top-level (prelude, body) pairs; at-rules without a body come back with body None."""
    out = []
    i = 0
    while i < len(css):
        if css.startswith("/*", i):
            end = css.index("*/", i) + 2
            if css.startswith("/*!", i):
                out.append((css[i:end], None))
            i = end
            continue
        brace = css.find("{", i)
        semi = css.find(";", i)
        if brace == -1:
            break
        if semi != -1 and semi < brace and css[i:semi].lstrip().startswith("@"):
            out.append((css[i : semi + 1], None))
            i = semi + 1
            continue
        depth, j = 1, brace + 1
        while depth:
            if css[j] == "{":
                depth += 1
            elif css[j] == "}":
                depth -= 1
            elif css[j] in "\"'":
                j = css.index(css[j], j + 1)
            j += 1
        out.append((css[i:brace].strip(), css[brace + 1 : j - 1]))
        i = j
    return out


def keep_selector(selector: str, words: set[str]) -> bool:
    return all(name.replace("\\", "") in words for name in CLASS.findall(selector))


def trim(css: str, words: set[str]) -> str:
    parts = []
    for prelude, body in blocks(css):
        if body is None:
            parts.append(prelude)
        elif prelude.startswith(("@media", "@supports", "@layer", "@container")):
            inner = trim(body, words)
            if inner:
                parts.append(f"{prelude}{{{inner}}}")
        elif prelude.startswith("@"):
            parts.append(f"{prelude}{{{body}}}")
        else:
            selectors = [s for s in re.split(r",(?![^(]*\))", prelude) if keep_selector(s, words)]
            if selectors:
                parts.append(f"{','.join(selectors)}{{{body}}}")
    return "".join(parts)


def main() -> None:
    css = SOURCE.read_text()
    css = re.sub(r"/\*# sourceMappingURL=.*?\*/", "", css)
    out = trim(css, used_words())
    TARGET.write_text(out + "\n")
    print(f"{len(css)} -> {len(out)} bytes: {TARGET}")


if __name__ == "__main__":
    main()
