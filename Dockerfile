# The image docker-compose.yml runs for web, worker, beat and the migration step.

# 1. GOV.UK Frontend's built assets, from npm (a build-time tool only; the version is pinned in package.json).
FROM node:22-bookworm-slim AS assets
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

# 2. The wheel: hatch_build.py puts those assets (and their licence) inside it, beside workflows/ and templates/.
FROM python:3.11-slim-bookworm AS wheel
WORKDIR /src
COPY pyproject.toml README.md hatch_build.py package.json ./
COPY LICENSES ./LICENSES
COPY dhr_workflow ./dhr_workflow
COPY notifications ./notifications
COPY workflows ./workflows
COPY templates ./templates
COPY --from=assets /src/node_modules/govuk-frontend ./node_modules/govuk-frontend
RUN pip wheel --no-cache-dir --no-deps -w /wheels .

# 3. The image: the installed wheel and what WeasyPrint needs, no source tree and no Node.js.
FROM python:3.11-slim-bookworm

# WeasyPrint's libraries (documents) and fonts; nothing else is needed at run time.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b fonts-dejavu-core \
 && rm -rf /var/lib/apt/lists/*

RUN useradd --create-home --uid 10001 dhr \
 && install -d -o dhr -g dhr -m 0700 /var/lib/dhr/smtp-handoff
COPY --from=wheel /wheels /tmp/wheels
RUN pip install --no-cache-dir /tmp/wheels/*.whl && rm -rf /tmp/wheels

USER dhr
WORKDIR /home/dhr
ENV PYTHONUNBUFFERED=1
EXPOSE 8000
CMD ["dhr", "serve", "--host", "0.0.0.0", "--port", "8000"]
