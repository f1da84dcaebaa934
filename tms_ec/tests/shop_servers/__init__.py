# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Local test shops: threaded HTTP servers on 127.0.0.1 answering like the shops'
APIs (Shopify REST Admin API, WooCommerce REST API), for the tests and benchmarks of
the connectors. Start one with ``with ShopifyTestServer() as shop: ...``."""
