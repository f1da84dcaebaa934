"""Labels: rendering 1,000 parcel labels as ZPL and as PDF (100 x 150 mm).

Only the rendering is timed, from the parcels (read from the database) to the bytes:
the parcels are created in the setup. Targets come from DESIGN.md ("Non-functional
targets"); they are shown, never enforced.
"""

from . import Benchmark
from .bench_parcels import (
    _create_parcels,
    _parcel_vals,
    _prepare_company,
    _prepare_partners,
)

ARABIC_NAMES = ["فاطمة الزهراء بنعلي", "محمد أمين العلوي", "خديجة بنت يوسف"]


def _setup_labels(ctx, arabic=False):
    env = ctx.env
    company = _prepare_company(env)
    hub = env["tms.hub"].create(
        {"name": "Bench Depot", "code": "BCH", "hub_type": "depot"}
    )
    env["tms.zone"].create(
        {
            "name": "Bench Casablanca",
            "code": "BCH-1",
            "country_id": company.country_id.id,
            "zip_prefixes": "20",
            "hub_id": hub.id,
            "sequence": 1,
        }
    )
    shippers, recipients = _prepare_partners(env, company)
    if arabic:
        for index, partner in enumerate(recipients):
            partner.write(
                {
                    "name": f"{ARABIC_NAMES[index % 3]} {index}",
                    "street": f"{index + 1} زنقة ابن منير",
                }
            )
    vals_list = _parcel_vals(env, company, shippers, recipients, ctx.size)
    for index, vals in enumerate(vals_list):
        vals["cod_amount"] = 150.0 if index % 2 else 0.0
    ctx.data["parcels"] = _create_parcels(env, vals_list)
    ctx.data["layout"] = env.ref("tms_core.tms_label_layout_100x150")
    env.invalidate_all()


def _render(ctx, label_format):
    data = ctx.data["parcels"]._tms_render_labels(label_format, ctx.data["layout"])
    return {
        "count": ctx.size,
        "note": f"{len(data) / 1024 / 1024:.1f} MiB of {label_format.upper()}",
    }


def _run_labels_zpl(ctx):
    """1,000 ZPL labels (203 dpi) in one stream, Latin names."""
    return _render(ctx, "zpl")


def _run_labels_zpl_arabic(ctx):
    """1,000 ZPL labels whose recipients' names and streets are Arabic (drawn as
    graphic fields)."""
    return _render(ctx, "zpl")


def _run_labels_pdf(ctx):
    """1,000 PDF labels of 100 x 150 mm in one document."""
    return _render(ctx, "pdf")


BENCHMARKS = [
    Benchmark(
        name="labels_zpl",
        size=1_000,
        target="< 2 s",
        max_seconds=2,
        setup=_setup_labels,
        run=_run_labels_zpl,
        description=_run_labels_zpl.__doc__,
    ),
    Benchmark(
        name="labels_zpl_arabic",
        size=1_000,
        setup=lambda ctx: _setup_labels(ctx, arabic=True),
        run=_run_labels_zpl_arabic,
        description=_run_labels_zpl_arabic.__doc__,
    ),
    Benchmark(
        name="labels_pdf",
        size=1_000,
        target="< 20 s",
        max_seconds=20,
        setup=_setup_labels,
        run=_run_labels_pdf,
        description=_run_labels_pdf.__doc__,
    ),
]
