# DIZ Portal: one image for the web server (gunicorn), the Celery worker and Celery beat.
# Configuration comes from the environment at run time (see diz_portal/settings.py and docker-compose.yml).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_ROOT_USER_ACTION=ignore

# System libraries WeasyPrint 70 loads at run time (its wheels need Pango, HarfBuzz and fontconfig),
# plus a font so PDFs have glyphs to render with. No compilers: every Python dependency ships wheels.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 \
        libpangoft2-1.0-0 \
        libharfbuzz0b \
        libharfbuzz-subset0 \
        libfontconfig1 \
        fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

# The app runs as an unprivileged user. Its home is writable (gunicorn keeps its control socket in
# ~/.gunicorn); the code in /app is not.
RUN groupadd --system diz \
    && useradd --system --gid diz --create-home --home-dir /home/diz --shell /usr/sbin/nologin diz

WORKDIR /app

# Dependencies first, from pyproject.toml alone, so this layer is rebuilt only when they change.
# Only the dependencies are installed, not the project itself: the code runs from /app, where
# settings.BASE_DIR finds templates/ and static/ (a copy in site-packages would not).
COPY pyproject.toml ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" \
        > /tmp/requirements.txt \
    && pip install --no-cache-dir -r /tmp/requirements.txt \
    && rm /tmp/requirements.txt

# The project: manage.py, the apps, templates/ and static/ (.dockerignore keeps out the rest).
# The code stays owned by root; the app user writes only to media (a volume in compose).
COPY . .

ENV DJANGO_SETTINGS_MODULE=diz_portal.settings \
    PYTHONPATH=/app \
    MEDIA_ROOT=/app/media

# Collect static files into the image (WhiteNoise serves them). The key exists only for this step.
RUN SECRET_KEY=collectstatic-build-only-not-a-secret python manage.py collectstatic --noinput \
    && mkdir -p /app/media \
    && chown diz:diz /app/media

USER diz

EXPOSE 8000

# /healthz answers 200 when the database, cache, broker and a worker are reachable, 503 otherwise
# (urlopen raises on 503, so the check fails). No curl in the slim image, hence Python's urllib.
# The Host header is the first ALLOWED_HOSTS entry so Django accepts the request; X-Forwarded-Proto
# keeps SECURE_SSL_REDIRECT from redirecting the probe when SECURE_PROXY_SSL_HEADER is on.
HEALTHCHECK --interval=30s --timeout=10s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; hosts = [h.strip().lstrip('.') for h in os.environ.get('ALLOWED_HOSTS', '').split(',') if h.strip() not in ('', '*')]; request = urllib.request.Request('http://127.0.0.1:8000/healthz', headers={'Host': (hosts or ['localhost'])[0], 'X-Forwarded-Proto': 'https'}); urllib.request.urlopen(request, timeout=8)"]

CMD ["gunicorn", "diz_portal.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
