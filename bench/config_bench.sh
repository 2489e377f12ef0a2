#!/usr/bin/env bash
# Median wall time of `berth config` on a generated 200-service project with an
# override file (and of docker compose on the same files when it is installed).
# Usage: bench/config_bench.sh [path/to/berth] [runs]   (target: < 20 ms)
# Also prints CPU time and, with valgrind installed, an instruction count:
# both are steadier than wall time when other work shares the machine.
set -euo pipefail

BERTH=$(realpath "${1:-$(dirname "$0")/../build/berth}")
RUNS=${2:-21}
SERVICES=${SERVICES:-200}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

generate() {
  {
    echo "name: bench"
    echo "x-common: &common"
    echo "  restart: unless-stopped"
    echo "  logging: {driver: json-file, options: {max-size: 10m}}"
    echo "services:"
    for i in $(seq 1 "$SERVICES"); do
      cat <<YAML
  svc$i:
    <<: *common
    image: "busybox:\${TAG:-latest}"
    command: sh -c "echo service $i && sleep infinity"
    ports: ["127.0.0.1:$((20000 + i)):80", "$((30000 + i))-$((30000 + i)):8080/udp"]
    volumes: ["./data/$i:/data:ro", "vol$((i % 10)):/cache"]
    environment: [INDEX=$i, MODE=bench]
    labels: {com.example.index: "$i"}
    healthcheck: {test: "wget -q -O- http://localhost/", interval: 30s, timeout: 5s}
    depends_on: [$( [ "$i" -gt 1 ] && echo "svc$((i - 1))" || echo "base" )]
    mem_limit: 128m
YAML
    done
    echo "  base:"
    echo "    image: busybox"
    echo "volumes:"
    for v in $(seq 0 9); do echo "  vol$v: {}"; done
  } > "$work/compose.yaml"
  {
    echo "services:"
    for i in $(seq 1 "$SERVICES"); do
      echo "  svc$i:"
      echo "    environment: {MODE: override}"
      echo "    ports: [\"$((40000 + i)):9090\"]"
    done
  } > "$work/compose.override.yaml"
}

# Median CPU time (user + sys) of RUNS runs of "$@", in milliseconds: on a
# shared machine it moves far less than wall time.
median_cpu_ms() {
  local times=() TIMEFORMAT='%3U %3S'
  for _ in $(seq 1 "$RUNS"); do
    local t
    t=$( { time "$@" > /dev/null; } 2>&1 )
    times+=($(awk '{printf "%d", ($1 + $2) * 1000000}' <<< "$t"))
  done
  printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {m=a[int((NR+1)/2)]; printf "%.1f", m/1000}'
}

# Instructions of one run of "$@" (valgrind's count; deterministic).
instructions() {
  valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2>&1 > /dev/null |
    awk '/refs:/ {gsub(",", "", $NF); printf "%.1fM", $NF / 1e6}'
}

# Median of RUNS timings of "$@", in milliseconds with one decimal.
median_ms() {
  local times=()
  for _ in $(seq 1 "$RUNS"); do
    # bash's own clock: `date` would add a process start to every sample.
    local start=${EPOCHREALTIME/./} end
    "$@" > /dev/null
    end=${EPOCHREALTIME/./}
    times+=($(( end - start )))
  done
  printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {m=a[int((NR+1)/2)]; printf "%.1f", m/1000}'
}

generate
cd "$work"
echo "project: $SERVICES services + override, $RUNS runs"
# Fails early when the project does not load; also fills berth's parse cache
# (~/.cache/berth/yaml), as the first command of a working day would.
"$BERTH" config -q
echo "berth config:          $(median_ms "$BERTH" config) ms (median wall), $(median_cpu_ms "$BERTH" config) ms CPU (median user+sys)"
echo "  without parse cache: $(BERTH_NO_CACHE=1 median_ms "$BERTH" config) ms (median wall, BERTH_NO_CACHE=1: every run scans the YAML)"
if command -v valgrind > /dev/null 2>&1; then
  # Under valgrind the binary berth sees is valgrind's: the first run fills
  # the cache for it, the second is the one counted.
  instructions "$BERTH" config > /dev/null
  echo "berth config:          $(instructions "$BERTH" config) instructions (callgrind, one run)"
  echo "  without parse cache: $(BERTH_NO_CACHE=1 instructions "$BERTH" config) instructions"
fi
if docker compose version > /dev/null 2>&1; then
  echo "docker compose config: $(median_ms docker compose config) ms (median)"
elif command -v docker-compose > /dev/null 2>&1; then
  if docker-compose config -q > /dev/null 2>&1; then
    echo "docker-compose config: $(median_ms docker-compose config) ms (median)"
  else
    echo "docker-compose: cannot load this project (compose v1 does not know \`name:\`), skipped"
  fi
else
  echo "docker compose: not installed, skipped"
fi
