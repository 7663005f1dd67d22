#!/usr/bin/env bash
# A real Kubernetes API and Argo Workflows control plane for the Argo adapter's tests (issue 17),
# built from Go modules (no container images can be pulled here):
#   kube-apiserver and kube-scheduler (k8s.io/kubernetes), etcd (the version Kubernetes pins),
#   kwok (simulated node and pods), Argo's workflow-controller and argo server.
#
#   real-argo-env.sh build    build what is missing (cold: tens of minutes on two cores; prints
#                             what each part took); a warm Go cache relinks in about a minute
#   real-argo-env.sh path     print the directory holding the binaries and the Argo CRDs
#   real-argo-env.sh up DIR   start the control plane with its state in DIR (new keys, token and
#                             certificates each time); prints KUBECONFIG=… (an admin's),
#                             ARGO_URL=…, ARGO_NAMESPACE=… and ARGO_TOKEN_FILE=… (the adapter's
#                             service account, with the Role docs/argo-adapter.md documents) once
#                             everything answers. With OWNER_PID set, the control plane is stopped
#                             when that process ends.
#   real-argo-env.sh down DIR stop exactly what `up DIR` started
#
# argo server and the controller's health port listen on every interface (they cannot be told
# otherwise), so the control plane runs in a network namespace of its own where only loopback
# exists; a relay (netns-relay.py) makes argo-server and the Kubernetes API reachable on the
# host's loopback only, on ${ARGO_PORT:-2746} and ${API_PORT:-16443}. Creating the namespace
# needs root or unprivileged user namespaces.
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
	_ "k8s.io/kubernetes/cmd/kubectl"
)
GO
  local version="k8s.io/component-base/version"
  local minor="${k8s_version#1.}"
  minor="${minor%%.*}"
  (cd "$work" && go mod tidy &&
    go build -trimpath -ldflags="-s -w -X $version.gitVersion=v$k8s_version \
      -X $version.gitMajor=1 -X $version.gitMinor=$minor -X $version.gitTreeState=clean" \
      -o "$work/out/" k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kube-scheduler \
      k8s.io/kubernetes/cmd/kubectl &&
    go build "${goflags[@]}" -o "$work/out/etcd" go.etcd.io/etcd/server/v3)
  mv "$work/out/kube-apiserver" "$work/out/kube-scheduler" "$work/out/kubectl" "$work/out/etcd" \
    "$bin/"
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
  [[ -x "$bin/kube-apiserver" && -x "$bin/kube-scheduler" && -x "$bin/kubectl" && -x "$bin/etcd" ]] ||
    timed "kube-apiserver, kube-scheduler, kubectl and etcd" build_kubernetes
  [[ -x "$bin/kwok" ]] || timed "kwok" build_kwok
  [[ -x "$bin/argo" && -x "$bin/workflow-controller" && -d "$home/crds" ]] ||
    timed "argo and workflow-controller" build_argo
  say "control plane ready in $home ($(($(date +%s) - started)) s)"
}

# --- running it ---------------------------------------------------------------------------------

# The control plane's own kubectl (built with it) for this script and stand-in-executor.sh.
export PATH="$bin:$PATH"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
self="$here/$(basename "${BASH_SOURCE[0]}")"
conf="$here/conf"

start() { # state name command...: own process group, so `down` stops it with its children
  local state="$1" name="$2"
  shift 2
  setsid "$@" > "$state/logs/$name.log" 2>&1 < /dev/null &
  echo "$name $!" >> "$state/pids"
}

await() { # what seconds command...
  local what="$1" deadline=$(($(date +%s) + $2))
  shift 2
  until "$@" > /dev/null 2>&1; do
    if (($(date +%s) >= deadline)); then
      say "$what did not come up within the time; see the logs"
      return 1
    fi
    sleep 0.3
  done
  say "$what ready after $(($(date +%s) - up_started)) s"
}

# Inside the namespace the ports are fixed: nothing else listens there.
etcd_port=23790
api_port=16443
argo_port=2746
kwok_port=10247

up() {
  local state="$1"
  [[ -x "$bin/argo" ]] || build
  [[ -f "$state/pids" ]] && down "$state"
  rm -rf "$state"
  mkdir -p "$state"
  state="$(cd "$state" && pwd)"
  up_started=$(date +%s)
  local netns=(unshare --net)
  if ! unshare --net true 2> /dev/null; then
    netns=(unshare --user --map-root-user --net)
    "${netns[@]}" true || { say "cannot create a network namespace (root or user namespaces needed)"; return 1; }
  fi
  if ! "${netns[@]}" -- bash "$self" inside "$state"; then
    down "$state"
    return 1
  fi
  local host_argo="${ARGO_PORT:-2746}" host_api="${API_PORT:-16443}" inside_pid
  inside_pid="$(awk '$1 == "etcd" {print $2}' "$state/pids")"
  start "$state" relay python3 "$here/netns-relay.py" \
    "/proc/$inside_pid/ns/net" "127.0.0.1:$host_argo=127.0.0.1:$argo_port" \
    "127.0.0.1:$host_api=127.0.0.1:$api_port"
  # The relay says so once its ports are bound; a port taken by something else stops it, and
  # then whatever holds the port must not pass for this control plane.
  if ! await "relay on 127.0.0.1:$host_argo and :$host_api" 30 \
    grep -q relaying "$state/logs/relay.log" ||
    ! await "argo-server through the relay" 30 \
      curl -sf -H "Authorization: Bearer $(cat "$state/pki/adapter.token")" \
      "http://127.0.0.1:$host_argo/api/v1/version"; then
    say "the relay did not start: $(tail -n 3 "$state/logs/relay.log")"
    down "$state"
    return 1
  fi
  KUBECONFIG="$state/kubeconfig" kubeconfig "$host_api" "$(cat "$state/pki/admin.token")"
  if [[ -n "${OWNER_PID:-}" ]]; then
    # Stops the control plane when the owner (a test JVM) ends without saying so.
    setsid bash -c 'while kill -0 "$1" 2> /dev/null; do sleep 2; done; exec bash "$2" down "$3"' \
      watchdog "$OWNER_PID" "$self" "$state" > /dev/null 2>&1 < /dev/null &
  fi
  echo "KUBECONFIG=$state/kubeconfig"
  echo "ARGO_URL=http://127.0.0.1:$host_argo"
  echo "ARGO_NAMESPACE=kaapana-workflows"
  echo "ARGO_TOKEN_FILE=$state/pki/adapter.token"
}

kubeconfig() { # api-port token: writes $KUBECONFIG
  kubectl config set-cluster real-argo --server="https://127.0.0.1:$1" \
    --insecure-skip-tls-verify=true > /dev/null
  kubectl config set-credentials admin --token="$2" > /dev/null
  kubectl config set-context real-argo --cluster=real-argo --user=admin --namespace=argo > /dev/null
  kubectl config use-context real-argo > /dev/null
}

# Runs in the new network namespace: loopback up, then every part of the control plane.
inside() {
  local state="$1"
  up_started=$(date +%s)
  ip link set lo up
  mkdir -p "$state/logs" "$state/pki" "$state/conf"
  # Credentials of this start only: an admin token for the tests and the service-account keys.
  local token
  token="$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')"
  echo "$token,kaapana-tests,kaapana-tests,\"system:masters\"" > "$state/pki/tokens.csv"
  echo -n "$token" > "$state/pki/admin.token"
  openssl genrsa -out "$state/pki/sa.key" 2048 2> /dev/null
  openssl rsa -in "$state/pki/sa.key" -pubout -out "$state/pki/sa.pub" 2> /dev/null
  chmod 600 "$state/pki/"*
  export KUBECONFIG="$state/conf/inside.kubeconfig"
  kubeconfig "$api_port" "$token"
  sed "s#__CONF__#$conf#g" "$conf/kwok-stages.yaml" > "$state/conf/kwok-stages.yaml"

  start "$state" etcd "$bin/etcd" --name real-argo --data-dir "$state/etcd" \
    --listen-client-urls "http://127.0.0.1:$etcd_port" \
    --advertise-client-urls "http://127.0.0.1:$etcd_port" \
    --listen-peer-urls "http://127.0.0.1:$((etcd_port + 10))" \
    --initial-advertise-peer-urls "http://127.0.0.1:$((etcd_port + 10))" \
    --initial-cluster "real-argo=http://127.0.0.1:$((etcd_port + 10))" --unsafe-no-fsync
  await etcd 60 curl -sf "http://127.0.0.1:$etcd_port/health"

  # No controller-manager runs: the node's not-ready taint would never be removed
  # (TaintNodesByCondition off), and endpoints are not reconciled.
  start "$state" kube-apiserver "$bin/kube-apiserver" \
    --etcd-servers="http://127.0.0.1:$etcd_port" --bind-address=127.0.0.1 \
    --advertise-address=127.0.0.1 --secure-port="$api_port" --cert-dir="$state/pki" \
    --token-auth-file="$state/pki/tokens.csv" --authorization-mode=RBAC \
    --service-account-issuer=https://kubernetes.default.svc.cluster.local \
    --service-account-key-file="$state/pki/sa.pub" \
    --service-account-signing-key-file="$state/pki/sa.key" \
    --service-cluster-ip-range=10.96.0.0/16 --endpoint-reconciler-type=none \
    --enable-priority-and-fairness=false --disable-admission-plugins=TaintNodesByCondition \
    --profiling=false
  await kube-apiserver 180 curl -sfk -H "Authorization: Bearer $token" \
    "https://127.0.0.1:$api_port/readyz"

  kubectl apply --server-side -f "$home/crds/" > "$state/logs/crds.log"
  kubectl wait --for condition=Established crd --all --timeout=60s > /dev/null
  kubectl apply -f "$conf/cluster.yaml" > "$state/logs/cluster.log"

  start "$state" kube-scheduler "$bin/kube-scheduler" --kubeconfig="$KUBECONFIG" \
    --authentication-kubeconfig="$KUBECONFIG" --authorization-kubeconfig="$KUBECONFIG" \
    --leader-elect=false --bind-address=127.0.0.1 --secure-port=0
  # kwok plays the node's kubelet; its addresses stay on loopback (log requests go there).
  start "$state" kwok "$bin/kwok" --kubeconfig="$KUBECONFIG" \
    --config="$state/conf/kwok-stages.yaml" --manage-all-nodes=false \
    --manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake --cidr=127.100.0.1/16 \
    --node-ip=127.0.0.1 --node-port="$kwok_port" --server-address="127.0.0.1:$kwok_port"
  await "node kwok-node-0" 60 bash -c "kubectl get node kwok-node-0 -o \
    jsonpath='{.status.conditions[?(@.type==\"Ready\")].status}' | grep -q True"

  # A requeue of 1 s instead of Argo's default keeps state changes quick for the tests.
  LEADER_ELECTION_DISABLE=true DEFAULT_REQUEUE_TIME="${ARGO_REQUEUE_TIME:-1s}" \
    start "$state" workflow-controller "$bin/workflow-controller" --kubeconfig="$KUBECONFIG" \
    --executor-image="quay.io/argoproj/argoexec:$argo_version" \
    --workflow-workers=4 --pod-cleanup-workers=2
  start "$state" stand-in-executor "$here/stand-in-executor.sh"
  # Client auth mode: argo-server acts with each caller's own Kubernetes rights, so the adapter's
  # token (a service account with the documented Role) is what the tests exercise.
  start "$state" argo-server "$bin/argo" server --kubeconfig="$KUBECONFIG" --namespace=argo \
    --auth-mode=client --secure=false --port="$argo_port"
  kubectl create token kaapana-workflow-adapter -n kaapana-workflows --duration=24h \
    > "$state/pki/adapter.token"
  chmod 600 "$state/pki/adapter.token"
  # Each of argo-server's services has its own connection from the REST gateway, and those answer
  # 503 (code 14) for a second or two after /version already does: wait for the workflow service.
  await argo-server 120 curl -sf -H "Authorization: Bearer $token" \
    "http://127.0.0.1:$argo_port/api/v1/workflows/argo?listOptions.limit=1"
  await workflow-controller 120 curl -sf "http://127.0.0.1:6060/healthz"
}

down() {
  local state="$1" name pid
  [[ -f "$state/pids" ]] || return 0
  while read -r name pid; do
    kill -TERM -- "-$pid" 2> /dev/null || true
  done < <(tac "$state/pids")
  for _ in $(seq 1 50); do
    local alive=0
    while read -r name pid; do
      kill -0 -- "-$pid" 2> /dev/null && alive=1
    done < "$state/pids"
    ((alive)) || break
    sleep 0.2
  done
  while read -r name pid; do
    kill -KILL -- "-$pid" 2> /dev/null && say "killed $name"
  done < "$state/pids"
  mv "$state/pids" "$state/pids.stopped"
}

case "${1:-}" in
  build) build ;;
  path) echo "$home" ;;
  up) up "${2:?usage: real-argo-env.sh up DIR}" ;;
  inside) inside "$2" ;;
  down) down "${2:?usage: real-argo-env.sh down DIR}" ;;
  *)
    echo "usage: real-argo-env.sh build | path | up DIR | down DIR" >&2
    exit 2
    ;;
esac
