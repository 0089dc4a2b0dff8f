#!/usr/bin/env bash
# Benchmark: `vessel build` against `podman build` of the same multi-stage Containerfile (11
# steps, 4 RUNs, COPY --from) and context, cold (--no-cache) and cached, interleaved, N runs
# each (default 5); prints the medians and the ratios (podman time / vessel time: above 1.00
# means Vessel is faster).
# Usage: bench/build.sh [N]   (as root; needs podman and runc: bin/install-deps)
set -euo pipefail
project=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
runs=${1:-5}
work=$(mktemp -d /tmp/vessel-bench-build.XXXXXX)
. "$project/bench/lib/vessel.sh"
vessel=("$vessel_bin" --root "$work/vessel")
. "$project/bench/lib/podman.sh"
cleanup() {
  podman_cleanup
  rm -rf "$work"
}
trap cleanup EXIT

podman_prepare_busybox

context="$work/context"
mkdir -p "$context/data"
for i in $(seq 1 40); do head -c 262144 /dev/urandom > "$context/data/blob$i"; done   # 10 MiB in 40 files
cat > "$context/Containerfile" <<'CF'
FROM busybox AS build
WORKDIR /src
COPY data/ ./data/
RUN for i in $(seq 1 500); do echo "line $i" >> gen.txt; done && tar -cf /out.tar data gen.txt
RUN mkdir -p /dist && cp /out.tar /dist/ && sha256sum /dist/out.tar > /dist/sum
FROM busybox
ENV APP=/app
COPY --from=build /dist /app
RUN cat /app/sum && ls /app > /app/listing
LABEL bench=yes
CMD ["ls", "/app"]
CF

vessel_build() { "${vessel[@]}" build -q "$@" -t bench:1 "$context" >/dev/null; }
podman_build() {
  "${podman[@]}" build -q "$@" --network none --cgroup-parent "$cgroup_parent" -t bench:1 "$context" >/dev/null
}
now() { date +%s%N; }
ms() { local t0 t1; t0=$(now); "$@"; t1=$(now); echo $(( (t1 - t0) / 1000000 )); }
median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

vessel_build; podman_build   # warm-up: fills both caches
for kind in cold cached; do : > "$work/vessel.$kind"; : > "$work/podman.$kind"; done
for _ in $(seq "$runs"); do
  ms vessel_build --no-cache >> "$work/vessel.cold"
  ms podman_build --no-cache >> "$work/podman.cold"
  ms vessel_build >> "$work/vessel.cached"
  ms podman_build >> "$work/podman.cached"
done
for kind in cold cached; do
  v=$(median < "$work/vessel.$kind")
  p=$(median < "$work/podman.$kind")
  printf 'build %-6s (11 steps, 2 stages), median of %d: vessel %6d ms, podman %6d ms, podman/vessel = %s\n' \
    "$kind" "$runs" "$v" "$p" "$(awk -v a="$p" -v b="$v" 'BEGIN {printf "%.2f", a / b}')"
done
