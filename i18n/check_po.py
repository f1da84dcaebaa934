#!/usr/bin/env python3
# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Check the French and Arabic catalogues of the TMS modules.

Usage: .venv/bin/python i18n/check_po.py [module ...]   (default: every module)

For each ``<module>/i18n/{fr,ar}.po`` it checks that the header names the language,
its plural forms and UTF-8; that every msgid of ``<module>.pot`` is there, translated
and not fuzzy; that each translation keeps the placeholders (``%(name)s``, ``%s``,
``{tracking_number}``) and the HTML/XML tags and entities of its msgid; and that
``msgfmt -c`` accepts the file. Exits with status 1 and lists the problems otherwise.
"""

import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
LANGUAGES = {
    "fr": "nplurals=2; plural=(n > 1);",
    "ar": "nplurals=6; plural=(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : "
    "n%100>=3 && n%100<=10 ? 3 : n%100>=11 ? 4 : 5);",
}
PLACEHOLDER = re.compile(
    r"%\([A-Za-z_][A-Za-z0-9_]*\)[-#0 +]*\d*(?:\.\d+)?[sdifr]"  # %(name)s
    r"|%[-#0 +]*\d*(?:\.\d+)?[sdifr]"  # %s, %d
    r"|\{[A-Za-z_][A-Za-z0-9_]*\}"  # {tracking_number}
)
TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?>|&[A-Za-z]+;|&#\d+;")
# Attributes Odoo translates inside a term (odoo.tools.translate.TRANSLATED_ATTRS): an
# inline <i title="Late"/> is part of the sentence and its title is translated with it.
TRANSLATED_ATTR = re.compile(
    r"\b((?:t-attf-)?(?:string|add-label|help|sum|avg|confirm|placeholder|alt|title|"
    r"aria-label|aria-keyshortcuts|aria-placeholder|aria-roledescription|"
    r'aria-valuetext|value_label|data-tooltip|label))="[^"]*"'
)


def tags(text):
    """The markup of ``text``, translated attributes' values left out."""
    return [TRANSLATED_ATTR.sub(r'\1=""', tag) for tag in TAG.findall(text)]


def out(line):
    sys.stdout.write(f"{line}\n")


def modules(names):
    if names:
        return [ROOT / name for name in names]
    return sorted(p.parent for p in ROOT.glob("*/__manifest__.py"))


def check_file(path, pot_ids, plural):
    problems = []
    po = polib.pofile(str(path))
    lang = path.stem
    if po.metadata.get("Language") != lang:
        problems.append(
            f"header Language is {po.metadata.get('Language')!r}, not {lang}"
        )
    if po.metadata.get("Plural-Forms", "").replace(" ", "") != plural.replace(" ", ""):
        problems.append(f"header Plural-Forms is {po.metadata.get('Plural-Forms')!r}")
    if "charset=UTF-8" not in po.metadata.get("Content-Type", ""):
        problems.append("header Content-Type is not UTF-8")
    entries = [e for e in po if not e.obsolete]
    for msgid in sorted(pot_ids - {e.msgid for e in entries}):
        problems.append(f"missing msgid (run ./tms i18n): {msgid!r}")
    for entry in entries:
        label = repr(entry.msgid[:70])
        if not entry.msgstr:
            problems.append(f"untranslated: {label}")
            continue
        if "fuzzy" in entry.flags:
            problems.append(f"fuzzy: {label}")
        for name, find in (("placeholders", PLACEHOLDER.findall), ("tags", tags)):
            source = Counter(find(entry.msgid))
            target = Counter(find(entry.msgstr))
            if source != target:
                problems.append(
                    f"{name} differ in {label}: {sorted(source.elements())} != "
                    f"{sorted(target.elements())}"
                )
    msgfmt = subprocess.run(
        ["msgfmt", "-c", "-o", "/dev/null", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    if msgfmt.returncode:
        problems.append(f"msgfmt -c failed:\n{msgfmt.stderr}")
    return len(entries), problems


def main(argv):
    failed = False
    for module in modules(argv):
        pot = module / "i18n" / f"{module.name}.pot"
        pot_ids = {e.msgid for e in polib.pofile(str(pot))} if pot.exists() else set()
        for lang, plural in LANGUAGES.items():
            path = module / "i18n" / f"{lang}.po"
            if not path.exists():
                out(f"{module.name}/i18n/{lang}.po: missing (run ./tms i18n)")
                failed = True
                continue
            count, problems = check_file(path, pot_ids, plural)
            status = "ok" if not problems else f"{len(problems)} problem(s)"
            out(f"{module.name}/i18n/{lang}.po: {count} entries, {status}")
            for problem in problems:
                out(f"    {problem}")
            failed = failed or bool(problems)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
