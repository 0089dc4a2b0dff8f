# Sourced by the benchmarks after setting $project: builds Vessel when its sources changed (as
# bin/vessel does), then sets $vessel_bin to the launcher bin/build wrote. That launcher is what an
# installed Vessel would be (it does not look at the sources), so the timings are the command's own.
"$project/bin/vessel" --version >/dev/null
vessel_bin="$project/vessel-cli/target/dist/vessel"
