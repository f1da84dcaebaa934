# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Demo parcels: recipients, parcels and tracking histories of the demo carriers.

Everything is relative to the moment the demo data is installed and drawn from a seeded
random generator, so that two installs on the same day give the same data.
"""

import random
import unicodedata
import uuid
from collections import defaultdict
from datetime import datetime, time, timedelta

import phonenumbers
import pytz

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Command

from ...tools.demo_names import demo_tables

# --------------------------------------------------------------------------------------
# Reference data per country: cities (weight among recipients, streets with their
# postcodes, coordinates), names, shippers and their products, read from
# demo/tms_demo_names.json (see tools/demo_names.py for the shape of each table).
# --------------------------------------------------------------------------------------
_TABLES = demo_tables()
CITIES = _TABLES["CITIES"]
FIRST_NAMES = _TABLES["FIRST_NAMES"]
LAST_NAMES = _TABLES["LAST_NAMES"]
# Some Moroccan recipients write their name and street in Arabic script.
ARABIC_NAMES = _TABLES["ARABIC_NAMES"]
ARABIC_STREETS = _TABLES["ARABIC_STREETS"]
STREET2 = _TABLES["STREET2"]
# (shipper xmlid, order number prefix, share of the parcels, product xmlids)
SHIPPERS = _TABLES["SHIPPERS"]
# Contents described by the shipper without a product (description, kg, value).
FREE_LINES = _TABLES["FREE_LINES"]
BOXES = _TABLES["BOXES"]
# Services used by the demo parcels (the last two belong to one demo company each).
SERVICES = {
    "standard": "tms_core.tms_service_standard",
    "express": "tms_core.tms_service_express",
    "same_day": "tms_core.tms_service_same_day",
    "j1_casablanca": "tms_core.tms_service_j1_casablanca_demo",
    "relay": "tms_core.tms_service_relay_fr_demo",
}

# How many parcels end in each state, out of 100 (every state gets at least two).
TARGET_WEIGHTS = {
    "draft": 4,
    "confirmed": 6,
    "picked_up": 4,
    "at_hub": 7,
    "in_transit": 7,
    "out_for_delivery": 8,
    "delivered": 38,
    "failed": 5,
    "returning": 4,
    "returned": 5,
    "cancelled": 4,
    "lost": 2,
    "exception": 6,
}
# How long ago (days) a parcel ending in this state was ordered: parcels on their way
# are recent, finished ones are spread over the last month.
AGE_DAYS = {
    "draft": (0.05, 1.5),
    "confirmed": (0.1, 2),
    "picked_up": (0.3, 2),
    "at_hub": (0.5, 3),
    "in_transit": (0.5, 3),
    "out_for_delivery": (1, 4),
    "failed": (1, 5),
    "returning": (2, 7),
    "exception": (1, 20),
    "delivered": (2, 30),
    "returned": (7, 30),
    "cancelled": (1, 30),
    "lost": (7, 30),
}
RETRY_REASONS = (("absent", 40), ("unreachable", 25), ("closed", 15), ("no_cash", 20))
REASON_NOTES = {
    "wrong_address": "Numéro introuvable dans la rue, destinataire injoignable.",
    "damaged": "Carton écrasé : contenu vérifié avec le destinataire, qui le refuse.",
}


def _ascii(text):
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(c for c in text.lower() if c.isalnum() or c == " ").split()


class _WorkingClock:
    """A company's working hours and public holidays: events happen when people
    work."""

    def __init__(self, calendar, rng):
        self.rng = rng
        self.tz = pytz.timezone(calendar.tz or "UTC")
        self.hours = defaultdict(list)
        for attendance in calendar.attendance_ids:
            if attendance.day_period != "lunch" and not attendance.display_type:
                self.hours[int(attendance.dayofweek)].append(
                    (attendance.hour_from, attendance.hour_to)
                )
        for intervals in self.hours.values():
            intervals.sort()
        self.holidays = set()
        for leave in calendar.global_leave_ids:
            day = self._local(leave.date_from).date()
            while day <= self._local(leave.date_to).date():
                self.holidays.add(day)
                day += timedelta(days=1)

    def _local(self, date_utc):
        return pytz.utc.localize(date_utc).astimezone(self.tz)

    def _at(self, day, hour):
        hours, minutes = divmod(round(hour * 60), 60)
        local = self.tz.localize(datetime.combine(day, time(hours, minutes)))
        return local.astimezone(pytz.utc).replace(tzinfo=None)

    def snap(self, date):
        """The first working moment from ``date`` on (naive UTC); a moment outside
        working hours moves to a few minutes after the next opening."""
        day = self._local(date).date()
        for _i in range(30):
            if day not in self.holidays:
                for hour_from, hour_to in self.hours.get(day.weekday(), ()):
                    start, end = self._at(day, hour_from), self._at(day, hour_to)
                    if date < start:
                        delay = timedelta(seconds=self.rng.randint(240, 2700))
                        return min(start + delay, end - timedelta(minutes=1))
                    if date < end:
                        return date
            day += timedelta(days=1)
        return date


class _Story:
    """The tracking history of one demo parcel, written forward from its order."""

    def __init__(self, demo, start, route):
        self.rng = demo.rng
        self.clock = demo.clock
        self.hub_clocks = demo.hub_clocks
        self.created = self.date = start.replace(microsecond=0)
        self.route = route
        self.events = []
        self.initial = "confirmed"

    @property
    def state(self):
        return self.events[-1]["state"] if self.events else self.initial

    def add(self, state, min_hours, max_hours, working=True, **vals):
        """Add an event some hours after the previous one; ``working``: when the hub of
        the event (or else the company) is open."""
        date = self.date + timedelta(hours=self.rng.uniform(min_hours, max_hours))
        if working:
            date = self.hub_clocks.get(vals.get("hub_id"), self.clock).snap(date)
        self.date = date.replace(microsecond=0)
        self.events.append(dict(vals, state=state, event_date=self.date))


class _DemoContext:
    """What the generator needs about one company, read once."""

    def __init__(self, env, company, seed):
        self.env = env
        self.company = company
        self.rng = random.Random(seed)
        self.country = company.country_id
        self.code = (self.country.code or "").upper()
        if self.code not in CITIES:
            raise UserError(
                env._(
                    "Demo parcels exist for Moroccan and French companies only, not "
                    "for %(company)s.",
                    company=company.display_name,
                )
            )
        self.now = fields.Datetime.now().replace(microsecond=0)
        hubs = env["tms.hub"].search([("company_id", "=", company.id)])
        self.depot = hubs.filtered(lambda h: h.hub_type == "depot")[:1]
        self.relay_by_city = {
            hub.city: hub for hub in hubs.filtered(lambda h: h.hub_type == "relay")
        }
        carriers = env["tms.carrier"].search([("company_id", "=", company.id)])
        self.own_carrier = carriers.filtered(lambda c: c.carrier_type == "own")[:1]
        self.subcontractor = carriers.filtered(
            lambda c: c.carrier_type == "subcontractor"
        )[:1]
        self.coords = {city: coords for city, _w, coords, _s in CITIES[self.code]}
        ref = env.ref
        self.shippers = [
            (
                ref(f"tms_core.{xmlid}"),
                prefix,
                share,
                env["product.product"].concat(
                    *(ref(f"tms_core.{p}") for p in products)
                ),
            )
            for xmlid, prefix, share, products in SHIPPERS[self.code]
        ]
        self.services = {key: ref(xmlid) for key, xmlid in SERVICES.items()}
        admin = ref("base.user_admin")
        if self.code == "MA":
            self.driver = (
                ref("tms_core.user_driver_demo", raise_if_not_found=False) or admin
            )
            self.operator = (
                ref("tms_core.user_operator_demo", raise_if_not_found=False) or admin
            )
        else:
            self.driver = self.operator = admin
        self.reasons = {
            code: ref(f"tms_core.tms_failure_reason_{code}")
            for code in (
                "absent",
                "refused",
                "wrong_address",
                "closed",
                "no_cash",
                "unreachable",
                "damaged",
            )
        }
        self.clock = _WorkingClock(company.resource_calendar_id, self.rng)
        clocks = {company.resource_calendar_id: self.clock}
        for calendar in hubs.opening_calendar_id - company.resource_calendar_id:
            clocks[calendar] = _WorkingClock(calendar, self.rng)
        self.hub_by_id = {hub.id: hub for hub in hubs}
        self.hub_clocks = {
            hub.id: clocks[hub.opening_calendar_id]
            for hub in hubs
            if hub.opening_calendar_id
        }
        self.zone_by_partner = {}

    def uid(self):
        # like a device: unique keys, even when the same seed is used twice
        return str(uuid.uuid4())

    def near(self, city):
        latitude, longitude = self.coords.get(city, (0.0, 0.0))
        return {
            "location": city,
            "latitude": round(latitude + self.rng.uniform(-0.02, 0.02), 6),
            "longitude": round(longitude + self.rng.uniform(-0.02, 0.02), 6),
        }


class TmsDemo(models.AbstractModel):
    _name = "tms.demo"
    _description = "TMS Demo Data Generator"

    @api.model
    def _generate_parcels(self, company, count, seed):
        """Create ``count`` parcels of ``company`` (a record or an id) with recipients,
        contents and tracking histories ending in every state, all in the past."""
        if not isinstance(company, models.BaseModel):
            company = self.env["res.company"].browse(company)
        generator = self.with_company(company).with_context(
            tracking_disable=True,
            mail_create_nolog=True,
            mail_create_nosubscribe=True,
            tms_event_source="api",
        )
        return generator._demo_generate(company, count, seed).ids

    @api.model
    def _demo_generate(self, company, count, seed):
        demo = _DemoContext(self.env, company, seed)
        recipients = self._demo_create_recipients(demo, max(count * 4 // 5, 1))
        partners = recipients.concat(*(shipper for shipper, *_rest in demo.shippers))
        zones = self.env["tms.zone"]._find_zones(
            [
                (company.id, p.country_id.id, p.state_id.id, p.city, p.zip)
                for p in partners
            ]
        )
        demo.zone_by_partner = dict(zip(partners, zones, strict=True))

        targets = [state for state in TARGET_WEIGHTS for _i in range(2)][:count]
        targets += demo.rng.choices(
            list(TARGET_WEIGHTS), list(TARGET_WEIGHTS.values()), k=count - len(targets)
        )
        demo.rng.shuffle(targets)
        vals_list, stories = [], []
        for number, target in enumerate(targets, start=1):
            vals, story = self._demo_prepare_parcel(
                demo, number, target, demo.rng.choice(recipients)
            )
            vals_list.append(vals)
            stories.append(story)
        # oldest first, so that parcel ids grow with time as in real life
        order = sorted(range(count), key=lambda i: stories[i].created)
        vals_list = [vals_list[i] for i in order]
        stories = [stories[i] for i in order]

        parcels = self.env["tms.parcel"].create(vals_list)
        Event = self.env["tms.parcel.event"]
        Event._record(
            [
                dict(event, parcel_id=parcel.id)
                for parcel, story in zip(parcels, stories, strict=True)
                for event in story.events
            ]
        )
        Event._record(self._demo_late_and_repeated_events(demo, parcels, stories))
        return parcels

    # ----------------------------------------------------------------------------------
    # recipients
    # ----------------------------------------------------------------------------------
    @api.model
    def _demo_create_recipients(self, demo, count):
        rng, code = demo.rng, demo.code
        cities = CITIES[code]
        vals_list = []
        for _i in range(count):
            city, _weight, _coords, streets = rng.choices(
                cities, [c[1] for c in cities]
            )[0]
            street, zip_code = rng.choice(streets)
            number = rng.randint(1, 240)
            vals = {
                "company_id": demo.company.id,
                "country_id": demo.country.id,
                "city": city,
                "zip": zip_code,
                "mobile": self._demo_mobile(rng, code),
                "street2": rng.choice(STREET2[code]) if rng.random() < 0.3 else False,
            }
            if code == "MA" and rng.random() < 0.1:
                vals["name"] = rng.choice(ARABIC_NAMES)
                vals["street"] = f"{number}، {rng.choice(ARABIC_STREETS)}"
                vals["street2"] = False
            else:
                first = rng.choice(FIRST_NAMES[code])
                last = rng.choice(LAST_NAMES[code])
                vals["name"] = f"{first} {last}"
                vals["street"] = (
                    f"{number}, {street}" if code == "MA" else f"{number} {street}"
                )
                if rng.random() < 0.55:
                    domain = rng.choice(("example.com", "example.org", "example.net"))
                    local = ".".join(_ascii(first)[:1] + _ascii(last))
                    vals["email"] = f"{local}{rng.randint(1, 99)}@{domain}"
            vals_list.append(vals)
        return self.env["res.partner"].create(vals_list)

    @api.model
    def _demo_mobile(self, rng, code):
        """A valid mobile number (+212 6/7, +33 6/7), written as people type it."""
        prefix = {"MA": "+212", "FR": "+33"}[code]
        mobile_types = (
            phonenumbers.PhoneNumberType.MOBILE,
            phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
        )
        while True:
            national = rng.choice("67") + f"{rng.randrange(10**8):08d}"
            number = phonenumbers.parse(prefix + national)
            if (
                phonenumbers.is_valid_number(number)
                and phonenumbers.number_type(number) in mobile_types
            ):
                break
        pairs = " ".join(national[i : i + 2] for i in range(1, 9, 2))
        if rng.random() < 0.6:
            return f"0{national[0]} {pairs}"
        return f"{prefix} {national[0]} {pairs}"

    # ----------------------------------------------------------------------------------
    # parcels
    # ----------------------------------------------------------------------------------
    @api.model
    def _demo_prepare_parcel(self, demo, number, target, recipient):
        rng, code = demo.rng, demo.code
        shipper, prefix, _share, products = rng.choices(
            demo.shippers, [s[2] for s in demo.shippers]
        )[0]
        route = self._demo_route(demo, target, shipper, recipient)
        story = self._demo_story(demo, target, route)

        lines = []
        for product in rng.sample(
            list(products), k=rng.randint(1, min(2, len(products)))
        ):
            quantity = rng.choices((1, 2, 3), (70, 20, 10))[0]
            lines.append(
                {
                    "product_id": product.id,
                    "quantity": quantity,
                    "value": product.lst_price,
                }
            )
        if rng.random() < 0.1:
            name, weight, value = rng.choice(FREE_LINES[code])
            lines.append(
                {"name": name, "weight": weight, "quantity": 1, "value": value}
            )
        goods_value = sum(line["value"] * line["quantity"] for line in lines)
        length, width, height = rng.choice(BOXES)
        fee = rng.choice((25, 30, 35)) if code == "MA" else rng.choice((4.9, 6.9))
        vals = {
            "company_id": demo.company.id,
            "state": story.initial,
            # the parcel's timeline starts at its shipping date; the creation date is
            # only kept while modules load (the ORM ignores it otherwise)
            "date_shipping": story.created,
            "create_date": story.created,
            "client_reference": f"{prefix}-{10230 + number * 7 + rng.randint(0, 6)}",
            "shipper_id": shipper.id,
            "recipient_id": recipient.id,
            "service_id": self._demo_service(demo, route, recipient).id,
            "carrier_id": (
                demo.subcontractor if route["subcontracted"] else demo.own_carrier
            ).id,
            "line_ids": [Command.create(line) for line in lines],
            "length": length,
            "width": width,
            "height": height,
            "declared_value": goods_value,
            "cod_amount": round(goods_value + fee, 2) if route["cod"] else 0.0,
        }
        if code == "FR" and goods_value > 80:
            vals.update(insured=True, insurance_amount=goods_value)
        if code == "MA" and any(
            e["state"] == "out_for_delivery" and e["source"] == "driver"
            for e in story.events
        ):
            vals["driver_id"] = demo.driver.id
        if target == "delivered":
            vals["pod_receiver_name"] = self._demo_receiver_name(demo, route)
        return vals, story

    @api.model
    def _demo_route(self, demo, target, shipper, recipient):
        """The hubs a parcel goes through: the shipper's hub, the depot, the recipient's
        hub (and a relay point when the recipient collects it there)."""
        rng = demo.rng
        origin = demo.zone_by_partner[shipper].hub_id or demo.depot
        dest = demo.zone_by_partner[recipient].hub_id or demo.depot
        hubs = [origin]
        for hub in (demo.depot, dest) if dest != origin else ():
            if hub != hubs[-1]:
                hubs.append(hub)
        # a zone served from a hub of another city is delivered by the subcontractor
        subcontracted = dest.city != recipient.city
        relay = (
            not subcontracted
            and demo.relay_by_city.get(recipient.city)
            and target in ("at_hub", "delivered")
            and rng.random() < 0.3
        )
        if relay:
            hubs.append(demo.relay_by_city[recipient.city])
        return {
            "shipper": shipper,
            "recipient": recipient,
            "hubs": hubs,
            "subcontracted": subcontracted,
            "relay": bool(relay),
            "cod": rng.random() < (0.85 if demo.code == "MA" else 0.15),
        }

    @api.model
    def _demo_service(self, demo, route, recipient):
        rng, services = demo.rng, demo.services
        if route["relay"] and demo.code == "FR":
            return services["relay"]
        if demo.code == "MA" and recipient.city == "Casablanca":
            draw = rng.random()
            if draw < 0.1:
                return services["same_day"]
            if draw < 0.45:
                return services["j1_casablanca"]
        if rng.random() < 0.2:
            return services["express"]
        return services["standard"]

    @api.model
    def _demo_receiver_name(self, demo, route):
        """The recipient, a relative or the caretaker of the building."""
        name = route["recipient"].name
        draw = demo.rng.random()
        if draw < 0.8 or route["relay"] or not name.isascii():
            return name
        if draw < 0.92:
            return f"{demo.rng.choice(FIRST_NAMES[demo.code])} {name.split(' ')[-1]}"
        return "Le gardien de l'immeuble" if demo.code == "MA" else "La gardienne"

    # ----------------------------------------------------------------------------------
    # tracking histories
    # ----------------------------------------------------------------------------------
    @api.model
    def _demo_story(self, demo, target, route):
        """Write the history of a parcel ending in ``target``, in the past: a history
        that would end in the future starts a little earlier."""
        low, high = AGE_DAYS[target]
        for attempt in range(60):
            start = demo.now - timedelta(days=demo.rng.uniform(low, high) + attempt / 2)
            story = _Story(demo, start, route)
            self._demo_write_story(demo, story, target)
            if story.date <= demo.now - timedelta(minutes=5):
                break
        if story.state != target:
            raise UserError(
                self.env._(
                    "The demo history ends in %(state)s, not in %(target)s.",
                    state=story.state,
                    target=target,
                )
            )
        return story

    @api.model
    def _demo_write_story(self, demo, story, target):
        rng, route = demo.rng, story.route
        story.initial = (
            "draft" if target == "draft" or rng.random() < 0.35 else "confirmed"
        )
        if target == "draft":
            return
        if story.initial == "draft":
            if target == "cancelled" and rng.random() < 0.5:
                story.add(
                    "cancelled",
                    0.2,
                    20,
                    working=False,
                    source="manual",
                    user_id=demo.operator.id,
                    note="Commande annulée à la demande du client",
                )
                return
            story.add("confirmed", 0.05, 3, working=False, source="api")
        if target == "confirmed":
            return
        if target == "cancelled":
            story.add(
                "cancelled",
                0.5,
                30,
                working=False,
                source="api",
                note="Commande annulée par le client sur la boutique",
            )
            return
        origin = route["hubs"][0]
        pickup = self._demo_driver(demo, origin, route["shipper"].city)
        if target == "exception" and rng.random() < 0.25:
            story.add(
                "exception",
                2,
                26,
                **pickup,
                note="Enlèvement impossible : colis non emballé",
            )
            return
        story.add("picked_up", 2, 26, **pickup)
        if target == "picked_up":
            return
        story.add("at_hub", 1, 6, **self._demo_scan(demo, origin))
        if target == "exception" and rng.random() < 0.3:
            story.add(
                "exception",
                0.5,
                8,
                **self._demo_scan(demo, origin),
                note="Emballage endommagé au tri : colis mis en attente",
            )
            return
        if self._demo_write_transport(demo, story, target):
            return
        if route["relay"]:
            if target == "delivered":
                story.add(
                    "delivered",
                    3,
                    60,
                    **self._demo_scan(demo, route["hubs"][-1]),
                    note="Retiré au point relais sur présentation d'une pièce "
                    "d'identité",
                )
            return
        self._demo_write_delivery(demo, story, target)

    @api.model
    def _demo_write_transport(self, demo, story, target):
        """From hub to hub, then to the subcontractor; True when the story ends on the
        way (in transit, lost, stopped by an incident, or waiting at a hub)."""
        rng, route = demo.rng, story.route
        hubs = route["hubs"]
        moves = [("leg", hub) for hub in hubs[1:]]
        if route["subcontracted"]:
            moves.append(("handover", None))
        if not moves and target in ("in_transit", "lost"):
            moves.append(("shuttle", None))
        transit_stop = (
            rng.randrange(len(moves)) if target in ("in_transit", "lost") else None
        )
        stops = [0] + [i + 1 for i, (kind, _hub) in enumerate(moves) if kind == "leg"]
        hub_stop = (
            rng.choice(stops) if target == "at_hub" and not route["relay"] else None
        )
        if hub_stop == 0:
            return True
        last = hubs[0]
        for index, (kind, hub) in enumerate(moves):
            if kind == "handover":
                story.add(
                    "in_transit",
                    1,
                    5,
                    **self._demo_carrier(demo, route),
                    note="Remis au sous-traitant pour la livraison",
                )
            elif kind == "shuttle":
                story.add(
                    "in_transit",
                    0.5,
                    3,
                    **self._demo_scan(demo, last),
                    note="Navette vers la tournée de livraison",
                )
            else:
                story.add(
                    "in_transit",
                    1,
                    5,
                    **self._demo_scan(demo, last),
                    note=f"Départ vers {hub.name}",
                )
            if index == transit_stop:
                if target == "lost":
                    story.add(
                        "lost",
                        72,
                        120,
                        source="system",
                        note="Aucun scan depuis plus de 72 heures : colis déclaré "
                        "perdu",
                    )
                return True
            if target == "exception" and rng.random() < 0.25:
                story.add(
                    "exception",
                    4,
                    20,
                    source="system",
                    note="Retard sur la ligne : véhicule immobilisé",
                )
                return True
            if kind == "leg":
                story.add("at_hub", 6, 14, **self._demo_scan(demo, hub))
                last = hub
                if index + 1 == hub_stop:
                    return True
        return target == "at_hub"

    @api.model
    def _demo_write_delivery(self, demo, story, target):
        rng, route = demo.rng, story.route
        failures = {
            "delivered": rng.choices((0, 1, 2), (80, 16, 4))[0],
            "out_for_delivery": rng.choices((0, 1), (85, 15))[0],
            "failed": rng.choices((0, 1), (80, 20))[0],
            "returning": rng.choice((0, 1)),
            "returned": rng.choice((0, 1)),
        }.get(target, 0)
        retry = [
            (code, w) for code, w in RETRY_REASONS if code != "no_cash" or route["cod"]
        ]
        for _i in range(failures):
            story.add(
                "out_for_delivery",
                *self._demo_round_delay(story),
                **self._demo_deliverer(demo, route),
            )
            reason = rng.choices([c for c, _w in retry], [w for _c, w in retry])[0]
            story.add("failed", 0.5, 7, **self._demo_failure(demo, route, reason))
        story.add(
            "out_for_delivery",
            *self._demo_round_delay(story),
            **self._demo_deliverer(demo, route),
        )
        if target == "out_for_delivery":
            return
        if target == "delivered":
            story.add(
                "delivered", 0.5, 7, **self._demo_deliverer(demo, route, hub=False)
            )
            return
        if target == "exception":
            story.add(
                "exception",
                0.5,
                5,
                **self._demo_deliverer(demo, route, hub=False),
                note="Colis endommagé pendant la tournée : retour au hub",
            )
            return
        if target == "failed":
            retry += [("wrong_address", 10), ("damaged", 5)]
            reason = rng.choices([c for c, _w in retry], [w for _c, w in retry])[0]
            story.add("failed", 0.5, 7, **self._demo_failure(demo, route, reason))
            return
        reason = rng.choices(("refused", "wrong_address"), (75, 25))[0]
        story.add("failed", 0.5, 7, **self._demo_failure(demo, route, reason))
        self._demo_write_return(demo, story, target)

    @api.model
    def _demo_write_return(self, demo, story, target):
        """Back to the shipper along the way the parcel came."""
        route = story.route
        hubs = list(reversed(route["hubs"]))
        if route["subcontracted"]:
            story.add(
                "returning",
                2,
                30,
                **self._demo_carrier(demo, route),
                note="Retour à l'expéditeur",
            )
            if target == "returning":
                return
            story.add(
                "in_transit",
                2,
                24,
                **self._demo_carrier(demo, route),
                note=f"Rendu à {hubs[0].name}",
            )
            story.add("at_hub", 6, 30, **self._demo_scan(demo, hubs[0]))
        else:
            story.add(
                "returning",
                2,
                30,
                **self._demo_scan(demo, hubs[0]),
                note="Retour à l'expéditeur",
            )
            if target == "returning":
                return
        for previous, hub in zip(hubs, hubs[1:], strict=False):
            story.add(
                "in_transit",
                1,
                6,
                **self._demo_scan(demo, previous),
                note=f"Retour vers {hub.name}",
            )
            story.add("at_hub", 6, 14, **self._demo_scan(demo, hub))
        if story.state == "at_hub":
            story.add(
                "returning",
                0.5,
                4,
                **self._demo_scan(demo, hubs[-1]),
                note="Retour à l'expéditeur",
            )
        story.add(
            "returned",
            4,
            48,
            **self._demo_driver(demo, hubs[-1], route["shipper"].city),
            note=f"Rendu à {route['shipper'].name}",
        )

    @api.model
    def _demo_round_delay(self, story):
        # A new round starts the next working morning after a failed attempt.
        return (14, 22) if story.state == "failed" else (0.3, 2)

    @api.model
    def _demo_scan(self, demo, hub):
        return {
            "source": "scan",
            "hub_id": hub.id,
            "user_id": demo.operator.id,
            "device": f"Zebra TC21 {hub.code}-{demo.rng.randint(1, 4):02d}",
            "latitude": hub.latitude,
            "longitude": hub.longitude,
            "idempotency_key": demo.uid(),
        }

    @api.model
    def _demo_driver(self, demo, hub, city):
        """An event sent by the driver's phone on a round of ``hub``, in ``city``."""
        return {
            "source": "driver",
            "user_id": demo.driver.id,
            "device": f"Android - tournée {hub.code}-{demo.rng.randint(1, 12):02d}",
            "idempotency_key": demo.uid(),
            **demo.near(city),
        }

    @api.model
    def _demo_carrier(self, demo, route):
        return {
            "source": "carrier",
            "device": demo.subcontractor.name,
            **demo.near(route["recipient"].city),
        }

    @api.model
    def _demo_deliverer(self, demo, route, hub=True):
        """Who goes out for delivery: a driver of the recipient's hub, or the
        subcontractor."""
        if route["subcontracted"]:
            return self._demo_carrier(demo, route)
        dest = route["hubs"][-1]
        vals = self._demo_driver(demo, dest, route["recipient"].city)
        if hub:
            vals["hub_id"] = dest.id
        return vals

    @api.model
    def _demo_failure(self, demo, route, reason):
        vals = self._demo_deliverer(demo, route, hub=False)
        vals["failure_reason_id"] = demo.reasons[reason].id
        if reason in REASON_NOTES:
            vals["note"] = REASON_NOTES[reason]
        return vals

    @api.model
    def _demo_late_and_repeated_events(self, demo, parcels, stories):
        """Scans sent late by offline scanners (kept in the timeline, not moving the
        parcel) and events sent twice with the same idempotency key (recorded once)."""
        late, repeated = [], []
        for parcel, story in zip(parcels, stories, strict=True):
            scans = [e for e in story.events if e.get("idempotency_key")]
            # a second scanner of a hub, offline, syncs a scan made between two others
            at_hub = [
                i for i, e in enumerate(story.events[:-1]) if e["state"] == "at_hub"
            ]
            if at_hub and len(late) < 4 and demo.rng.random() < 0.2:
                before, after = story.events[at_hub[0]], story.events[at_hub[0] + 1]
                hub = demo.hub_by_id[before["hub_id"]]
                clock = demo.hub_clocks.get(hub.id, demo.clock)
                middle = (
                    before["event_date"]
                    + (after["event_date"] - before["event_date"]) / 2
                )
                middle = clock.snap(middle.replace(microsecond=0))
                if middle >= after["event_date"]:
                    middle = before["event_date"] + timedelta(seconds=30)
                late.append(
                    dict(
                        self._demo_scan(demo, hub),
                        parcel_id=parcel.id,
                        state="at_hub",
                        event_date=middle,
                        device=f"Zebra TC21 {hub.code}-09",
                        note="Scan envoyé en différé par un terminal hors ligne",
                    )
                )
            elif scans and len(repeated) < 3 and demo.rng.random() < 0.1:
                repeated.append(dict(scans[-1], parcel_id=parcel.id))
        return late + repeated
