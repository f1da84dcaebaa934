#!/usr/bin/env python3
"""Write each module's README.md from its readme/ fragments (OCA layout), and its
static/description/index.html, the description Odoo's Apps screen shows (without it,
Odoo reads the README as reStructuredText and logs a warning for each Markdown line it
cannot parse). A hand-written index.html (without the generated marker) is kept.

Modules are the folders of the repository root and of addons/ holding a manifest.

Run by pre-commit ("./tms lint"); exits 1 when it changed a README, so that the
change is reviewed and committed.
Usage: python .ci/gen_addon_readme.py [repository root]
"""

import ast
import html
import re
import sys
from pathlib import Path

GENERATED = "<!-- Generated from readme/DESCRIPTION.md by .ci/gen_addon_readme.py -->"

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


def _inline(text):
    """Markdown's inline marks (links, bold, italics, code) of escaped text."""
    text = html.escape(text, quote=False)
    text = re.sub(r"`([^`]+)`", r"<code>\1</code>", text)
    text = re.sub(r"\*\*([^*]+)\*\*", r"<strong>\1</strong>", text)
    text = re.sub(r"(?<![\w*])\*([^*\n]+)\*(?![\w*])", r"<em>\1</em>", text)
    text = re.sub(r"(?<![\w_])_([^_\n]+)_(?![\w_])", r"<em>\1</em>", text)
    return re.sub(
        r"\[([^\]]+)\]\(([^)\s]+)\)",
        lambda m: f'<a href="{html.escape(m.group(2))}">{m.group(1)}</a>',
        text,
    )


def markdown_blocks(text):
    """The paragraphs, bullet lists and headings of a readme fragment as HTML (the
    subset the fragments use)."""
    blocks, paragraph, items = [], [], []

    def flush():
        if paragraph:
            blocks.append(f"<p>{_inline(' '.join(paragraph))}</p>")
            paragraph.clear()
        if items:
            lis = "".join(f"<li>{_inline(' '.join(item))}</li>" for item in items)
            blocks.append(f"<ul>{lis}</ul>")
            items.clear()

    for line in text.splitlines():
        stripped = line.strip()
        if not stripped:
            flush()
        elif stripped.startswith("#"):
            flush()
            blocks.append(f"<h3>{_inline(stripped.lstrip('#').strip())}</h3>")
        elif re.match(r"[-*] |\d+\. ", stripped) and not line.startswith("    "):
            if paragraph:
                flush()
            items.append([re.sub(r"^([-*]|\d+\.) ", "", stripped)])
        elif items and line.startswith(" "):
            items[-1].append(stripped)
        else:
            if items:
                flush()
            paragraph.append(stripped)
    flush()
    return blocks


def render_description(module_dir):
    manifest = ast.literal_eval((module_dir / "__manifest__.py").read_text())
    fragment = module_dir / "readme" / "DESCRIPTION.md"
    body = markdown_blocks(fragment.read_text()) if fragment.exists() else []
    lines = [
        GENERATED,
        '<section class="oe_container">',
        '    <div class="oe_row oe_spaced">',
        f'        <h2 class="oe_slogan">{html.escape(manifest["name"])}</h2>',
        f'        <h3 class="oe_slogan">{_inline(manifest.get("summary", ""))}</h3>',
        *(f"        {block}" for block in body),
        "    </div>",
        "</section>",
    ]
    return "\n".join(lines) + "\n"


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
        index = module_dir / "static" / "description" / "index.html"
        if index.exists() and not index.read_text().startswith(GENERATED):
            continue
        text = render_description(module_dir)
        if not index.exists() or index.read_text() != text:
            index.parent.mkdir(parents=True, exist_ok=True)
            index.write_text(text)
            changed.append(str(index))
    for path in changed:
        sys.stdout.write(f"wrote {path}\n")
    return 1 if changed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "."))
