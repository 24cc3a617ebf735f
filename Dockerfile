FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 UV_PROJECT_ENVIRONMENT=/opt/venv \
    UV_PYTHON_DOWNLOADS=never PATH=/opt/venv/bin:$PATH
RUN pip install --no-cache-dir uv==0.13.9
WORKDIR /app
COPY pyproject.toml uv.lock ./
RUN uv sync --frozen --no-dev --no-install-project
COPY . .
# collectstatic needs settings that load; the real key comes from the environment at run time.
RUN DJANGO_DEBUG=1 python manage.py collectstatic --noinput
RUN useradd --system --home /app tracker && mkdir -p /app/var && chown tracker /app/var
USER tracker
EXPOSE 8000
CMD ["gunicorn", "mandate_tracker.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3"]
