"""The comparison of the upgrade test ("./tms test-upgrade"): what it fails on and
what it accepts. Pure, no database."""

import copy
import json

from tests.upgrade.compare import compare, main


def _snapshot():
    return {
        "modules": {"tms_core": "18.0.1.0.0"},
        "models": {
            "tms.parcel": {
                "count": 3,
                "fields": {
                    "id": "integer",
                    "tracking_number": "char",
                    "weight": "float",
                    "hub_id": "many2one",
                    "tag_ids": "many2many",
                    "note_old": "text",
                    "write_date": "datetime",
                },
                "records": {
                    str(i): {
                        "id": i,
                        "tracking_number": f"TMS{i}",
                        "weight": 1.5 * i,
                        "hub_id": 7,
                        "tag_ids": [1, 2],
                        "note_old": f"note {i}",
                        "write_date": "2026-01-01 10:00:00",
                    }
                    for i in (1, 2, 3)
                },
            },
            "res.partner": {
                "count": 1,
                "fields": {"id": "integer", "name": "char"},
                "records": {"1": {"id": 1, "name": "Dar Moda"}},
            },
        },
    }


def test_same_data_passes():
    before = _snapshot()
    after = copy.deepcopy(before)
    # every upgrade rewrites write_date: not a difference
    after["models"]["tms.parcel"]["records"]["1"]["write_date"] = "2026-02-02 00:00:00"
    report = compare(before, after)
    assert not report.failed
    assert not report.losses and not report.differences


def test_lost_record_fails():
    before = _snapshot()
    after = copy.deepcopy(before)
    del after["models"]["tms.parcel"]["records"]["2"]
    after["models"]["tms.parcel"]["count"] = 2
    report = compare(before, after)
    assert report.failed
    assert report.losses == [
        ("tms.parcel", "1 records"),
        ("tms.parcel", "sampled records 2 gone"),
    ]
    assert "LOST 1 records" in report.table()


def test_lost_sampled_record_fails_even_if_count_is_equal():
    before = _snapshot()
    after = copy.deepcopy(before)
    del after["models"]["tms.parcel"]["records"]["3"]  # replaced by another record
    report = compare(before, after)
    assert report.losses == [("tms.parcel", "sampled records 3 gone")]


def test_changed_value_fails():
    before = _snapshot()
    after = copy.deepcopy(before)
    after["models"]["tms.parcel"]["records"]["3"]["hub_id"] = False
    report = compare(before, after)
    assert report.failed
    assert report.differences == [("tms.parcel", "hub_id on 1 sampled records (3)")]


def test_lost_link_fails_added_link_is_reported():
    before = _snapshot()
    after = copy.deepcopy(before)
    after["models"]["tms.parcel"]["records"]["1"]["tag_ids"] = [1, 2, 5]
    report = compare(before, after)
    assert not report.failed
    assert "tag_ids gained links on 1" in report.table()
    after["models"]["tms.parcel"]["records"]["2"]["tag_ids"] = [2, 5]
    report = compare(before, after)
    assert report.differences == [("tms.parcel", "tag_ids on 1 sampled records (2)")]


def test_float_rounding_noise_is_no_change():
    before = _snapshot()
    after = copy.deepcopy(before)
    after["models"]["tms.parcel"]["records"]["1"]["weight"] = 1.5 + 1e-12
    assert not compare(before, after).failed


def test_declared_rename_is_accepted():
    before = _snapshot()
    after = copy.deepcopy(before)
    parcel = after["models"]["tms.parcel"]
    parcel["fields"]["note"] = parcel["fields"].pop("note_old")
    for row in parcel["records"].values():
        row["note"] = row.pop("note_old")
    assert compare(before, after).losses == [
        ("tms.parcel", "field note_old gone (not in expected changes)")
    ]
    expected = {"tms.parcel": {"renamed": {"note_old": "note"}}}
    report = compare(before, after, expected)
    assert not report.failed
    assert report.accepted == [("tms.parcel", "field note_old renamed to note")]


def test_declared_rename_still_compares_values():
    before = _snapshot()
    after = copy.deepcopy(before)
    parcel = after["models"]["tms.parcel"]
    parcel["fields"]["note"] = parcel["fields"].pop("note_old")
    for row in parcel["records"].values():
        row["note"] = row.pop("note_old")
    parcel["records"]["1"]["note"] = False  # the migration forgot to copy it
    report = compare(before, after, {"tms.parcel": {"renamed": {"note_old": "note"}}})
    assert report.differences == [("tms.parcel", "note_old on 1 sampled records (1)")]


def test_declared_removed_field_and_change_are_reported_not_failed():
    before = _snapshot()
    after = copy.deepcopy(before)
    parcel = after["models"]["tms.parcel"]
    del parcel["fields"]["note_old"]
    for row in parcel["records"].values():
        del row["note_old"]
        row["weight"] *= 2
    expected = {
        "_comment": "comments are ignored",
        "tms.parcel": {"removed_fields": ["note_old"], "changed_fields": ["weight"]},
    }
    report = compare(before, after, expected)
    assert not report.failed
    assert report.accepted == [
        ("tms.parcel", "field note_old removed"),
        ("tms.parcel", "weight on 3 sampled records (1, 2, 3) changed"),
    ]


def test_new_records_and_models_are_reported_not_failed():
    before = _snapshot()
    after = copy.deepcopy(before)
    after["models"]["res.partner"]["count"] = 4
    after["models"]["tms.hw.box"] = {"count": 0, "fields": {}, "records": {}}
    report = compare(before, after)
    assert not report.failed
    table = report.table()
    assert "+3 records created by the upgrade" in table
    assert "new model" in table


def test_gone_model_fails_unless_declared():
    before = _snapshot()
    after = copy.deepcopy(before)
    del after["models"]["res.partner"]
    assert compare(before, after).losses == [
        ("res.partner", "model gone with its 1 records")
    ]
    expected = {"res.partner": {"removed": "merged into another model"}}
    assert not compare(before, after, expected).failed
    # a model without records loses nothing: reported only
    before["models"]["res.partner"].update(count=0, records={})
    report = compare(before, after)
    assert not report.failed
    assert "model gone (it had no records)" in report.table()


def test_command_line_exit_code(tmp_path, capsys):
    before = _snapshot()
    after = copy.deepcopy(before)
    (tmp_path / "before.json").write_text(json.dumps(before))
    (tmp_path / "after.json").write_text(json.dumps(after))
    paths = [str(tmp_path / "before.json"), str(tmp_path / "after.json")]
    assert main(paths) == 0
    after["models"]["res.partner"]["count"] = 0
    (tmp_path / "after.json").write_text(json.dumps(after))
    assert main(paths) == 1
    assert "LOST 1 records" in capsys.readouterr().out
