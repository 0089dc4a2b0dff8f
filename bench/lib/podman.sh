# Sourced by the benchmarks that run podman beside Vessel, after setting $work.
# Podman's own storage under $work, Debian's runc (crun refuses hybrid cgroups), the ulimits this
# machine needs, and a --cgroup-parent under this process's own cgroup in every hierarchy: under the
# deepest of them (on hybrid hosts the others are their hierarchy's root). podman_cleanup removes
# what podman made, including the cgroups made on the way, deepest first.
cat > "$work/containers.conf" <<'CONF'
[containers]
default_ulimits = ["nofile=20000:20000", "nproc=32768:32768"]
CONF
export CONTAINERS_CONF="$work/containers.conf"
own_cgroup=$(cut -d: -f3- /proc/self/cgroup | awk '{print length($0) " " $0}' | sort -n | tail -1 | cut -d' ' -f2-)
cgroup_parent="${own_cgroup%/}/vessel-bench-$$"
made_cgroups=()
while read -r mount_point; do
  dir=$mount_point
  IFS=/ read -ra parts <<< "${cgroup_parent#/}"
  for part in "${parts[@]}"; do
    dir=$dir/$part
    [ -d "$dir" ] || made_cgroups+=("$dir")
  done
done < <(awk '{for (i = 7; i < NF; i++) if ($i == "-") {if ($(i+1) ~ /^cgroup2?$/) print $5; break}}' /proc/self/mountinfo)
podman=(podman --root "$work/podman/root" --runroot "$work/podman/run" --runtime runc
        --cgroup-manager cgroupfs --events-backend file)
podman_cleanup() {
  "${podman[@]}" system reset -f >/dev/null 2>&1 || true
  umount -R "$work/podman" 2>/dev/null || true
  for ((i = ${#made_cgroups[@]} - 1; i >= 0; i--)); do
    [ -d "${made_cgroups[i]}" ] && find "${made_cgroups[i]}" -depth -type d -exec rmdir {} \; 2>/dev/null
  done
  true
}
# Makes the busybox image in $work/vessel and loads the same image into podman (bench/lib/vessel.sh
# has built Vessel).
podman_prepare_busybox() {
  "$project/bin/busybox-image" --root "$work/vessel" >/dev/null
  "$project/bin/vessel" --root "$work/vessel" save busybox | "${podman[@]}" load -q >/dev/null
}
