"""Shop imports: 10,000 orders read from a local Shopify or WooCommerce test shop,
page by page, through the connector's own sync job (``tms.ec.backend.
_tms_ec_sync_page``), run synchronously one page after the other.

The shops are the test servers of ``tms_ec/tests/shop_servers`` (threads of the
harness process, on the loopback interface), filled in the setup with orders derived
from the recorded pages ``tms_ec/tests/data/*_orders_page.json`` (each order of the
page in turn, with its own id and number): paid and cash-on-delivery orders, a few
pending, refunded or cancelled ones that the import skips. What is timed is
everything a real sync does: the HTTP calls (50 orders a page), parsing, customers
found or created, shop orders, parcels (or confirmed sale orders), the sync log, the
tracking jobs enqueued for the new parcels. No target is set by the design.
"""

import importlib
import os
import sys
import types

from . import Benchmark

TESTS_PACKAGE = "odoo.addons.tms_ec.tests"


def _servers():
    """The test shop modules, imported without the module's test cases (whose
    package would import Odoo's test framework into the harness)."""
    if TESTS_PACKAGE not in sys.modules:
        addon = importlib.import_module("odoo.addons.tms_ec")
        package = types.ModuleType(TESTS_PACKAGE)
        package.__path__ = [os.path.join(os.path.dirname(addon.__file__), "tests")]
        sys.modules[TESTS_PACKAGE] = package
    shopify = importlib.import_module(f"{TESTS_PACKAGE}.shop_servers.shopify_server")
    woocommerce = importlib.import_module(
        f"{TESTS_PACKAGE}.shop_servers.woocommerce_server"
    )
    return shopify, woocommerce


def _prepare_company(env):
    company = env.company
    if not company.country_id:
        company.country_id = env.ref("base.ma")
    return company


def _setup(ctx, shop_type, order_flow):
    env = ctx.env
    company = _prepare_company(env)
    shopify, woocommerce = _servers()
    if shop_type == "shopify":
        server = shopify.ShopifyTestServer().start()
        skus = [product[0] for product in shopify.PRODUCTS]
        credentials = {
            "shopify_domain": server.url,
            "shopify_token": server.token,
        }
    else:
        server = woocommerce.WooCommerceTestServer().start()
        skus = [product[1] for product in woocommerce.PRODUCTS]
        credentials = {
            "woo_url": server.url,
            "woo_consumer_key": server.consumer_key,
            "woo_consumer_secret": server.consumer_secret,
        }
    ctx.data["server"] = server
    server.load_recorded(ctx.size)
    warehouse = env["stock.warehouse"].search(
        [("company_id", "=", company.id)], limit=1
    )
    if order_flow == "sale_order":
        # the sale order flow needs a product for each SKU of the orders
        products = env["product.product"].create(
            [
                {
                    "name": f"Bench {sku}",
                    "default_code": sku,
                    "is_storable": True,
                    "weight": 0.5,
                }
                for sku in skus
                if not env["product.product"].search_count([("default_code", "=", sku)])
            ]
        )
        for product in products:
            env["stock.quant"]._update_available_quantity(
                product, warehouse.lot_stock_id, 1_000_000
            )
    ctx.data["backend"] = env["tms.ec.backend"].create(
        dict(
            {
                "name": f"Bench {shop_type} ({order_flow})",
                "company_id": company.id,
                "shop_type": shop_type,
                "order_flow": order_flow,
                "warehouse_id": warehouse.id,
                "service_id": env.ref("tms_core.tms_service_standard").id,
                "webhook_secret": server.webhook_secret,
            },
            **credentials,
        )
    )


def _run(ctx):
    """Sync every page of the shop's orders, as the import job does, in this
    transaction (the ORM cache emptied between pages, as between jobs)."""
    env = ctx.env
    backend = ctx.data["backend"]
    run = env["tms.ec.sync.run"].create(
        {"backend_id": backend.id, "trigger": "manual", "since": False}
    )
    while run.state == "running":
        backend._tms_ec_sync_page(run)
        # each page is a job of its own in production: what it loaded is not kept
        env.invalidate_all()
    logs = env["tms.ec.sync.log"].search([("run_id", "=", run.id)])
    results = {}
    for log in logs:
        results[log.result] = results.get(log.result, 0) + 1
    parcels = env["tms.parcel"].search_count(
        [("tms_ec_order_id.backend_id", "=", backend.id)]
    )
    sales = env["sale.order"].search_count(
        [("tms_ec_order_id.backend_id", "=", backend.id)]
    )
    if run.state == "failed":
        raise RuntimeError(f"The sync failed: {run.error}")
    summary = ", ".join(
        f"{count} {result}" for result, count in sorted(results.items())
    )
    made = f"{sales} sale orders, {parcels} parcels" if sales else f"{parcels} parcels"
    return {
        "count": len(logs),
        "note": f"{ctx.size:,} shop orders from recorded pages; {run.page_count} "
        f"pages; "
        f"{summary}; {made}",
        "results": results,
        "pages": run.page_count,
        "parcels": parcels,
        "sale_orders": sales,
    }


def _teardown(ctx):
    server = ctx.data.pop("server", None)
    if server:
        server.stop()


def _bench(name, shop_type, order_flow, size, doc):
    def setup(ctx):
        _setup(ctx, shop_type, order_flow)

    def run(ctx):
        return _run(ctx)

    run.__doc__ = doc
    return Benchmark(
        name=name,
        size=size,
        setup=setup,
        run=run,
        teardown=_teardown,
        description=doc,
    )


BENCHMARKS = [
    _bench(
        "ec_shop_import_shopify",
        "shopify",
        "parcel",
        10_000,
        "Shopify: 10,000 orders imported as parcels, 50 a page.",
    ),
    _bench(
        "ec_shop_import_woocommerce",
        "woocommerce",
        "parcel",
        10_000,
        "WooCommerce: 10,000 orders imported as parcels, 50 a page.",
    ),
    _bench(
        "ec_shop_import_shopify_sale_order",
        "shopify",
        "sale_order",
        10_000,
        "Shopify: 10,000 orders imported as confirmed sale orders (deliveries "
        "waiting in the warehouse), 50 a page.",
    ),
]
