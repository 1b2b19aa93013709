#!/usr/bin/env bash
# Runs a command inside the current (freshly unshared) network namespace after giving it the
# test network: loopback, a veth pair 10.77.0.1/24 <-> 10.77.0.2/24 and a default route through
# it. WebRTC stacks gather no ICE candidates on loopback, and Chromium viewers gather only on the
# default-route interface, so LiveKit advertises 10.77.0.1. Nothing routed here leaves the
# namespace. Usage: unshare --net bash scripts/netns.sh COMMAND...
set -euo pipefail
ip link set lo up
ip link add lkt0 type veth peer name lkt1
ip addr add 10.77.0.1/24 dev lkt0
ip addr add 10.77.0.2/24 dev lkt1
ip link set lkt0 up
ip link set lkt1 up
ip route add default via 10.77.0.2 dev lkt0
export TEST_NODE_IP=10.77.0.1
exec "$@"
