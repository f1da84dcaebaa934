# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""``box/setup-box.sh`` as an integrator runs it, then the box it made."""

import configparser
import contextlib
import os
import re
import shlex
import subprocess
import tempfile

import requests

import odoo
from odoo.tests import BaseCase

from .box_process import LAUNCHER
from .virtual_devices import free_port

BOX_DIR = os.path.dirname(LAUNCHER)
SETUP = os.path.join(BOX_DIR, "setup-box.sh")
REPOSITORY = os.path.dirname(os.path.dirname(BOX_DIR))
ODOO_SRC = os.path.dirname(os.path.dirname(os.path.abspath(odoo.__file__)))


def _lines(path):
    """The requirement lines of a file, comments and spacing left out."""
    with open(path, encoding="utf-8") as handle:
        lines = (line.split("#", 1)[0] for line in handle)
        return [" ".join(re.sub(r"\s*;\s*", " ; ", line).split()) for line in lines]


class TestBoxRequirements(BaseCase):
    def test_box_installs_the_repository_pins(self):
        """The box runs the versions the suite is tested with, pinned."""
        root = os.path.join(REPOSITORY, "requirements.txt")
        if not os.path.exists(root):
            self.skipTest("the box folder was copied without its repository")
        pins = set(_lines(root))
        box = [
            line for line in _lines(os.path.join(BOX_DIR, "requirements.txt")) if line
        ]
        self.assertTrue(box)
        for line in box:
            self.assertIn("==", line, "pinned")
            self.assertIn(line, pins, "the same pin as requirements.txt")
        names = {re.split(r"[=;\s]", line)[0].lower() for line in box}
        for library in ("python-escpos", "pyserial", "pyusb", "werkzeug", "psycopg2"):
            self.assertIn(library, names)
        for not_for_a_box in ("phonenumbers", "odoo-addon-queue-job", "gevent"):
            self.assertNotIn(not_for_a_box, names)
        build = os.path.join(REPOSITORY, "constraints-build.txt")
        self.assertEqual(
            [line for line in _lines(os.path.join(BOX_DIR, "constraints-build.txt"))
             if line],
            [line for line in _lines(build) if line],
        )  # fmt: skip


class TestSetupBox(BaseCase):
    """Runs ``setup-box.sh`` in a temporary folder with a new virtualenv, starts the
    box it configured, and reads its log.

    Takes about 40 s when pip's cache (``~/.cache/pip``, reused on purpose) already
    holds the box's libraries, and one to two minutes on a machine whose cache is
    empty: the new virtualenv downloads them from PyPI (about 40 packages, only what
    a box runs). It is the only test that shows a box set up as the documentation
    says can load its module, so it runs with the others.
    """

    def setUp(self):
        super().setUp()
        self.tmp = tempfile.TemporaryDirectory(prefix="tms-box-setup-")
        self.addCleanup(self.tmp.cleanup)
        self.prefix = os.path.join(self.tmp.name, "box")
        self.port = free_port()

    def setup_box(self):
        env = dict(os.environ)
        for name in ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME", "ODOO_RC"):
            env.pop(name, None)
        result = subprocess.run(
            [
                SETUP,
                "--prefix",
                self.prefix,
                "--odoo-src",
                ODOO_SRC,
                "--port",
                str(self.port),
                "--no-system-packages",
            ],
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        output = result.stdout + result.stderr
        self.assertEqual(result.returncode, 0, output[-4000:])
        return output

    def test_setup_box_makes_a_box_that_loads_and_shows_its_code(self):
        output = self.setup_box()
        conf = os.path.join(self.prefix, "box.conf")
        options = configparser.ConfigParser()
        options.read(conf)
        self.assertEqual(
            options["options"]["server_wide_modules"], "base,web,tms_hw_box"
        )
        python = os.path.join(self.prefix, "venv", "bin", "python")
        command = [python, LAUNCHER, "-c", conf]
        self.assertIn(shlex.join(command), output, "the script says how to start it")

        # only what a box runs: none of the main Odoo's libraries
        found = subprocess.run(
            [python, "-c", "import phonenumbers"], capture_output=True, check=False
        )
        self.assertNotEqual(found.returncode, 0, "phonenumbers is not installed")

        log_path = os.path.join(self.tmp.name, "box.log")
        with open(log_path, "wb") as log:
            process = subprocess.Popen(
                command, stdout=log, stderr=subprocess.STDOUT, cwd=self.tmp.name
            )
        self.addCleanup(self._stop, process)
        cert = os.path.join(self.prefix, "tls", "box.crt")
        status = self._wait_for_status(process, cert, log_path)
        self.assertEqual(status["version"], "18.0.1.0.0")
        self.assertFalse(status["paired"])

        with open(log_path, encoding="utf-8", errors="replace") as handle:
            text = handle.read()
        self.assertNotIn("Couldn't load module", text)
        self.assertNotIn("Traceback", text)
        codes = re.findall(r"pairing code: ([A-Z2-9]{4}-[A-Z2-9]{4})", text)
        self.assertTrue(codes, f"no pairing code in the log:\n{text[-3000:]}")
        shown = requests.get(
            f"https://localhost:{self.port}/tms_box/v1/pairing", verify=cert, timeout=10
        ).json()
        self.assertEqual(shown["code"], codes[-1])

        # run again: nothing to install, the same certificate and configuration
        with open(cert, "rb") as handle:
            certificate = handle.read()
        again = self.setup_box()
        self.assertIn("requirements up to date", again)
        with open(cert, "rb") as handle:
            self.assertEqual(handle.read(), certificate)

    def _wait_for_status(self, process, cert, log_path):
        url = f"https://localhost:{self.port}/tms_box/v1/status"
        for __ in range(120):
            if process.poll() is not None:
                break
            try:
                return requests.get(url, verify=cert, timeout=2).json()
            except requests.RequestException:
                with contextlib.suppress(subprocess.TimeoutExpired):
                    process.wait(0.5)
        with open(log_path, encoding="utf-8", errors="replace") as handle:
            self.fail(f"the box did not answer:\n{handle.read()[-3000:]}")

    @staticmethod
    def _stop(process):
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(5)
