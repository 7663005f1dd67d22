#!/usr/bin/env python3
"""Keeps one recorded Airflow exchange of each kind, for the committed samples of the contract tests.

    pick-exchanges.py <recorded.ndjson> <sample.ndjson>

A kind is: method, path with the DAG, run, task and try replaced by placeholders, status, the query
parameter names, and the run and task-instance states in the answer.
"""
import json
import re
import sys


def kind(exchange):
    path = re.sub(r"/dags/[^/~]+", "/dags/{d}", exchange["path"])
    path = re.sub(r"/dagRuns/[^/~]+", "/dagRuns/{r}", path)
    path = re.sub(r"/taskInstances/[^/]+", "/taskInstances/{t}", path)
    path = re.sub(r"/logs/\d+", "/logs/{n}", path)
    states = ""
    try:
        body = json.loads(exchange["responseBody"] or "null")
        if isinstance(body, dict):
            instances = body.get("task_instances", [])
            states = str(body.get("state")) + str(sorted({str(i.get("state")) for i in instances}))
    except ValueError:
        pass
    return (exchange["method"], path, exchange["status"], tuple(sorted(exchange["query"])), states)


def main(source, target):
    seen, kept = set(), []
    with open(source, encoding="utf-8") as lines:
        for line in lines:
            key = kind(json.loads(line))
            if key not in seen:
                seen.add(key)
                kept.append(line)
    with open(target, "w", encoding="utf-8") as out:
        out.writelines(kept)
    print(f"kept {len(kept)} exchanges")


if __name__ == "__main__":
    main(*sys.argv[1:3])
