#!/usr/bin/env bash
# Startup time of ringchat as users start it: milliseconds from launching a command until its
# first `* started` (a node starting a ring with -l) or `* joined` (a node joining that ring)
# line on stdout, JVM start included. Runs each RUNS times (default 5) and prints every figure,
# then the median; the load average is printed before and after.
#
#   scripts/startup-time.sh [RUNS] [-- COMMAND...]
#
# COMMAND defaults to this tree's launcher, ./ringchat (with its default JVM flags and class-data
# archive); e.g. `scripts/startup-time.sh 5 -- java -jar app/target/ringchat.jar` measures the
# bare jar. Nodes run in pipe mode on 127.0.0.1, ports from $PORT (default 5700), in a scratch
# directory; each leaves at the end of its input. The joiner starts $SETTLE seconds (default 1)
# after the leader said it started.
set -euo pipefail

root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
runs="${1:-5}"
shift || true
[[ "${1:-}" == "--" ]] && shift
cmd=("$@")
((${#cmd[@]})) || cmd=("$root/ringchat")
port="${PORT:-5700}"
settle="${SETTLE:-1}" # seconds between the leader's start and the joiner's
dir="$(mktemp -d "${TMPDIR:-/tmp}/ringchat-startup.XXXXXX")"
trap 'rm -rf "$dir"' EXIT
"${cmd[@]}" --version >/dev/null # builds the jar (and, with the launcher, the archive) outside the timing

# start NAME PATTERN ARGS...: starts a node whose stdin stays open; sets $ms to the milliseconds
# until its first stdout line starting with PATTERN, $cpu to the CPU time its process had used by
# then (user and system, all threads; on a loaded machine the steadier figure), and $pid / $in
# (its stdin's descriptor)
start() {
    local name="$1" pattern="$2"
    shift 2
    mkfifo "$dir/$name.in" "$dir/$name.out"
    local t0="$EPOCHREALTIME"
    "${cmd[@]}" -a 127.0.0.1 -n "$name" --log-dir "$dir" "$@" <"$dir/$name.in" >"$dir/$name.out" 2>>"$dir/stderr" &
    pid=$!
    exec {in}>"$dir/$name.in"
    local line seen=""
    exec {out}<"$dir/$name.out"
    while IFS= read -r -u "$out" line; do
        [[ "$line" == "$pattern"* ]] && seen=1 && break
    done
    if [[ -z "$seen" ]]; then
        echo "$name ended without a line starting with '$pattern'; its stderr:" >&2
        tail -20 "$dir/stderr" >&2
        exit 1
    fi
    local t1="$EPOCHREALTIME"
    ms=$(( (${t1/./} - ${t0/./}) / 1000 ))
    local stat
    read -r -a stat <"/proc/$pid/stat"
    cpu=$(( (stat[13] + stat[14]) * 1000 / $(getconf CLK_TCK) ))
    held+=("$in")
    (for fd in "${held[@]}"; do exec {fd}>&-; done; exec cat >/dev/null) <&"$out" & # drains its stdout
    exec {out}<&-
    rm -f "$dir/$name.in" "$dir/$name.out"
}

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
leaders=() joiners=() lcpu=() jcpu=() held=() # held: our ends of the nodes' stdin, which no drainer may keep open
for ((i = 1; i <= runs; i++)); do
    start "leader$i" "* started" -l -p "$port"
    lpid=$pid lin=$in
    leaders+=("$ms") lcpu+=("$cpu")
    sleep "$settle" # a running ring: a leader only just started may be too slow to greet a newcomer in time
    start "joiner$i" "* joined" -p $((port + 1)) -np "$port"
    jpid=$pid jin=$in
    joiners+=("$ms") jcpu+=("$cpu")
    echo "run $i: leader ${leaders[-1]} ms (CPU ${lcpu[-1]} ms), joiner ${joiners[-1]} ms (CPU ${jcpu[-1]} ms)"
    exec {jin}>&- {lin}>&- # end of input: both leave
    held=()
    wait "$jpid" "$lpid" || true
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "median of $runs: leader $(printf '%s\n' "${leaders[@]}" | median) ms (CPU $(printf '%s\n' "${lcpu[@]}" | median) ms)," \
    "joiner $(printf '%s\n' "${joiners[@]}" | median) ms (CPU $(printf '%s\n' "${jcpu[@]}" | median) ms)"
