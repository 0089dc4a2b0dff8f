#!/usr/bin/env bash
# Disk engine benchmark: Vessel (bin/vessel disk ...) against qemu-io / qemu-img on the same
# kinds of files, interleaved, median of RUNS runs. Prints milliseconds and the speed ratio
# (qemu time / vessel time: 1.00 or more means Vessel is at least as fast).
# Usage: bench/disk.sh [WORKDIR]   (RUNS=3, RANDOM_OPS=2000 by default)
set -euo pipefail
project=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
vessel="$project/bin/vessel"
runs=${RUNS:-3}
nops=${RANDOM_OPS:-2000}
work=${1:-$(mktemp -d /tmp/vessel-disk-bench.XXXXXX)}
mkdir -p "$work"
trap 'rm -rf "$work"' EXIT
command -v qemu-img >/dev/null && command -v qemu-io >/dev/null || { echo "bench/disk.sh: needs qemu-img and qemu-io (apt-get install qemu-utils)" >&2; exit 1; }
"$vessel" disk --help >/dev/null   # build once, outside the timings

ms() { local s e; s=$(date +%s%N); "$@" >/dev/null; e=$(date +%s%N); echo $(( (e - s) / 1000000 )); }
median() { printf '%s\n' "$@" | sort -n | sed -n "$(( ($# + 1) / 2 ))p"; }
report() { # name vessel-times... -- qemu-times...
  local name=$1; shift; local v=() q=(); while [ "$1" != "--" ]; do v+=("$1"); shift; done; shift; q=("$@")
  local vm qm; vm=$(median "${v[@]}"); qm=$(median "${q[@]}")
  printf '%-34s vessel %7d ms   qemu %7d ms   ratio %s\n' "$name" "$vm" "$qm" \
    "$(awk -v a="$qm" -v b="$vm" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')"
}
cd "$work"

# 0. the fixed cost of starting each tool (a JVM for Vessel), included in every figure below
vs=() qs=()
for i in $(seq "$runs"); do
  vs+=("$(ms "$vessel" disk --help)")
  qs+=("$(ms qemu-img --help)")
done
report "start-up only (--help)" "${vs[@]}" -- "${qs[@]}"

# 1. sequential write and read, 256 MiB
vw=() qw=() vr=() qr=()
for i in $(seq "$runs"); do
  rm -f v.qcow2 q.qcow2
  "$vessel" disk create -q v.qcow2 256M; qemu-img create -q -f qcow2 q.qcow2 256M
  vw+=("$(ms "$vessel" disk io -q -c 'write -P 0x5a 0 256M' v.qcow2)")
  qw+=("$(ms qemu-io -c 'write -P 0x5a 0 256M' q.qcow2)")
  vr+=("$(ms "$vessel" disk io -r -q -c 'read 0 256M' v.qcow2)")
  qr+=("$(ms qemu-io -r -c 'read 0 256M' q.qcow2)")
done
report "sequential write 256 MiB" "${vw[@]}" -- "${qw[@]}"
report "sequential read 256 MiB" "${vr[@]}" -- "${qr[@]}"

# 2. random 4 KiB writes and reads through a 3-deep chain (base <- mid <- top)
qemu-img create -q -f qcow2 base.qcow2 256M
qemu-io -c 'write -P 0x11 0 64M' base.qcow2 >/dev/null
qemu-img create -q -f qcow2 -b base.qcow2 -F qcow2 mid.qcow2
qemu-io -c 'write -P 0x22 128M 64M' mid.qcow2 >/dev/null
wargs=() rargs=()
RANDOM=42
for i in $(seq "$nops"); do
  off=$(( ( (RANDOM << 15) | RANDOM ) % 65536 * 4096 ))
  wargs+=(-c "write -P 0x33 $off 4k")
  off=$(( ( (RANDOM << 15) | RANDOM ) % 65536 * 4096 ))
  rargs+=(-c "read $off 4k")
done
vw=() qw=() vr=() qr=()
for i in $(seq "$runs"); do
  rm -f vtop.qcow2 qtop.qcow2
  qemu-img create -q -f qcow2 -b mid.qcow2 -F qcow2 vtop.qcow2
  qemu-img create -q -f qcow2 -b mid.qcow2 -F qcow2 qtop.qcow2
  vw+=("$(ms "$vessel" disk io -q "${wargs[@]}" vtop.qcow2)")
  qw+=("$(ms qemu-io "${wargs[@]}" qtop.qcow2)")
  vr+=("$(ms "$vessel" disk io -r -q "${rargs[@]}" vtop.qcow2)")
  qr+=("$(ms qemu-io -r "${rargs[@]}" qtop.qcow2)")
done
qemu-img compare vtop.qcow2 qtop.qcow2 >/dev/null || { echo "bench: vessel and qemu results differ" >&2; exit 1; }
report "random 4k writes x$nops (3-deep)" "${vw[@]}" -- "${qw[@]}"
report "random 4k reads x$nops (3-deep)" "${vr[@]}" -- "${qr[@]}"

# 3. commit of 64 MiB into a 256 MiB base
qemu-img create -q -f qcow2 cbase.qcow2 256M
qemu-io -c 'write -P 0x44 0 32M' cbase.qcow2 >/dev/null
qemu-img create -q -f qcow2 -b cbase.qcow2 -F qcow2 ctop.qcow2
qemu-io -c 'write -P 0x55 16M 64M' ctop.qcow2 >/dev/null
vc=() qc=()
for i in $(seq "$runs"); do
  for who in v q; do
    cp cbase.qcow2 "${who}cb.qcow2"
    qemu-img create -q -f qcow2 -b "${who}cb.qcow2" -F qcow2 "${who}ct.qcow2"
    qemu-img rebase -u -b cbase.qcow2 -F qcow2 "${who}ct.qcow2"
    cp ctop.qcow2 "${who}ct.qcow2"
    qemu-img rebase -u -b "${who}cb.qcow2" -F qcow2 "${who}ct.qcow2"
  done
  vc+=("$(ms "$vessel" disk commit vct.qcow2)")
  qc+=("$(ms qemu-img commit qct.qcow2)")
done
qemu-img compare vcb.qcow2 qcb.qcow2 >/dev/null || { echo "bench: commit results differ" >&2; exit 1; }
report "commit 64 MiB" "${vc[@]}" -- "${qc[@]}"

# 4. convert a qcow2 with 192 MiB of data to raw, and the raw back to qcow2
qemu-img create -q -f qcow2 src.qcow2 256M
qemu-io -c 'write -P 0x66 0 96M' -c 'write -P 0x77 128M 96M' src.qcow2 >/dev/null
vt=() qt=() vb=() qb=()
for i in $(seq "$runs"); do
  rm -f v.raw q.raw vback.qcow2 qback.qcow2
  vt+=("$(ms "$vessel" disk convert -O raw src.qcow2 v.raw)")
  qt+=("$(ms qemu-img convert -O raw src.qcow2 q.raw)")
  vb+=("$(ms "$vessel" disk convert -f raw -O qcow2 q.raw vback.qcow2)")
  qb+=("$(ms qemu-img convert -f raw -O qcow2 q.raw qback.qcow2)")
done
qemu-img compare v.raw q.raw >/dev/null && qemu-img compare vback.qcow2 qback.qcow2 >/dev/null \
  || { echo "bench: convert results differ" >&2; exit 1; }
report "convert qcow2 -> raw (192 MiB data)" "${vt[@]}" -- "${qt[@]}"
report "convert raw -> qcow2" "${vb[@]}" -- "${qb[@]}"
