#!/usr/bin/env bash
# Benchmark: `vessel run --rm busybox true` against `podman run --rm --network none` of the same
# image, interleaved, N runs each (default 20); prints the medians and the ratio. Then the resident
# memory of an idle detached container's monitor against podman's conmon.
# Usage: bench/run.sh [N]   (as root; needs podman and runc: bin/install-deps)
set -euo pipefail
project=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
runs=${1:-20}
work=$(mktemp -d /tmp/vessel-bench-run.XXXXXX)
. "$project/bench/lib/vessel.sh"
vessel=("$vessel_bin" --root "$work/vessel")
. "$project/bench/lib/podman.sh"
cleanup() {
  "${vessel[@]}" rm -f bench-idle >/dev/null 2>&1 || true
  "${podman[@]}" rm -f -t 0 bench-idle >/dev/null 2>&1 || true
  podman_cleanup
  rm -rf "$work"
}
trap cleanup EXIT

podman_prepare_busybox
podman_run=("${podman[@]}" run --rm --network none --cgroup-parent "$cgroup_parent" busybox:latest true)

now() { date +%s%N; }
median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
"${vessel[@]}" run --rm busybox true   # warm-up, both
"${podman_run[@]}"
: > "$work/vessel.times"
: > "$work/podman.times"
for _ in $(seq "$runs"); do
  t0=$(now); "${vessel[@]}" run --rm busybox true; t1=$(now)
  echo $(( (t1 - t0) / 1000000 )) >> "$work/vessel.times"
  t0=$(now); "${podman_run[@]}"; t1=$(now)
  echo $(( (t1 - t0) / 1000000 )) >> "$work/podman.times"
done
v=$(median < "$work/vessel.times")
p=$(median < "$work/podman.times")
echo "run --rm busybox true, median of $runs: vessel ${v} ms, podman ${p} ms, vessel/podman = $(awk -v a="$v" -v b="$p" 'BEGIN {printf "%.2f", a / b}')"

# Resident memory of the process that watches an idle detached container.
"${vessel[@]}" run -d --name bench-idle busybox sleep 300 >/dev/null
"${podman[@]}" run -d --name bench-idle --network none --cgroup-parent "$cgroup_parent" busybox:latest sleep 300 >/dev/null
sleep 1
rss() { awk '/^VmRSS/ {print $2}' "/proc/$1/status"; }
monitor=$(pgrep -f "vessel-helper.* monitor .*$work/vessel/" | head -1 || true)
conmon=$(pgrep -f "conmon .*$work/podman" | head -1 || true)
echo "idle detached container's monitor: vessel $(rss "$monitor") KiB, podman's conmon $(rss "$conmon") KiB"
