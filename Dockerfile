# syntax=docker/dockerfile:1
# Berbagi's production image. Build (Docker does not run on the development machines; any
# OCI builder works):
#
#   docker build -t registry.example/berbagi:0.1.0 \
#     --build-arg PYTHON_VERSION=3.11 --build-arg PG_MAJOR=18 --build-arg APP_UID=10001 .
#
# Build arguments:
#   PYTHON_VERSION  Python of both stages (3.11 or newer; Django 6 needs 3.12)       default 3.11
#   DEBIAN_RELEASE  Debian release of the python base image                           default bookworm
#   PG_MAJOR        major version of the PostgreSQL client tools (pg_dump, pg_restore, psql) for
#                   region exports; must equal the server's major version              default 18
#   APP_UID         numeric user and group id the processes run as (non-root)          default 10001
#
# The final stage holds no compiler and no build tools: wheels are built in the first stage.
# Static files are collected at build time and served by whitenoise; translations are compiled.
ARG PYTHON_VERSION=3.11
ARG DEBIAN_RELEASE=bookworm

# --- build: wheels for the project and its dependencies, compiled translations, static files ---
FROM python:${PYTHON_VERSION}-slim-${DEBIAN_RELEASE} AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1 PYTHONDONTWRITEBYTECODE=1 \
    STATICFILES_STORAGE_BACKEND=whitenoise.storage.CompressedManifestStaticFilesStorage
RUN apt-get update \
 && apt-get install -y --no-install-recommends build-essential gettext \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY pyproject.toml README.md ./
COPY saas saas
COPY tenants tenants
COPY apps apps
COPY provisioning provisioning
RUN python -m venv /opt/venv \
 && /opt/venv/bin/pip install --upgrade pip \
 && /opt/venv/bin/pip install . \
 && /opt/venv/bin/pip uninstall -y berbagi
# (the dependencies stay in the venv; the code itself runs from /app, where BASE_DIR finds
# templates, locale and data)
COPY manage.py ./
COPY templates templates
COPY static static
COPY locale locale
COPY data data
# Compiled translations (.mo) and collected static files, made once here, read-only at run time.
RUN for po in $(find locale -name '*.po'); do msgfmt --check -o "${po%.po}.mo" "$po"; done \
 && DATABASE_URL=postgres://build-does-not-connect/none \
    /opt/venv/bin/python manage.py collectstatic --noinput -v 0

# --- runtime: python, the venv, the PostgreSQL client tools of the server's major version --------
FROM python:${PYTHON_VERSION}-slim-${DEBIAN_RELEASE} AS runtime
ARG PG_MAJOR=18
ARG APP_UID=10001
ARG DEBIAN_RELEASE=bookworm
# PostgreSQL's own apt repository carries every supported major version's client tools; Debian's
# own may be older than the server, and an older pg_dump refuses a newer server.
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates curl gnupg \
 && install -d /usr/share/postgresql-common/pgdg \
 && curl -fsSL https://www.postgresql.org/media/keys/ACCC4CF8.asc \
    -o /usr/share/postgresql-common/pgdg/apt.postgresql.org.asc \
 && echo "deb [signed-by=/usr/share/postgresql-common/pgdg/apt.postgresql.org.asc] https://apt.postgresql.org/pub/repos/apt ${DEBIAN_RELEASE}-pgdg main" \
    > /etc/apt/sources.list.d/pgdg.list \
 && apt-get update \
 && apt-get install -y --no-install-recommends "postgresql-client-${PG_MAJOR}" \
 && apt-get purge -y curl gnupg && apt-get autoremove -y \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid "${APP_UID}" berbagi \
 && useradd --system --uid "${APP_UID}" --gid berbagi --home-dir /app --shell /usr/sbin/nologin berbagi
COPY --from=build /opt/venv /opt/venv
COPY --from=build --chown=root:root /src /app
WORKDIR /app
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONPATH=/app \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    DJANGO_SETTINGS_MODULE=saas.settings.base \
    STATICFILES_STORAGE_BACKEND=whitenoise.storage.CompressedManifestStaticFilesStorage \
    OPERATIONS_PG_BIN=/usr/lib/postgresql/${PG_MAJOR}/bin \
    OPERATIONS_EXPORT_DIR=/var/lib/berbagi/exports \
    PROMETHEUS_MULTIPROC_DIR=/tmp/prometheus
# The code is owned by root and read-only to the app user; only these paths are written at run
# time (the chart mounts volumes there because the root filesystem is read-only).
RUN install -d -o berbagi -g berbagi /var/lib/berbagi/exports /tmp/prometheus
USER ${APP_UID}:${APP_UID}
EXPOSE 8000 9100
# The chart overrides the command per role (web, worker, beat, migration Job).
CMD ["gunicorn", "saas.wsgi", "--config", "python:saas.gunicorn_conf"]
