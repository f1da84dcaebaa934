# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Device drivers of the hardware box, in a small registry.

Like Odoo's ``hw_drivers``, every driver class says which devices it drives
(``supported(device)``) and the box instantiates the best one for each device. A
driver owns one worker thread: requests only put work in its queue, so a printer that
is off or a serial port that hangs never blocks an HTTP request. Every socket, serial
and USB call has a timeout.

A device is a plain dict, as read from the box's ``devices.json`` (see ``devices.py``).
No Odoo import here (the raw TCP client of ``tms_device`` is plain Python too): the
box runs without a database.
"""

import contextlib
import logging
import os
import queue
import threading
import time

from odoo.addons.tms_device.tools import raw_tcp

_logger = logging.getLogger(__name__)

#: Seconds for connecting to a printer and for each write to it.
IO_TIMEOUT = 10
#: Seconds between two reachability checks of an idle printer.
PROBE_INTERVAL = 30
#: Seconds before a scanner whose port failed is opened again.
REOPEN_DELAY = 5
#: Print jobs waiting for one printer before the box answers "busy".
MAX_QUEUED_JOBS = 200

DRIVERS = []


class DeviceError(Exception):
    """A device could not be reached or refused the data (the message says why)."""


def find_driver(device):
    """The driver class for ``device`` (a dict), or None when no driver supports it."""
    candidates = [cls for cls in DRIVERS if cls.supported(device)]
    return max(candidates, key=lambda cls: cls.priority) if candidates else None


class Driver:
    """Base of all drivers: one device, one daemon worker thread, a status.

    Subclasses are registered when defined (unless ``abstract``) and override
    ``supported``; printers implement ``_print(data)`` and ``_probe()``, scanners
    ``_run()``.
    """

    abstract = True
    priority = 0
    device_type = None

    def __init_subclass__(cls, **kwargs):
        if not cls.__dict__.get("abstract"):
            DRIVERS.append(cls)
        return super().__init_subclass__(**kwargs)

    @classmethod
    def supported(cls, device):
        return False

    def __init__(self, device, box=None):
        self.device = dict(device)
        self.identifier = device["id"]
        self.box = box
        self.status = "unknown"
        self.status_message = ""
        self.status_date = None
        self._stopped = threading.Event()
        self._thread = threading.Thread(
            target=self._run, name=f"tms-box-{self.identifier}", daemon=True
        )

    def start(self):
        self._thread.start()
        return self

    def stop(self, wait=2.0):
        self._stopped.set()
        if self._thread.is_alive() and self._thread is not threading.current_thread():
            self._thread.join(wait)

    def is_alive(self):
        return self._thread.is_alive()

    def _set_status(self, status, message=""):
        if (status, message) != (self.status, self.status_message):
            log = _logger.warning if status == "offline" else _logger.info
            log("Device %s is %s %s", self.identifier, status, message)
        self.status = status
        self.status_message = message
        self.status_date = time.time()

    def _run(self):
        raise NotImplementedError

    def describe(self):
        """The device as the box API shows it."""
        return {
            "id": self.identifier,
            "name": self.device.get("name") or self.identifier,
            "type": self.device_type,
            "connection": self.device.get("connection"),
            "language": self.device.get("language"),
            "driver": type(self).__name__,
            "status": self.status,
            "status_message": self.status_message,
            "status_date": self.status_date,
        }


class PrintJob:
    """Raw bytes for one printer, and what became of them."""

    def __init__(self, job_id, device_id, data, job_key=None):
        self.id = job_id
        self.device_id = device_id
        self.data = data
        self.key = job_key
        self.state = "queued"
        self.error = ""
        self.created = time.time()
        self.finished = None
        self.finished_event = threading.Event()

    def finish(self, error=None):
        self.state = "failed" if error else "done"
        self.error = error or ""
        self.finished = time.time()
        self.data = None  # printed or not, the bytes are no longer needed
        self.finished_event.set()

    def to_dict(self):
        return {
            "job_id": self.id,
            "device": self.device_id,
            "state": self.state,
            "error": self.error,
            "created": self.created,
            "finished": self.finished,
        }


class PrinterDriver(Driver):
    """A printer: jobs wait in a queue, the worker sends them one after the other.

    When idle the worker checks every ``PROBE_INTERVAL`` seconds that the printer
    can be reached, so that a printer switched off shows as offline before anybody
    prints on it.
    """

    abstract = True
    device_type = "printer"
    probe_interval = PROBE_INTERVAL

    def __init__(self, device, box=None):
        super().__init__(device, box)
        self._queue = queue.Queue(MAX_QUEUED_JOBS)

    def submit(self, job):
        """Queue ``job``; never blocks. Raises DeviceError when the queue is full."""
        try:
            self._queue.put_nowait(job)
        except queue.Full as exc:
            raise DeviceError(
                f"{MAX_QUEUED_JOBS} jobs are already waiting for this printer"
            ) from exc
        return job

    def stop(self, wait=2.0):
        self._stopped.set()
        with contextlib.suppress(queue.Full):
            self._queue.put_nowait(None)  # wake the worker up
        return super().stop(wait)

    def _run(self):
        self._check()
        while not self._stopped.is_set():
            try:
                job = self._queue.get(timeout=self.probe_interval)
            except queue.Empty:
                self._check()
                continue
            if job is None:
                continue
            self._execute(job)
        # jobs left behind when the box stops are failed, never silently dropped
        while True:
            try:
                job = self._queue.get_nowait()
            except queue.Empty:
                break
            if job is not None:
                job.finish("the box stopped before printing this job")

    def _check(self):
        try:
            self._probe()
        except (OSError, DeviceError) as exc:
            self._set_status("offline", _error_text(exc))
        except Exception as exc:  # a driver bug must not kill the worker thread
            _logger.exception("Checking device %s failed", self.identifier)
            self._set_status("offline", _error_text(exc))
        else:
            self._set_status("online")

    def _execute(self, job):
        job.state = "printing"
        try:
            self._print(job.data)
        except (OSError, DeviceError) as exc:
            message = _error_text(exc)
            self._set_status("offline", message)
            job.finish(message)
        except Exception as exc:  # idem: report the failure, keep the worker alive
            _logger.exception("Printing on %s failed", self.identifier)
            message = _error_text(exc)
            self._set_status("offline", message)
            job.finish(message)
        else:
            self._set_status("online")
            job.finish()

    def _print(self, data):
        raise NotImplementedError

    def _probe(self):
        """Raise OSError or DeviceError when the printer cannot be reached."""


def _error_text(exc):
    text = str(exc).strip() or type(exc).__name__
    return " ".join(text.split())


class NetworkPrinterDriver(PrinterDriver):
    """ZPL or raw printers on the LAN, port 9100 (Zebra, Xprinter, Honeywell…)."""

    @classmethod
    def supported(cls, device):
        return (
            device.get("type") == "printer"
            and device.get("connection") == "network"
            and device.get("language") != "escpos"
        )

    def _print(self, data):
        raw_tcp.send(
            self.device["host"],
            self.device.get("port"),
            data,
            connect_timeout=IO_TIMEOUT,
            io_timeout=IO_TIMEOUT,
        )

    def _probe(self):
        raw_tcp.probe(self.device["host"], self.device.get("port"))


class FilePrinterDriver(PrinterDriver):
    """A printer seen as a device file, e.g. a USB Zebra at /dev/usb/lp0 (usblp)."""

    @classmethod
    def supported(cls, device):
        return device.get("type") == "printer" and device.get("connection") == "file"

    def _print(self, data):
        fd = os.open(self.device["path"], os.O_WRONLY | os.O_NONBLOCK)
        try:
            view = memoryview(data)
            deadline = time.monotonic() + IO_TIMEOUT
            while view:
                try:
                    written = os.write(fd, view)
                except BlockingIOError:
                    written = 0
                view = view[written:]
                if view and time.monotonic() > deadline:
                    raise DeviceError(
                        f"{self.device['path']} accepted no data for {IO_TIMEOUT} s"
                    )
                if view and not written:
                    time.sleep(0.05)
        finally:
            os.close(fd)

    def _probe(self):
        path = self.device["path"]
        if not os.access(path, os.W_OK):
            raise DeviceError(f"{path} is missing or not writable")


class EscposPrinterDriver(PrinterDriver):
    """ESC/POS printers through python-escpos: USB, serial, network, or ``dummy``.

    The job bytes are already a complete ESC/POS (or, over USB, ZPL) stream: they
    are written as they are with ``_raw``. The ``dummy`` connection keeps what it
    received in memory (``self.printer.output``): a box without hardware, for tests
    and demonstrations.
    """

    priority = 10

    @classmethod
    def supported(cls, device):
        if device.get("type") != "printer":
            return False
        connection = device.get("connection")
        if connection in ("usb", "serial", "dummy"):
            return True
        return connection == "network" and device.get("language") == "escpos"

    def __init__(self, device, box=None):
        super().__init__(device, box)
        self.printer = None
        if device.get("connection") == "dummy":
            from escpos.printer import Dummy

            self.printer = Dummy()

    def _make_printer(self):
        from escpos import printer

        connection = self.device["connection"]
        if connection == "network":
            return printer.Network(
                self.device["host"],
                int(self.device.get("port") or 9100),
                timeout=IO_TIMEOUT,
            )
        if connection == "serial":
            return printer.Serial(
                self.device["port"],
                baudrate=int(self.device.get("baudrate") or 9600),
                timeout=IO_TIMEOUT,
            )
        return printer.Usb(
            _as_int(self.device["vendor_id"]),
            _as_int(self.device["product_id"]),
            timeout=IO_TIMEOUT * 1000,  # pyusb counts in milliseconds
            **_usb_endpoints(self.device),
        )

    def _print(self, data):
        if self.printer is not None:  # dummy
            self.printer._raw(data)
            return
        from escpos.exceptions import Error as EscposError

        printer = self._make_printer()
        try:
            printer.open()
            if self.device["connection"] == "serial":
                # python-escpos sets the read timeout only: bound the writes too
                printer.device.write_timeout = IO_TIMEOUT
            printer._raw(data)
        except EscposError as exc:
            raise DeviceError(_error_text(exc)) from exc
        finally:
            printer.close()

    def _probe(self):
        connection = self.device["connection"]
        if connection == "network":
            raw_tcp.probe(self.device["host"], self.device.get("port"))
        elif connection == "serial" and not os.path.exists(self.device["port"]):
            raise DeviceError(f"{self.device['port']} does not exist")
        elif connection == "usb":
            import usb.core

            found = usb.core.find(
                idVendor=_as_int(self.device["vendor_id"]),
                idProduct=_as_int(self.device["product_id"]),
            )
            if found is None:
                raise DeviceError("not plugged in or switched off")


def _as_int(value):
    return value if isinstance(value, int) else int(str(value), 0)


def _usb_endpoints(device):
    return {key: _as_int(device[key]) for key in ("in_ep", "out_ep") if device.get(key)}


class SerialScannerDriver(Driver):
    """A barcode scanner on a serial port (or a USB one in serial/CDC mode).

    Reads lines ended by CR or LF (a read without terminator is taken after half a
    second of silence) and hands each one to the box's scan feed. A port that
    disappears (cable pulled) shows the scanner offline; it is opened again every
    few seconds.
    """

    device_type = "scanner"
    read_timeout = 0.2
    idle_flush = 0.5

    @classmethod
    def supported(cls, device):
        return device.get("type") == "scanner" and device.get("connection") == "serial"

    def _open(self):
        import serial

        return serial.Serial(
            self.device["port"],
            baudrate=int(self.device.get("baudrate") or 9600),
            timeout=self.read_timeout,
            write_timeout=IO_TIMEOUT,
        )

    def _run(self):
        import serial

        while not self._stopped.is_set():
            try:
                port = self._open()
            except (OSError, ValueError, serial.SerialException) as exc:
                self._set_status("offline", _error_text(exc))
                self._stopped.wait(REOPEN_DELAY)
                continue
            self._set_status("online")
            try:
                self._read_lines(port)
            except (OSError, serial.SerialException) as exc:
                self._set_status("offline", _error_text(exc))
                self._stopped.wait(REOPEN_DELAY)
            finally:
                port.close()

    def _read_lines(self, port):
        buffer = b""
        last_byte = time.monotonic()
        while not self._stopped.is_set():
            chunk = port.read(256)
            now = time.monotonic()
            if chunk:
                buffer += chunk
                last_byte = now
            elif buffer and now - last_byte >= self.idle_flush:
                buffer += b"\r"
            *lines, buffer = buffer.replace(b"\n", b"\r").split(b"\r")
            for line in lines:
                self._deliver(line)

    def _deliver(self, raw):
        barcode = raw.decode("utf-8", "replace").strip()
        if barcode and self.box is not None:
            self.box.scans.push(self.identifier, barcode)
