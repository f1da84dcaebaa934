# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Raw TCP printing ("port 9100", AppSocket/JetDirect).

Zebra and most label and receipt printers on a network print the bytes they receive
on TCP port 9100 and answer nothing. The client connects, sends everything, closes
its side of the connection (half-close: the printer sees the end of the job) and
closes the socket.

Every call has a timeout. Errors are the standard library's :class:`OSError`
subclasses, so that callers tell the two cases apart as they like:

- :class:`TimeoutError` (``socket.timeout``): the printer did not accept the
  connection, or stopped taking data, in time (switched off behind a router, paper
  out with a full buffer);
- any other :class:`OSError` (``ConnectionRefusedError``, ``socket.gaierror`` for
  an unknown host name, ``OSError`` "no route to host"...): it cannot be reached.

No Odoo import here: the hardware box uses this module without a database.
"""

import socket

#: The raw printing port of network printers.
DEFAULT_PORT = 9100
#: Seconds a printer gets to accept the connection.
CONNECT_TIMEOUT = 5.0
#: Seconds a printer gets to take each chunk of data.
IO_TIMEOUT = 10.0
#: Seconds a reachability check waits for the connection.
PROBE_TIMEOUT = 3.0


def address(host, port=None):
    """The ``(host, port)`` to connect to: surrounding spaces left out of the host,
    port 9100 when none is given."""
    return (host or "").strip(), int(port or DEFAULT_PORT)


def send(host, port, data, connect_timeout=CONNECT_TIMEOUT, io_timeout=IO_TIMEOUT):
    """Send ``data`` (bytes) to the printer at ``host:port``, then close.

    Returns once every byte has been handed to the network. Raises
    :class:`TimeoutError` or another :class:`OSError` (see the module's docstring).
    """
    with socket.create_connection(address(host, port), timeout=connect_timeout) as sock:
        sock.settimeout(io_timeout)
        sock.sendall(data)
        sock.shutdown(socket.SHUT_WR)


def probe(host, port, timeout=PROBE_TIMEOUT):
    """Check that the printer at ``host:port`` accepts a connection; send nothing.

    Returns None when it does; raises :class:`TimeoutError` or another
    :class:`OSError` (see the module's docstring) when it does not.
    """
    with socket.create_connection(address(host, port), timeout=timeout):
        pass


def is_timeout(error):
    """Whether ``error`` (raised by :func:`send` or :func:`probe`) means the printer
    did not answer in time, rather than that it cannot be reached."""
    return isinstance(error, TimeoutError)
