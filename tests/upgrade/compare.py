"""Compare two snapshots of a database (tests/upgrade/snapshot.py), taken before and
after an upgrade, and say what the upgrade lost or changed.

Pure Python, no Odoo: ``compare(before, after, expected)`` returns a :class:`Report`.

- A lost record (a model with fewer records, or a sampled record gone) is a loss.
- A sampled stored field whose value changed, or that disappeared, is a difference.
- ``expected`` (tests/upgrade/expected_changes.json) declares what changes on purpose,
  per model::

      {"tms.parcel": {"removed_fields": ["old_field"],
                      "renamed": {"old_name": "new_name"},
                      "changed_fields": ["field_recomputed_by_the_new_code"],
                      "created": "why the new code adds records of this model",
                      "removed": "why the model is gone"}}

  a renamed field is compared under its new name; a declared change is reported, not
  failed. Keys starting with "_" are comments.
- More records after than before is reported (the new code created them), not failed;
  so are x2many fields that only gained links, and a gone model that had no records.

``python -m tests.upgrade.compare BEFORE AFTER [EXPECTED]`` prints the table and exits
with 1 on a loss or an undeclared difference.
"""

import json
import math
import sys
from dataclasses import dataclass, field
from pathlib import Path

# Written by every upgrade (the data files are loaded again): not data of users.
IGNORED_FIELDS = {"write_date", "write_uid", "__last_update"}
MAX_EXAMPLES = 3


@dataclass
class ModelResult:
    model: str
    before: int | None
    after: int | None
    losses: list = field(default_factory=list)  # failures: records or data lost
    differences: list = field(default_factory=list)  # failures: values changed
    accepted: list = field(default_factory=list)  # declared in expected changes
    notes: list = field(default_factory=list)  # new records, new fields

    @property
    def failed(self):
        return bool(self.losses or self.differences)


@dataclass
class Report:
    models: list

    @property
    def failed(self):
        return any(result.failed for result in self.models)

    @property
    def losses(self):
        return [(r.model, loss) for r in self.models for loss in r.losses]

    @property
    def differences(self):
        return [(r.model, diff) for r in self.models for diff in r.differences]

    @property
    def accepted(self):
        return [(r.model, text) for r in self.models for text in r.accepted]

    def table(self, all_models=False):
        """A text table: model, before, after, what differs (only models with
        something to say unless ``all_models``)."""
        rows = [("model", "before", "after", "differences")]
        for result in self.models:
            texts = (
                [f"LOST {text}" for text in result.losses]
                + [f"CHANGED {text}" for text in result.differences]
                + [f"expected: {text}" for text in result.accepted]
                + result.notes
            )
            if not texts and not all_models:
                continue
            rows.append(
                (
                    result.model,
                    "-" if result.before is None else str(result.before),
                    "-" if result.after is None else str(result.after),
                    "; ".join(texts) or "=",
                )
            )
        widths = [max(len(row[i]) for row in rows) for i in range(3)]
        return "\n".join(
            f"{row[0]:<{widths[0]}}  {row[1]:>{widths[1]}}  {row[2]:>{widths[2]}}  "
            f"{row[3]}"
            for row in rows
        )


def _same(old, new):
    if isinstance(old, float) or isinstance(new, float):
        if isinstance(old, int | float) and isinstance(new, int | float):
            return math.isclose(old, new, rel_tol=1e-9, abs_tol=1e-9)
    return old == new


def _examples(ids):
    ids = sorted(ids, key=int)
    more = f" (+{len(ids) - MAX_EXAMPLES})" if len(ids) > MAX_EXAMPLES else ""
    return ", ".join(ids[:MAX_EXAMPLES]) + more


def _compare_count(result, before, after, expected):
    if after["count"] < before["count"]:
        result.losses.append(f"{before['count'] - after['count']} records")
    elif after["count"] > before["count"]:
        text = f"+{after['count'] - before['count']} records"
        if expected.get("created"):
            result.accepted.append(f"{text} ({expected['created']})")
        else:
            result.notes.append(f"{text} created by the upgrade")
    gone = sorted(set(before["records"]) - set(after["records"]), key=int)
    if gone:
        result.losses.append(f"sampled records {_examples(gone)} gone")


def _compare_values(before, after, old_name, new_name):
    """The sampled ids whose ``old_name`` changed, and those (x2many) that only
    gained links."""
    changed, grown = [], []
    for record_id, old_row in before["records"].items():
        new_row = after["records"].get(record_id)
        if new_row is None or old_name not in old_row:
            continue
        old, new = old_row[old_name], new_row.get(new_name)
        if _same(old, new):
            continue
        if isinstance(old, list) and isinstance(new, list) and set(old) < set(new):
            grown.append(record_id)
        else:
            changed.append(record_id)
    return changed, grown


def _compare_fields(result, before, after, expected):
    declared_removed = set(expected.get("removed_fields", ()))
    renamed = dict(expected.get("renamed", {}))
    declared_changed = set(expected.get("changed_fields", ()))
    new_fields = set(after["fields"]) - set(before["fields"]) - set(renamed.values())
    if new_fields:
        result.notes.append(f"new fields: {', '.join(sorted(new_fields))}")
    for old_name in sorted(set(before["fields"]) - IGNORED_FIELDS):
        new_name = renamed.get(old_name, old_name)
        if new_name not in after["fields"]:
            if old_name in declared_removed:
                result.accepted.append(f"field {old_name} removed")
            else:
                result.losses.append(f"field {old_name} gone (not in expected changes)")
            continue
        if new_name != old_name:
            result.accepted.append(f"field {old_name} renamed to {new_name}")
        changed, grown = _compare_values(before, after, old_name, new_name)
        if grown:
            result.notes.append(f"{old_name} gained links on {_examples(grown)}")
        if changed:
            text = (
                f"{old_name} on {len(changed)} sampled records ({_examples(changed)})"
            )
            if old_name in declared_changed:
                result.accepted.append(f"{text} changed")
            else:
                result.differences.append(text)


def compare_model(name, before, after, expected):
    """The :class:`ModelResult` of one model; ``after`` is None when it is gone."""
    if after is None:
        result = ModelResult(name, before["count"], None)
        if expected.get("removed"):
            result.accepted.append(f"model removed: {expected['removed']}")
        elif before["count"]:
            result.losses.append(f"model gone with its {before['count']} records")
        else:
            result.notes.append("model gone (it had no records)")
        return result
    result = ModelResult(name, before["count"], after["count"])
    _compare_count(result, before, after, expected)
    _compare_fields(result, before, after, expected)
    return result


def compare(before, after, expected=None):
    """Compare two snapshots (dicts as written by tests/upgrade/snapshot.py)."""
    expected = {
        name: value
        for name, value in (expected or {}).items()
        if not name.startswith("_")
    }
    results = [
        compare_model(
            name,
            data,
            after["models"].get(name),
            expected.get(name, {}),
        )
        for name, data in sorted(before["models"].items())
    ]
    for name in sorted(set(after["models"]) - set(before["models"])):
        data = after["models"][name]
        result = ModelResult(name, None, data["count"])
        result.notes.append("new model")
        results.append(result)
    return Report(results)


def main(argv):
    before, after = (json.loads(Path(p).read_text(encoding="utf-8")) for p in argv[:2])
    expected = {}
    if len(argv) > 2 and Path(argv[2]).exists():
        expected = json.loads(Path(argv[2]).read_text(encoding="utf-8"))
    report = compare(before, after, expected)
    old, new = before.get("modules", {}), after.get("modules", {})
    for module in sorted(set(old) | set(new)):
        print(f"    {module}: {old.get(module, '-')} -> {new.get(module, '-')}")
    print(report.table())
    checked = sum(len(data["records"]) for data in before["models"].values())
    print(
        f"{len(report.models)} models, {checked} sampled records: "
        f"{len(report.losses)} losses, {len(report.differences)} differences, "
        f"{len(report.accepted)} expected changes"
    )
    return 1 if report.failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
