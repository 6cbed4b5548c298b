# The dashboard under gunicorn, its store in the volume /data (see README, "Docker").
#   docker build -t counterclaim .
#   docker run -p 127.0.0.1:8050:8050 -v counterclaim-data:/data counterclaim
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# a regular (not editable) install: the seeds and assets travel inside the wheel
WORKDIR /src
COPY pyproject.toml README.md ./
COPY claims/ claims/
COPY dashboard/ dashboard/
COPY assets/ assets/
COPY seeds/ seeds/
RUN pip install ".[serve]" \
    && rm -rf /src \
    && useradd --system --uid 10001 --home-dir /data --no-create-home counterclaim \
    && mkdir /data \
    && chown counterclaim /data

ENV COUNTERCLAIM_STORE=/data/claims.duckdb
VOLUME /data
WORKDIR /data
USER 10001
EXPOSE 8050

HEALTHCHECK --interval=30s --timeout=5s --start-period=60s \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8050/healthz', timeout=4)"]

# docs/dashboard.md, "Production", bound to every address of the container; more options
# through GUNICORN_CMD_ARGS (e.g. "--workers 4")
CMD ["gunicorn", "--workers", "2", "--threads", "4", "--preload", "--timeout", "60", \
     "--bind", "0.0.0.0:8050", "dashboard.wsgi:server"]
