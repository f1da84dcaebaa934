# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The driver app's routes: its stable address, its data and its queue of actions
(``tms.driver.app``), and what makes it an installable web app (manifest, service
worker scoped to the app)."""

from odoo import http
from odoo.http import request
from odoo.tools.misc import file_open

# the app's address in the web client (its client action's path)
APP_PATH = "/odoo/tms-driver"


class TmsDriverController(http.Controller):
    @http.route("/tms/driver", type="http", auth="user", methods=["GET"])
    def driver_app(self):
        return request.redirect(APP_PATH, 303)

    @http.route("/tms/driver/data", type="json", auth="user", methods=["POST"])
    def driver_data(self):
        return request.env["tms.driver.app"].driver_data()

    @http.route("/tms/driver/sync", type="json", auth="user", methods=["POST"])
    def driver_sync(self, actions):
        return request.env["tms.driver.app"].sync(actions)

    @http.route(
        "/tms/driver/manifest.webmanifest",
        type="http",
        auth="public",
        methods=["GET"],
        readonly=True,
    )
    def driver_manifest(self):
        manifest = {
            "name": request.env._("Deliveries"),
            "short_name": request.env._("Deliveries"),
            "description": request.env._("Today's round, stops and proofs of delivery"),
            "start_url": APP_PATH,
            "scope": APP_PATH,
            "id": APP_PATH,
            "display": "standalone",
            "orientation": "portrait",
            "background_color": "#ffffff",
            "theme_color": "#714B67",
            "icons": [
                {
                    "src": "/tms_trans/static/description/icon.png",
                    "sizes": "128x128",
                    "type": "image/png",
                }
            ],
        }
        return request.make_json_response(
            manifest, headers=[("Content-Type", "application/manifest+json")]
        )

    @http.route(
        "/tms/driver/sw.js", type="http", auth="public", methods=["GET"], readonly=True
    )
    def driver_service_worker(self):
        with file_open("tms_trans/static/src/driver_app/service_worker.js") as file:
            body = file.read()
        return request.make_response(
            body,
            headers=[
                ("Content-Type", "text/javascript"),
                # the worker lives under /tms/driver but serves the app's page
                ("Service-Worker-Allowed", APP_PATH),
                ("Cache-Control", "no-cache"),
            ],
        )
