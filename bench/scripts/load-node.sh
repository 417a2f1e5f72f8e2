#!/usr/bin/env bash
# One end-to-end load run against a fresh all-in-one dev node (embedded broker, 1 s blocks), as in
# BENCHMARKS.md. Usage, from the repository root after `mvn -B -DskipTests package`:
#   bench/scripts/load-node.sh OUTDIR RATE SECONDS [extra node flags...]
# Environment: JAR (default cli/target/rollup-node.jar, e.g. a copy of an earlier build for A/B runs), WARMUP (s, default 15), ACCOUNTS (2000), BATCH (100), MIX (e.g. transfer=70,erc20=20,store=10),
#   GASLIMIT (default 1000000000), HEAP (node -Xmx, default 2g), ZGC_OPTS (default -XX:ConcGCThreads=2, as the launcher on up to 4 cores; ZGC_OPTS= for the JVM's default), NODE_JAVA_OPTS (more node JVM flags, e.g. a profiler agent), JFR=1 (record a profile), REPLAY=1 (export the chain, stop the node, replay the export).
# Writes OUTDIR/{node.log,gc.log,loadgen.log,load.csv,metrics.txt,summary.txt,cpu.samples,threads.start,threads.end[,node.jfr,chain.jsonl,replay.log]};
# summary.txt includes the CPU the node and the load generator used over the measured window (bench/scripts/cpu-sampling.sh).
set -u
OUT=$1; RATE=$2; DUR=$3; shift 3
JAR=${JAR:-cli/target/rollup-node.jar}
rm -rf "$OUT"; mkdir -p "$OUT"
. bench/scripts/cpu-sampling.sh
java -XX:-ReduceBulkZeroing -Xmx${HEAP:-2g} -XX:+UseZGC ${ZGC_OPTS--XX:ConcGCThreads=2} ${NODE_JAVA_OPTS:-} -Xlog:gc*:file="$OUT/gc.log" ${JFR:+-XX:StartFlightRecording=filename=$OUT/node.jfr,settings=profile} \
  -jar $JAR node --chain dev --datadir "$OUT/data" --test \
  --sequencer.enabled --sequencer.auto-start --sequencer.block-time 1000 --builder.gaslimit "${GASLIMIT:-1000000000}" \
  --txpool.pending-max-count 400000 --txpool.max-account-slots 1024 \
  --http --http.addr 127.0.0.1 --http.port 18545 --http.api eth,net,web3,txpool --metrics 127.0.0.1:19001 "$@" > "$OUT/node.log" 2>&1 &
NODE=$!
for _ in $(seq 1 120); do
  curl -s -m 1 -X POST -H 'content-type: application/json' --data '{"jsonrpc":"2.0","id":1,"method":"eth_blockNumber"}' \
    http://127.0.0.1:18545 >/dev/null && break
  sleep 1
done
echo "load before: $(uptime)" > "$OUT/summary.txt"
run_loadgen $NODE http://127.0.0.1:18545
echo "load after: $(uptime)" >> "$OUT/summary.txt"
curl -s http://127.0.0.1:19001/metrics > "$OUT/metrics.txt"
if [ -n "${REPLAY:-}" ]; then
  BROKER=$(grep -o "Embedded Kafka broker ready at [0-9.:]*" "$OUT/node.log" | awk '{print $NF}')
  java -Xmx2g -jar $JAR export --kafka.bootstrap-servers "$BROKER" --out "$OUT/chain.jsonl" > "$OUT/export.log" 2>&1
fi
kill $NODE; wait $NODE
if [ -n "${REPLAY:-}" ]; then
  echo "replay load before: $(uptime)" >> "$OUT/summary.txt"
  java -XX:-ReduceBulkZeroing -Xmx2g -XX:+UseParallelGC -XX:-TieredCompilation -jar $JAR replay --input "$OUT/chain.jsonl" --chain dev \
    --consensus.authorized-signer 0x5dacf18b826a8697f4a7ecb7bcb5effd3e0cbf3c --report "$OUT/replay.json" > "$OUT/replay.log" 2>&1
  tail -1 "$OUT/replay.log" >> "$OUT/summary.txt"
fi
tail -3 "$OUT/loadgen.log" >> "$OUT/summary.txt"
cat "$OUT/summary.txt"
