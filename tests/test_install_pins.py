"""Every install command of the setup installs pinned versions.

A release that appears tomorrow must not change what ``./tms run`` does on a fresh
machine: pip itself, every Python package (named on the command line, in a requirements
file or in a constraints file), every npm package and every container image is pinned to
one version. Debian packages (``apt-get install``) are the exception: their versions are
fixed by the Debian release the machine runs, and a pin would break on the next release.

The check reads the shell and Docker files that install things (``./tms``, ``.ci/``,
``docker/`` and every ``*.sh`` of the repository) and fails on the first unpinned one.
"""

import re
import shlex
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# pip options that take a value (the value is not a package).
PIP_OPTIONS_WITH_VALUE = {
    "-r",
    "--requirement",
    "-c",
    "--constraint",
    "--build-constraint",
    "-e",
    "--editable",
    "--config-settings",
    "-t",
    "--target",
    "--prefix",
    "--root",
    "-i",
    "--index-url",
    "--extra-index-url",
    "-f",
    "--find-links",
    "--cache-dir",
    "--log",
    "--python",
}
CONSTRAINT_OPTIONS = {"-c", "--constraint", "--build-constraint"}
REQUIREMENT_OPTIONS = {"-r", "--requirement"}
# A command ends at one of these shell operators.
COMMAND_END = re.compile(r"\s(?:&&|\|\||;|\||[0-9]?>>?|<)\s?")
# image tags that name one release: 16.9, 1.27.5 (not 16, latest); Odoo's images
# name a series (18.0) that moves every night, so theirs need the nightly's date:
# 18.0-20250506.
PINNED_TAG = re.compile(r"^\d+(?:\.\d+)+(?:-\d{8})?$")
DATED_IMAGES = {"odoo"}


def install_files():
    files = [ROOT / "tms"]
    files += sorted(p for p in (ROOT / ".ci").iterdir() if p.is_file())
    files += sorted(p for p in (ROOT / "docker").iterdir() if p.is_file())
    files += sorted(
        p
        for p in ROOT.rglob("*.sh")
        if not any(part.startswith(".") for part in p.relative_to(ROOT).parts)
    )
    return files


def logical_lines(text):
    """The file's lines with backslash continuations joined and comments dropped."""
    lines, current = [], ""
    for raw in text.splitlines():
        line = raw.rstrip()
        if not current and line.lstrip().startswith("#"):
            continue
        if line.endswith("\\"):
            current += line[:-1] + " "
            continue
        lines.append(current + line)
        current = ""
    if current:
        lines.append(current)
    return lines


def commands(line, program):
    """The argument lists of each ``<program> install`` in one logical line."""
    found = []
    pattern = re.compile(rf"(?:^|[\s/]){re.escape(program)}\"?\s+install\b")
    for match in pattern.finditer(line):
        rest = line[match.end() :]
        end = COMMAND_END.search(" " + rest)
        rest = rest[: end.start() - 1] if end else rest
        prefix = line[: match.start()]
        try:
            args = shlex.split(rest, posix=True)
        except ValueError:
            args = rest.split()
        found.append((prefix, args))
    return found


def pinned_names(path):
    """{normalised name} pinned with == in a requirements or constraints file."""
    names = set()
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip()
        match = re.match(r"([A-Za-z0-9][A-Za-z0-9._-]*)\s*(\[[^\]]*\])?\s*==", line)
        if match:
            names.add(normalise(match.group(1)))
    return names


def unpinned_requirements(path):
    problems = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line or line.startswith("-"):
            continue
        spec = line.split(";", 1)[0].strip()
        if "==" not in spec and " @ " not in spec:
            problems.append(f"{path.name}: {spec}")
    return problems


def normalise(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def resolve(value, source, copies):
    """The repository file a path argument names (``$ROOT/x``, ``x``, a Docker copy)."""
    if value in copies:
        return ROOT / copies[value]
    value = re.sub(r"^\$\{?ROOT\}?/", "", value)
    for base in (ROOT, source.parent):
        candidate = base / value
        if candidate.is_file():
            return candidate
    return None


def docker_copies(text):
    """{destination: source} of the COPY instructions of a Dockerfile."""
    copies = {}
    for line in logical_lines(text):
        match = re.match(r"\s*COPY\s+(?:--\S+\s+)*(\S+)\s+(\S+)\s*$", line)
        if match:
            copies[match.group(2)] = match.group(1)
    return copies


def pip_problems(source, prefix, args, copies):
    """Unpinned packages of one ``pip install`` command."""
    problems, specs, constraints = [], [], set()
    for var in ("PIP_CONSTRAINT", "PIP_BUILD_CONSTRAINT"):
        match = re.search(rf"{var}=\"?([^\"\s]+)", prefix)
        if match and (path := resolve(match.group(1), source, copies)):
            constraints |= pinned_names(path)
    args = iter(args)
    for arg in args:
        option, _sep, inline = arg.partition("=")
        if option in PIP_OPTIONS_WITH_VALUE:
            value = inline if _sep else next(args, "")
            path = resolve(value, source, copies)
            if option in CONSTRAINT_OPTIONS and path:
                constraints |= pinned_names(path)
            elif option in REQUIREMENT_OPTIONS:
                if path:
                    problems += unpinned_requirements(path)
                elif not value.startswith("$"):
                    problems.append(f"requirements file {value} not found")
            continue
        if arg.startswith("-"):
            continue
        specs.append(arg)
    for spec in specs:
        if "==" in spec or spec.startswith((".", "/", "$")):
            continue
        name = re.match(r"[A-Za-z0-9][A-Za-z0-9._-]*", spec)
        if not name or normalise(name.group(0)) not in constraints:
            problems.append(spec)
    return problems


def npm_problems(args):
    problems = []
    for arg in args:
        if arg.startswith("-"):
            continue
        name, _at, version = arg.rpartition("@") if "@" in arg[1:] else (arg, "", "")
        if not version or not re.match(r"^\d+\.\d+\.\d+$", version):
            problems.append(arg)
    return problems


def image_problems(text):
    problems = []
    images = re.findall(r"^\s*FROM\s+(\S+)", text, re.M)
    images += re.findall(r"^\s*image:\s*(\S+)", text, re.M)
    for image in images:
        if image.startswith("tms-"):
            continue  # the image this repository builds
        name, _colon, tag = image.partition(":")
        if "@sha256:" in image:
            continue
        dated = re.search(r"-\d{8}$", tag)
        if not PINNED_TAG.match(tag) or (name in DATED_IMAGES and not dated):
            problems.append(f"image {image}")
    return problems


def file_problems(path):
    text = path.read_text(encoding="utf-8")
    copies = docker_copies(text) if path.name.startswith("Dockerfile") else {}
    problems = image_problems(text)
    for line in logical_lines(text):
        for prefix, args in commands(line, "pip") + commands(line, "pip3"):
            problems += pip_problems(path, prefix, args, copies)
        for _prefix, args in commands(line, "npm"):
            problems += npm_problems(args)
    return problems


@pytest.mark.parametrize(
    "path", install_files(), ids=lambda p: str(p.relative_to(ROOT))
)
def test_install_commands_are_pinned(path):
    problems = file_problems(path)
    assert not problems, f"{path.relative_to(ROOT)} installs unpinned: {problems}"


def test_the_check_finds_unpinned_installs(tmp_path):
    """The check itself: each kind of unpinned install is reported, pins are not."""
    constraints = tmp_path / "pins.txt"
    constraints.write_text("setuptools==69.5.1\nwheel\n", encoding="utf-8")
    script = tmp_path / "setup.sh"
    script.write_text(
        "\n".join(
            [
                '"$VENV/bin/python" -m pip install --upgrade "pip>=23.3" >log 2>&1',
                "pip install -q pip==25.3 setuptools --constraint pins.txt",
                "pip install wheel -c pins.txt && echo done",
                "PIP_CONSTRAINT=pins.txt pip install \\",
                "    setuptools requests",
                "npm install -g rtlcss",
                "npm install -g rtlcss@4.3.0",
                "# pip install commented-out",
            ]
        ),
        encoding="utf-8",
    )
    docker = tmp_path / "Dockerfile"
    docker.write_text("FROM odoo:18.0\nFROM postgres:16.9\n", encoding="utf-8")
    assert file_problems(script) == ["pip>=23.3", "wheel", "requests", "rtlcss"]
    assert file_problems(docker) == ["image odoo:18.0"]
