# Tokenwatch all-in-one: embedded Neo4j, API, scheduler, delivery worker in one container.
#   docker build -t tokenwatch .
#   docker run -p 8000:8000 -v tokenwatch-var:/app/var --env-file .env tokenwatch
# The embedded Neo4j listens on 127.0.0.1 inside the container only (auth off, see README);
# only the API port is published. Data (graph, scheduler store) lives in the /app/var volume.
FROM python:3.11-slim-bookworm

RUN apt-get update \
 && apt-get install -y --no-install-recommends openjdk-17-jre-headless maven make \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY . /app
# the same targets as on a workstation: uv from PyPI, the lock file, Neo4j from Maven Central
RUN make setup PYTHON=python3.11 && useradd --system --home /app tokenwatch \
 && mkdir -p /app/var && chown -R tokenwatch /app/var

USER tokenwatch
ENV TOKENWATCH_API_HOST=0.0.0.0 TOKENWATCH_API_PORT=8000 TOKENWATCH_LOG_LEVEL=INFO
EXPOSE 8000
VOLUME ["/app/var"]
HEALTHCHECK --interval=30s --timeout=5s --start-period=120s \
  CMD python3.11 -c "import urllib.request,sys; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/ready').status != 200)"
# SIGTERM stops the API, the scheduler and Neo4j cleanly (the store is closed)
STOPSIGNAL SIGTERM
CMD [".venv/bin/tokenwatch", "up"]
