# The production image: Daphne serving HTTP and WebSockets. Run the
# background worker from the same image with `python manage.py db_worker`.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    DEBUG=false \
    STATIC_ROOT=/app/staticfiles \
    MEDIA_ROOT=/data/media \
    ECABINET_VAR_DIR=/data/var

# WeasyPrint's system libraries and a font with full Vietnamese diacritics.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 libfontconfig1 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

RUN groupadd --system --gid 10001 ecabinet \
    && useradd --system --uid 10001 --gid ecabinet --home-dir /app --shell /usr/sbin/nologin ecabinet

WORKDIR /app
COPY requirements.txt ./
RUN pip install -r requirements.txt

COPY --chown=ecabinet:ecabinet . .
# collectstatic needs settings, not secrets: a throwaway key for this step only.
RUN SECRET_KEY=collectstatic-only-not-used-at-runtime python manage.py collectstatic --noinput \
    && mkdir -p /data/media /data/var \
    && chown -R ecabinet:ecabinet /data /app/staticfiles

USER ecabinet
EXPOSE 8000
VOLUME ["/data"]

HEALTHCHECK --interval=30s --timeout=5s --start-period=20s \
    CMD python -c "import urllib.request,sys; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4).status == 200 else 1)"

# --proxy-headers: behind the TLS proxy, trust its X-Forwarded-For/-Proto.
CMD ["daphne", "-b", "0.0.0.0", "-p", "8000", "--proxy-headers", "ecabinet.asgi:application"]
