# The image docker-compose.yml runs for web, worker, beat and the migration step.
FROM python:3.11-slim-bookworm

# WeasyPrint's libraries (documents) and fonts; nothing else is needed at run time.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b fonts-dejavu-core \
 && rm -rf /var/lib/apt/lists/*

RUN useradd --create-home --uid 10001 dhr \
 && install -d -o dhr -g dhr -m 0700 /var/lib/dhr/smtp-handoff
WORKDIR /app
COPY pyproject.toml README.md ./
COPY dhr_workflow ./dhr_workflow
COPY notifications ./notifications
COPY workflows ./workflows
COPY templates ./templates
RUN pip install --no-cache-dir .

USER dhr
ENV PYTHONUNBUFFERED=1
EXPOSE 8000
CMD ["dhr", "serve", "--host", "0.0.0.0", "--port", "8000"]
