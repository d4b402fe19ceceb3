"""`make backup` and `make restore` round-trip the database the app uses (SQLite or PostgreSQL,
whichever the suite runs on): what was saved after the backup is gone, and every edit and share
link from before works again."""

import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection
from django.http import Http404
from django.urls import reverse

from advisor.assessments import links
from advisor.assessments.links import create_assessment
from advisor.assessments.models import Assessment

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.django_db(transaction=True)


def database_url() -> str:
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    credentials = quote(db["USER"] or "", safe="")
    if db.get("PASSWORD"):
        credentials += ":" + quote(db["PASSWORD"], safe="")
    return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def make(target: str, backup: Path, settings) -> subprocess.CompletedProcess:
    connection.close()  # the restore must not race this test's own connection
    env = {
        "PATH": "/usr/bin:/bin:/usr/local/bin",
        "HOME": str(Path.home()),
        "DATABASE_URL": database_url(),
        "SECRET_KEY": settings.SECRET_KEY,
        "DEBUG": "1",
    }
    return subprocess.run(
        [
            sys.executable,
            "scripts/backup.py",
            target,
            *(["--output"] if target == "backup" else []),
            str(backup),
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )


def test_a_restore_brings_back_the_backup_with_every_link_working(client, settings, tmp_path):
    kept = create_assessment(answers={"project_name": "Kept"})
    edit_token, share_token = kept.edit_token, kept.share_token
    backup = tmp_path / "advisor.backup"

    made = make("backup", backup, settings)

    assert backup.stat().st_size > 0
    assert "Backed up to" in made.stdout
    # After the backup: an edit, a replaced share link and a new assessment.
    Assessment.objects.filter(pk=kept.pk).update(answers={"project_name": "Changed"}, revision=7)
    links.rotate_share_token(kept)
    later = create_assessment(answers={"project_name": "Later"})
    with pytest.raises(Http404):
        links.assessment_for_share(share_token)

    make("restore", backup, settings)

    restored = links.assessment_for_owner(edit_token)
    assert restored.answers == {"project_name": "Kept"}
    assert restored.revision == 1
    assert links.assessment_for_share(share_token).pk == kept.pk
    assert restored.share_token == share_token
    assert not Assessment.objects.filter(pk=later.pk).exists()
    owner = client.get(reverse("assessment-resume", args=[edit_token]))
    assert owner.status_code == 302
    assert client.get(owner.url).status_code == 200
    share_page = client.get(reverse("assessment-share", args=[edit_token])).content.decode()
    assert share_token in share_page


def test_a_restore_refuses_a_file_that_is_not_a_backup_and_changes_nothing(settings, tmp_path):
    create_assessment(answers={"project_name": "Untouched"})
    bogus = tmp_path / "not-a-backup"
    bogus.write_bytes(b"hello")

    with pytest.raises(subprocess.CalledProcessError) as failed:
        make("restore", bogus, settings)

    assert "is not a" in failed.value.stderr
    assert Assessment.objects.filter(answers__project_name="Untouched").exists()
