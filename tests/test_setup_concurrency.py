"""Two ``./tms`` commands started at once set the machine up once, and both succeed.

CI runs two test runs side by side on a machine whose PostgreSQL cluster is
stopped. Both found the cluster down and both started it; one failed with
"PostgreSQL did not start", and the whole suite with it. The setup now holds a
lock: one sets up, the other waits and finds everything ready. This runs two
``./tms setup`` at once on a cache folder of its own (its own cluster, stopped
afterwards), sharing the project's virtualenv as CI does.
"""

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.skipif(
    not shutil.which("flock") or not (ROOT / ".venv" / "bin" / "python").exists(),
    reason="needs flock and the project's virtualenv (./tms setup)",
)


@pytest.fixture
def cache():
    # The cluster belongs to a system user when running as root: that user must
    # reach the folder, which a private temporary folder would not let it do.
    path = Path(tempfile.mkdtemp(prefix="tms-setup-test-", dir="/var/tmp"))
    path.chmod(0o755)
    yield path
    env = dict(os.environ, TMS_CACHE=str(path), TMS_STATE=str(path / "state-stop"))
    subprocess.run(
        [str(ROOT / "tms"), "stop", "--all"],
        env=env,
        capture_output=True,
        timeout=120,
        check=False,
    )
    shutil.rmtree(path, ignore_errors=True)


def test_two_setups_at_once_both_succeed(cache):
    runs = []
    for name in ("first", "second"):
        env = dict(
            os.environ,
            TMS_CACHE=str(cache),
            TMS_STATE=str(cache / f"state-{name}"),
            TMS_HTTP_PORT="8199",
        )
        # No PG* server of the caller's: each run uses the cluster in the cache.
        for var in ("PGHOST", "PGPORT", "PGUSER", "PGPASSWORD"):
            env.pop(var, None)
        runs.append(
            subprocess.Popen(
                [str(ROOT / "tms"), "setup"],
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
            )
        )
    outputs = [run.communicate(timeout=600)[0] for run in runs]
    for run, output in zip(runs, outputs, strict=True):
        assert run.returncode == 0, output
    started = [output for output in outputs if "starting it (socket" in output]
    assert len(started) == 1, outputs
    assert any("project cluster running" in output for output in outputs), outputs
