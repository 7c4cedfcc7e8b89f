"""Production refuses to start without the settings it cannot guess, and names them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.environment import envbool, envint

ROOT = Path(__file__).resolve().parent.parent
COMPLETE = {
    "DJANGO_ENV": "production",
    "SECRET_KEY": "x" * 60,
    "ALLOWED_HOSTS": "convene.example.org",
    "DATABASE_URL": "postgres://u@127.0.0.1:5432/convene",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
    "EMAIL_HOST": "smtp.example.org",
    "SITE_URL": "https://convene.example.org",
}


def run_check(env: dict[str, str]) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in COMPLETE}
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    "missing",
    ["SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "REDIS_URL", "EMAIL_HOST", "SITE_URL"],
)
def test_production_without_a_required_setting_stops_and_names_it(missing):
    result = run_check({k: v for k, v in COMPLETE.items() if k != missing})
    assert result.returncode != 0
    assert f"The environment variable {missing} must be set" in result.stderr


@pytest.mark.parametrize("address", ["http://127.0.0.1:8000", "http://localhost", "convene.org"])
def test_production_refuses_a_site_address_that_is_this_machine_or_not_an_address(address):
    result = run_check(COMPLETE | {"SITE_URL": address})
    assert result.returncode != 0
    assert "SITE_URL" in result.stderr


def test_production_accepts_an_address_on_this_machine_only_when_told_so():
    result = run_check(
        COMPLETE | {"SITE_URL": "https://127.0.0.1:8443", "SITE_URL_IS_THIS_MACHINE": "true"}
    )
    assert result.returncode == 0, result.stderr


def test_make_prod_locals_own_environment_passes_the_production_checks(tmp_path):
    listed = subprocess.run(
        [sys.executable, "config/prod_local.py", "env"],
        cwd=ROOT,
        env={**os.environ, "CONVENE_PROD_DIR": str(tmp_path)},
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    prod_local = dict(line.split("=", 1) for line in listed.splitlines())
    result = run_check(prod_local)
    assert result.returncode == 0, result.stderr


def test_production_with_every_setting_passes_the_checks():
    result = run_check(COMPLETE)
    assert result.returncode == 0, result.stderr


def test_embedded_default_needs_no_setting(tmp_path):
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in COMPLETE and k not in {"DJANGO_SETTINGS_MODULE"}
    }
    code = (
        "from django.conf import settings as s; import django; django.setup(); "
        "print(s.DATABASES['default']['ENGINE'], s.CHANNEL_LAYERS['default']['BACKEND'], "
        "s.CELERY_TASK_ALWAYS_EAGER, s.MAILERS['default']['BACKEND'], s.DEBUG)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        env={
            **clean,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "CONVENE_VAR_DIR": str(tmp_path),
        },
    )
    assert result.stdout.split() == [
        "django.db.backends.sqlite3",
        "channels.layers.InMemoryChannelLayer",
        "True",
        "django.core.mail.backends.console.EmailBackend",
        "True",
    ], result.stderr


@pytest.mark.parametrize(("value", "expected"), [("yes", True), (" On ", True), ("0", False)])
def test_a_yes_or_no_setting_reads_the_usual_words(monkeypatch, value, expected):
    monkeypatch.setenv("CONVENE_TEST_FLAG", value)
    assert envbool("CONVENE_TEST_FLAG", not expected) is expected


def test_a_yes_or_no_setting_that_is_neither_stops_and_names_the_variable(monkeypatch):
    monkeypatch.setenv("CONVENE_TEST_FLAG", "yes please")
    with pytest.raises(ImproperlyConfigured, match=r"CONVENE_TEST_FLAG.*'yes please'"):
        envbool("CONVENE_TEST_FLAG", False)


@pytest.mark.parametrize("value", ["ten", "1.5", "10s"])
def test_a_number_setting_that_is_not_a_whole_number_stops_and_names_the_variable(
    monkeypatch, value
):
    monkeypatch.setenv("CONVENE_TEST_NUMBER", value)
    with pytest.raises(ImproperlyConfigured) as refused:
        envint("CONVENE_TEST_NUMBER", 3)
    assert "CONVENE_TEST_NUMBER" in str(refused.value)
    assert repr(value) in str(refused.value)


def test_production_refuses_a_yes_or_no_setting_it_does_not_understand():
    result = run_check(COMPLETE | {"SECURE_HSTS_PRELOAD": "yes please"})
    assert result.returncode != 0
    assert "SECURE_HSTS_PRELOAD" in result.stderr
