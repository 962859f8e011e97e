# The village duty portal: one image for web (gunicorn), worker and beat (Celery).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# WeasyPrint needs Pango and HarfBuzz; PDFs name the font "Noto Sans CJK SC".
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-cjk \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app

# Dependencies first, so that a code change does not reinstall them.
# (pyproject.toml lists no packages: the apps run from /app.)
COPY pyproject.toml README.md ./
RUN pip install .

COPY . .

# collectstatic needs settings to load; the key is for this build step only.
RUN SECRET_KEY=build-only-collectstatic-key AUDIT_KEY=build-only-collectstatic-audit-key-0000 DJANGO_DEBUG=0 \
    python manage.py collectstatic --noinput

RUN useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin portal \
    && mkdir -p /app/media \
    && chown portal /app/media

USER portal
ENV MEDIA_ROOT=/app/media \
    STATIC_ROOT=/app/staticfiles

EXPOSE 8000
CMD ["gunicorn", "portal.wsgi:application", "--bind=0.0.0.0:8000", "--workers=3", \
     "--timeout=60", "--access-logfile=-"]
