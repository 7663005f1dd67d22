#!/usr/bin/env bash
# The Go tools the deployment build and its checks need, built once from their modules into a cache:
# helm (chart lint and rendering) and crane (OCI image layers and archives without a daemon).
#
#   go-tools.sh install              build what is missing (helm takes ~15 min on two loaded cores)
#   go-tools.sh path                 print the directory holding the binaries
#   go-tools.sh helm|crane <args>    run one (building the tools first if needed)
#
# The cache lives outside the repository, under
# ${KAAPANA_TOOLS_CACHE:-$HOME/.cache/kaapana-workflow-api/tools}, one directory per tool version.
set -euo pipefail

helm_version="v3.22.0"
crane_version="v0.22.1"
cache="${KAAPANA_TOOLS_CACHE:-$HOME/.cache/kaapana-workflow-api/tools}"
bin="$cache/bin-helm-$helm_version-crane-$crane_version"

build() { # module version binary
  local target="$bin/$3"
  if [[ -x "$target" ]]; then
    return 0
  fi
  command -v go >/dev/null 2>&1 || { echo "go-tools: Go is needed to build $3" >&2; exit 1; }
  echo "go-tools: building $1@$2 into $bin" >&2
  mkdir -p "$bin"
  local work
  work="$(mktemp -d)"
  # Built into a scratch folder first: a build that is cut off leaves no half binary behind.
  GOBIN="$work" CGO_ENABLED=0 go install -trimpath "$1@$2"
  mv "$work/$3" "$target"
  rm -rf "$work"
}

case "${1:-}" in
  install)
    build github.com/google/go-containerregistry/cmd/crane "$crane_version" crane
    build helm.sh/helm/v3/cmd/helm "$helm_version" helm
    ;;
  path) echo "$bin" ;;
  helm | crane)
    tool="$1"
    shift
    build github.com/google/go-containerregistry/cmd/crane "$crane_version" crane
    build helm.sh/helm/v3/cmd/helm "$helm_version" helm
    exec "$bin/$tool" "$@"
    ;;
  *)
    echo "usage: go-tools.sh install | path | helm <args> | crane <args>" >&2
    exit 2
    ;;
esac
