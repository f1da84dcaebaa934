# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Webhooks of the shops (orders created, paid, updated, cancelled).

Thin on purpose: the raw body and the headers go to one model method, which checks
the signature before anything else and returns the HTTP status and JSON body."""

from urllib.parse import urlencode

from odoo import http
from odoo.http import request

WEBHOOK_ROUTE = {
    "type": "http",
    "auth": "public",
    "methods": ["POST"],
    "csrf": False,
    "save_session": False,
}


class TmsEcWebhookController(http.Controller):
    @http.route("/tms_ec/webhook/shopify/<int:backend_id>", **WEBHOOK_ROUTE)
    def tms_ec_webhook_shopify(self, backend_id, **_params):
        return self._tms_ec_receive("shopify", backend_id)

    @http.route("/tms_ec/webhook/woocommerce/<int:backend_id>", **WEBHOOK_ROUTE)
    def tms_ec_webhook_woocommerce(self, backend_id, **_params):
        return self._tms_ec_receive("woocommerce", backend_id)

    def _tms_ec_receive(self, shop_type, backend_id):
        httprequest = request.httprequest
        # the exact bytes the shop signed (JSON); a form post (WooCommerce's URL
        # check) was already parsed into the form by then
        raw_body = (
            httprequest.get_data(cache=True)
            or urlencode(list(httprequest.form.items(multi=True))).encode()
        )
        status, body = request.env["tms.ec.backend"]._tms_ec_receive_webhook(
            shop_type, backend_id, raw_body, httprequest.headers
        )
        return request.make_json_response(body, status=status)
