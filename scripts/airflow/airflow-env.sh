#!/usr/bin/env bash
# Real Airflow for the Airflow adapter's integration tests.
#
#   airflow-env.sh install <2|3>                       install into a cached virtual environment
#   airflow-env.sh run <2|3> <work-dir> <port> [owner-pid]
#                                                      start Airflow on 127.0.0.1:<port> (its log
#                                                      servers on the two ports after it) and stay in
#                                                      the foreground until killed or the owner exits
#
# The virtual environments live outside the repository, under
# ${KAAPANA_AIRFLOW_CACHE:-$HOME/.cache/kaapana-workflow-api/airflow}, one per requirements file
# content, and are reused when present. Airflow's constraint files cannot be downloaded here, so
# every package is pinned in requirements-airflow-<2|3>.txt.
#
# `run` writes <work-dir>/dags (the DAGs folder), <work-dir>/logs and <work-dir>/home, an admin
# user "kaapana" whose password is in <work-dir>/password, and prints "ready <url>" once the REST
# API answers. Exit code 75 from `install` means the package registry could not be reached.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cache="${KAAPANA_AIRFLOW_CACHE:-$HOME/.cache/kaapana-workflow-api/airflow}"
python="${KAAPANA_AIRFLOW_PYTHON:-python3}"

die() { echo "airflow-env: $*" >&2; exit 1; }

major_of() {
  case "${1:-}" in
    2|3) echo "$1" ;;
    *) die "the Airflow major version must be 2 or 3, got '${1:-}'" ;;
  esac
}

venv_of() {
  local requirements="$here/requirements-airflow-$1.txt"
  local digest
  digest="$(sha256sum "$requirements" | cut -c1-12)"
  echo "$cache/airflow-$1-$digest"
}

install() {
  local major venv
  major="$(major_of "${1:-}")"
  venv="$(venv_of "$major")"
  if [[ -f "$venv/.installed" ]]; then
    echo "airflow-env: Airflow $major is installed in $venv"
    return 0
  fi
  # Ask the registry for something small first, so "unreachable" is told apart from a broken pin.
  if ! "$python" -m pip download --quiet --no-deps --dest "$(mktemp -d)" six==1.16.0 >/dev/null 2>&1; then
    echo "airflow-env: the package registry cannot be reached; Airflow $major cannot be installed" >&2
    exit 75
  fi
  echo "airflow-env: installing Airflow $major into $venv (about a minute)"
  rm -rf "$venv"
  mkdir -p "$cache"
  "$python" -m venv "$venv"
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check \
    -r "$here/requirements-airflow-$major.txt"
  "$venv/bin/airflow" version >/dev/null 2>&1 || die "Airflow $major does not start after installing"
  touch "$venv/.installed"
  echo "airflow-env: Airflow $major installed"
}

run() {
  local major work port owner venv
  major="$(major_of "${1:-}")"
  work="${2:?work directory}"
  port="${3:?port}"
  owner="${4:-}"
  venv="$(venv_of "$major")"
  [[ -f "$venv/.installed" ]] || install "$major"
  mkdir -p "$work/dags" "$work/logs" "$work/home"
  work="$(cd "$work" && pwd)"
  local password
  password="$(head -c 18 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')"
  echo "$password" > "$work/password"

  export PATH="$venv/bin:$PATH"
  export AIRFLOW_HOME="$work/home"
  export AIRFLOW__CORE__DAGS_FOLDER="$work/dags"
  export AIRFLOW__CORE__LOAD_EXAMPLES=False
  export AIRFLOW__LOGGING__BASE_LOG_FOLDER="$work/logs"
  # SQLite has one writer: wait up to 30 s for the lock (the default 5 s made API writes fail
  # with "database is locked" while the scheduler and the tasks wrote, now and then).
  export AIRFLOW__DATABASE__SQL_ALCHEMY_CONN="sqlite:///$work/home/airflow.db?timeout=30"
  # New DAG files are found within seconds, not the default five minutes.
  export AIRFLOW__SCHEDULER__DAG_DIR_LIST_INTERVAL=3
  export AIRFLOW__DAG_PROCESSOR__REFRESH_INTERVAL=3
  export AIRFLOW__SCHEDULER__MIN_FILE_PROCESS_INTERVAL=5
  export AIRFLOW__DAG_PROCESSOR__MIN_FILE_PROCESS_INTERVAL=5
  export AIRFLOW__SCHEDULER__SCHEDULER_HEARTBEAT_SEC=1
  export AIRFLOW__SCHEDULER__JOB_HEARTBEAT_SEC=1
  export AIRFLOW__SCHEDULER__TASK_INSTANCE_HEARTBEAT_SEC=1
  export AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION=True
  export AIRFLOW__WEBSERVER__SECRET_KEY="$password-secret"
  export AIRFLOW__API__SECRET_KEY="$password-secret"
  export AIRFLOW__API_AUTH__JWT_SECRET="$password-jwt"
  export NO_PROXY='*' no_proxy='*'
  # The log servers of workers and triggerers take the two ports after the API's.
  export AIRFLOW__LOGGING__WORKER_LOG_SERVER_PORT=$((port + 1))
  export AIRFLOW__LOGGING__TRIGGER_LOG_SERVER_PORT=$((port + 2))

  local pids=()
  descendants() {
    local child
    for child in $(pgrep -P "$1" 2>/dev/null); do
      descendants "$child"
      echo "$child"
    done
  }
  stop_all() {
    trap - EXIT INT TERM
    if ((${#pids[@]})); then
      # Task processes are children of the scheduler and its workers: collect the whole tree first.
      local tree=() pid
      for pid in "${pids[@]}"; do
        tree+=($(descendants "$pid") "$pid")
      done
      kill -TERM "${tree[@]}" 2>/dev/null || true
      for _ in 1 2 3 4 5 6 7 8 9 10; do
        kill -0 "${tree[@]}" 2>/dev/null || break
        sleep 1
      done
      kill -KILL "${tree[@]}" 2>/dev/null || true
    fi
  }
  trap stop_all EXIT INT TERM

  airflow db migrate >"$work/db-migrate.log" 2>&1 || die "airflow db migrate failed, see $work/db-migrate.log"

  local api
  if [[ "$major" == 2 ]]; then
    export AIRFLOW__CORE__EXECUTOR=SequentialExecutor
    export AIRFLOW__API__AUTH_BACKENDS=airflow.providers.fab.auth_manager.api.auth.backend.basic_auth
    export AIRFLOW__WEBSERVER__WORKERS=1
    export AIRFLOW__WEBSERVER__WEB_SERVER_HOST=127.0.0.1
    airflow users create --username kaapana --password "$password" --role Admin \
      --firstname Kaapana --lastname Tests --email tests@kaapana.invalid \
      >"$work/users.log" 2>&1 || die "creating the Airflow user failed, see $work/users.log"
    airflow webserver --hostname 127.0.0.1 --port "$port" --workers 1 >"$work/webserver.log" 2>&1 &
    pids+=($!)
    airflow scheduler >"$work/scheduler.log" 2>&1 &
    pids+=($!)
    api="http://127.0.0.1:$port/api/v1/health"
  else
    export AIRFLOW__CORE__EXECUTOR=LocalExecutor
    export AIRFLOW__CORE__PARALLELISM=4
    export AIRFLOW__CORE__AUTH_MANAGER=airflow.api_fastapi.auth.managers.simple.simple_auth_manager.SimpleAuthManager
    export AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS="kaapana:admin"
    export AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE="$work/home/passwords.json"
    export AIRFLOW__CORE__EXECUTION_API_SERVER_URL="http://127.0.0.1:$port/execution/"
    printf '{"kaapana": "%s"}\n' "$password" > "$work/home/passwords.json"
    airflow api-server --host 127.0.0.1 --port "$port" --workers 1 >"$work/api-server.log" 2>&1 &
    pids+=($!)
    airflow scheduler >"$work/scheduler.log" 2>&1 &
    pids+=($!)
    airflow dag-processor >"$work/dag-processor.log" 2>&1 &
    pids+=($!)
    api="http://127.0.0.1:$port/api/v2/monitor/health"
  fi

  local deadline=$((SECONDS + 240))
  until curl -fsS -o /dev/null "$api" 2>/dev/null; do
    for pid in "${pids[@]}"; do
      kill -0 "$pid" 2>/dev/null || die "an Airflow process ended during start-up; logs in $work"
    done
    ((SECONDS < deadline)) || die "Airflow did not answer on $api within 240 s; logs in $work"
    sleep 1
  done
  echo "ready http://127.0.0.1:$port"

  while true; do
    if [[ -n "$owner" ]] && ! kill -0 "$owner" 2>/dev/null; then
      exit 0
    fi
    for pid in "${pids[@]}"; do
      kill -0 "$pid" 2>/dev/null || die "an Airflow process ended; logs in $work"
    done
    sleep 2
  done
}

case "${1:-}" in
  install) shift; install "$@" ;;
  run) shift; run "$@" ;;
  *) die "usage: airflow-env.sh install <2|3> | run <2|3> <work-dir> <port> [owner-pid]" ;;
esac
