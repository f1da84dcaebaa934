#!/usr/bin/env python3
"""Write each module's README.md from its readme/ fragments (OCA layout).

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
    ("API.md", "REST API"),
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
    for filename, title in SECTIONS:
        fragment = module_dir / "readme" / filename
        if fragment.exists():
            if title:
                parts.append(f"## {title}")
            parts.append(shift_headings(fragment.read_text()))
    return "\n\n".join(part for part in parts if part) + "\n"


def main(root):
    changed = []
    for manifest in sorted(Path(root).glob("*/__manifest__.py")):
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
