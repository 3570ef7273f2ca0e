"""A throwaway PostgreSQL cluster: ``initdb`` in a temporary folder, served on a Unix socket there, removed after.

PostgreSQL refuses to run as root: as root the cluster runs as the
``postgres`` system user, which owns the folder. Debian installs the
binaries under ``/usr/lib/postgresql/<version>/bin``, off ``PATH``.
"""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import tempfile
from pathlib import Path


def binaries() -> Path | None:
    """The folder holding ``initdb`` and ``pg_ctl``: on ``PATH``, else Debian's newest; ``None`` if absent."""
    found = shutil.which("pg_ctl")
    if found and shutil.which("initdb"):
        return Path(found).parent
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parts[-3]) if p.parts[-3].isdigit() else 0)
    return versions[-1].parent if versions else None


class Cluster:
    """Start with ``start()``; ``url`` then connects as the superuser ``duet`` (trust, socket only)."""

    def __init__(self, bin_dir: Path) -> None:
        self.bin_dir = bin_dir
        self.folder = Path(tempfile.mkdtemp(prefix="duet-pg-"))
        self.user: str | None = None
        if os.geteuid() == 0:
            self.user = "postgres"
            owner = pwd.getpwnam(self.user)
            os.chown(self.folder, owner.pw_uid, owner.pw_gid)
        self.url = f"postgresql://duet@/postgres?host={self.folder}"

    def _run(self, *args: str) -> None:
        subprocess.run([str(self.bin_dir / args[0]), *args[1:]], check=True, user=self.user, cwd=self.folder,
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    def start(self, *, durable: bool = False, **settings: str) -> Cluster:
        """Start the server; not ``durable``, it skips fsync (a throwaway cluster for tests)."""
        data = self.folder / "data"
        self._run("initdb", "-D", str(data), "-U", "duet", "--auth=trust", "-E", "UTF8", "--no-locale", "--no-sync")
        if not durable:
            settings = {"fsync": "off", "synchronous_commit": "off", "full_page_writes": "off", **settings}
        settings = {"listen_addresses": "''", "max_connections": "60", **settings}
        options = f"-k {self.folder} " + " ".join(f"-c {name}={value}" for name, value in settings.items())
        self._run("pg_ctl", "-D", str(data), "-l", str(self.folder / "log"), "-w", "-o", options, "start")
        return self

    def stop(self) -> None:
        if (self.folder / "data" / "postmaster.pid").exists():
            self._run("pg_ctl", "-D", str(self.folder / "data"), "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.folder, ignore_errors=True)
