# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Where each vehicle end and each stop sits in the matrix.

Point order: every vehicle's start, then the end of every vehicle that has its own,
then every stop that has a location, each group in the caller's order.
"""


class Layout:
    def __init__(self, stops, vehicles):
        self.points = [vehicle.start for vehicle in vehicles]
        self.start_index = list(range(len(vehicles)))
        self.end_index = []
        for position, vehicle in enumerate(vehicles):
            if vehicle.end is None:
                self.end_index.append(position)
            else:
                self.end_index.append(len(self.points))
                self.points.append(vehicle.end)
        self.stop_index = {}
        self.routable = []
        for stop in stops:
            if stop.location is None:
                continue
            self.stop_index[stop.id] = len(self.points)
            self.points.append(stop.location)
            self.routable.append(stop)


def points(stops, vehicles):
    """The locations the matrix of this problem is built over, in the solver's order."""
    return Layout(stops, vehicles).points
