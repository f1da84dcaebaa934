"""A snapshot of a TMS database's data, for the upgrade test: for every model of our
modules and a few key Odoo models, the number of records and, for a sample of them,
the value of every stored field (binary fields left out; many2one as an id, x2many as a
sorted list of ids).

Run by "./tms test-upgrade" inside ``odoo-bin shell`` with the code of either revision::

    from tests.upgrade import snapshot
    snapshot.run(env, "before.json")                   # the 20 lowest and highest ids
    snapshot.run(env, "after.json", "before.json")     # and the ids sampled before
"""

import json
from pathlib import Path

SAMPLE = 20
ODOO_MODELS = [
    "res.partner",
    "res.company",
    "res.users",
    "stock.picking",
    "sale.order",
    "account.move",
    "ir.config_parameter",
]
DOMAINS = {"ir.config_parameter": [("key", "=like", "tms%")]}


def model_names(env):
    """Our modules' models (created or extended by a tms_* module) and the key Odoo
    models, except abstract, transient and SQL-view models (they hold no data of
    their own)."""
    env.cr.execute(
        r"""
        SELECT DISTINCT m.model
          FROM ir_model m
          JOIN ir_model_data d ON d.model = 'ir.model' AND d.res_id = m.id
         WHERE d.module LIKE 'tms\_%'
        """
    )
    names = {row[0] for row in env.cr.fetchall()} | set(ODOO_MODELS)
    return sorted(
        name
        for name in names
        if name in env
        and not env[name]._abstract
        and not env[name]._transient
        and env[name]._auto
    )


def stored_fields(model):
    return {
        name: field.type
        for name, field in model._fields.items()
        if field.store and field.type not in ("binary", "one2many")
    }


def _plain(value):
    if isinstance(value, list | tuple):
        return sorted(value) if all(isinstance(v, int) for v in value) else list(value)
    if isinstance(value, int | float | str | bool | dict) or value is None:
        return value
    return str(value)


def snapshot_model(env, name, extra_ids=()):
    Model = env[name].sudo().with_context(active_test=False, prefetch_fields=False)
    domain = DOMAINS.get(name, [])
    ids = set(Model.search(domain, order="id", limit=SAMPLE).ids)
    ids |= set(Model.search(domain, order="id desc", limit=SAMPLE).ids)
    ids |= set(extra_ids)
    fields = stored_fields(Model)
    records = Model.browse(sorted(ids)).exists()
    rows = records.read(list(fields), load=None) if records else []
    return {
        "count": Model.search_count(domain),
        "fields": fields,
        "records": {
            str(row["id"]): {key: _plain(value) for key, value in row.items()}
            for row in rows
        },
    }


def run(env, out_path, ids_from=None):
    sampled = {}
    if ids_from:
        before = json.loads(Path(ids_from).read_text(encoding="utf-8"))
        sampled = {
            name: [int(record_id) for record_id in data["records"]]
            for name, data in before["models"].items()
        }
    env.cr.execute(
        "SELECT name, latest_version FROM ir_module_module "
        "WHERE state = 'installed' AND name LIKE 'tms%%' ORDER BY name"
    )
    data = {
        "modules": dict(env.cr.fetchall()),
        "models": {
            name: snapshot_model(env, name, sampled.get(name, ()))
            for name in model_names(env)
        },
    }
    Path(out_path).write_text(
        json.dumps(data, indent=1, sort_keys=True, default=str), encoding="utf-8"
    )
    total = sum(model["count"] for model in data["models"].values())
    print(f"    {len(data['models'])} models, {total} records -> {out_path}")
    return data
