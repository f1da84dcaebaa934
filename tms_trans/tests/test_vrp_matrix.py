# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Distance matrices (tools/vrp/matrix.py) against an OSRM-shaped local server."""

import importlib.util
import json
import socket
import sys
import threading
import time
import unittest
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from unittest.mock import patch
from urllib.parse import parse_qs, urlsplit


def _vrp(submodule):
    """Import tools/vrp/<submodule> by path: it needs neither Odoo nor a database."""
    name = "tms_trans_tools_vrp"
    if name not in sys.modules:
        init = Path(__file__).resolve().parents[1] / "tools" / "vrp" / "__init__.py"
        spec = importlib.util.spec_from_file_location(
            name, init, submodule_search_locations=[str(init.parent)]
        )
        package = importlib.util.module_from_spec(spec)
        sys.modules[name] = package
        spec.loader.exec_module(package)
    return importlib.import_module(f"{name}.{submodule}")


matrix = _vrp("matrix")
Location = _vrp("problem").Location

CASABLANCA = Location(33.5731, -7.5898)
RABAT = Location(34.0209, -6.8416)
POINTS = [
    CASABLANCA,
    RABAT,
    Location(33.60, -7.62),
    Location(33.55, -7.55),
    Location(33.58, -7.70),
]


def road(i, j):
    """The fake server's road: distinct, asymmetric figures per pair."""
    return 1000 * (i + 1) + 10 * (j + 1), 100 * (i + 1) + (j + 1)


class OsrmServer:
    """Answers /table/v1/driving/{lon,lat;...} like OSRM, from ``road`` over the
    coordinates' positions in POINTS; ``delay`` seconds late, or with ``body``."""

    def __init__(self, delay=0.0, body=None, unroutable=()):
        self.requests = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                server.requests.append(self.path)
                time.sleep(server.delay)
                url = urlsplit(self.path)
                payload = server.body
                if payload is None:
                    payload = server.table(url)
                data = json.dumps(payload).encode()
                try:
                    self.send_response(200)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    return  # the client gave up waiting (the slow-server test)

            def log_message(self, *args):
                pass

        self.delay, self.body, self.unroutable = delay, body, set(unroutable)
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def table(self, url):
        assert url.path.startswith("/table/v1/driving/")
        coords = url.path.removeprefix("/table/v1/driving/").split(";")
        where = {f"{p.longitude:.6f},{p.latitude:.6f}": k for k, p in enumerate(POINTS)}
        positions = [where[c] for c in coords]
        query = parse_qs(url.query)
        assert query["annotations"] == ["distance,duration"]
        sources = [int(s) for s in query["sources"][0].split(";")]
        destinations = [int(d) for d in query["destinations"][0].split(";")]
        distances, durations = [], []
        for s in sources:
            distances.append([])
            durations.append([])
            for d in destinations:
                i, j = positions[s], positions[d]
                metres, seconds = road(i, j) if i != j else (0, 0)
                if (i, j) in self.unroutable:
                    metres = seconds = None
                distances[-1].append(metres)
                durations[-1].append(seconds)
        return {"code": "Ok", "distances": distances, "durations": durations}

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


class TestHaversine(unittest.TestCase):
    def test_distance_times_road_factor_and_speed(self):
        built = matrix.build([CASABLANCA, RABAT], road_factor=1.3, speed_kmh=40)
        crow = matrix.haversine(CASABLANCA, RABAT)
        self.assertAlmostEqual(crow / 1000, 87, delta=2)  # Casablanca - Rabat
        self.assertEqual(built.distance[0][1], round(crow * 1.3))
        self.assertEqual(built.duration[0][1], round(built.distance[0][1] / (40 / 3.6)))
        self.assertEqual(built.distance[0][0], 0)
        self.assertEqual((built.source, built.note), ("haversine", ""))


class TestOsrm(unittest.TestCase):
    def serve(self, **kwargs):
        server = OsrmServer(**kwargs)
        self.addCleanup(server.close)
        return server

    def expected(self):
        n = len(POINTS)
        distance = [
            [road(i, j)[0] if i != j else 0 for j in range(n)] for i in range(n)
        ]
        duration = [
            [road(i, j)[1] if i != j else 0 for j in range(n)] for i in range(n)
        ]
        return distance, duration

    def test_table_then_cache(self):
        server = self.serve()
        cache = {}
        built = matrix.build(POINTS, osrm_url=server.url, cache=cache)
        self.assertEqual((built.source, built.note), ("osrm", ""))
        self.assertEqual((built.distance, built.duration), self.expected())
        self.assertEqual(len(server.requests), 1)
        again = matrix.build(POINTS, osrm_url=server.url, cache=cache)
        self.assertEqual(
            len(server.requests), 1, "the second matrix comes from the cache"
        )
        self.assertEqual(again.distance, built.distance)
        # one new point: only its legs are asked for
        more = [*POINTS[:3], POINTS[4]]
        matrix.build(more, osrm_url=server.url, cache={})
        self.assertEqual(len(server.requests), 2)

    def test_large_tables_in_chunks(self):
        server = self.serve()
        with patch.object(matrix, "OSRM_CHUNK", 2):
            built = matrix.build(POINTS, osrm_url=server.url)
        self.assertEqual((built.distance, built.duration), self.expected())
        self.assertEqual(
            len(server.requests), 9
        )  # 3 source blocks x 3 destination blocks

    def test_server_down_falls_back_visibly(self):
        with socket.socket() as sock:  # a port nobody listens on
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        built = matrix.build(POINTS, osrm_url=f"http://127.0.0.1:{port}", timeout=1)
        self.assertEqual(built.source, "haversine")
        self.assertIn("unreachable", built.note)
        self.assertEqual(built.distance, matrix.build(POINTS).distance)

    def test_slow_server_falls_back_visibly(self):
        server = self.serve(delay=1.5)
        built = matrix.build(POINTS, osrm_url=server.url, timeout=0.3)
        self.assertEqual(built.source, "haversine")
        self.assertIn("no answer within 0.3 s", built.note)

    def test_error_answer_falls_back_visibly(self):
        server = self.serve(
            body={"code": "TooBig", "message": "Too many table coordinates"}
        )
        built = matrix.build(POINTS, osrm_url=server.url)
        self.assertEqual(built.source, "haversine")
        self.assertIn("TooBig", built.note)

    def test_unroutable_pair_uses_haversine_for_that_pair(self):
        server = self.serve(unroutable={(0, 1)})
        built = matrix.build(POINTS, osrm_url=server.url)
        self.assertEqual(built.source, "osrm")
        self.assertIn("1 legs", built.note)
        self.assertEqual(
            built.distance[0][1], round(matrix.haversine(CASABLANCA, RABAT) * 1.3)
        )
        self.assertEqual(built.distance[1][0], road(1, 0)[0])
