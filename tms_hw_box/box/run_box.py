#!/usr/bin/env python3
# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Run a TMS hardware box: Odoo with ``tms_hw_box`` loaded server-wide, no database,
served over HTTPS by Werkzeug's own TLS support (no proxy to install).

    python run_box.py -c /etc/tms-box/box.conf

Reads the Odoo configuration file as ``odoo-bin`` does (``addons_path``, ``data_dir``,
``http_interface``, ``http_port``...) plus two keys of ours::

    tms_box_certificate = /etc/tms-box/tls/box.crt
    tms_box_private_key = /etc/tms-box/tls/box.key

Without them the box answers plain HTTP (only usable from an Odoo served over http,
e.g. a test installation: browsers block http calls from https pages).
``odoo-bin -c box.conf`` also runs a box, over plain HTTP.

Each connection is served by its own thread, TLS handshake included: the accept loop
only accepts. A client that connects and stays silent (a port scanner, a half-open
connection of a PC gone to sleep) holds one thread until its handshake or read times
out, never the other clients.
"""

import importlib
import logging
import signal
import ssl
import sys
import threading

_logger = logging.getLogger("odoo.addons.tms_hw_box.box")

#: Seconds a client has to complete its TLS handshake.
HANDSHAKE_TIMEOUT = 10
#: Seconds of silence on a connection (within a request, or between two requests of
#: a kept-alive connection) before the box closes it.
READ_TIMEOUT = 60


def make_ssl_context(certificate, private_key):
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.load_cert_chain(certificate, private_key)
    return context


def make_box_server(interface, port, app, ssl_context=None):
    """A threaded Werkzeug server whose TLS handshakes run in the request threads.

    Werkzeug wraps the listening socket with ``do_handshake_on_connect=True``: the
    handshake then runs inside ``accept()``, in the one thread that accepts every
    connection, without timeout. Here the listening socket is wrapped with
    ``do_handshake_on_connect=False`` and each connection makes its handshake in its
    own thread, with a timeout.
    """
    import werkzeug.serving

    from odoo.service import server as odoo_server

    class BoxRequestHandler(odoo_server.RequestHandler):
        timeout = READ_TIMEOUT

    class BoxServer(werkzeug.serving.ThreadedWSGIServer):
        daemon_threads = True

        def finish_request(self, request, client_address):
            if isinstance(request, ssl.SSLSocket):
                try:
                    request.settimeout(HANDSHAKE_TIMEOUT)
                    request.do_handshake()
                except (OSError, ValueError) as exc:  # ssl.SSLError, TimeoutError
                    _logger.info(
                        "TLS handshake with %s failed: %s", client_address, exc
                    )
                    return
            super().finish_request(request, client_address)

    httpd = BoxServer(interface, port, app, handler=BoxRequestHandler)
    if ssl_context is not None:
        httpd.socket = ssl_context.wrap_socket(
            httpd.socket, server_side=True, do_handshake_on_connect=False
        )
        httpd.ssl_context = ssl_context
    return httpd


def main(argv):
    import odoo
    from odoo.service import server as odoo_server
    from odoo.tools import config

    config.parse_config(argv)
    if "tms_hw_box" not in odoo.conf.server_wide_modules:
        odoo.conf.server_wide_modules.append("tms_hw_box")
    odoo_server.load_server_wide_modules()

    certificate = config.get("tms_box_certificate")
    private_key = config.get("tms_box_private_key") or None
    context = make_ssl_context(certificate, private_key) if certificate else None
    interface = config["http_interface"] or "0.0.0.0"
    port = int(config["http_port"])
    httpd = make_box_server(interface, port, odoo.http.root, ssl_context=context)

    def shutdown(signum, frame):
        _logger.info("Stopping the hardware box (signal %s)", signum)
        threading.Thread(target=httpd.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, shutdown)
    signal.signal(signal.SIGINT, shutdown)
    _logger.info(
        "TMS hardware box listening on %s://%s:%s",
        "https" if context else "http",
        interface,
        port,
    )
    try:
        httpd.serve_forever()
    finally:
        box_api = importlib.import_module("odoo.addons.tms_hw_box.controllers.box_api")
        box_api.stop_box()
        httpd.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
