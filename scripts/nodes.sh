# Sourced by the scripts here: starting ringchat nodes in pipe mode and timing them. The caller
# sets cmd (the command that runs ringchat, as an array) and dir (a scratch directory).

held=() # our ends of the nodes' stdin, which no drainer may keep open

# start NAME PATTERN ARGS...: starts `cmd -a 127.0.0.1 -n NAME --log-dir dir ARGS` with its stdin
# kept open; returns once its stdout has a line starting with PATTERN (status 1, after printing
# its stderr, if it ended before). Sets $ms to the
# milliseconds until then, $cpu to the CPU time its process had used by then (user and system,
# all threads; on a loaded machine the steadier figure), $pid, and $in (its stdin's descriptor:
# closing it makes the node leave). Its whole stdout goes on to dir/NAME.stdout.
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
        echo "$line" >>"$dir/$name.stdout"
        [[ "$line" == "$pattern"* ]] && seen=1 && break
    done
    if [[ -z "$seen" ]]; then
        echo "$name ended without a line starting with '$pattern'; its stderr:" >&2
        tail -3 "$dir/stderr" >&2
        exec {out}<&- {in}>&-
        rm -f "$dir/$name.in" "$dir/$name.out"
        wait "$pid" || true
        return 1
    fi
    local t1="$EPOCHREALTIME"
    ms=$(( (${t1/./} - ${t0/./}) / 1000 ))
    local stat
    read -r -a stat <"/proc/$pid/stat"
    cpu=$(( (stat[13] + stat[14]) * 1000 / $(getconf CLK_TCK) ))
    held+=("$in")
    (for fd in "${held[@]}"; do exec {fd}>&-; done; exec cat >>"$dir/$name.stdout") <&"$out" &
    exec {out}<&-
    rm -f "$dir/$name.in" "$dir/$name.out"
}

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

load() { cut -d' ' -f1-3 /proc/loadavg; }
