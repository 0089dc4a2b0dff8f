#!/usr/bin/env bash
# VM benchmark: Vessel against QEMU and qemu-img run by hand, interleaved, medians of N runs.
#  1. boot: time from `vessel vm start` to the guest's marker line on the serial console, against
#     the same host kernel (bzImage) and the same initramfs booted by qemu-system-x86_64 -M pc by hand.
#  2. linked clone: `vessel vm create --from TEMPLATE` against `qemu-img create -b BASE`.
# Usage: bench/vm.sh [RUNS]   (default 5)
set -euo pipefail
runs=${1:-5}
project=$(cd "$(dirname "$0")/.." && pwd)
. "$project/bench/lib/vessel.sh"
vessel="$vessel_bin"
work=$(mktemp -d /tmp/vessel-bench-vm.XXXXXX)
root="$work/root"
marker="vessel-guest: ready"
qemu_pids=()
cleanup() {
  for name in $("$vessel" --root "$root" vm ls --format json 2>/dev/null | grep -o '"Name" : "[^"]*"' | cut -d'"' -f4); do
    "$vessel" --root "$root" vm rm -f "$name" >/dev/null 2>&1 || true
  done
  for pid in "${qemu_pids[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

now() { date +%s%N; }
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : int((a[NR/2]+a[NR/2+1])/2)}'; }

"$vessel" --version >/dev/null   # builds if needed, outside the timings
kernel=$(ls /boot/vmlinuz-* | sort -V | tail -1)
accel=$("$vessel" --root "$root" info | sed -n 's/^VM accelerator: \([a-z]*\).*/\1/p')
echo "accelerator: $accel; kernel: $kernel; runs: $runs"

# Warm-up: builds Vessel's guest assets (vmlinux, initramfs) once, outside the timings.
"$vessel" --root "$root" vm create boot --memory 512M >/dev/null
"$vessel" --root "$root" vm start boot >/dev/null
"$vessel" --root "$root" vm stop --force boot >/dev/null
initramfs=$(ls "$root"/vm-assets/*/initramfs.cpio)
log="$root/vms/boot/console.log"

vessel_boot() {
  local t0 t1
  t0=$(now)
  "$vessel" --root "$root" vm start boot >/dev/null
  until grep -qa "$marker" "$log" 2>/dev/null; do sleep 0.02; done
  t1=$(now)
  "$vessel" --root "$root" vm stop --force boot >/dev/null
  echo $(( (t1 - t0) / 1000000 ))
}

qemu_boot() {
  local t0 t1 line cpu
  cpu=max; [ "$accel" = kvm ] && cpu=host
  t0=$(now)
  coproc QEMU { exec qemu-system-x86_64 -M pc -accel "$accel" -cpu "$cpu" -m 512M -nodefaults -no-user-config \
      -display none -serial stdio -kernel "$kernel" -initrd "$initramfs" \
      -append "console=ttyS0 quiet panic=-1 reboot=t" 2>&1; }
  qemu_pids+=("$QEMU_PID")
  while IFS= read -r line <&"${QEMU[0]}"; do
    case "$line" in *"$marker"*) break;; esac
  done
  t1=$(now)
  kill -9 "$QEMU_PID" 2>/dev/null || true
  wait "$QEMU_PID" 2>/dev/null || true
  echo $(( (t1 - t0) / 1000000 ))
}

vb=(); qb=()
for i in $(seq "$runs"); do
  vb+=("$(vessel_boot)")
  qb+=("$(qemu_boot)")
done
vmed=$(printf '%s\n' "${vb[@]}" | median)
qmed=$(printf '%s\n' "${qb[@]}" | median)
echo "boot to marker (ms): vessel ${vb[*]} | qemu -M pc by hand ${qb[*]}"
echo "boot median: vessel ${vmed} ms, qemu by hand ${qmed} ms, vessel/qemu = $(awk "BEGIN {printf \"%.2f\", $vmed/$qmed}")"

# Linked clones of a template.
mke2fs -q -F -t ext4 "$work/base.raw" 64M
"$vessel" --root "$root" vm template create tpl --disk "$work/base.raw" >/dev/null
base="$root/vm-templates/tpl/base.qcow2"
vc=(); qc=()
for i in $(seq "$runs"); do
  t0=$(now); "$vessel" --root "$root" vm create "c$i" --from tpl >/dev/null; t1=$(now)
  vc+=($(( (t1 - t0) / 1000000 )))
  t0=$(now); qemu-img create -q -f qcow2 -b "$base" -F qcow2 "$work/c$i.qcow2" >/dev/null; t1=$(now)
  qc+=($(( (t1 - t0) / 1000000 )))
done
vmed=$(printf '%s\n' "${vc[@]}" | median)
qmed=$(printf '%s\n' "${qc[@]}" | median)
echo "linked clone (ms): vessel vm create --from ${vc[*]} | qemu-img create -b ${qc[*]}"
echo "clone median: vessel ${vmed} ms, qemu-img ${qmed} ms, vessel/qemu-img = $(awk "BEGIN {printf \"%.2f\", ($vmed+0.001)/($qmed+0.001)}")"
