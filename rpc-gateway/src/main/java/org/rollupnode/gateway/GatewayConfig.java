package org.rollupnode.gateway;

import java.util.List;
import java.util.Set;
import org.rollupnode.execution.types.Address;

/**
 * Settings of one rpc-gateway replica.
 *
 * @param apis             enabled namespaces (--http.api), lowercase
 * @param authorizedSigner blocks signed by anyone else are refused; null accepts the signer of block 1 and pins it
 */
public record GatewayConfig(String host, int port, Set<String> apis, List<String> corsOrigins, String gatewayId,
                            Address authorizedSigner) {}
