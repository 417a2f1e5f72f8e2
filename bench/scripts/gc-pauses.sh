#!/usr/bin/env bash
# GC pauses and ZGC allocation stalls from a node's gc.log (written by load-node.sh with -Xlog:gc*).
# Usage: bench/scripts/gc-pauses.sh OUTDIR/gc.log
# Prints the number of pauses with p50/p99/max (ms) and the allocation-stall lines (a thread waiting
# for memory: a pause as the application sees it, which ZGC's own pause lines do not count).
set -u
LOG=$1
# Every "GC(n) Pause ... <t>ms" line: ZGC's three pauses per cycle, and G1's or Parallel's pauses too.
grep -E "GC\([0-9]+\) Pause .*[0-9.]+ms$" "$LOG" | grep -oE "[0-9.]+ms$" | tr -d 'ms' | sort -g |
  awk '{v[NR]=$1} END {if (NR==0) {print "pauses: none"; exit}
       p50=v[int(NR*0.50)>0?int(NR*0.50):1]; p99=v[int(NR*0.99)>0?int(NR*0.99):1];
       printf "pauses: %d, p50 %.3f ms, p99 %.3f ms, max %.3f ms\n", NR, p50, p99, v[NR]}'
STALLS=$(grep -E "Allocation Stall \(" "$LOG" | grep -oE "[0-9.]+ms$" | tr -d 'ms' | sort -g)
if [ -z "$STALLS" ]; then
  echo "allocation stalls: none"
else
  echo "$STALLS" | awk '{v[NR]=$1} END {printf "allocation stalls: %d thread-waits, max %.1f ms\n", NR, v[NR]}'
fi
