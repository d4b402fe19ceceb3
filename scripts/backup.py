#!/usr/bin/env python3
"""Back up the advisor's database, or restore it from a backup, on SQLite or PostgreSQL.

    python scripts/backup.py backup [--output FILE]   # make backup
    python scripts/backup.py restore FILE             # make restore BACKUP=FILE

The database is the one the app uses (DATABASE_URL, as in advisor/settings.py).

- SQLite: a consistent copy made with SQLite's online backup API, safe while the app runs (WAL
  included). Restoring copies the backup back page by page in one transaction.
- PostgreSQL: `pg_dump --format=custom`, then `pg_restore --clean --if-exists --single-transaction`.
  The rows of the shared cache table (rendered PDFs, rate-limit counts) are left out: they are
  rebuilt on demand.

Every edit and share link keeps working after a restore: edit tokens are stored only as hashes in
the database, and share tokens are derived from the database and SECRET_KEY, so restore with the
same SECRET_KEY (or keep the old one in SECRET_KEY_FALLBACKS). SECRET_KEY is not in the backup:
keep it with your other secrets. Stop the app before restoring; a restore replaces everything
saved since the backup.
"""

import argparse
import datetime as dt
import glob
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SQLITE_MAGIC = b"SQLite format 3\x00"
PG_MAGIC = b"PGDMP"
CACHE_TABLE = "advisor_cache"


def database() -> dict:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "advisor.settings")
    import django
    from django.conf import settings

    django.setup()
    return dict(settings.DATABASES["default"])


def _is_sqlite(db: dict) -> bool:
    return db["ENGINE"].endswith("sqlite3")


def _pg_tool(name: str) -> str:
    found = shutil.which(name)
    if found:
        return found
    versions = sorted(
        glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), key=lambda p: int(p.split("/")[4])
    )
    if not versions:
        raise SystemExit(f"{name} was not found: install the PostgreSQL client tools")
    return versions[-1]


def _pg_env(db: dict) -> dict:
    env = dict(os.environ)
    for key, variable in (
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
    ):
        if db.get(key):
            env[variable] = str(db[key])
    return env


def backup(db: dict, output: Path) -> Path:
    output.parent.mkdir(parents=True, exist_ok=True)
    if _is_sqlite(db):
        source = sqlite3.connect(db["NAME"])
        target = sqlite3.connect(output)
        try:
            with target:
                source.backup(target)
        finally:
            target.close()
            source.close()
    else:
        subprocess.run(  # noqa: S603 (fixed arguments, the database name from settings)
            [
                _pg_tool("pg_dump"),
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                f"--exclude-table-data={CACHE_TABLE}",
                f"--file={output}",
                db["NAME"],
            ],
            env=_pg_env(db),
            check=True,
        )
    return output


def restore(db: dict, source: Path) -> None:
    if not source.is_file():
        raise SystemExit(f"No backup at {source}")
    magic = source.read_bytes()[:16]
    if _is_sqlite(db):
        if not magic.startswith(SQLITE_MAGIC):
            raise SystemExit(f"{source} is not a SQLite backup; this database is SQLite")
        backup_db = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        target = sqlite3.connect(db["NAME"], timeout=30)
        try:
            if backup_db.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                raise SystemExit(f"{source} is damaged (integrity check failed)")
            backup_db.backup(target)
        finally:
            target.close()
            backup_db.close()
    else:
        if not magic.startswith(PG_MAGIC):
            raise SystemExit(f"{source} is not a PostgreSQL backup; this database is PostgreSQL")
        subprocess.run(  # noqa: S603 (fixed arguments, the database name from settings)
            [
                _pg_tool("pg_restore"),
                "--clean",
                "--if-exists",
                "--no-owner",
                "--no-privileges",
                "--single-transaction",
                "--exit-on-error",
                f"--dbname={db['NAME']}",
                str(source),
            ],
            env=_pg_env(db),
            check=True,
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    make = commands.add_parser("backup", help="write a backup file")
    make.add_argument("--output", type=Path, help="file to write (default: backups/<time>)")
    back = commands.add_parser("restore", help="replace the database with a backup")
    back.add_argument("file", type=Path)
    args = parser.parse_args(argv)

    db = database()
    if args.command == "backup":
        suffix = "sqlite3" if _is_sqlite(db) else "pgdump"
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
        output = args.output or ROOT / "backups" / f"advisor-{stamp}.{suffix}"
        print(f"Backed up to {backup(db, output)}")
    else:
        restore(db, args.file)
        print(f"Restored from {args.file}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
