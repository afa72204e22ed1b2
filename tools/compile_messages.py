"""Compile the translation catalogues (locale/*/LC_MESSAGES/*.po) into the .mo files Django reads.

polib does what GNU gettext's msgfmt does, so a server needs no gettext tools to run Leanlog.
Usage: python tools/compile_messages.py [catalogue.po ...]  (every catalogue when none is named)
"""

from __future__ import annotations

import sys
from pathlib import Path

import polib

LOCALE = Path(__file__).resolve().parent.parent / "locale"


def compile_catalogue(po_path: Path) -> Path:
    catalogue = polib.pofile(str(po_path))
    mo_path = po_path.with_suffix(".mo")
    # Fuzzy entries are guesses: like msgfmt, leave them out so English shows instead of a wrong guess.
    catalogue.save_as_mofile(str(mo_path))
    return mo_path


def main(paths: list[str]) -> None:
    catalogues = [Path(p) for p in paths] or sorted(LOCALE.glob("*/LC_MESSAGES/*.po"))
    for po_path in catalogues:
        compile_catalogue(po_path)


if __name__ == "__main__":
    main(sys.argv[1:])
