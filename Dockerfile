# Multi-stage build of rollup-node-java: one image runs any service (`node`, `sequencer`, `signer`,
# `rpc-gateway`, `l1-watcher`, `replay`, `export`) through the same `rollup-node` command.
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
RUN mvn -B -q -DskipTests install

FROM eclipse-temurin:17-jre
RUN useradd --system --uid 10001 --home /var/lib/rollup-node rollup \
    && mkdir -p /var/lib/rollup-node && chown rollup /var/lib/rollup-node
COPY --from=build /src/cli/target/rollup-node.jar /opt/rollup-node/rollup-node.jar
COPY --from=build /src/cli/target/lib /opt/rollup-node/lib
USER rollup
WORKDIR /var/lib/rollup-node
ENV JAVA_OPTS="-Xmx2g"
ENTRYPOINT ["sh", "-c", "exec java -XX:-ReduceBulkZeroing $JAVA_OPTS -jar /opt/rollup-node/rollup-node.jar \"$@\"", "rollup-node"]
CMD ["--help"]
