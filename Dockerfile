# Tandem for production: one image for the web server and the worker (deploy/compose.yaml runs
# both with PostgreSQL and a TLS proxy). Front-end packages come from npm at build time; nothing
# is fetched from a CDN when the site runs.
FROM node:20-bookworm-slim AS assets
WORKDIR /build
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund --loglevel=error

FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1
# WeasyPrint renders the PDFs with Pango; DejaVu covers the accents of Spanish and more.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b \
      libharfbuzz-subset0 fonts-dejavu-core \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --create-home --uid 10001 tandem
WORKDIR /app
COPY requirements/base.txt requirements/base.txt
RUN pip install --no-cache-dir -r requirements/base.txt
COPY . .
COPY --from=assets /build/node_modules node_modules
RUN pip install --no-cache-dir --no-deps -e . \
 && SECRET_KEY=build-only-key-not-used-at-run-time DEBUG=false python manage.py collectstatic --no-input -v0 \
 && mkdir -p var/uploads && chown -R tandem:tandem var
USER tandem
EXPOSE 8000
ENTRYPOINT ["deploy/entrypoint.sh"]
CMD ["web"]
