"""CPU time by process group, for benchmarks/api.sh: where a request's time goes.

    python3 benchmarks/cpu.py snapshot > before.json
    ...                                            # the measured run
    python3 benchmarks/cpu.py per-request before.json after.json REQUESTS LABEL

`per-request` prints, for the run between two snapshots, microseconds of CPU per request
spent by the server (gunicorn), PostgreSQL and Redis, and by the whole machine (every
process and the kernel, from /proc/stat): the rest is wrk, the kernel's own work and
anything else running. A group's time includes its processes that ended (a PostgreSQL
backend whose connection closed is counted by the postmaster that waited for it). Linux
only; it reads /proc and counts clock ticks (10 ms), so runs should last seconds.
"""

import json
import os
import sys

TICKS = os.sysconf("SC_CLK_TCK")
GROUPS = ("gunicorn", "postgres", "redis")


def _group(pid: str) -> str | None:
    with open(f"/proc/{pid}/cmdline", "rb") as file:
        command = file.read().replace(b"\0", b" ").decode(errors="replace")
    if "gunicorn" in command:
        return "gunicorn"
    # the postmaster (…/bin/postgres -D …) and its backends ("postgres: 15/main: …")
    if command.startswith("postgres:") or os.path.basename(command.split(" ")[0]) == "postgres":
        return "postgres"
    if "redis-server" in command:
        return "redis"
    return None


def snapshot() -> dict:
    ticks = dict.fromkeys(GROUPS, 0)
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            group = _group(pid)
            if group is None:
                continue
            with open(f"/proc/{pid}/stat") as file:
                fields = file.read().rsplit(")", 1)[1].split()
        except OSError:  # the process ended meanwhile
            continue
        # utime and stime, and those of its children that it waited for
        ticks[group] += sum(int(fields[i]) for i in (11, 12, 13, 14))
    with open("/proc/stat") as file:
        cpu = file.readline().split()[1:]
    # user, nice, system, irq, softirq, steal: busy time (idle and iowait left out)
    ticks["machine"] = sum(int(cpu[i]) for i in (0, 1, 2, 5, 6, 7))
    return ticks


def per_request(before: dict, after: dict, requests: int) -> dict:
    return {name: (after[name] - before[name]) / TICKS / requests * 1e6 for name in after}


def main(argv: list[str]) -> None:
    if argv[:1] == ["snapshot"]:
        print(json.dumps(snapshot()))
        return
    _command, before, after, requests, label = argv
    with open(before) as first, open(after) as second:
        costs = per_request(json.load(first), json.load(second), int(requests))
    rest = costs["machine"] - sum(costs[name] for name in GROUPS)
    parts = "".join(f"{costs[name]:9.0f}" for name in GROUPS)
    print(f"{label:40}{costs['machine']:9.0f}{parts}{rest:9.0f}")


if __name__ == "__main__":
    main(sys.argv[1:])
