# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Every ``type="object"`` button of the suite's views can be called the way the web
client calls it.

The web client calls a button through ``/web/dataset/call_button``, that is
``odoo.api.call_kw(env[model], name, [ids], {"context": ...})``: a form button with
the form's record, a list header button with the selected records (none when the
button is ``display="always"`` and nothing is selected), a kanban or one2many row
button with its row. An ``@api.model`` method then receives the ids as an extra
argument and crashes with a ``TypeError``; so does a method that needs more than
``self``.
"""

import inspect

from lxml import etree

from odoo.api import call_kw
from odoo.exceptions import UserError
from odoo.models import check_method_name
from odoo.tests import TransactionCase, tagged

MODULES = ("tms_core", "tms_ec", "tms_hw_proxy")


def object_buttons(arch, model, env):
    """``(model, button, in_list_header)`` for every object button of ``arch``,
    with the model of the (sub)view that holds it."""

    def walk(node, model, in_list_header):
        for child in node:
            if not isinstance(child.tag, str):
                continue
            child_model = model
            if child.tag == "field" and len(child):
                field = env[model]._fields.get(child.get("name"))
                if field is not None and field.relational:
                    child_model = field.comodel_name
            header = in_list_header or (child.tag == "header" and node.tag == "list")
            if child.get("type") == "object" and child.get("name"):
                yield child_model, child, header
            yield from walk(child, child_model, header)

    yield from walk(arch, model, False)


@tagged("post_install", "-at_install")
class TestViewButtons(TransactionCase):
    def _suite_views(self):
        data = self.env["ir.model.data"].search(
            [("module", "in", MODULES), ("model", "=", "ir.ui.view")]
        )
        return self.env["ir.ui.view"].browse(data.mapped("res_id")).exists()

    def _buttons(self):
        """Object buttons of the suite's views, found in the complete arch of the
        views they belong to (inherited views may put buttons inside a one2many's
        subview), deduplicated; core's own buttons of these views are left out."""
        views = self._suite_views().filtered(
            lambda v: v.type in ("form", "list", "kanban")
        )
        ours = set()
        for view in views:
            for element in etree.fromstring(view.arch_db.encode()).iter():
                if element.get("type") == "object" and element.get("name"):
                    ours.add(element.get("name"))
        roots = self.env["ir.ui.view"]
        for view in views:
            while view.mode != "primary" and view.inherit_id:
                view = view.inherit_id
            roots |= view
        seen = {}
        for root in roots:
            arch = root._get_combined_arch()
            for model, button, header in object_buttons(arch, root.model, self.env):
                name = button.get("name")
                if name not in ours:
                    continue
                key = (model, name)
                where = f"{root.xml_id or root.name} ({model})"
                always = header and button.get("display") == "always"
                previous = seen.get(key)
                seen[key] = (where, always or (previous and previous[1]))
        return seen

    def _call_problem(self, model, name):
        """Why the web client cannot call ``model.name(records)``, or None."""
        try:
            check_method_name(name)
        except Exception as error:  # noqa: BLE001 - the reason is the report
            return str(error)
        method = getattr(type(self.env[model]), name, None)
        if not callable(method):
            return "no such method"
        if getattr(method, "_api", None) in ("model", "model_create"):
            return (
                "an @api.model method: the web client passes the record ids as an "
                "argument (TypeError)"
            )
        try:
            inspect.signature(method).bind(self.env[model])
        except TypeError as error:
            return f"cannot be called with the records alone: {error}"
        return None

    def test_buttons_are_callable_with_records(self):
        buttons = self._buttons()
        self.assertTrue(buttons, "the suite's views have object buttons")
        problems = []
        for (model, name), (where, _always) in sorted(buttons.items()):
            problem = self._call_problem(model, name)
            if problem:
                problems.append(f"{model}.{name} in {where}: {problem}")
        self.assertFalse(problems, "\n".join(problems))

    def test_list_header_buttons_without_selection(self):
        """A ``display="always"`` list header button is called with no record when
        nothing is selected: through the web client's path it answers or says what
        to do, it does not crash."""
        problems = []
        for (model, name), (where, always) in sorted(self._buttons().items()):
            if not always or self._call_problem(model, name):
                continue
            try:
                with self.env.cr.savepoint():
                    call_kw(self.env[model], name, [[]], {})
            except UserError as error:
                # telling the user to select records first is an answer
                self.assertTrue(str(error))
            except Exception as error:  # noqa: BLE001 - the reason is the report
                problems.append(f"{model}.{name} in {where}: {error!r}")
        self.assertFalse(problems, "\n".join(problems))

    def test_api_model_header_button_is_reported(self):
        """The check itself catches a list header button wired to an @api.model
        method (the kind of "Import a File" crash)."""
        arch = etree.fromstring(
            b"<list><header><button name='name_create' type='object' "
            b"display='always'/></header><field name='name'/></list>"
        )
        ((model, button, header),) = object_buttons(arch, "res.partner", self.env)
        self.assertTrue(header)
        self.assertIn("@api.model", self._call_problem(model, button.get("name")))
        self.assertIn("cannot be called", self._call_problem(model, "write"))
