#!/usr/bin/env bash
# A real Keycloak for the security tests: the server distribution from Maven Central, unpacked and
# built once into a cache, started on loopback with the realm of this folder.
#
#   keycloak-env.sh install                        fetch, unpack and build (cached)
#   keycloak-env.sh start HTTP_PORT MGMT_PORT      run it in the foreground (installing first)
#
# The cache lives outside the repository, under
# ${KAAPANA_KEYCLOAK_CACHE:-$HOME/.cache/kaapana-workflow-api/keycloak}, one directory per version
# and build options. The server keeps its data in memory (dev-mem): every start imports the realm
# afresh, so no test sees another's users or sessions.
set -euo pipefail

version="${KAAPANA_KEYCLOAK_VERSION:-26.7.3}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cache="${KAAPANA_KEYCLOAK_CACHE:-$HOME/.cache/kaapana-workflow-api/keycloak}"
build_options=(--db=dev-mem --health-enabled=true)
key="$(printf '%s %s' "$version" "${build_options[*]}" | sha256sum | cut -c1-12)"
home="$cache/keycloak-$version-$key/keycloak-$version"
# KAAPANA_KEYCLOAK_REALM: another realm file (tests that register their own console address).
realm="${KAAPANA_KEYCLOAK_REALM:-$here/kaapana-realm.json}"

install() {
  if [[ -f "$home/.built" ]]; then
    return 0
  fi
  echo "keycloak-env: installing Keycloak $version into $home" >&2
  local work
  work="$(mktemp -d)"
  # Maven resolves the distribution like any other artifact (and from its local repository next time).
  # From an empty folder: in a project's folder the plugin would run once per module.
  (cd "$work" && mvn -q -B dependency:copy \
    -Dartifact="org.keycloak:keycloak-quarkus-dist:$version:zip" -DoutputDirectory="$work" >&2)
  rm -rf "$(dirname "$home")"
  mkdir -p "$(dirname "$home")"
  unzip -q "$work/keycloak-quarkus-dist-$version.zip" -d "$(dirname "$home")"
  rm -rf "$work"
  "$home/bin/kc.sh" build "${build_options[@]}" >&2
  touch "$home/.built"
}

case "${1:-}" in
  install) install ;;
  start)
    [[ $# -eq 3 ]] || { echo "usage: keycloak-env.sh start HTTP_PORT MGMT_PORT" >&2; exit 2; }
    install
    mkdir -p "$home/data/import"
    cp "$realm" "$home/data/import/kaapana-realm.json"
    # A bounded heap: by default the server takes a quarter of the machine's memory.
    export JAVA_OPTS_KC_HEAP="${JAVA_OPTS_KC_HEAP:--Xms64m -Xmx384m}"
    exec "$home/bin/kc.sh" start --optimized \
      --http-enabled=true --http-host=127.0.0.1 --http-port="$2" \
      --http-management-port="$3" --hostname-strict=false --import-realm
    ;;
  *)
    echo "usage: keycloak-env.sh install | start HTTP_PORT MGMT_PORT" >&2
    exit 2
    ;;
esac
