"""Tell whether PostgreSQL and Redis answer, before the test suite needs them.

Run as `python -m tests.services_check`; exits 1 with how to start what is
missing. Reads the same DATABASE_URL and REDIS_URL as the settings.
"""

import sys

import environ
import psycopg2
import redis

HOW_TO_START = {
    "PostgreSQL": "pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start "
    "(or: docker compose up -d postgres)",
    "Redis": "redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save '' "
    "(or: docker compose up -d redis)",
}


def main() -> int:
    env = environ.Env()
    database_url = env.str("DATABASE_URL", default="")
    redis_url = env.str("REDIS_URL", default="")
    problems = []
    if not database_url.startswith(("postgres://", "postgresql://")):
        problems.append(
            ("PostgreSQL", f"DATABASE_URL must point at PostgreSQL, got {database_url!r}")
        )
    else:
        config = env.db_url_config(database_url)
        try:
            psycopg2.connect(
                dbname="postgres",
                user=config["USER"] or None,
                password=config["PASSWORD"] or None,
                host=config["HOST"] or None,
                port=config["PORT"] or None,
                connect_timeout=3,
            ).close()
        except psycopg2.OperationalError as error:
            problems.append(("PostgreSQL", f"{database_url}: {str(error).strip()}"))
    try:
        redis.Redis.from_url(redis_url, socket_connect_timeout=3).ping()
    except (redis.RedisError, ValueError) as error:
        problems.append(("Redis", f"{redis_url or '(REDIS_URL unset)'}: {error}"))
    for service, message in problems:
        print(f"{service} is not reachable: {message}\n  start it with: {HOW_TO_START[service]}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
