#!/usr/bin/env bash
# Schemathesis for the OpenAPI conformance test (workflow-quickstart's OpenApiConformanceTest).
#
#   schemathesis-env.sh install            install into a cached virtual environment
#   schemathesis-env.sh st <arguments>     run `st` from it (installing first if needed)
#
# The virtual environment lives outside the repository, under
# ${KAAPANA_SCHEMATHESIS_CACHE:-$HOME/.cache/kaapana-workflow-api/schemathesis}, one per
# requirements file content, and is reused when present. Exit code 75 from `install` means the
# package registry could not be reached.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cache="${KAAPANA_SCHEMATHESIS_CACHE:-$HOME/.cache/kaapana-workflow-api/schemathesis}"
python="${KAAPANA_SCHEMATHESIS_PYTHON:-python3}"
requirements="$here/requirements-schemathesis.txt"
venv="$cache/schemathesis-$(sha256sum "$requirements" | cut -c1-12)"

install() {
  if [[ -f "$venv/.installed" ]]; then
    return 0
  fi
  # Ask the registry for something small first, so "unreachable" is told apart from a broken pin.
  if ! "$python" -m pip download --quiet --no-deps --dest "$(mktemp -d)" six==1.16.0 >/dev/null 2>&1; then
    echo "schemathesis-env: the package registry cannot be reached" >&2
    exit 75
  fi
  echo "schemathesis-env: installing Schemathesis into $venv" >&2
  rm -rf "$venv"
  mkdir -p "$cache"
  "$python" -m venv "$venv"
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$requirements"
  "$venv/bin/st" --version >/dev/null || { echo "schemathesis-env: st does not start" >&2; exit 1; }
  touch "$venv/.installed"
}

case "${1:-}" in
  install) install ;;
  st)
    shift
    install
    exec "$venv/bin/st" "$@"
    ;;
  *)
    echo "usage: schemathesis-env.sh install | st <arguments>" >&2
    exit 2
    ;;
esac
