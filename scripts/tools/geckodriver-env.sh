#!/usr/bin/env bash
# geckodriver for the web console's Firefox tests, built from crates.io with cargo into a cache
# (about two minutes on two cores the first time).
#
#   geckodriver-env.sh install    build it unless cached
#   geckodriver-env.sh path       print the binary's path (installing first)
#
# The cache: ${KAAPANA_TOOLS_CACHE:-$HOME/.cache/kaapana-workflow-api/tools}/geckodriver-<version>.
set -euo pipefail

version="${KAAPANA_GECKODRIVER_VERSION:-0.37.1}"
cache="${KAAPANA_TOOLS_CACHE:-$HOME/.cache/kaapana-workflow-api/tools}"
root="$cache/geckodriver-$version"
binary="$root/bin/geckodriver"

install() {
  if [[ -x "$binary" ]]; then
    return 0
  fi
  command -v cargo >/dev/null 2>&1 || { echo "geckodriver-env: cargo is needed to build geckodriver" >&2; exit 1; }
  echo "geckodriver-env: building geckodriver $version into $root" >&2
  local work
  work="$(mktemp -d)"
  # --locked: the crate's own lock file, so every build resolves the same dependencies.
  cargo install --quiet --locked --version "$version" --root "$work" geckodriver >&2
  mkdir -p "$root/bin"
  mv "$work/bin/geckodriver" "$binary.partial"
  mv "$binary.partial" "$binary"
  rm -rf "$work"
}

case "${1:-}" in
  install) install ;;
  path) install; echo "$binary" ;;
  *) echo "usage: geckodriver-env.sh install | path" >&2; exit 2 ;;
esac
