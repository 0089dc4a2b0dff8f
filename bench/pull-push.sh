#!/usr/bin/env bash
# Push and pull of a generated multi-layer image (>= 200 MiB) to and from local registries:
# `vessel push` / `vessel pull` against `skopeo copy` of the same image, interleaved, median
# of N runs (default 5), ratios printed (skopeo time / vessel time: > 1 means vessel is faster).
#
# docker-registry instances on 127.0.0.1: SRC holds the seed image (pushed once by skopeo from
# an OCI layout), pulls read from it; each push goes to a registry of its own started for it, so
# every blob is really uploaded (skopeo remembers where it saw blobs and would otherwise mount
# them from an earlier run's repository instead of uploading).
#
# usage: bench/pull-push.sh [RUNS] [LAYERS] [MIB_PER_LAYER]
set -euo pipefail
runs=${1:-5}
layers=${2:-4}
mib=${3:-64}
project=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
. "$project/bench/lib/vessel.sh"
vessel="$vessel_bin"
for tool in docker-registry skopeo sha256sum; do
  command -v "$tool" >/dev/null || { echo "bench: $tool is missing (bin/install-deps installs it)" >&2; exit 1; }
done
work=$(mktemp -d /var/tmp/vessel-bench-pull-push.XXXXXX)
stop_registry() { # name
  local pid
  pid=$(cat "$work/$1/pid" 2>/dev/null) || return 0
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  rm -rf "${work:?}/$1"
}
cleanup() {
  for dir in "$work"/*/; do [ -f "$dir/pid" ] && stop_registry "$(basename "$dir")"; done
  rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

start_registry() { # name -> prints host:port; its pid in $work/NAME/pid
  local name=$1 port
  port=$(free_port)
  mkdir -p "$work/$name/storage"
  cat >"$work/$name/config.yml" <<YAML
version: 0.1
log:
  level: error
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: $work/$name/storage
http:
  addr: 127.0.0.1:$port
  secret: bench
YAML
  docker-registry serve "$work/$name/config.yml" >"$work/$name/log" 2>&1 &
  echo $! >"$work/$name/pid"
  for _ in $(seq 100); do
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && { echo "127.0.0.1:$port"; return; }
    sleep 0.1
  done
  echo "bench: registry $name did not start" >&2; exit 1
}

# ---- the image: LAYERS gzip tar layers of random data, as an OCI layout (compressed, so that
# skopeo pushes the layers as they are instead of compressing them on the way) ----
layout="$work/layout"
mkdir -p "$layout/blobs/sha256" "$work/gen"
descs=() diffs=()
for i in $(seq "$layers"); do
  mkdir -p "$work/gen/$i"
  head -c "$((mib * 1024 * 1024))" /dev/urandom >"$work/gen/$i/data$i"
  tar -C "$work/gen/$i" --mtime=@0 --owner=0 --group=0 -cf "$work/gen/layer$i.tar" "data$i"
  diffs+=("\"sha256:$(sha256sum "$work/gen/layer$i.tar" | cut -d' ' -f1)\"")
  gzip -1 -n "$work/gen/layer$i.tar"
  d=$(sha256sum "$work/gen/layer$i.tar.gz" | cut -d' ' -f1)
  mv "$work/gen/layer$i.tar.gz" "$layout/blobs/sha256/$d"
  descs+=("{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\",\"digest\":\"sha256:$d\",\"size\":$(stat -c %s "$layout/blobs/sha256/$d")}")
done
rm -rf "$work/gen"
join() { local IFS=,; echo "$*"; }
config="{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{\"Cmd\":[\"/bin/sh\"]},\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[$(join "${diffs[@]}")]}}"
cd_=$(printf '%s' "$config" | sha256sum | cut -d' ' -f1)
printf '%s' "$config" >"$layout/blobs/sha256/$cd_"
manifest="{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"sha256:$cd_\",\"size\":${#config}},\"layers\":[$(join "${descs[@]}")]}"
md=$(printf '%s' "$manifest" | sha256sum | cut -d' ' -f1)
printf '%s' "$manifest" >"$layout/blobs/sha256/$md"
printf '{"imageLayoutVersion":"1.0.0"}' >"$layout/oci-layout"
printf '{"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:%s","size":%d,"annotations":{"org.opencontainers.image.ref.name":"1"}}]}' \
  "$md" "${#manifest}" >"$layout/index.json"
total=$(du -sm "$layout" | cut -f1)

src=$(start_registry src)
skopeo copy -q --dest-tls-verify=false "oci:$layout:1" "docker://$src/bench/seed:1"
"$vessel" --help >/dev/null   # builds if needed, outside the timings
echo "image: $layers layers, ${total} MiB, manifest sha256:$md; $runs runs; pulls from $src"
# Like for like: both pulls store the compressed blobs without unpacking them (vessel into its
# store's blobs/, skopeo into an OCI layout) and both fsync every blob; both pushes upload the
# same compressed blobs over plain HTTP to an empty registry. The JVM's start is in vessel's times.
echo "compared: pull = blobs into a store (no unpacking, fsync per blob) vs skopeo copy to oci:DIR; push = upload to an empty registry"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg) ($(nproc) CPUs)"

now() { date +%s%N; }
declare -a vpull spull vpush spush
for r in $(seq "$runs"); do
  rm -rf "$work/vroot" "$work/sdir"
  t=$(now); "$vessel" --root "$work/vroot" pull -q --tls-verify=false "$src/bench/seed:1" >/dev/null; vpull+=($(( $(now) - t )))
  t=$(now); skopeo copy -q --src-tls-verify=false "docker://$src/bench/seed:1" "oci:$work/sdir:1"; spull+=($(( $(now) - t )))
  vdst=$(start_registry "vdst$r"); sdst=$(start_registry "sdst$r")
  t=$(now); "$vessel" --root "$work/vroot" push -q --tls-verify=false "$src/bench/seed:1" "$vdst/bench/app:1" >/dev/null; vpush+=($(( $(now) - t )))
  t=$(now); skopeo copy -q --dest-tls-verify=false "oci:$layout:1" "docker://$sdst/bench/app:1"; spush+=($(( $(now) - t )))
  # Same bytes both ways: both pushes give the seed's manifest digest.
  for dst in "$vdst" "$sdst"; do
    got=$(skopeo inspect --tls-verify=false --format '{{.Digest}}' "docker://$dst/bench/app:1")
    [ "$got" = "sha256:$md" ] || { echo "bench: $dst has $got, expected sha256:$md" >&2; exit 1; }
  done
  stop_registry "vdst$r"; stop_registry "sdst$r"
done

median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
report() { # label vessel-times skopeo-times
  local label=$1; shift
  local n=$(( $# / 2 )) v s
  v=$(median "${@:1:n}"); s=$(median "${@:n+1}")
  awk -v l="$label" -v v="$v" -v s="$s" -v mb="$total" 'BEGIN {
    printf "%-5s vessel %6.2f s (%5.0f MiB/s)   skopeo %6.2f s (%5.0f MiB/s)   skopeo/vessel %.2fx\n",
      l, v/1e9, mb/(v/1e9), s/1e9, mb/(s/1e9), s/v }'
}
report pull "${vpull[@]}" "${spull[@]}"
report push "${vpush[@]}" "${spush[@]}"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
