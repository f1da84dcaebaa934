"""Checks of the repository layout that need no Odoo database.

Every addon of the repository root (and of addons/) must be installable, documented,
translated and packaged the same way, and every Python library or OCA addon it needs
must be pinned in requirements.txt.
"""

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
AUTHOR = "TMS for Odoo contributors"
# Top-level folders that are not addons (see DESIGN.md, "Modules").
NOT_ADDONS = {"addons", "data", "docker", "docs", "i18n", "tests", "setup"}
README_FRAGMENTS = ["DESCRIPTION.md", "USAGE.md", "CONFIGURE.md"]
LANGUAGES = ["fr", "ar"]


def _addon_dirs():
    dirs = sorted(p.parent for p in ROOT.glob("*/__manifest__.py"))
    dirs += sorted(p.parent for p in ROOT.glob("addons/*/__manifest__.py"))
    return dirs


ADDONS = _addon_dirs()
ADDON_IDS = [str(p.relative_to(ROOT)) for p in ADDONS]


def _manifest(addon):
    return ast.literal_eval((addon / "__manifest__.py").read_text(encoding="utf-8"))


def _normalize(name):
    """PEP 503 normalised distribution name."""
    return re.sub(r"[-_.]+", "-", name).lower()


def _requirement_pins():
    """{normalised name: [specifier text of each line]} of requirements.txt."""
    pins = {}
    for raw in (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line or line.startswith("-"):
            continue
        match = re.match(
            r"([A-Za-z0-9][A-Za-z0-9._-]*)\s*(\[[^\]]*\])?\s*([^;]*)", line
        )
        if match:
            pins.setdefault(_normalize(match.group(1)), []).append(
                match.group(3).strip()
            )
    return pins


def _requirement_name(spec):
    """The distribution name of an external_dependencies entry (may hold a version)."""
    return _normalize(re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", spec).group(1))


def _odoo_core_addons():
    """Names of the addons shipped with Odoo, or None when Odoo is not importable."""
    try:
        import odoo
    except ImportError:
        return None
    root = Path(odoo.__file__).resolve().parent
    names = set()
    for folder in (root / "addons", root.parent / "addons"):
        names |= {p.parent.name for p in folder.glob("*/__manifest__.py")}
    return names or None


def test_repository_has_the_core_addon():
    assert "tms_core" in {p.name for p in ADDONS}, "tms_core/__manifest__.py is missing"


def test_every_python_package_at_the_root_is_an_addon():
    """A folder holding Python code at the root is an addon: it needs a manifest."""
    missing = [
        p.name
        for p in sorted(ROOT.iterdir())
        if p.is_dir()
        and not p.name.startswith(".")
        and p.name not in NOT_ADDONS
        and ((p / "__init__.py").exists() or p.name.startswith("tms_"))
        and not (p / "__manifest__.py").exists()
    ]
    assert not missing, f"folders without __manifest__.py: {missing}"


@pytest.mark.parametrize("addon", ADDONS, ids=ADDON_IDS)
def test_manifest(addon):
    manifest = _manifest(addon)
    problems = []
    version = manifest.get("version", "")
    if not re.fullmatch(r"18\.0\.\d+\.\d+\.\d+", version):
        problems.append(f"version {version!r} is not 18.0.x.y.z")
    if manifest.get("license") != "LGPL-3":
        problems.append(f"license {manifest.get('license')!r} is not LGPL-3")
    if AUTHOR not in (manifest.get("author") or ""):
        problems.append(f"author {manifest.get('author')!r} does not name {AUTHOR!r}")
    if not re.match(r"https?://\S+$", manifest.get("website") or ""):
        problems.append(f"website {manifest.get('website')!r} is not a URL")
    if not isinstance(manifest.get("installable"), bool):
        problems.append("'installable' is not set to True or False")
    if not manifest.get("summary"):
        problems.append("no summary")
    if not isinstance(manifest.get("depends"), list) or not manifest["depends"]:
        problems.append("'depends' is not a non-empty list")
    assert not problems, "; ".join(problems)


@pytest.mark.parametrize("addon", ADDONS, ids=ADDON_IDS)
def test_readme_fragments(addon):
    missing = [
        name
        for name in README_FRAGMENTS
        if not (addon / "readme" / name).is_file()
        or not (addon / "readme" / name).read_text(encoding="utf-8").strip()
    ]
    assert not missing, f"missing or empty readme/ fragments: {missing}"


@pytest.mark.parametrize("addon", ADDONS, ids=ADDON_IDS)
def test_translations(addon):
    missing = [
        f"{lang}.po"
        for lang in LANGUAGES
        if not (addon / "i18n" / f"{lang}.po").is_file()
    ]
    assert not missing, f"missing translations in i18n/: {missing}"
    assert not (addon / "i18n" / "en.po").exists(), "i18n/en.po must not exist"


_JS_TERM = re.compile(r"""\b_t\(\s*(["'])((?:\\.|(?!\1).)*)\1\s*[,)]""")


def _pot_javascript_msgids(pot):
    """The msgids of a .pot file that the web client gets (marked
    ``#. odoo-javascript``), unescaped and joined across lines."""
    ids, current, javascript = set(), None, False
    for line in pot.read_text(encoding="utf-8").splitlines() + [""]:
        if line == "#. odoo-javascript":
            javascript = True
        elif line.startswith("msgid "):
            current = [line[6:]]
        elif current is not None and line.startswith('"'):
            current.append(line)
        elif current is not None:
            if javascript:
                ids.add("".join(ast.literal_eval(piece) for piece in current))
            current, javascript = None, False
    return ids


@pytest.mark.parametrize("addon", ADDONS, ids=ADDON_IDS)
def test_javascript_terms_are_exported(addon):
    """Every literal _t("...") of the addon's JavaScript is in its .pot as a term of
    the web client: the export misses a _t() written inside a template literal's
    ${...}, and the term then shows in English in every language."""
    pot = addon / "i18n" / f"{addon.name}.pot"
    scripts = sorted((addon / "static" / "src").rglob("*.js"))
    if not scripts or not pot.is_file():
        pytest.skip("no JavaScript or no .pot")
    exported = _pot_javascript_msgids(pot)
    missing = sorted(
        f"{script.relative_to(ROOT)}: {term}"
        for script in scripts
        if "/lib/" not in script.as_posix()
        for _quote, term in _JS_TERM.findall(script.read_text(encoding="utf-8"))
        if ast.literal_eval(f'"{term}"') not in exported
    )
    assert not missing, "JavaScript terms not exported: " + "; ".join(missing)


@pytest.mark.parametrize("addon", ADDONS, ids=ADDON_IDS)
def test_wheel_packaging(addon):
    """Each addon builds as an odoo-addon-<name> wheel with whool (as OCA 18.0)."""
    path = addon / "pyproject.toml"
    assert path.is_file(), "no pyproject.toml (run: whool init)"
    text = path.read_text(encoding="utf-8")
    try:
        import tomllib
    except ImportError:  # Python 3.10
        build_system = {
            "requires": re.findall(r'"(whool[^"]*)"', text),
            "build-backend": "whool.buildapi" if "whool.buildapi" in text else None,
        }
    else:
        build_system = tomllib.loads(text).get("build-system", {})
    assert any(r.startswith("whool") for r in build_system.get("requires", []))
    assert build_system.get("build-backend") == "whool.buildapi"


@pytest.mark.parametrize("addon", ADDONS, ids=ADDON_IDS)
def test_python_dependencies_are_pinned(addon):
    """Every external_dependencies.python library is pinned (==) in requirements.txt."""
    pins = _requirement_pins()
    python_deps = _manifest(addon).get("external_dependencies", {}).get("python", [])
    problems = []
    for spec in python_deps:
        name = _requirement_name(spec)
        if name not in pins:
            problems.append(f"{spec} is not in requirements.txt")
        elif not all(s.startswith("==") for s in pins[name]):
            problems.append(f"{spec} is not pinned with == in requirements.txt")
    assert not problems, "; ".join(problems)


@pytest.mark.parametrize("addon", ADDONS, ids=ADDON_IDS)
def test_addon_dependencies_are_available(addon):
    """Every dependency is Odoo's, ours, or an addon pinned in requirements.txt
    as odoo-addon-<name>==<version> (e.g. OCA's queue_job)."""
    core = _odoo_core_addons()
    if core is None:
        pytest.skip("Odoo is not importable: its addons are unknown")
    ours = {p.name for p in ADDONS}
    pins = _requirement_pins()
    problems = []
    for dep in _manifest(addon).get("depends", []):
        if dep in core or dep in ours:
            continue
        pinned = pins.get(_normalize(f"odoo-addon-{dep}"))
        if not pinned:
            problems.append(f"{dep} is neither Odoo's, ours nor in requirements.txt")
        elif not all(s.startswith("==") for s in pinned):
            problems.append(
                f"odoo-addon-{dep} is not pinned with == in requirements.txt"
            )
    assert not problems, "; ".join(problems)


def _docker_pip_packages():
    """Normalised names that docker/Dockerfile installs with pip, or None."""
    dockerfile = ROOT / "docker" / "Dockerfile"
    if not dockerfile.exists():
        return None
    lines = dockerfile.read_text(encoding="utf-8").splitlines()
    text = "\n".join(line for line in lines if not line.lstrip().startswith("#"))
    text = text.replace("\\\n", " ")
    names = set()
    for args in re.findall(r"pip3? install([^&\n]*)", text):
        names |= {
            _normalize(re.split(r"[=<>!~]", token)[0])
            for token in args.split()
            if not token.startswith(("-", "/"))
        }
    return names


def test_docker_image_libraries_are_pinned():
    """docker/Dockerfile takes its versions from requirements.txt (as constraints):
    every package it installs must be pinned there."""
    installed = _docker_pip_packages()
    if installed is None:
        pytest.skip("no docker/Dockerfile")
    assert installed, "docker/Dockerfile installs nothing with pip"
    pins = _requirement_pins()
    problems = sorted(
        name
        for name in installed
        if not pins.get(name) or not all(s.startswith("==") for s in pins[name])
    )
    assert not problems, f"not pinned with == in requirements.txt: {problems}"


@pytest.mark.parametrize("addon", ADDONS, ids=ADDON_IDS)
def test_docker_image_has_addon_dependencies(addon):
    """The Docker image installs every Python library and every non-Odoo addon (as
    odoo-addon-<name>) that the addon needs."""
    installed = _docker_pip_packages()
    if installed is None:
        pytest.skip("no docker/Dockerfile")
    manifest = _manifest(addon)
    needed = {
        _requirement_name(spec)
        for spec in manifest.get("external_dependencies", {}).get("python", [])
    }
    core = _odoo_core_addons() or set()
    ours = {p.name for p in ADDONS}
    needed |= {
        _normalize(f"odoo-addon-{dep}")
        for dep in manifest.get("depends", [])
        if core and dep not in core and dep not in ours
    }
    missing = sorted(needed - installed)
    assert not missing, f"docker/Dockerfile does not install: {missing}"


# Standard-library names added after Python 3.10, the oldest Python the suite supports
# (README, "What they need"; ruff's target-version): importing one breaks the modules on
# Ubuntu 22.04's Python. tomllib is allowed behind an ImportError fallback.
PY311_NAMES = {
    "datetime": {"UTC"},
    "enum": {"StrEnum", "ReprEnum", "verify", "EnumCheck", "global_enum"},
    "typing": {"Self", "LiteralString", "Never", "assert_never", "reveal_type"},
    "asyncio": {"TaskGroup", "timeout", "Runner"},
    "hashlib": {"file_digest"},
    "operator": {"call"},
}


def test_python_310_compatible_imports():
    """No module imports a standard-library name that Python 3.10 lacks."""
    problems = []
    for path in ROOT.rglob("*.py"):
        if any(part.startswith(".") for part in path.relative_to(ROOT).parts):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module in PY311_NAMES:
                newer = {a.name for a in node.names} & PY311_NAMES[node.module]
                if newer:
                    problems.append(f"{path.relative_to(ROOT)}:{node.lineno} {newer}")
            elif (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.attr in PY311_NAMES.get(node.value.id, ())
            ):
                problems.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.attr}")
    assert not problems, f"needs Python 3.11 or later: {problems}"
