# syntax=docker/dockerfile:1
#
# One image for every hub and every role. The command picks the role
#   hubnet web --bind 0.0.0.0:8000 [--workers N]     (the default CMD)
#   hubnet worker [--concurrency N]
#   celery -A hubnet beat --schedule /tmp/celerybeat-schedule
#   hubnet migrate --noinput                          (any management command)
# and the environment picks the hub (docs/configuration.md lists every variable).
#
# The image defaults to hubnet.settings.production, so a container refuses to start
# until it is given a real SECRET_KEY (see docker-compose.yml and .env.example).

ARG PYTHON_IMAGE=python:3.11-slim

# --------------------------------------------------------------------------- build
FROM ${PYTHON_IMAGE} AS build

ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONDONTWRITEBYTECODE=1

RUN python -m venv /opt/hubnet/venv
ENV PATH=/opt/hubnet/venv/bin:$PATH

WORKDIR /src

# The pinned dependencies first, in their own layer: a change to the code does not
# reinstall them. The list is read from pyproject.toml, pinned by constraints.txt.
COPY pyproject.toml constraints.txt ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" > requirements.txt \
 && pip install -c constraints.txt -r requirements.txt

# Then the project itself (.dockerignore keeps tests, var/, .venv and secrets out).
COPY . .
RUN pip install -c constraints.txt .

# ------------------------------------------------------------------------- runtime
FROM ${PYTHON_IMAGE} AS runtime

# HUBNET_VAR_DIR must be set: its default is <project root>/var, which for an
# installed (non-editable) package is site-packages/var, not writable by the app.
ENV PATH=/opt/hubnet/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    DJANGO_SETTINGS_MODULE=hubnet.settings.production \
    HUBNET_VAR_DIR=/var/lib/hubnet \
    STATIC_ROOT=/opt/hubnet/static \
    MEDIA_ROOT=/var/lib/hubnet/media

# A fixed uid/gid so volume ownership is predictable. /var/lib/hubnet/media exists
# in the image so that a fresh named volume mounted there is owned by hubnet.
RUN groupadd --system --gid 10001 hubnet \
 && useradd --system --uid 10001 --gid hubnet --home-dir /var/lib/hubnet \
        --no-create-home --shell /usr/sbin/nologin hubnet \
 && install -d -o hubnet -g hubnet -m 0750 /var/lib/hubnet /var/lib/hubnet/media

COPY --from=build /opt/hubnet/venv /opt/hubnet/venv

# Static files are collected (and compressed by WhiteNoise) at build time into
# STATIC_ROOT, owned by root: the app serves them but cannot change them. The
# throwaway SECRET_KEY and the base settings exist only for this step; the scratch
# HUBNET_VAR_DIR is removed so nothing of it ends up in the image.
RUN DJANGO_SETTINGS_MODULE=hubnet.settings.base \
    SECRET_KEY=collectstatic-at-build-time-only-never-used-to-serve \
    HUBNET_VAR_DIR=/tmp/hubnet-build \
    hubnet collectstatic --noinput \
 && rm -rf /tmp/hubnet-build

# A root-owned, empty working directory (Celery puts the working directory on
# sys.path, so it must not be writable by the app).
WORKDIR /opt/hubnet
USER hubnet:hubnet

EXPOSE 8000
CMD ["hubnet", "web", "--bind", "0.0.0.0:8000"]
