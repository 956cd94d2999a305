# The one application image: gunicorn by default; docker-compose.yml runs the same image as the
# migrate job, the Celery worker and beat with other commands.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# Runs as this unprivileged user; the code stays owned by root, so the app cannot rewrite itself.
RUN groupadd --system app \
    && useradd --system --gid app --home-dir /app --no-create-home --shell /usr/sbin/nologin app

WORKDIR /app

# The letters' PDFs (WeasyPrint) lay text out with Pango and HarfBuzz and the DejaVu fonts, which
# cover Latin with diacritics, Arabic and Persian; the slim image has none of them.
RUN apt-get update \
    && apt-get install --yes --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b fontconfig fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

# Dependencies first, in their own layer: code changes then rebuild only the layers below.
COPY requirements.lock ./
RUN pip install --require-hashes -r requirements.lock

COPY . .

# Hashed, compressed static files for whitenoise, baked into the image (STATIC_ROOT defaults to
# /app/staticfiles). Production settings insist on these three values but never connect to the
# database here, so throwaway ones do; set inline so they do not end up in the runtime environment.
RUN DJANGO_ENV=production \
    SECRET_KEY=collectstatic-build-only \
    ALLOWED_HOSTS=localhost \
    DATABASE_URL=postgresql://build:build@localhost:5432/build \
    python manage.py collectstatic --no-input

USER app

EXPOSE 8000

# No curl in slim images, so Python asks /healthz itself (non-2xx makes urlopen raise, exit 1).
# Host is the first ALLOWED_HOSTS entry, else Django answers 400; X-Forwarded-Proto stops the
# SECURE_SSL_REDIRECT redirect, as the TLS proxy in front would.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request as u; h = os.environ.get('ALLOWED_HOSTS', '').split(',')[0].strip().lstrip('.').replace('*', '') or 'localhost'; u.urlopen(u.Request('http://127.0.0.1:8000/healthz', headers={'Host': h, 'X-Forwarded-Proto': 'https'}), timeout=4)"]

CMD ["gunicorn", "program.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
