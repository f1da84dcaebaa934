#!/usr/bin/env python3
"""Write each module's README.md from its readme/ fragments (OCA layout).

Modules are the folders of the repository root and of addons/ holding a manifest.

Run by pre-commit ("./tms lint"); exits 1 when it changed a README, so that the
change is reviewed and committed.
Usage: python .ci/gen_addon_readme.py [repository root]
"""

import ast
import sys
from pathlib import Path

SECTIONS = [
    ("DESCRIPTION.md", None),
    ("INSTALL.md", "Installation"),
    ("CONFIGURE.md", "Configuration"),
    ("USAGE.md", "Usage"),
    # feature chapters of a large module, after the general usage
    ("SCAN.md", "Scan screen"),
    ("TRACKING.md", "Tracking pages and customer portal"),
    ("LABELS.md", "Labels and printing"),
    ("NOTIFICATIONS.md", "Notifications"),
    ("DASHBOARD.md", "Exceptions and dashboard"),
    ("API.md", "REST API"),
    ("SHOPS.md", "Shop connectors"),
    ("IMPORT.md", "Spreadsheet import"),
    ("PORTAL.md", "Merchant portal"),
    ("RETURNS.md", "Returns"),
    ("RECEPTION.md", "Return reception and disposition"),
    ("ROADMAP.md", "Known issues / Roadmap"),
    ("CONTRIBUTORS.md", "Contributors"),
]


def shift_headings(text):
    """Fragments start their headings at #: nest them under the section's ##."""
    lines = []
    for line in text.splitlines():
        lines.append("##" + line if line.startswith("#") else line)
    return "\n".join(lines).strip()


def render(module_dir):
    manifest = ast.literal_eval((module_dir / "__manifest__.py").read_text())
    parts = [
        "<!-- Generated from readme/ by .ci/gen_addon_readme.py: "
        "edit the fragments. -->",
        f"# {manifest['name']}",
        manifest.get("summary", "").strip(),
        f"Version {manifest['version']} · License {manifest['license']} · "
        f"Depends on {', '.join(manifest.get('depends', []))}",
    ]
    known = {filename for filename, _title in SECTIONS}
    extra = sorted(
        (path.name, path.stem.replace("_", " ").capitalize())
        for path in (module_dir / "readme").glob("*.md")
        if path.name not in known
    )
    for filename, title in SECTIONS[:-2] + extra + SECTIONS[-2:]:
        fragment = module_dir / "readme" / filename
        if fragment.exists():
            if title:
                parts.append(f"## {title}")
            parts.append(shift_headings(fragment.read_text()))
    return "\n\n".join(part for part in parts if part) + "\n"


def main(root):
    changed = []
    manifests = sorted(Path(root).glob("*/__manifest__.py"))
    manifests += sorted(Path(root).glob("addons/*/__manifest__.py"))
    for manifest in manifests:
        module_dir = manifest.parent
        if not (module_dir / "readme").is_dir():
            continue
        readme = module_dir / "README.md"
        text = render(module_dir)
        if not readme.exists() or readme.read_text() != text:
            readme.write_text(text)
            changed.append(str(readme))
    for path in changed:
        sys.stdout.write(f"wrote {path}\n")
    return 1 if changed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "."))
