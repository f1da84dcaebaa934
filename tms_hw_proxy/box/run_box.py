#!/usr/bin/env python3
# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Run a TMS hardware box: Odoo with ``tms_hw_proxy`` loaded server-wide, no database,
served over HTTPS by Werkzeug's own TLS support (no proxy to install).

    python run_box.py -c /etc/tms-box/box.conf

Reads the Odoo configuration file as ``odoo-bin`` does (``addons_path``, ``data_dir``,
``http_interface``, ``http_port``...) plus two keys of ours::

    tms_box_certificate = /etc/tms-box/tls/box.crt
    tms_box_private_key = /etc/tms-box/tls/box.key

Without them the box answers plain HTTP (only usable from an Odoo served over http,
e.g. a test installation: browsers block http calls from https pages).
``odoo-bin -c box.conf`` also runs a box, over plain HTTP.
"""

import importlib
import logging
import signal
import ssl
import sys
import threading

_logger = logging.getLogger("odoo.addons.tms_hw_proxy.box")


def make_ssl_context(certificate, private_key):
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.load_cert_chain(certificate, private_key)
    return context


def main(argv):
    import werkzeug.serving

    import odoo
    from odoo.service import server as odoo_server
    from odoo.tools import config

    config.parse_config(argv)
    if "tms_hw_proxy" not in odoo.conf.server_wide_modules:
        odoo.conf.server_wide_modules.append("tms_hw_proxy")
    odoo_server.load_server_wide_modules()

    certificate = config.get("tms_box_certificate")
    private_key = config.get("tms_box_private_key") or None
    context = make_ssl_context(certificate, private_key) if certificate else None
    interface = config["http_interface"] or "0.0.0.0"
    port = int(config["http_port"])
    httpd = werkzeug.serving.make_server(
        interface,
        port,
        odoo.http.root,
        threaded=True,
        request_handler=odoo_server.RequestHandler,
        ssl_context=context,
    )
    httpd.daemon_threads = True

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
        box_api = importlib.import_module(
            "odoo.addons.tms_hw_proxy.controllers.box_api"
        )
        box_api.stop_box()
        httpd.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
