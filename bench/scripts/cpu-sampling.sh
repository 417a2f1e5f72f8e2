# Sourced by load-node.sh and load-anvil.sh: runs the load generator, and measures the CPU the server (and the load generator) spend,
# sampled once a second from /proc, so a run reports CPU per transaction over the measured window
# only (after the warm-up, before the tail that waits for the last inclusions), where JIT warm-up
# and pre-signing no longer count. Needs OUT, JAR, RATE and DUR (WARMUP, ACCOUNTS, BATCH, MIX optional).

# user+system CPU of a process and all its threads, in clock ticks
cpu_ticks() { awk '{print $14+$15}' /proc/$1/stat 2>/dev/null || echo 0; }

# cpu_samples SERVER_PID LOADGEN_PID: until the load generator exits, "epoch_ms server_ticks loadgen_ticks
# warmup_seen" once a second into $OUT/cpu.samples
cpu_samples() {
  : > "$OUT/cpu.samples"
  local seen="" now
  while kill -0 "$2" 2>/dev/null; do
    local w=0
    now=$(date +%s%3N)
    if grep -q '^warm-up:' "$OUT/loadgen.log" 2>/dev/null; then
      w=1; seen=${seen:-$now}
      # the server's threads at the start and the end of the measured window
      [ ! -e "$OUT/threads.start" ] && [ "$now" -ge $(( seen + ${WARMUP:-15} * 1000 )) ] && thread_ticks "$1" > "$OUT/threads.start"
      [ ! -e "$OUT/threads.end" ] && [ "$now" -ge $(( seen + (${WARMUP:-15} + DUR) * 1000 )) ] && thread_ticks "$1" > "$OUT/threads.end"
    fi
    echo "$now $(cpu_ticks "$1") $(cpu_ticks "$2") $w" >> "$OUT/cpu.samples"
    sleep 1
  done
}

# "tid ticks name" for every thread of a process (name with its digits kept, spaces as _)
thread_ticks() {
  for t in /proc/$1/task/*; do
    local st; st=$(cat "$t/stat" 2>/dev/null) || continue
    # the name is between the first "(" and the last ")"; fields after it start with the state
    local name=${st#*(}; name=${name%)*}; local rest=${st##*) }
    set -- $rest
    echo "${t##*/} $(( ${12} + ${13} )) ${name// /_}"
  done
}

# The server's busiest threads over the measured window, CPU seconds summed by name (digits folded)
thread_summary() {
  [ -e "$OUT/threads.start" ] && [ -e "$OUT/threads.end" ] || return 0
  awk -v hz="$(getconf CLK_TCK)" 'NR == FNR { s[$1] = $2; next }
    { n = $3; gsub(/[0-9]+/, "N", n); c[n] += $2 - ($1 in s ? s[$1] : 0) }
    END { for (n in c) if (c[n] > 0) printf "%.1f %s\n", c[n] / hz, n }' "$OUT/threads.start" "$OUT/threads.end" | sort -rn | head -15 |
    awk 'BEGIN { printf "server threads over the window (cpu s):" } { printf " %s %s;", $2, $1 } END { print "" }'
}

# One line: server and load generator CPU over the measured window (from the warm-up line + WARMUP s,
# for DUR s), in cores and per offered transaction.
cpu_summary() {
  awk -v warm="${WARMUP:-15}" -v dur="$DUR" -v rate="$RATE" -v hz="$(getconf CLK_TCK)" '
    $4 == 1 && t0 == "" { t0 = $1 + warm * 1000; t1 = t0 + dur * 1000 }
    t0 != "" && $1 >= t0 && s0 == "" { s0 = $2; l0 = $3; a = $1 }
    t0 != "" && $1 <= t1 { s1 = $2; l1 = $3; b = $1 }
    END {
      if (s0 == "" || b <= a) { print "cpu: no measured window in the samples"; exit }
      secs = (b - a) / 1000; srv = (s1 - s0) / hz; lg = (l1 - l0) / hz
      printf "cpu over the measured window (%.0f s): server %.1f s (%.2f cores, %.0f us per offered tx), load generator %.1f s (%.2f cores)\n",
        secs, srv, srv / secs, srv / secs / rate * 1e6, lg, lg / secs
    }' "$OUT/cpu.samples"
}

# run_loadgen SERVER_PID RPC_URL: one measured load run (RATE, DUR, WARMUP, ACCOUNTS, BATCH, MIX) with
# its CPU lines appended to $OUT/summary.txt
run_loadgen() {
  java -Xmx3g -jar "$JAR" loadgen --rpc "$2" --rate "$RATE" --duration "$DUR" --warmup "${WARMUP:-15}" \
    --accounts "${ACCOUNTS:-2000}" --batch "${BATCH:-100}" ${MIX:+--mix $MIX} --csv "$OUT/load.csv" > "$OUT/loadgen.log" 2>&1 &
  local lg=$!
  cpu_samples "$1" "$lg"
  wait "$lg"
  cpu_summary >> "$OUT/summary.txt"
  thread_summary >> "$OUT/summary.txt"
}
