#!/usr/bin/env bash
# Disk engine benchmark: Vessel (bin/vessel disk ...) against qemu-io / qemu-img on the same
# files, interleaved (who goes first alternates), median of RUNS runs. Two ratios per workload
# (qemu time / vessel time: 1.00 or more means Vessel is at least as fast):
#   whole   - whole-process wall time, so Vessel's JVM start is included;
#   in-tool - the tools' own timings: for io workloads the sum of the per-command times both
#             print with -C (qemu-io's format); for commit/convert Vessel's --timing (the time
#             after start-up) against qemu-img's whole time minus qemu-img's own start-up.
# Usage: bench/disk.sh [WORKDIR]   (RUNS=5, RANDOM_OPS=2000 by default; ONLY=seq,random,commit,convert
# runs only the workloads named)
set -euo pipefail
project=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
. "$project/bench/lib/vessel.sh"
vessel="$vessel_bin"
runs=${RUNS:-5}
nops=${RANDOM_OPS:-2000}
work=${1:-$(mktemp -d /tmp/vessel-disk-bench.XXXXXX)}
mkdir -p "$work"
trap 'rm -rf "$work"' EXIT
command -v qemu-img >/dev/null && command -v qemu-io >/dev/null || { echo "bench/disk.sh: needs qemu-img and qemu-io (apt-get install qemu-utils)" >&2; exit 1; }

only=${ONLY:-seq,random,commit,convert}
want() { [[ ",$only," == *",$1,"* ]]; }
now() { date +%s%N; }
ms() { local s e; s=$(now); "$@" >/dev/null; e=$(now); echo $(( (e - s) / 1000000 )); }
# Runs an io command line; prints "WHOLE_MS IN_TOOL_MS", the latter summed from the -C lines
# ("bytes,ops,time,bytes/sec,ops/sec": a command's time is ops / ops-per-second).
io_ms() {
  local s e out; s=$(now); out=$("$@"); e=$(now)
  awk -F, -v whole=$(( (e - s) / 1000000 )) 'NF == 5 { t += $2 / $5; n++ }
    END { if (n == 0) exit 1; printf "%d %.1f\n", whole, t * 1000 }' <<<"$out"
}
# Runs a vessel verb with --timing; prints "WHOLE_MS IN_PROCESS_MS".
timed_ms() {
  local s e out; s=$(now); out=$("$@"); e=$(now)
  awk -v whole=$(( (e - s) / 1000000 )) '/^time: / { t = $2 } END { if (t == "") exit 1; printf "%d %.1f\n", whole, t * 1000 }' <<<"$out"
}
median() { printf '%s\n' "$@" | sort -g | sed -n "$(( ($# + 1) / 2 ))p"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }
# Times per workload and tool: T[key.v.w] (vessel whole), T[key.v.i] (vessel in-tool), .q. for qemu.
declare -A T
add() { local r; r=($3); T[$1.$2.w]+=" ${r[0]}"; T[$1.$2.i]+=" ${r[1]}"; }
report() { # KEY NAME
  local a b c d; a=$(median ${T[$1.v.w]}); b=$(median ${T[$1.q.w]}); c=$(median ${T[$1.v.i]}); d=$(median ${T[$1.q.i]})
  printf '%-34s whole: vessel %6d qemu %6d ms ratio %5s | in-tool: vessel %8.1f qemu %8.1f ms ratio %5s\n' \
    "$2" "$a" "$b" "$(ratio "$b" "$a")" "$c" "$d" "$(ratio "$d" "$c")"
}
# Runs two functions, alternating which goes first from one run to the next.
both() { if (( run % 2 )); then "$1"; "$2"; else "$2"; "$1"; fi; }
cd "$work"

# 0. the fixed cost of starting each tool (a JVM for Vessel), included in every whole figure
for run in $(seq "$runs"); do
  s_v() { add start v "$(ms "$vessel" disk --help) 0"; }
  s_q() { add start q "$(ms qemu-img --help) 0"; }
  both s_v s_q
done
qstart=$(median ${T[start.q.w]})
printf '%-34s vessel %6d qemu %6d ms (subtracted from qemu-img whole times for its in-tool figure)\n' \
  "start-up only (--help)" "$(median ${T[start.v.w]})" "$qstart"
# qemu-img prints no timing of its own: its in-tool time is its whole time less its start-up.
qemu_img_ms() { local w; w=$(ms "$@"); echo "$w $(( w > qstart ? w - qstart : 0 ))"; }

# 1. sequential write and read, 256 MiB
if want seq; then
  for run in $(seq "$runs"); do
    rm -f v.qcow2 q.qcow2
    "$vessel" disk create -q v.qcow2 256M; qemu-img create -q -f qcow2 q.qcow2 256M
    w_v() { add seqw v "$(io_ms "$vessel" disk io -c 'write -C -P 0x5a 0 256M' v.qcow2)"; }
    w_q() { add seqw q "$(io_ms qemu-io -c 'write -C -P 0x5a 0 256M' q.qcow2)"; }
    r_v() { add seqr v "$(io_ms "$vessel" disk io -r -c 'read -C 0 256M' v.qcow2)"; }
    r_q() { add seqr q "$(io_ms qemu-io -r -c 'read -C 0 256M' q.qcow2)"; }
    both w_v w_q
    both r_v r_q
  done
  report seqw "sequential write 256 MiB"
  report seqr "sequential read 256 MiB"
fi

# 2. random 4 KiB writes and reads through a 3-deep chain (base <- mid <- top)
if want random; then
  qemu-img create -q -f qcow2 base.qcow2 256M
  qemu-io -c 'write -P 0x11 0 64M' base.qcow2 >/dev/null
  qemu-img create -q -f qcow2 -b base.qcow2 -F qcow2 mid.qcow2
  qemu-io -c 'write -P 0x22 128M 64M' mid.qcow2 >/dev/null
  wargs=() rargs=()
  RANDOM=42
  for n in $(seq "$nops"); do
    off=$(( ( (RANDOM << 15) | RANDOM ) % 65536 * 4096 ))
    wargs+=(-c "write -C -P 0x33 $off 4k")
    off=$(( ( (RANDOM << 15) | RANDOM ) % 65536 * 4096 ))
    rargs+=(-c "read -C $off 4k")
  done
  for run in $(seq "$runs"); do
    rm -f vtop.qcow2 qtop.qcow2
    qemu-img create -q -f qcow2 -b mid.qcow2 -F qcow2 vtop.qcow2
    qemu-img create -q -f qcow2 -b mid.qcow2 -F qcow2 qtop.qcow2
    w_v() { add randw v "$(io_ms "$vessel" disk io "${wargs[@]}" vtop.qcow2)"; }
    w_q() { add randw q "$(io_ms qemu-io "${wargs[@]}" qtop.qcow2)"; }
    r_v() { add randr v "$(io_ms "$vessel" disk io -r "${rargs[@]}" vtop.qcow2)"; }
    r_q() { add randr q "$(io_ms qemu-io -r "${rargs[@]}" qtop.qcow2)"; }
    both w_v w_q
    both r_v r_q
  done
  qemu-img compare vtop.qcow2 qtop.qcow2 >/dev/null || { echo "bench: vessel and qemu results differ" >&2; exit 1; }
  report randw "random 4k writes x$nops (3-deep)"
  report randr "random 4k reads x$nops (3-deep)"
fi

# 3. commit of 64 MiB into a 256 MiB base
if want commit; then
  qemu-img create -q -f qcow2 cbase.qcow2 256M
  qemu-io -c 'write -P 0x44 0 32M' cbase.qcow2 >/dev/null
  qemu-img create -q -f qcow2 -b cbase.qcow2 -F qcow2 ctop.qcow2
  qemu-io -c 'write -P 0x55 16M 64M' ctop.qcow2 >/dev/null
  for run in $(seq "$runs"); do
    for who in v q; do
      cp cbase.qcow2 "${who}cb.qcow2"
      cp ctop.qcow2 "${who}ct.qcow2"
      qemu-img rebase -u -b "${who}cb.qcow2" -F qcow2 "${who}ct.qcow2"
    done
    c_v() { add commit v "$(timed_ms "$vessel" disk commit --timing vct.qcow2)"; }
    c_q() { add commit q "$(qemu_img_ms qemu-img commit qct.qcow2)"; }
    both c_v c_q
  done
  qemu-img compare vcb.qcow2 qcb.qcow2 >/dev/null || { echo "bench: commit results differ" >&2; exit 1; }
  report commit "commit 64 MiB"
fi

# 4. convert a qcow2 with 192 MiB of data to raw, and the raw back to qcow2
if want convert; then
  qemu-img create -q -f qcow2 src.qcow2 256M
  qemu-io -c 'write -P 0x66 0 96M' -c 'write -P 0x77 128M 96M' src.qcow2 >/dev/null
  qemu-img convert -O raw src.qcow2 src.raw
  for run in $(seq "$runs"); do
    rm -f v.raw q.raw vback.qcow2 qback.qcow2
    t_v() { add toraw v "$(timed_ms "$vessel" disk convert --timing -O raw src.qcow2 v.raw)"; }
    t_q() { add toraw q "$(qemu_img_ms qemu-img convert -O raw src.qcow2 q.raw)"; }
    b_v() { add back v "$(timed_ms "$vessel" disk convert --timing -f raw -O qcow2 src.raw vback.qcow2)"; }
    b_q() { add back q "$(qemu_img_ms qemu-img convert -f raw -O qcow2 src.raw qback.qcow2)"; }
    both t_v t_q
    both b_v b_q
  done
  qemu-img compare v.raw q.raw >/dev/null && qemu-img compare vback.qcow2 qback.qcow2 >/dev/null \
    || { echo "bench: convert results differ" >&2; exit 1; }
  report toraw "convert qcow2 -> raw (192 MiB data)"
  report back "convert raw -> qcow2"
fi
