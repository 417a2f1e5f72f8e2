#!/usr/bin/env bash
# The same load generator against anvil (--block-time 1), the peer in BENCHMARKS.md. Usage, from the
# repository root: bench/scripts/load-anvil.sh OUTDIR RATE SECONDS   (WARMUP, ACCOUNTS, BATCH, MIX as load-node.sh)
# anvil comes from npm @foundry-rs/anvil (.ci/run installs it under .tools/node_modules).
# summary.txt includes the CPU anvil and the load generator used over the measured window (bench/scripts/cpu-sampling.sh).
set -u
OUT=$1; RATE=$2; DUR=$3
JAR=cli/target/rollup-node.jar
ANVIL=${ANVIL:-.tools/node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil}
rm -rf "$OUT"; mkdir -p "$OUT"
. bench/scripts/cpu-sampling.sh
# --balance 1000000: the default 10,000 ETH per dev account cannot fund 2,000 load accounts
"$ANVIL" --block-time 1 --port 18546 --host 127.0.0.1 --accounts 20 --balance 1000000 --gas-limit 1000000000 --silent \
  > "$OUT/anvil.log" 2>&1 &
A=$!
for _ in $(seq 1 60); do
  curl -s -m 1 -X POST -H 'content-type: application/json' --data '{"jsonrpc":"2.0","id":1,"method":"eth_blockNumber"}' \
    http://127.0.0.1:18546 >/dev/null && break
  sleep 0.5
done
echo "load before: $(uptime)" > "$OUT/summary.txt"
run_loadgen $A http://127.0.0.1:18546
echo "load after: $(uptime)" >> "$OUT/summary.txt"
kill $A; wait $A 2>/dev/null
tail -3 "$OUT/loadgen.log" >> "$OUT/summary.txt"
cat "$OUT/summary.txt"
