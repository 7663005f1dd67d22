#!/usr/bin/env bash
# The kfp SDK (Kubeflow Pipelines' Python compiler) for the Kubeflow adapter's sample pipelines.
#
#   kfp-env.sh install        install into a cached virtual environment
#   kfp-env.sh compile [DIR]  compile adapter-kubeflow/src/test/pipelines/samples.py into DIR
#                             (default: the committed adapter-kubeflow/src/test/resources/pipelines)
#
# The virtual environment lives outside the repository, under
# ${KAAPANA_KFP_CACHE:-$HOME/.cache/kaapana-workflow-api/kfp}, one per requirements file content.
# Exit code 75 from `install` means the package registry could not be reached.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cache="${KAAPANA_KFP_CACHE:-$HOME/.cache/kaapana-workflow-api/kfp}"
python="${KAAPANA_KFP_PYTHON:-python3}"
requirements="$here/requirements-kfp.txt"
venv="$cache/kfp-$(sha256sum "$requirements" | cut -c1-12)"

install() {
  if [[ -f "$venv/.installed" ]]; then
    return 0
  fi
  if ! "$python" -m pip download --quiet --no-deps --dest "$(mktemp -d)" six==1.16.0 >/dev/null 2>&1; then
    echo "kfp-env: the package registry cannot be reached" >&2
    exit 75
  fi
  echo "kfp-env: installing the kfp SDK into $venv" >&2
  rm -rf "$venv"
  mkdir -p "$cache"
  "$python" -m venv "$venv"
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$requirements"
  "$venv/bin/python" -c 'import kfp' || { echo "kfp-env: kfp does not import" >&2; exit 1; }
  touch "$venv/.installed"
}

case "${1:-}" in
  install) install ;;
  compile)
    install
    out="${2:-$root/adapter-kubeflow/src/test/resources/pipelines}"
    mkdir -p "$out"
    exec "$venv/bin/python" "$root/adapter-kubeflow/src/test/pipelines/samples.py" "$out"
    ;;
  *)
    echo "usage: kfp-env.sh install | compile [DIR]" >&2
    exit 2
    ;;
esac
