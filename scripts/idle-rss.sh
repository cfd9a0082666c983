#!/usr/bin/env bash
# Memory of idle nodes: starts a ring of 3 in pipe mode, sends LINES chat lines (default 300, of
# 100 bytes) through the most junior one, waits until every node showed the last, lets the ring
# idle for IDLE seconds (default 10), then prints each node's resident memory (VmRSS of
# /proc/<pid>/status, and its anonymous and file-backed parts) and the load average.
#
#   scripts/idle-rss.sh [LINES] [IDLE] [-- COMMAND...]
#
# COMMAND defaults to this tree's launcher, ./ringchat (its default JVM flags and class-data
# archive). Ports from $PORT (default 5800).
set -euo pipefail

root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
source "$root/scripts/nodes.sh"
lines="${1:-300}"
idle="${2:-10}"
shift $(( $# < 2 ? $# : 2 ))
[[ "${1:-}" == "--" ]] && shift
cmd=("$@")
((${#cmd[@]})) || cmd=("$root/ringchat")
port="${PORT:-5800}"
dir="$(mktemp -d "${TMPDIR:-/tmp}/ringchat-rss.XXXXXX")"
trap 'rm -rf "$dir"' EXIT
"${cmd[@]}" --version >/dev/null

echo "load before: $(load)"
names=(alice bob carol) pids=() ins=()
# join NAME PORT: joins the ring through alice, trying up to 3 times (a loaded machine can make
# a node too slow to greet a newcomer in time)
join() {
    local attempt
    for attempt in 1 2 3; do
        start "$1" "* joined" -p "$2" -np "$port" && return 0
        sleep 1
    done
    exit 1
}
start alice "* started" -l -p "$port" || exit 1
pids+=("$pid") ins+=("$in")
sleep 2
join bob $((port + 1))
pids+=("$pid") ins+=("$in")
join carol $((port + 2))
pids+=("$pid") ins+=("$in")
pad="$(printf '%090d' 0)"
for ((k = 1; k <= lines; k++)); do
    printf 'line %05d %s\n' "$k" "$pad" >&"${ins[2]}"
done
last="$(printf 'line %05d' "$lines")"
for name in "${names[@]}"; do
    until grep -q "$last" "$dir/$name.stdout" 2>/dev/null; do sleep 0.2; done
done
sleep "$idle"
for k in 0 1 2; do
    awk -v n="${names[$k]}" '/^(VmRSS|RssAnon|RssFile):/ {v[$1]=$2} END {
        printf "%s: VmRSS %.1f MB (anonymous %.1f, files %.1f)\n", n, v["VmRSS:"]/1024, v["RssAnon:"]/1024, v["RssFile:"]/1024}' \
        "/proc/${pids[$k]}/status"
done
echo "load after: $(load)"
for k in 2 1 0; do
    exec {ins[$k]}>&-
done
held=()
wait "${pids[@]}" || true
