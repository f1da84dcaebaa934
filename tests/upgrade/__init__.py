"""The upgrade test of "./tms test-upgrade FROM_REV".

``activity`` and ``snapshot`` run inside ``odoo-bin shell`` (with the code of either
revision); ``compare`` is pure Python, unit-tested by tests/test_upgrade_compare.py.
"""
