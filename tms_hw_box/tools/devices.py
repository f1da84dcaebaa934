# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The devices of a box: those configured in ``devices.json`` plus USB printers found.

``devices.json`` (in the box's data folder)::

    {
      "usb_discovery": true,
      "devices": [
        {"id": "zebra-dock1", "name": "Zebra dock 1", "type": "printer",
         "connection": "network", "host": "192.168.1.50", "port": 9100,
         "language": "zpl"},
        {"id": "epson-desk", "type": "printer", "connection": "usb",
         "vendor_id": "0x04b8", "product_id": "0x0202", "language": "escpos"},
        {"id": "scanner-1", "type": "scanner", "connection": "serial",
         "port": "/dev/ttyACM0", "baudrate": 9600}
      ]
    }

A wrong entry is reported (``errors``) and left out; it never stops the others.
"""

import json
import logging
import re

_logger = logging.getLogger(__name__)

DEVICE_TYPES = ("printer", "scanner")
CONNECTIONS = ("network", "usb", "serial", "file", "dummy")
LANGUAGES = ("zpl", "escpos", "raw")
#: USB vendors whose printers speak ZPL rather than ESC/POS.
ZPL_USB_VENDORS = {0x0A5F: "Zebra"}
USB_PRINTER_CLASS = 7
_ID_RE = re.compile(r"^[A-Za-z0-9_.:-]{1,64}$")
_REQUIRED = {
    "network": ("host",),
    "usb": ("vendor_id", "product_id"),
    "serial": ("port",),
    "file": ("path",),
    "dummy": (),
}


class ConfigError(ValueError):
    pass


def validate_device(entry):
    """A clean copy of a configured device; ConfigError says what is wrong."""
    if not isinstance(entry, dict):
        raise ConfigError("a device is a JSON object")
    device = dict(entry)
    identifier = device.get("id")
    if not isinstance(identifier, str) or not _ID_RE.match(identifier):
        raise ConfigError(
            f"device id {identifier!r}: 1 to 64 letters, digits or . _ : -"
        )
    if device.get("type") not in DEVICE_TYPES:
        raise ConfigError(f"{identifier}: type is one of {', '.join(DEVICE_TYPES)}")
    if device.get("connection") not in CONNECTIONS:
        raise ConfigError(
            f"{identifier}: connection is one of {', '.join(CONNECTIONS)}"
        )
    if device["type"] == "printer":
        device.setdefault("language", "raw")
        if device["language"] not in LANGUAGES:
            raise ConfigError(
                f"{identifier}: language is one of {', '.join(LANGUAGES)}"
            )
    else:
        device.pop("language", None)
        if device["connection"] != "serial":
            raise ConfigError(f"{identifier}: scanners are read on a serial port")
    missing = [key for key in _REQUIRED[device["connection"]] if not device.get(key)]
    if missing:
        raise ConfigError(f"{identifier}: missing {', '.join(missing)}")
    for key in ("port", "baudrate", "vendor_id", "product_id"):
        value = device.get(key)
        if key == "port" and device["connection"] == "serial":
            continue
        if value is not None and not _is_int(value):
            raise ConfigError(f"{identifier}: {key} is a number")
    return device


def _is_int(value):
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return True
    try:
        int(str(value), 0)
    except ValueError:
        return False
    return True


def load_config(path):
    """(devices, usb_discovery, errors) from a devices.json file (missing: none)."""
    try:
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
    except FileNotFoundError:
        return [], True, []
    except (OSError, ValueError) as exc:
        return [], True, [f"{path}: {exc}"]
    if isinstance(data, list):
        data = {"devices": data}
    if not isinstance(data, dict) or not isinstance(data.get("devices", []), list):
        return [], True, [f'{path}: expected {{"devices": [...]}}']
    devices, errors, seen = [], [], set()
    for entry in data.get("devices", []):
        try:
            device = validate_device(entry)
        except ConfigError as exc:
            errors.append(str(exc))
            continue
        if device["id"] in seen:
            errors.append(f"{device['id']}: the id is used twice")
            continue
        seen.add(device["id"])
        devices.append(device)
    return devices, bool(data.get("usb_discovery", True)), errors


def discover_usb(configured=()):
    """USB printers that pyusb sees and that are not configured already.

    Returns [] when pyusb or its libusb backend is missing (discovery is optional).
    """
    try:
        import usb.core
    except ImportError:
        return []
    taken = {
        (_int(d.get("vendor_id")), _int(d.get("product_id")))
        for d in configured
        if d.get("connection") == "usb"
    }
    try:
        found = list(usb.core.find(find_all=True))
    except (usb.core.NoBackendError, usb.core.USBError, OSError) as exc:
        _logger.debug("USB discovery unavailable: %s", exc)
        return []
    devices = []
    for dev in found:
        key = (dev.idVendor, dev.idProduct)
        if key in taken or not _is_printer(dev):
            continue
        taken.add(key)
        vendor = ZPL_USB_VENDORS.get(dev.idVendor)
        devices.append(
            {
                "id": f"usb-{dev.idVendor:04x}-{dev.idProduct:04x}",
                "name": f"{vendor or 'USB'} printer {dev.idVendor:04x}:"
                f"{dev.idProduct:04x}",
                "type": "printer",
                "connection": "usb",
                "vendor_id": dev.idVendor,
                "product_id": dev.idProduct,
                "language": "zpl" if vendor else "escpos",
                "discovered": True,
            }
        )
    return devices


def _int(value):
    try:
        return value if isinstance(value, int) else int(str(value), 0)
    except ValueError:
        return None


def _is_printer(dev):
    try:
        if dev.bDeviceClass == USB_PRINTER_CLASS:
            return True
        return any(
            interface.bInterfaceClass == USB_PRINTER_CLASS
            for config in dev
            for interface in config
        )
    except Exception:  # some devices refuse to describe themselves: not a printer
        _logger.debug("Cannot read the USB descriptors of %s", dev, exc_info=True)
        return False
