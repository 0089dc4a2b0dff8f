#!/usr/bin/env bash
# Benchmark: `vessel load` and `vessel save` of a generated multi-layer image (>= 500 MiB of
# incompressible data) against `skopeo copy` of the same archive into an OCI layout and back.
# Runs interleaved, prints medians and the ratios (vessel / skopeo; below 1 means Vessel is faster).
# Usage: bench/load-save.sh [runs (default 5)]   (WORK=dir chooses the scratch directory)
set -euo pipefail
project=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
. "$project/bench/lib/vessel.sh"
vessel="$vessel_bin"
runs=${1:-5}
layers=5
layer_mib=110
work=$(mktemp -d "${WORK:-/var/tmp}/vessel-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
command -v skopeo >/dev/null || { echo "needs skopeo (bin/install-deps)" >&2; exit 1; }

echo "generating a $layers-layer image of $((layers * layer_mib)) MiB in $work ..." >&2
mkdir -p "$work/archive"
diff_ids=() layer_names=()
for i in $(seq 1 "$layers"); do
  mkdir -p "$work/l$i/data"
  head -c "$((layer_mib << 20))" /dev/urandom > "$work/l$i/data/blob$i"
  echo "layer $i" > "$work/l$i/data/README"
  tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -C "$work/l$i" -cf "$work/archive/layer$i.tar" .
  rm -rf "$work/l$i"
  diff_ids+=("\"sha256:$(sha256sum "$work/archive/layer$i.tar" | cut -d' ' -f1)\"")
  layer_names+=("\"layer$i.tar\"")
done
join() { local IFS=,; echo "$*"; }
printf '{"architecture":"amd64","os":"linux","created":"2024-01-01T00:00:00Z","config":{"Cmd":["sh"]},"rootfs":{"type":"layers","diff_ids":[%s]}}' \
  "$(join "${diff_ids[@]}")" > "$work/archive/config.json"
config_hex=$(sha256sum "$work/archive/config.json" | cut -d' ' -f1)
mv "$work/archive/config.json" "$work/archive/$config_hex.json"
printf '[{"Config":"%s.json","RepoTags":["bench:1"],"Layers":[%s]}]' "$config_hex" "$(join "${layer_names[@]}")" > "$work/archive/manifest.json"
tar -C "$work/archive" -cf "$work/image.tar" manifest.json "$config_hex.json" $(for i in $(seq 1 "$layers"); do echo "layer$i.tar"; done)
rm -rf "$work/archive"
echo "archive: $(du -m "$work/image.tar" | cut -f1) MiB" >&2

now() { date +%s%N; }
ms() { echo $(( ($2 - $1) / 1000000 )); }
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : int((a[NR/2]+a[NR/2+1])/2)}'; }

"$vessel" --version >/dev/null   # builds if needed, outside the timings
declare -a v_load v_save s_load s_save s_load_gz
for run in $(seq 1 "$runs"); do
  root="$work/root"; layout="$work/layout"
  rm -rf "$root" "$layout" "$work/out.tar" "$work/out2.tar"; sync

  t0=$(now); "$vessel" --root "$root" load -q -i "$work/image.tar"; t1=$(now); v_load+=("$(ms "$t0" "$t1")")
  t0=$(now); skopeo copy -q --dest-oci-accept-uncompressed-layers "docker-archive:$work/image.tar" "oci:$layout:bench:1"; t1=$(now); s_load+=("$(ms "$t0" "$t1")")
  sync
  t0=$(now); "$vessel" --root "$root" save -o "$work/out.tar" bench:1; t1=$(now); v_save+=("$(ms "$t0" "$t1")")
  t0=$(now); skopeo copy -q "oci:$layout:bench:1" "docker-archive:$work/out2.tar:bench:1"; t1=$(now); s_save+=("$(ms "$t0" "$t1")")
  if [ "$run" -eq 1 ]; then
    # skopeo's default for an OCI layout gzips every layer: once, for reference.
    rm -rf "$layout"
    t0=$(now); skopeo copy -q "docker-archive:$work/image.tar" "oci:$layout:bench:1"; t1=$(now); s_load_gz+=("$(ms "$t0" "$t1")")
  fi
  echo "run $run: vessel load ${v_load[-1]} ms, skopeo copy->oci ${s_load[-1]} ms, vessel save ${v_save[-1]} ms, skopeo oci->docker-archive ${s_save[-1]} ms" >&2
done
rm -rf "$work/root" "$work/layout"

vl=$(printf '%s\n' "${v_load[@]}" | median); sl=$(printf '%s\n' "${s_load[@]}" | median)
vs=$(printf '%s\n' "${v_save[@]}" | median); ss=$(printf '%s\n' "${s_save[@]}" | median)
echo "image: $layers layers, $((layers * layer_mib)) MiB, $runs runs (medians)"
printf 'load  vessel %6d ms   skopeo copy docker-archive -> oci (uncompressed) %6d ms   ratio %.2f\n' "$vl" "$sl" "$(awk -v a="$vl" -v b="$sl" 'BEGIN{print a/b}')"
printf 'save  vessel %6d ms   skopeo copy oci -> docker-archive                 %6d ms   ratio %.2f\n' "$vs" "$ss" "$(awk -v a="$vs" -v b="$ss" 'BEGIN{print a/b}')"
printf 'reference: skopeo copy docker-archive -> oci with its default gzip: %d ms (one run)\n' "${s_load_gz[0]}"
