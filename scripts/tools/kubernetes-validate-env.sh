#!/usr/bin/env bash
# kubernetes-validate (PyPI) for the chart's checks: validates rendered manifests offline against
# the schemas of a Kubernetes version, which it bundles (deploy's ChartTest).
#
#   kubernetes-validate-env.sh install                       install into a cached virtual environment
#   kubernetes-validate-env.sh run <arguments>               run it (installing first if needed)
#
# The virtual environment lives outside the repository, under
# ${KAAPANA_TOOLS_CACHE:-$HOME/.cache/kaapana-workflow-api/tools}, one per requirements file
# content. Exit code 75 from `install` means the package registry could not be reached.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cache="${KAAPANA_TOOLS_CACHE:-$HOME/.cache/kaapana-workflow-api/tools}"
requirements="$here/requirements-kubernetes-validate.txt"
venv="$cache/kubernetes-validate-$(sha256sum "$requirements" | cut -c1-12)"

install() {
  if [[ -f "$venv/.installed" ]]; then
    return 0
  fi
  if ! python3 -m pip download --quiet --no-deps --dest "$(mktemp -d)" six==1.16.0 >/dev/null 2>&1; then
    echo "kubernetes-validate-env: the package registry cannot be reached" >&2
    exit 75
  fi
  echo "kubernetes-validate-env: installing kubernetes-validate into $venv" >&2
  rm -rf "$venv"
  mkdir -p "$cache"
  python3 -m venv "$venv"
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$requirements"
  "$venv/bin/kubernetes-validate" --version >/dev/null
  touch "$venv/.installed"
}

case "${1:-}" in
  install) install ;;
  run)
    shift
    install
    exec "$venv/bin/kubernetes-validate" "$@"
    ;;
  *)
    echo "usage: kubernetes-validate-env.sh install | run <arguments>" >&2
    exit 2
    ;;
esac
