"""Start a throwaway PostgreSQL cluster from Debian's packages for the test run.

Used by ``tests/conftest.py`` when ``TEST_DATABASE_URL`` is not set (``.ci/run`` makes sure the
server package is installed). The cluster lives in a temporary folder, listens on
127.0.0.1 on a free port, trusts local connections, and is removed afterwards.
"""
from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path


class ClusterUnavailable(RuntimeError):
    pass


def _bindir() -> Path:
    try:
        out = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True, check=True)
        cand = Path(out.stdout.strip())
        if (cand / "initdb").exists():
            return cand
    except (OSError, subprocess.CalledProcessError):
        pass
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if found:
        return Path(found[-1]).parent
    which = shutil.which("initdb")
    if which:
        return Path(os.path.realpath(which)).parent
    raise ClusterUnavailable(
        "PostgreSQL server binaries not found (apt-get install postgresql)"
    )


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Cluster:
    datadir: Path
    port: int
    bindir: Path
    run_as: str | None

    @property
    def admin_url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def url(self, dbname: str) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{dbname}"

    def _cmd(self, *args: str) -> list[str]:
        if self.run_as:
            return ["runuser", "-u", self.run_as, "--", *args]
        return list(args)

    def stop(self) -> None:
        subprocess.run(
            self._cmd(str(self.bindir / "pg_ctl"), "-D", str(self.datadir), "-m", "immediate", "stop"),
            capture_output=True,
        )
        shutil.rmtree(self.datadir.parent, ignore_errors=True)


def start(base: str | None = None) -> Cluster:
    bindir = _bindir()
    run_as = None
    if os.geteuid() == 0:  # postgres refuses to run as root
        try:
            pwd.getpwnam("postgres")
        except KeyError as exc:
            raise ClusterUnavailable("running as root and there is no 'postgres' user") from exc
        run_as = "postgres"
    root = Path(tempfile.mkdtemp(prefix="fund-pg-", dir=base))
    datadir = root / "data"
    if run_as:
        shutil.chown(root, user=run_as)
        os.chmod(root, 0o755)
    init = subprocess.run(
        [*(["runuser", "-u", run_as, "--"] if run_as else []), str(bindir / "initdb"),
         "-D", str(datadir), "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync",
         "--locale=C.UTF-8"],
        capture_output=True, text=True,
    )
    if init.returncode != 0:
        shutil.rmtree(root, ignore_errors=True)
        raise ClusterUnavailable(f"initdb failed: {init.stderr.strip()[-500:]}")
    port = _free_port()
    cluster = Cluster(datadir, port, bindir, run_as)
    opts = (
        f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off "
        "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
    )
    started = subprocess.run(
        cluster._cmd(str(bindir / "pg_ctl"), "-D", str(datadir), "-o", opts,
                     "-l", str(root / "server.log"), "-w", "-t", "60", "start"),
        capture_output=True, text=True,
    )
    if started.returncode != 0:
        log = (root / "server.log").read_text() if (root / "server.log").exists() else ""
        cluster.stop()
        raise ClusterUnavailable(f"pg_ctl start failed: {started.stderr.strip()} {log[-500:]}")
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return cluster
        time.sleep(0.1)
    cluster.stop()
    raise ClusterUnavailable("PostgreSQL did not accept connections within 30 s")

