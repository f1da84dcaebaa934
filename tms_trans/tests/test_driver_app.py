# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The driver app's server side: its data, the actions it queues (load and start,
delivered with proofs and cash on delivery, failed with a reason), actions sent twice,
and another driver's round and parcels refused through the ORM, RPC and the routes."""

import base64
import io
import json
import uuid

from PIL import Image

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, tagged

from .common import TmsTransCommon


def _key():
    return str(uuid.uuid4())


def _png():
    image = io.BytesIO()
    Image.new("RGB", (40, 20), "black").save(image, "PNG")
    return "data:image/png;base64," + base64.b64encode(image.getvalue()).decode()


def _jpeg():
    image = io.BytesIO()
    Image.new("RGB", (40, 20), "white").save(image, "JPEG")
    return base64.b64encode(image.getvalue()).decode()


class DriverAppCommon(TmsTransCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.reason_absent = cls.env.ref("tms_core.tms_failure_reason_absent")

    def _round_of_today(self, cod=(0.0, 150.0, 0.0)):
        """A planned round of driver A for today with a parcel per address (three, or
        as many as ``cod`` gives amounts), the second one cash on delivery."""
        names = ["Karim Alaoui", "Salma Idrissi", "Youssef Tazi", "Nadia Berrada"]
        names = names[: len(cod)]
        parcels = self.env["tms.parcel"]
        for name, amount in zip(names, cod, strict=True):
            parcels |= self._parcel_at_hub(self.places[name], cod_amount=amount)
        rounds, _action = self._plan(self.van_a, parcels)
        rounds.write({"date": rounds.with_company(self.company_ma)._tms_today()})
        rounds.action_plan()
        self.assertEqual(rounds.driver_id, self.driver_a)
        return rounds, parcels

    def _app(self, user=None):
        return self.env["tms.driver.app"].with_user(user or self.driver_a)

    def _sync(self, *actions, user=None):
        return self._app(user).sync(list(actions))["results"]

    def _start(self, tms_round, parcels, key=None):
        return self._sync(
            {
                "type": "start",
                "key": key or _key(),
                "round_id": tms_round.id,
                "parcel_ids": parcels.ids,
                "device_time": fields.Datetime.now().isoformat() + "Z",
            }
        )


@tagged("post_install", "-at_install")
class TestDriverApp(DriverAppCommon):
    def test_data_lists_todays_stops_with_links_cod_and_proofs(self):
        tms_round, parcels = self._round_of_today()
        self.places["Karim Alaoui"].phone = "+212 661 23 45 67"
        data = self._app().driver_data()
        self.assertEqual([r["id"] for r in data["rounds"]], tms_round.ids)
        stops = data["rounds"][0]["stops"]
        self.assertEqual(len(stops), 3)
        arrivals = [s["planned_arrival"] for s in stops]
        self.assertTrue(all(arrivals))
        self.assertEqual(arrivals, sorted(arrivals), "stops come in their order")
        first = stops[0]
        self.assertTrue(first["links"]["geo"].startswith("geo:"))
        self.assertIn("google.com/maps", first["links"]["google"])
        self.assertIn("waze.com", first["links"]["waze"])
        by_number = {p["tracking_number"]: p for s in stops for p in s["parcels"]}
        self.assertEqual(by_number[parcels[1].tracking_number]["cod_amount"], 150.0)
        self.assertEqual(
            by_number[parcels[0].tracking_number]["proofs"],
            {"receiver_name": "required", "signature": "optional", "photo": "optional"},
        )
        self.assertTrue(data["failure_reasons"])
        self.assertEqual(
            [m["key"] for m in data["cod_methods"]], ["cash", "cheque", "card"]
        )

    def test_load_start_deliver_with_proofs_and_cod_then_fail(self):
        tms_round, parcels = self._round_of_today()
        first, cod_parcel, third = parcels
        [result] = self._start(tms_round, parcels)
        self.assertEqual(result["status"], "ok", result["message"])
        self.assertEqual(tms_round.state, "started")
        self.assertEqual(set(parcels.mapped("state")), {"out_for_delivery"})

        photo_key = _key()
        results = self._sync(
            {
                "type": "photo",
                "key": photo_key,
                "parcel_id": cod_parcel.id,
                "data": _jpeg(),
            },
            {
                "type": "deliver",
                "key": _key(),
                "parcel_id": cod_parcel.id,
                "receiver_name": "Salma Idrissi",
                "signature": _png(),
                "photo_keys": [photo_key],
                "cod": {"amount": 150.0, "method": "cash"},
                "latitude": 33.5883,
                "longitude": -7.6322,
            },
        )
        self.assertEqual([r["status"] for r in results], ["ok", "ok"], results)
        self.assertEqual(cod_parcel.state, "delivered")
        self.assertEqual(cod_parcel.pod_receiver_name, "Salma Idrissi")
        self.assertTrue(cod_parcel.pod_signature)
        self.assertEqual(len(cod_parcel.pod_photo_ids), 1)
        self.assertEqual(cod_parcel.cod_collected_amount, 150.0)
        self.assertEqual(cod_parcel.cod_collected_method, "cash")
        self.assertEqual(cod_parcel.cod_collected_user_id, self.driver_a)
        event = cod_parcel.event_ids.filtered(lambda e: e.state == "delivered")
        self.assertEqual(event.source, "driver")
        self.assertEqual(event.user_id, self.driver_a)
        self.assertAlmostEqual(event.latitude, 33.5883)

        [failed] = self._sync(
            {
                "type": "fail",
                "key": _key(),
                "parcel_id": third.id,
                "reason_id": self.reason_absent.id,
                "note": "Nobody home",
                "next_step": "relay",
            }
        )
        self.assertEqual(failed["status"], "ok", failed["message"])
        self.assertEqual(third.state, "failed")
        self.assertEqual(third.failure_next_step, "relay")
        event = third.event_ids.filtered(lambda e: e.state == "failed")
        self.assertEqual(event.failure_reason_id, self.reason_absent)
        self.assertIn("Nobody home", event.note)
        self.assertEqual(tms_round.stop_done_count, 1)
        self.assertEqual(tms_round.stop_failed_count, 1)

    def test_cod_amount_must_match_or_be_explained(self):
        tms_round, parcels = self._round_of_today()
        cod_parcel = parcels[1]
        self._start(tms_round, parcels)
        deliver = {
            "type": "deliver",
            "parcel_id": cod_parcel.id,
            "receiver_name": "Salma Idrissi",
            "cod": {"amount": 100.0, "method": "cash"},
        }
        [refused] = self._sync(dict(deliver, key=_key()))
        self.assertEqual(refused["status"], "error")
        self.assertIn("Explain the difference", refused["message"])
        self.assertEqual(cod_parcel.state, "out_for_delivery")
        self.assertFalse(cod_parcel.cod_collected_date)
        [no_cod] = self._sync(dict(deliver, key=_key(), cod=None))
        self.assertEqual(no_cod["status"], "error")
        self.assertIn("cash on delivery", no_cod["message"])
        explained = dict(
            deliver,
            key=_key(),
            cod={"amount": 100.0, "method": "cash", "reason": "Paid 50 to the shop"},
        )
        [ok] = self._sync(explained)
        self.assertEqual(ok["status"], "ok", ok["message"])
        self.assertEqual(cod_parcel.cod_collected_amount, 100.0)
        self.assertEqual(cod_parcel.cod_difference_reason, "Paid 50 to the shop")

    def test_required_proofs_are_refused_with_a_clear_message(self):
        tms_round, parcels = self._round_of_today()
        self.service_std.write(
            {"proof_signature": "required", "proof_photo": "required"}
        )
        self._start(tms_round, parcels)
        parcel = parcels[0]
        [refused] = self._sync(
            {"type": "deliver", "key": _key(), "parcel_id": parcel.id}
        )
        self.assertEqual(refused["status"], "error")
        self.assertIn(parcel.tracking_number, refused["message"])
        for proof in ("the receiver's name", "a signature", "a photo"):
            self.assertIn(proof, refused["message"])
        self.assertEqual(parcel.state, "out_for_delivery")
        # off: not stored even if sent
        self.service_std.write(
            {
                "proof_signature": "off",
                "proof_photo": "optional",
                "proof_receiver_name": "optional",
            }
        )
        [ok] = self._sync(
            {
                "type": "deliver",
                "key": _key(),
                "parcel_id": parcel.id,
                "signature": _png(),
            }
        )
        self.assertEqual(ok["status"], "ok", ok["message"])
        self.assertFalse(parcel.pod_signature)

    def test_action_sent_twice_is_applied_once(self):
        tms_round, parcels = self._round_of_today()
        start_key = _key()
        self._start(tms_round, parcels, key=start_key)
        [again] = self._start(tms_round, parcels, key=start_key)
        self.assertEqual(again["status"], "replayed")
        cod_parcel = parcels[1]
        deliver = {
            "type": "deliver",
            "key": _key(),
            "parcel_id": cod_parcel.id,
            "receiver_name": "Salma",
            "cod": {"amount": 150.0, "method": "cash"},
        }
        photo = {
            "type": "photo",
            "key": _key(),
            "parcel_id": cod_parcel.id,
            "data": _jpeg(),
        }
        first = self._sync(photo, deliver)
        second = self._sync(photo, deliver)
        self.assertEqual([r["status"] for r in first], ["ok", "ok"])
        self.assertEqual([r["status"] for r in second], ["replayed", "replayed"])
        self.assertEqual(
            len(cod_parcel.event_ids.filtered(lambda e: e.state == "delivered")), 1
        )
        self.assertEqual(
            len(cod_parcel.event_ids.filtered(lambda e: e.state == "out_for_delivery")),
            1,
        )
        photos = self.env["ir.attachment"].search(
            [("res_model", "=", "tms.parcel"), ("res_id", "=", cod_parcel.id)]
        )
        self.assertEqual(len(photos.filtered(lambda a: a.name.endswith(".jpg"))), 1)

    def test_one_refused_action_does_not_block_the_next(self):
        tms_round, parcels = self._round_of_today()
        self._start(tms_round, parcels)
        results = self._sync(
            {"type": "fail", "key": _key(), "parcel_id": parcels[0].id},
            {
                "type": "fail",
                "key": _key(),
                "parcel_id": parcels[2].id,
                "reason_id": self.reason_absent.id,
            },
        )
        self.assertEqual([r["status"] for r in results], ["error", "ok"])
        self.assertIn("Choose why", results[0]["message"])
        self.assertEqual(parcels[2].state, "failed")

    def test_another_driver_is_refused(self):
        tms_round, parcels = self._round_of_today()
        outsider = self.driver_b
        # ORM: the round and its parcels are invisible to him
        self.assertFalse(
            self.env["tms.round"]
            .with_user(outsider)
            .search([("id", "=", tms_round.id)])
        )
        self.assertFalse(
            self.env["tms.parcel"]
            .with_user(outsider)
            .search([("id", "in", parcels.ids)])
        )
        with self.assertRaises(AccessError):
            tms_round.with_user(outsider).read(["name"])
        # the app: nothing of it in his data, his actions on it refused
        self.assertFalse(self._app(outsider).driver_data()["rounds"])
        [start] = self._sync(
            {
                "type": "start",
                "key": _key(),
                "round_id": tms_round.id,
                "parcel_ids": parcels.ids,
            },
            user=outsider,
        )
        self.assertEqual(start["status"], "error")
        self.assertEqual(tms_round.state, "planned")
        self._start(tms_round, parcels)
        results = self._sync(
            {
                "type": "deliver",
                "key": _key(),
                "parcel_id": parcels[0].id,
                "receiver_name": "X",
            },
            {
                "type": "photo",
                "key": _key(),
                "parcel_id": parcels[0].id,
                "data": _jpeg(),
            },
            user=outsider,
        )
        self.assertEqual([r["status"] for r in results], ["error", "error"])
        self.assertIn("not on one of your rounds", results[0]["message"])
        self.assertEqual(parcels[0].state, "out_for_delivery")
        # a user who is not a driver cannot use the app at all
        with self.assertRaises(AccessError):
            self._app(
                self.env["res.users"].create({"name": "Clerk", "login": "clerk"})
            ).driver_data()


@tagged("post_install", "-at_install")
class TestDriverRoutes(DriverAppCommon, HttpCase):
    def _json(self, url, params):
        response = self.url_open(
            url,
            data=json.dumps({"jsonrpc": "2.0", "method": "call", "params": params}),
            headers={"Content-Type": "application/json"},
        )
        self.assertEqual(response.status_code, 200)
        return response.json()

    def test_routes_serve_the_driver_and_refuse_another(self):
        tms_round, parcels = self._round_of_today()
        for user in (self.driver_a, self.driver_b):
            user.password = user.login + "-pwd"
        self.authenticate("driver_b", "driver_b-pwd")
        data = self._json("/tms/driver/data", {})["result"]
        self.assertFalse(data["rounds"])
        answer = self._json(
            "/tms/driver/sync",
            {
                "actions": [
                    {
                        "type": "start",
                        "key": _key(),
                        "round_id": tms_round.id,
                        "parcel_ids": parcels.ids,
                    }
                ]
            },
        )
        self.assertEqual(answer["result"]["results"][0]["status"], "error")
        # RPC straight to the models: no access to the round
        rpc = self._json(
            "/web/dataset/call_kw/tms.round/read",
            {
                "model": "tms.round",
                "method": "read",
                "args": [tms_round.ids, ["name"]],
                "kwargs": {},
            },
        )
        self.assertIn("error", rpc)
        self.assertEqual(tms_round.state, "planned")

        self.authenticate("driver_a", "driver_a-pwd")
        data = self._json("/tms/driver/data", {})["result"]
        self.assertEqual([r["id"] for r in data["rounds"]], tms_round.ids)
        key = _key()
        action = {
            "type": "start",
            "key": key,
            "round_id": tms_round.id,
            "parcel_ids": parcels.ids,
        }
        for expected in ("ok", "replayed"):
            answer = self._json("/tms/driver/sync", {"actions": [action]})
            self.assertEqual(answer["result"]["results"][0]["status"], expected)
        self.assertEqual(tms_round.state, "started")

    def test_driver_lands_in_the_app_not_in_discuss(self):
        action = self.env.ref("tms_trans.tms_driver_app_action")
        for user in (self.driver_a, self.user_ma):
            user.password = user.login + "-pwd"
        self.authenticate("driver_a", "driver_a-pwd")
        page = self.url_open("/odoo").text
        self.assertIn(f'"home_action_id": {action.id}', page)
        # an operator keeps the usual home page
        self.authenticate(self.user_ma.login, self.user_ma.login + "-pwd")
        page = self.url_open("/odoo").text
        self.assertNotIn(f'"home_action_id": {action.id}', page)

    def test_stable_address_manifest_and_service_worker(self):
        self.driver_a.password = "driver_a-pwd"
        self.authenticate("driver_a", "driver_a-pwd")
        response = self.url_open("/tms/driver", allow_redirects=False)
        self.assertEqual(response.status_code, 303)
        self.assertTrue(response.headers["Location"].endswith("/odoo/tms-driver"))
        manifest = self.url_open("/tms/driver/manifest.webmanifest").json()
        self.assertEqual(manifest["start_url"], "/odoo/tms-driver")
        self.assertEqual(manifest["display"], "standalone")
        worker = self.url_open("/tms/driver/sw.js")
        self.assertEqual(worker.headers["Service-Worker-Allowed"], "/odoo/tms-driver")
        self.assertIn("addEventListener", worker.text)


def _hoot_hash(name):
    """The id the hoot test runner gives a suite (web/tests/test_js.py)."""
    value = 0
    for char in name:
        value = ((value << 5) - value + ord(char)) & 0xFFFFFFFF
    return f"{value:08x}"


@tagged("post_install", "-at_install")
class TestDriverAppUnit(HttpCase):
    def test_driver_app_queue_and_scans(self):
        """The hoot unit tests of tms_trans: the driver app's queue sent in batches
        (kept without network, refused actions dropped) and its parcel lookup."""
        self.browser_js(
            f"/web/tests?headless&loglevel=2&preset=desktop&timeout=15000"
            f"&suite={_hoot_hash('@tms_trans')}",
            "",
            "",
            login="admin",
            timeout=600,
            success_signal="[HOOT] test suite succeeded",
        )
