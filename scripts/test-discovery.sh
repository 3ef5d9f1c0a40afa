#!/usr/bin/env bash
# Runs the mDNS discovery tests (tests/discovery) inside a private network namespace with only a
# loopback interface, so multicast never leaves this machine. Needs root (or a user namespace
# allowed to create network namespaces) and the `ip` command.
#
#   bash scripts/test-discovery.sh [vitest args…]     e.g. --reporter=json --outputFile.json=x.json
#   bash scripts/test-discovery.sh --allow-skip        without a namespace: run anyway; every test
#                                                      skips with its reason (exit 0)
set -euo pipefail
cd "$(dirname "$0")/.."

allow_skip=0
args=()
for a in "$@"; do
  if [ "$a" = "--allow-skip" ]; then allow_skip=1; else args+=("$a"); fi
done

if ! command -v ip >/dev/null 2>&1 || ! unshare -n true 2>/dev/null; then
  echo "test-discovery: cannot create a network namespace (needs root, unshare and ip)." >&2
  if [ "$allow_skip" = 1 ]; then
    echo "test-discovery: running outside one; the tests will skip themselves." >&2
    exec npx vitest run --config vitest.discovery.config.ts ${args[@]+"${args[@]}"}
  fi
  echo "test-discovery: refusing to report success without running them (use --allow-skip)." >&2
  exit 1
fi

# Inside: loopback up with multicast, and the mDNS group routed to it. `exec` hands vitest's exit
# code straight back through unshare.
exec unshare -n sh -c '
  set -e
  ip link set lo up
  ip link set lo multicast on
  ip route add 224.0.0.0/4 dev lo
  exec npx vitest run --config vitest.discovery.config.ts "$@"
' sh ${args[@]+"${args[@]}"}
