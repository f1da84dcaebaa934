# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged

from odoo.addons.tms_core.models.exception.tms_state_threshold import DEFAULT_THRESHOLDS
from odoo.addons.tms_core.tests.common import TmsCommon


@tagged("post_install", "-at_install")
class TestExceptions(TmsCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Parcel = cls.env["tms.parcel"]
        cls.Threshold = cls.env["tms.state.threshold"]
        cls.activity_type = cls.env.ref("tms_core.mail_activity_type_tms_exception")
        cls.manager_ma = cls._create_tms_user(
            "manager_ma", cls.company_ma, "group_tms_manager"
        )
        cls.manager_fr = cls._create_tms_user(
            "manager_fr", cls.company_fr, "group_tms_manager"
        )
        cls.hub_manager = cls._create_tms_user(
            "hub_manager_cas", cls.company_ma, "group_tms_user"
        )
        cls.driver = cls._create_tms_user(
            "driver_ma", cls.company_ma, "group_tms_driver"
        )
        # the demo parcels' exceptions are raised once here, so that each test only
        # sees its own parcels become exceptions
        cls.Parcel._cron_tms_exceptions()

    def _threshold(self, company, state, hub=None):
        return self.Threshold.search(
            [
                ("company_id", "=", company.id),
                ("state", "=", state),
                ("hub_id", "=", hub.id if hub else False),
            ]
        )

    def _stuck_parcel(self, hours, company=None, **vals):
        """A parcel awaiting pickup for ``hours``, promised in ten days."""
        now = fields.Datetime.now()
        vals.setdefault("date_promised", now + timedelta(days=10))
        return self._create_parcel(
            company=company,
            state="confirmed",
            date_shipping=now - timedelta(hours=hours),
            **vals,
        )

    def _event(self, parcel, state, user=None, **vals):
        Event = self.env["tms.parcel.event"]
        if user:
            Event = Event.with_user(user)
        return Event._record([dict(vals, parcel_id=parcel.id, state=state)])

    def _activities(self, parcels):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "tms.parcel"),
                ("res_id", "in", parcels.ids),
                ("activity_type_id", "=", self.activity_type.id),
            ]
        )

    def test_default_thresholds_for_every_company(self):
        company = self.env["res.company"].create(
            {"name": "Nouvelle Agence", "country_id": self.morocco.id}
        )
        thresholds = self.Threshold.search([("company_id", "=", company.id)])
        self.assertEqual(
            {t.state: t.max_hours for t in thresholds},
            {state: float(hours) for state, hours in DEFAULT_THRESHOLDS.items()},
        )
        self.assertEqual(self._threshold(company, "confirmed").max_hours, 48)
        self.assertEqual(self._threshold(company, "out_for_delivery").max_hours, 12)
        # a threshold the company turned off stays off when defaults are applied again
        self._threshold(company, "failed").active = False
        self.Threshold._tms_create_defaults_all_companies()
        self.assertFalse(self._threshold(company, "failed"))
        self.assertEqual(
            self.Threshold.with_context(active_test=False).search_count(
                [("company_id", "=", company.id)]
            ),
            len(DEFAULT_THRESHOLDS),
        )

    def test_threshold_crossing_raises_one_activity(self):
        self._threshold(self.company_ma, "confirmed").user_id = self.hub_manager
        stuck = self._stuck_parcel(50)
        fresh = self._stuck_parcel(40)
        self.Parcel._cron_tms_exceptions()
        self.assertTrue(stuck.tms_exception)
        self.assertEqual(stuck.tms_exception_reason, "stuck")
        self.assertEqual(
            stuck.tms_exception_threshold_id,
            self._threshold(self.company_ma, "confirmed"),
        )
        self.assertFalse(fresh.tms_exception)
        activity = self._activities(stuck)
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.hub_manager)
        self.assertIn("Awaiting Pickup", activity.summary)
        self.assertIn("48", activity.summary)
        self.assertFalse(self._activities(fresh))
        # the responsible sees it among their activities
        self.assertIn(
            stuck,
            self.Parcel.with_user(self.hub_manager).search(
                [("activity_user_id", "=", self.hub_manager.id)]
            ),
        )

        # the next run neither duplicates the activity nor moves the date
        since = stuck.tms_exception_date
        self.Parcel._cron_tms_exceptions()
        self.assertEqual(self._activities(stuck), activity)
        self.assertEqual(stuck.tms_exception_date, since)
        # an activity the user marked done is not raised again while the parcel waits
        activity.action_feedback(feedback="Shipper called")
        self.Parcel._cron_tms_exceptions()
        self.assertFalse(self._activities(stuck))
        self.assertTrue(stuck.tms_exception)

    def test_parcel_moving_on_clears_the_exception(self):
        stuck = self._stuck_parcel(50, driver_id=self.driver.id)
        self.Parcel._cron_tms_exceptions()
        self.assertTrue(self._activities(stuck))
        # the driver, who cannot edit parcels, picks it up: the exception is over
        self._event(stuck, "picked_up", user=self.driver, source="driver")
        self.assertEqual(stuck.state, "picked_up")
        self.assertFalse(stuck.tms_exception)
        self.assertFalse(stuck.tms_exception_reason)
        self.assertFalse(self._activities(stuck))
        done = stuck.message_ids.filtered(
            lambda m: m.mail_activity_type_id == self.activity_type
        )
        self.assertEqual(len(done), 1)
        self.assertIn("Picked Up", done.body)
        self.assertEqual(done.author_id, self.driver.partner_id)
        self.Parcel._cron_tms_exceptions()
        self.assertFalse(stuck.tms_exception)

    def test_late_parcel(self):
        now = fields.Datetime.now()
        late = self._stuck_parcel(2, date_promised=now - timedelta(hours=1))
        on_time = self._stuck_parcel(2)
        self.Parcel._cron_tms_exceptions()
        self.assertTrue(late.tms_exception)
        self.assertEqual(late.tms_exception_reason, "late")
        self.assertFalse(on_time.tms_exception)
        activity = self._activities(late)
        self.assertEqual(activity.summary, "Past its promised delivery date")
        # the company's first manager handles it: the threshold names nobody
        self.assertEqual(activity.user_id, self.manager_ma)
        # moving on does not make it on time: it stays an exception, same activity
        self._event(late, "at_hub", hub_id=self.hub_cas.id)
        self.assertTrue(late.tms_exception)
        self.assertEqual(self._activities(late), activity)
        # delivered: no longer an exception
        self._event(late, "delivered")
        self.assertFalse(late.tms_exception)
        self.assertFalse(self._activities(late))
        # neither are draft parcels, whatever their promised date
        draft = self._create_parcel(date_promised=now - timedelta(days=3))
        self.Parcel._cron_tms_exceptions()
        self.assertFalse(draft.tms_exception)

    def test_stuck_and_late_is_reported_as_late(self):
        now = fields.Datetime.now()
        parcel = self._stuck_parcel(50, date_promised=now + timedelta(hours=1))
        self.Parcel._cron_tms_exceptions()
        self.assertEqual(parcel.tms_exception_reason, "stuck")
        parcel.date_promised = now - timedelta(minutes=5)
        self.Parcel._cron_tms_exceptions()
        self.assertEqual(parcel.tms_exception_reason, "late")
        self.assertEqual(len(self._activities(parcel)), 1)

    def test_thresholds_per_company_and_hub(self):
        self._threshold(self.company_fr, "confirmed").max_hours = 72
        parcel_ma = self._stuck_parcel(60)
        parcel_fr = self._stuck_parcel(60, company=self.company_fr)
        # a hub's own threshold is stricter than the company-wide one
        hub_threshold = self.Threshold.create(
            {
                "company_id": self.company_ma.id,
                "state": "at_hub",
                "hub_id": self.hub_cas.id,
                "max_hours": 6,
                "user_id": self.hub_manager.id,
            }
        )
        at_cas = self._stuck_parcel(12)
        elsewhere = self._stuck_parcel(12)
        ten_hours_ago = fields.Datetime.now() - timedelta(hours=10)
        self._event(at_cas, "at_hub", hub_id=self.hub_cas.id, event_date=ten_hours_ago)
        self._event(elsewhere, "at_hub", event_date=ten_hours_ago)
        self.Parcel._cron_tms_exceptions()
        self.assertTrue(parcel_ma.tms_exception)
        self.assertFalse(parcel_fr.tms_exception)
        self.assertEqual(at_cas.tms_exception_threshold_id, hub_threshold)
        self.assertEqual(self._activities(at_cas).user_id, self.hub_manager)
        self.assertFalse(elsewhere.tms_exception)  # 24 h for the company

    def test_other_company_untouched_and_invisible(self):
        parcel_fr = self._stuck_parcel(50, company=self.company_fr)
        parcel_ma = self._stuck_parcel(50)
        self.Parcel._cron_tms_exceptions()
        # each company's exception goes to its own manager
        self.assertEqual(self._activities(parcel_fr).user_id, self.manager_fr)
        self.assertEqual(self._activities(parcel_ma).user_id, self.manager_ma)
        # a Moroccan operator sees the Moroccan exceptions only
        seen = self.Parcel.with_user(self.user_ma).search(
            [("tms_exception", "=", True)]
        )
        self.assertIn(parcel_ma, seen)
        self.assertNotIn(parcel_fr, seen)
        self.assertEqual(set(seen.company_id.ids), {self.company_ma.id})
        with self.assertRaises(AccessError):
            self._threshold(self.company_fr, "confirmed").with_user(
                self.manager_ma
            ).max_hours = 1
        self.assertFalse(
            self.Threshold.with_user(self.manager_ma).search(
                [("company_id", "=", self.company_fr.id)]
            )
        )

    def test_threshold_rules(self):
        threshold = self._threshold(self.company_ma, "at_hub")
        with self.assertRaises(ValidationError):
            threshold.max_hours = 0
        with self.assertRaises(ValidationError):
            self.Threshold.create(
                {"company_id": self.company_ma.id, "state": "at_hub", "max_hours": 5}
            )
        # operators read thresholds, managers change them
        with self.assertRaises(AccessError):
            threshold.with_user(self.user_ma).max_hours = 30
        threshold.with_user(self.manager_ma).max_hours = 30
        self.assertEqual(threshold.max_hours, 30)

    def test_archived_threshold_stops_and_clears(self):
        parcel = self._stuck_parcel(50)
        self.Parcel._cron_tms_exceptions()
        self.assertTrue(parcel.tms_exception)
        self._threshold(self.company_ma, "confirmed").active = False
        self.Parcel._cron_tms_exceptions()
        self.assertFalse(parcel.tms_exception)
        self.assertFalse(self._activities(parcel))

    def test_batches(self):
        parcels = (
            self._stuck_parcel(50) | self._stuck_parcel(51) | self._stuck_parcel(52)
        )
        self.assertEqual(self.Parcel._cron_tms_exceptions(batch_size=2), (2, 1))
        self.assertEqual(self.Parcel._cron_tms_exceptions(batch_size=2), (1, 0))
        self.assertTrue(all(parcels.mapped("tms_exception")))
        self.assertEqual(len(self._activities(parcels)), 3)
        self.assertEqual(self.Parcel._cron_tms_exceptions(batch_size=2), (0, 0))
