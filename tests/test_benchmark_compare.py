"""The table of "./tms bench --against REV" (tests/benchmarks/compare.py): medians,
ratio, the mark of a slower benchmark and "n/a" where a side has no figure. Pure, no
database; no timing is measured here."""

from tests.benchmarks.compare import comparison_table, main, merge


def _runs(*times, error=None):
    rows = [{"name": "x", "time_s": t, "count": 10} for t in times]
    if error:
        rows.append({"name": "x", "error": error})
    return rows


def _table_row(table, name):
    (line,) = (line for line in table.splitlines() if line.startswith(f"| {name} "))
    return [cell.strip() for cell in line.strip("|").split("|")]


def test_ratio_of_medians_and_slower_mark():
    merged = merge(
        ["steady", "slower", "faster", "limit"],
        {
            "steady": _runs(1.0, 1.0, 1.2),
            "slower": _runs(1.0, 2.0, 1.0),
            "faster": _runs(2.0, 2.0, 2.0),
            "limit": _runs(1.0),
        },
        {
            "steady": _runs(1.05, 0.9, 1.05),
            "slower": _runs(1.2, 1.11, 1.15),
            "faster": _runs(1.0, 1.0, 1.0),
            "limit": _runs(1.1),
        },
        {"steady": 1000, "slower": 1000},
    )
    by_name = {row["name"]: row for row in merged}
    assert by_name["steady"]["ratio"] == 1.05
    assert not by_name["steady"]["slower"]
    # Medians 1.0 and 1.15: one slow REV run does not hide the regression.
    assert round(by_name["slower"]["ratio"], 2) == 1.15
    assert by_name["slower"]["slower"]
    assert by_name["faster"]["ratio"] == 0.5
    assert not by_name["faster"]["slower"]
    # Exactly 10 % slower is not marked; more is.
    assert not by_name["limit"]["slower"]

    table = comparison_table(merged, "8f26c72")
    header = [cell.strip() for cell in table.splitlines()[0].strip("|").split("|")]
    assert header[:5] == ["name", "size", "8f26c72 (s)", "current (s)", "ratio"]
    assert _table_row(table, "slower")[:6] == [
        "slower",
        "1,000",
        "1.000 ±50%",
        "1.150 ±4%",
        "1.15",
        "slower > 10 %",
    ]
    assert _table_row(table, "steady")[4:6] == ["1.05", ""]
    assert _table_row(table, "faster")[2:6] == ["2.000 ±0%", "1.000 ±0%", "0.50", ""]
    # A single run has no spread.
    assert _table_row(table, "limit")[1:5] == ["-", "1.000", "1.100", "1.10"]


def test_na_when_a_side_cannot_run():
    merged = merge(
        ["new_feature", "missing", "flaky", "broken_now"],
        {
            "new_feature": _runs(error="AttributeError: 'tms.parcel' has no 'foo'"),
            "flaky": _runs(1.0, 1.0, error="OperationalError: lock timeout"),
            "broken_now": _runs(1.0),
        },
        {
            "new_feature": _runs(1.0),
            "missing": _runs(2.0),
            "flaky": _runs(1.0, 1.0, 1.0),
            "broken_now": _runs(error="KeyError: 'x'"),
        },
    )
    table = comparison_table(merged, "REV")
    row = _table_row(table, "new_feature")
    assert row[2:6] == ["n/a", "1.000", "n/a", ""]
    assert "REV: AttributeError: 'tms.parcel' has no 'foo'" in row[6]
    # Never asked on REV's side (its process died before): n/a without a note.
    assert _table_row(table, "missing")[2:6] == ["n/a", "2.000", "n/a", ""]
    row = _table_row(table, "flaky")
    assert row[2:5] == ["1.000 ±0%", "1.000 ±0%", "1.00"]
    assert "REV: 1 failed run(s): OperationalError: lock timeout" in row[6]
    row = _table_row(table, "broken_now")
    assert row[2:5] == ["1.000", "n/a", "n/a"]
    assert "current: KeyError: 'x'" in row[6]


def test_counts_that_differ_are_noted():
    merged = merge(
        ["imports"],
        {"imports": [{"name": "imports", "time_s": 1.0, "count": 90}]},
        {"imports": [{"name": "imports", "time_s": 1.0, "count": 100}]},
    )
    assert merged[0]["note"] == "counts differ: [90] vs [100]"
    # Successful concurrent calls vary from run to run: not noted.
    merged = merge(
        ["http"],
        {"http": [{"time_s": 1.0, "count": 248, "extra": {"calls": 250}}]},
        {"http": [{"time_s": 1.0, "count": 250, "extra": {"calls": 250}}]},
    )
    assert merged[0]["note"] == ""


def test_usage_errors(capsys):
    base = ["--config", "a", "--database", "b", "--rev-config", "c"]
    for argv in (base, [*base, "--rev-database", "d", "--repeat", "0"]):
        try:
            main(argv)
        except SystemExit as exit_:
            assert exit_.code == 2
        else:
            raise AssertionError(f"{argv} was accepted")
    assert "--repeat must be at least 1" in capsys.readouterr().err
