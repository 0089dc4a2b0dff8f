#!/usr/bin/env bash
# `vessel oci run` against `runc run` of the same bundle (busybox, /bin/true): N runs each,
# interleaved, median wall time of each and the ratio. Needs root, runc and /bin/busybox.
# Usage: bench/oci-run.sh [N]   (default 30)
set -euo pipefail
project=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
n=${1:-30}
. "$project/bench/lib/vessel.sh"
vessel="$vessel_bin"
work=$(mktemp -d)
trap 'runc --root "$work/runc" delete --force bench-r >/dev/null 2>&1 || true; rm -rf "$work"' EXIT

# A busybox bundle: the static binary and its applet links, the default spec running /bin/true.
mkdir -p "$work/bundle/rootfs/bin"
cp /bin/busybox "$work/bundle/rootfs/bin/busybox"
for applet in $(/bin/busybox --list); do
  [ "$applet" = busybox ] || ln -s busybox "$work/bundle/rootfs/bin/$applet"
done
"$vessel" oci spec --bundle "$work/bundle" >/dev/null   # also builds Vessel if needed
sed -i 's/"terminal": true/"terminal": false/; s/"args": \["sh"\]/"args": ["\/bin\/true"]/' "$work/bundle/config.json"
grep -q '"/bin/true"' "$work/bundle/config.json"

now() { date +%s%N; }
median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : int((a[NR/2]+a[NR/2+1])/2)}'; }

# One warm-up each (page cache, AOT cache file), not counted.
"$vessel" oci --root "$work/vessel" run --bundle "$work/bundle" bench-v
runc --root "$work/runc" run --bundle "$work/bundle" bench-r
: > "$work/v.txt"; : > "$work/r.txt"
for i in $(seq 1 "$n"); do
  t0=$(now); "$vessel" oci --root "$work/vessel" run --bundle "$work/bundle" bench-v; t1=$(now)
  echo $(( (t1 - t0) / 1000 )) >> "$work/v.txt"
  t0=$(now); runc --root "$work/runc" run --bundle "$work/bundle" bench-r; t1=$(now)
  echo $(( (t1 - t0) / 1000 )) >> "$work/r.txt"
done
v=$(median < "$work/v.txt"); r=$(median < "$work/r.txt")
printf 'vessel oci run: median %d.%03d ms over %d runs\n' $((v / 1000)) $((v % 1000)) "$n"
printf 'runc run:       median %d.%03d ms over %d runs\n' $((r / 1000)) $((r % 1000)) "$n"
awk -v v="$v" -v r="$r" 'BEGIN {printf "ratio vessel/runc: %.2f (below 1 means Vessel is faster)\n", v / r}'
