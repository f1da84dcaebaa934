# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""A real hardware box for the tests: a separate Odoo process without database."""

import datetime
import ipaddress
import json
import os
import signal
import subprocess
import sys
import time

import requests

import odoo
from odoo.tools import config

from .virtual_devices import free_port

MODULE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LAUNCHER = os.path.join(MODULE_DIR, "box", "run_box.py")


def make_self_signed(cert_path, key_path):
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.datetime.utcnow()
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName(
                [
                    x509.DNSName("localhost"),
                    x509.IPAddress(ipaddress.ip_address("127.0.0.1")),
                ]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    with open(key_path, "wb") as handle:
        handle.write(
            key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )
    with open(cert_path, "wb") as handle:
        handle.write(cert.public_bytes(serialization.Encoding.PEM))


class BoxProcess:
    """Writes a box configuration in ``folder`` and runs the box on a free port.

    ``command``: "launcher" (box/run_box.py, HTTPS when ``certificate`` is given) or
    "odoo-bin" (``odoo-bin --load=base,web,tms_hw_box``, HTTP).
    """

    def __init__(self, folder, devices, command="launcher", certificate=None):
        self.folder = folder
        self.port = free_port()
        self.certificate = certificate
        self.scheme = "https" if certificate else "http"
        self.url = f"{self.scheme}://localhost:{self.port}"
        self.api = f"{self.url}/tms_box/v1"
        self.verify = certificate or True
        self.log_path = os.path.join(folder, "box.log")
        box_dir = os.path.join(folder, "data", "tms_box")
        os.makedirs(box_dir, exist_ok=True)
        with open(os.path.join(box_dir, "devices.json"), "w") as handle:
            json.dump({"usb_discovery": False, "devices": devices}, handle)
        self.conf = self._write_conf()
        if command == "launcher":
            self.command = [sys.executable, LAUNCHER, "-c", self.conf]
        else:
            odoo_bin = os.path.join(
                os.path.dirname(os.path.dirname(odoo.__file__)), "odoo-bin"
            )
            self.command = [
                sys.executable,
                odoo_bin,
                "-c",
                self.conf,
                "--load=base,web,tms_hw_box",
            ]
        self.process = None

    def _write_conf(self):
        options = {
            "addons_path": config["addons_path"],
            "data_dir": os.path.join(self.folder, "data"),
            "http_interface": "127.0.0.1",
            "http_port": self.port,
            "server_wide_modules": "base,web,tms_hw_box",
            "list_db": "False",
            "max_cron_threads": 0,
            "workers": 0,
            # no database server: a box never needs one
            "db_host": "127.0.0.1",
            "db_port": free_port(),
            "log_level": "warn",
        }
        if self.certificate:
            key = self.certificate.replace(".crt", ".key")
            options.update(
                tms_box_certificate=self.certificate, tms_box_private_key=key
            )
        path = os.path.join(self.folder, "box.conf")
        with open(path, "w") as handle:
            handle.write("[options]\n")
            handle.writelines(f"{key} = {value}\n" for key, value in options.items())
        return path

    def start(self, timeout=60):
        self._log = open(self.log_path, "wb")  # noqa: SIM115
        self.process = subprocess.Popen(
            self.command, stdout=self._log, stderr=subprocess.STDOUT
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and self.process.poll() is None:
            try:
                requests.get(f"{self.api}/status", verify=self.verify, timeout=2)
            except requests.RequestException:
                time.sleep(0.3)
                continue
            return self
        self.stop()
        raise AssertionError(f"the box did not start:\n{self.log()[-3000:]}")

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
        if getattr(self, "_log", None):
            self._log.close()
        return self.process.returncode if self.process else None

    def log(self):
        with open(self.log_path, "rb") as handle:
            return handle.read().decode(errors="replace")

    def pair(self, origin):
        """Read the code as the box's own console would, pair for ``origin``."""
        code = requests.get(f"{self.api}/pairing", verify=self.verify, timeout=5).json()
        answer = requests.post(
            f"{self.api}/pair",
            json={"code": code["code"]},
            headers={"Origin": origin},
            verify=self.verify,
            timeout=5,
        )
        answer.raise_for_status()
        return code["code"], answer
