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
# directory; each leaves at the end of its input. The joiner starts $SETTLE seconds (default 2)
# after the leader said it started; a join that fails is counted, and left out of the median.
set -euo pipefail

root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
source "$root/scripts/nodes.sh"
runs="${1:-5}"
shift || true
[[ "${1:-}" == "--" ]] && shift
cmd=("$@")
((${#cmd[@]})) || cmd=("$root/ringchat")
port="${PORT:-5700}"
settle="${SETTLE:-2}"
dir="$(mktemp -d "${TMPDIR:-/tmp}/ringchat-startup.XXXXXX")"
trap 'rm -rf "$dir"' EXIT
"${cmd[@]}" --version >/dev/null # builds the jar (and, with the launcher, the archive) outside the timing

echo "load before: $(load)"
leaders=() joiners=() lcpu=() jcpu=() failed=0
for ((i = 1; i <= runs; i++)); do
    start "leader$i" "* started" -l -p "$port" || exit 1
    lpid=$pid lin=$in
    leaders+=("$ms") lcpu+=("$cpu")
    sleep "$settle" # a running ring: a leader only just started may be too slow to greet a newcomer in time
    if start "joiner$i" "* joined" -p $((port + 1)) -np "$port"; then
        jpid=$pid jin=$in
        joiners+=("$ms") jcpu+=("$cpu")
        echo "run $i: leader ${leaders[-1]} ms (CPU ${lcpu[-1]} ms), joiner ${joiners[-1]} ms (CPU ${jcpu[-1]} ms)"
        exec {jin}>&-
    else
        failed=$((failed + 1))
        echo "run $i: leader ${leaders[-1]} ms (CPU ${lcpu[-1]} ms), joiner failed"
        jpid=""
    fi
    exec {lin}>&- # end of input: they leave
    held=()
    wait $jpid "$lpid" || true
done
echo "load after: $(load)"
echo "joins that failed: $failed of $runs"
echo "median of $runs: leader $(printf '%s\n' "${leaders[@]}" | median) ms (CPU $(printf '%s\n' "${lcpu[@]}" | median) ms)," \
    "joiner $(printf '%s\n' "${joiners[@]}" | median) ms (CPU $(printf '%s\n' "${jcpu[@]}" | median) ms)"
