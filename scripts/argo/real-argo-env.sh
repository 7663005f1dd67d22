#!/usr/bin/env bash
# A real Kubernetes API and Argo Workflows control plane for the Argo adapter's tests (issue 17),
# built from Go modules (no container images can be pulled here):
#   kube-apiserver and kube-scheduler (k8s.io/kubernetes), etcd (the version Kubernetes pins),
#   kwok (simulated node and pods), Argo's workflow-controller and argo server.
#
#   real-argo-env.sh build    build what is missing (cold: tens of minutes on two cores; prints
#                             what each part took); a warm Go cache relinks in about a minute
#   real-argo-env.sh path     print the directory holding the binaries and the Argo CRDs
#
# The cache lives outside the repository, under
# ${KAAPANA_TOOLS_CACHE:-$HOME/.cache/kaapana-workflow-api/tools}, one directory per set of pinned
# versions (the directory's name is the cache key).
set -euo pipefail

k8s_version="1.36.3"   # its staging modules are v0.36.3
kwok_version="v0.8.0"
argo_version="v3.7.18"
argo_module="github.com/argoproj/argo-workflows/v3"
cache="${KAAPANA_TOOLS_CACHE:-$HOME/.cache/kaapana-workflow-api/tools}"
home="$cache/real-argo-k8s$k8s_version-argo${argo_version#v}-kwok${kwok_version#v}"
bin="$home/bin"
goflags=(-trimpath -ldflags=-s\ -w)

say() { echo "real-argo: $*" >&2; }

timed() { # what command...
  local what="$1" started
  shift
  started=$(date +%s)
  "$@"
  say "$what took $(($(date +%s) - started)) s"
}

module_json() { # module@version field
  go mod download -json "$1" | python3 -c 'import json, sys
d = json.load(sys.stdin)
for key in sys.argv[1].split("."):
    d = (d or {}).get(key)
print(d or "")' "$2"
}

# k8s.io/kubernetes replaces its staging modules (k8s.io/api, …) with ./staging directories, so
# `go install k8s.io/kubernetes/cmd/kube-apiserver@…` is refused: a module of ours requires it and
# points each staging module at its published v0 release instead.
build_kubernetes() {
  local work="$home/work/kubernetes" mod
  mkdir -p "$work"
  mod="$(module_json "k8s.io/kubernetes@v$k8s_version" GoMod)"
  {
    echo "module kaapana.local/realargo/kubernetes"
    echo
    grep -m1 '^go ' "$mod"
    echo
    echo "require k8s.io/kubernetes v$k8s_version"
    echo
    echo "replace ("
    # k8s.io/sample-cli-plugin is not served as a module and no binary here needs it.
    grep '=> ./staging' "$mod" | awk '{print $1}' | grep -v '^k8s.io/sample-cli-plugin$' |
      while read -r staged; do echo "	$staged => $staged v0.${k8s_version#1.}"; done
    echo ")"
  } > "$work/go.mod"
  cat > "$work/tools.go" <<'GO'
//go:build tools

package tools

import (
	_ "go.etcd.io/etcd/server/v3"
	_ "k8s.io/kubernetes/cmd/kube-apiserver"
	_ "k8s.io/kubernetes/cmd/kube-scheduler"
)
GO
  (cd "$work" && go mod tidy &&
    go build "${goflags[@]}" -o "$work/out/" k8s.io/kubernetes/cmd/kube-apiserver \
      k8s.io/kubernetes/cmd/kube-scheduler &&
    go build "${goflags[@]}" -o "$work/out/etcd" go.etcd.io/etcd/server/v3)
  mv "$work/out/kube-apiserver" "$work/out/kube-scheduler" "$work/out/etcd" "$bin/"
}

build_kwok() {
  local work="$home/work/kwok"
  mkdir -p "$work"
  GOBIN="$work" go install "${goflags[@]}" "sigs.k8s.io/kwok/cmd/kwok@$kwok_version"
  mv "$work/kwok" "$bin/"
}

# Argo's go.mod has a replace directive (so `go install …@version` is refused) and its UI is
# embedded from ui/dist, which the module does not contain: build a copy of the module with a
# placeholder page, through a module of ours that carries Argo's replace directives.
build_argo() {
  local work="$home/work/argo" dir mod commit
  mkdir -p "$work"
  dir="$(module_json "$argo_module@$argo_version" Dir)"
  mod="$(module_json "$argo_module@$argo_version" GoMod)"
  commit="$(module_json "$argo_module@$argo_version" Origin.Hash)"
  rm -rf "$work/src"
  cp -r "$dir" "$work/src"
  chmod -R u+w "$work/src"
  mkdir -p "$work/src/ui/dist/app"
  echo '<!doctype html><title>argo</title><p>UI not built (tests only)</p>' \
    > "$work/src/ui/dist/app/index.html"
  {
    echo "module kaapana.local/realargo/argo"
    echo
    grep -m1 '^go ' "$mod"
    echo
    echo "require $argo_module $argo_version"
    echo
    grep '^replace ' "$mod" || true
    echo "replace $argo_module => ./src"
  } > "$work/go.mod"
  cat > "$work/tools.go" <<'GO'
//go:build tools

package tools

import (
	_ "github.com/argoproj/argo-workflows/v3/cmd/argo"
	_ "github.com/argoproj/argo-workflows/v3/cmd/workflow-controller"
)
GO
  (cd "$work" && go mod tidy &&
    go build -trimpath -ldflags="-s -w -X $argo_module.version=$argo_version \
      -X $argo_module.gitTag=$argo_version -X $argo_module.gitCommit=$commit \
      -X $argo_module.gitTreeState=clean" \
      -o "$work/out/" "$argo_module/cmd/workflow-controller" "$argo_module/cmd/argo")
  mv "$work/out/workflow-controller" "$work/out/argo" "$bin/"
  # The CRDs the controller and server need, from the same module.
  mkdir -p "$home/crds"
  cp "$work/src/manifests/base/crds/minimal/"argoproj.io_*.yaml "$home/crds/"
}

build() {
  command -v go >/dev/null 2>&1 || { say "Go is needed to build the control plane"; exit 1; }
  mkdir -p "$bin"
  local started
  started=$(date +%s)
  [[ -x "$bin/kube-apiserver" && -x "$bin/kube-scheduler" && -x "$bin/etcd" ]] ||
    timed "kube-apiserver, kube-scheduler and etcd" build_kubernetes
  [[ -x "$bin/kwok" ]] || timed "kwok" build_kwok
  [[ -x "$bin/argo" && -x "$bin/workflow-controller" && -d "$home/crds" ]] ||
    timed "argo and workflow-controller" build_argo
  say "control plane ready in $home ($(($(date +%s) - started)) s)"
}

case "${1:-}" in
  build) build ;;
  path) echo "$home" ;;
  *)
    echo "usage: real-argo-env.sh build | path" >&2
    exit 2
    ;;
esac
