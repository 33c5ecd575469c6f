"""The Dockerfile, read as text (Docker does not run on the development machines)."""

import importlib
import re
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCKERFILE = (ROOT / "Dockerfile").read_text()
STAGES = re.split(r"^FROM ", DOCKERFILE, flags=re.M)[1:]
FINAL = STAGES[-1]


def test_the_image_is_multi_stage_and_the_final_stage_has_no_build_tools() -> None:
    assert len(STAGES) >= 2
    for tool in ("build-essential", "gcc", "gettext", "pip install ."):
        assert tool not in FINAL, tool
    assert "COPY --from=build /opt/venv /opt/venv" in FINAL


def test_the_final_stage_runs_as_a_numeric_non_root_user() -> None:
    (user,) = re.findall(r"^USER (\S+)", FINAL, flags=re.M)
    assert user == "${APP_UID}:${APP_UID}"
    (uid,) = re.findall(r"^ARG APP_UID=(\d+)", FINAL, flags=re.M)
    assert int(uid) > 0


def test_every_python_package_and_runtime_directory_is_copied() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    packages = [p.rstrip("*") for p in project["tool"]["setuptools"]["packages"]["find"]["include"]]
    needed = [*packages, "manage.py", "templates", "static", "locale", "data"]
    copied = set(re.findall(r"^COPY (\S+)", STAGES[0], flags=re.M))
    assert not [name for name in needed if name not in copied]
    for name in needed:
        assert (ROOT / name).exists(), name


def test_translations_compiled_static_collected_and_pg_client_of_the_server_version() -> None:
    build = STAGES[0]
    assert "msgfmt --check" in build and "collectstatic --noinput" in build
    assert (
        "CompressedManifestStaticFilesStorage" in build
        and "CompressedManifestStaticFilesStorage" in FINAL
    )
    assert "postgresql-client-${PG_MAJOR}" in FINAL
    assert "OPERATIONS_PG_BIN=/usr/lib/postgresql/${PG_MAJOR}/bin" in FINAL
    assert re.search(r"^ARG PG_MAJOR=18$", FINAL, flags=re.M)


def test_the_default_command_is_gunicorn_with_the_project_config() -> None:
    assert 'CMD ["gunicorn", "saas.wsgi", "--config", "python:saas.gunicorn_conf"]' in FINAL


def test_every_build_argument_is_documented_in_the_header() -> None:
    header = DOCKERFILE.split("\nARG ", 1)[0]
    for name in set(re.findall(r"^ARG (\w+)", DOCKERFILE, flags=re.M)):
        assert f"#   {name}" in header, name


def test_gunicorn_listens_on_the_web_and_metrics_ports_and_starts_clean(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    samples = tmp_path / "prometheus"
    samples.mkdir()
    (samples / "counter_123.db").write_bytes(b"stale")
    monkeypatch.setenv("WEB_PORT", "8001")
    monkeypatch.setenv("METRICS_PORT", "9101")
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(samples))
    config = importlib.reload(importlib.import_module("saas.gunicorn_conf"))
    assert config.bind == ["0.0.0.0:8001", "0.0.0.0:9101"]
    assert config.logconfig_dict["formatters"]["json"]["()"] == "saas.logging.JsonFormatter"
    config.on_starting(None)
    assert samples.is_dir() and list(samples.iterdir()) == []
