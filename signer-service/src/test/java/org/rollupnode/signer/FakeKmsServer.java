package org.rollupnode.signer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;

/**
 * A local AWS KMS speaking the JSON 1.1 protocol ({@code X-Amz-Target: TrentService.*}) for
 * GetPublicKey and Sign, holding a real secp256k1 key. Like real KMS it returns a DER
 * SubjectPublicKeyInfo and DER signatures whose s is not normalised. Failures and delays can be
 * queued to exercise the client's error handling. SigV4 is not checked.
 */
final class FakeKmsServer implements AutoCloseable {
    static final String KEY_ARN = "arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    static final String ALIAS = "alias/sequencer";
    private static final X9ECParameters K1 = CustomNamedCurves.getByName("secp256k1");
    private static final ECDomainParameters DOMAIN = new ECDomainParameters(K1.getCurve(), K1.getG(), K1.getN(), K1.getH());
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One request as received: the operation and its JSON body. */
    record Call(String target, JsonNode body) {}

    private record Failure(String target, int status, String type, String message, long delayMillis) {}

    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(4);
    private final BigInteger privateKey;
    private final List<Call> calls = new ArrayList<>();
    private final Deque<Failure> failures = new ArrayDeque<>();
    private volatile String keySpec = "ECC_SECG_P256K1";
    private volatile String keyUsage = "SIGN_VERIFY";
    private volatile byte[] publicKeyOverride;
    private volatile boolean forceHighS;
    private volatile boolean deterministic;
    private volatile BigInteger[] lastSignature;

    private FakeKmsServer(BigInteger privateKey) throws IOException {
        this.privateKey = privateKey;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    static FakeKmsServer start(BigInteger privateKey) throws IOException {
        return new FakeKmsServer(privateKey);
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Answer the next {@code times} calls of {@code target} (e.g. "Sign"; null for any) with this error. */
    synchronized FakeKmsServer failNext(String target, int times, int status, String type, String message) {
        for (int i = 0; i < times; i++) {
            failures.add(new Failure(target, status, type, message, 0));
        }
        return this;
    }

    /** Hold the next {@code times} calls of {@code target} for {@code millis} before answering normally. */
    synchronized FakeKmsServer delayNext(String target, int times, long millis) {
        for (int i = 0; i < times; i++) {
            failures.add(new Failure(target, 0, null, null, millis));
        }
        return this;
    }

    FakeKmsServer keySpec(String spec, String usage) {
        this.keySpec = spec;
        this.keyUsage = usage;
        return this;
    }

    /** Serve this DER SubjectPublicKeyInfo instead of the key's own (a key of another curve). */
    FakeKmsServer publicKeyDer(byte[] der) {
        this.publicKeyOverride = der;
        return this;
    }

    /** Always answer with the high-s twin (r, n - s) of the signature, as real KMS does half the time. */
    FakeKmsServer forceHighS(boolean on) {
        this.forceHighS = on;
        return this;
    }

    /** RFC 6979 nonces instead of random ones, so a signature can be compared with a known vector. */
    FakeKmsServer deterministic(boolean on) {
        this.deterministic = on;
        return this;
    }

    synchronized List<Call> calls() {
        return List.copyOf(calls);
    }

    synchronized List<Call> calls(String target) {
        return calls.stream().filter(c -> c.target().equals(target)).toList();
    }

    /** (r, s) of the last signature served, exactly as sent. */
    BigInteger[] lastSignature() {
        return lastSignature;
    }

    static byte[] secp256k1Spki(byte[] uncompressedPoint) throws IOException {
        return new SubjectPublicKeyInfo(new AlgorithmIdentifier(X9ObjectIdentifiers.id_ecPublicKey, SECObjectIdentifiers.secp256k1),
                uncompressedPoint).getEncoded();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String targetHeader = ex.getRequestHeaders().getFirst("X-Amz-Target");
            String contentType = ex.getRequestHeaders().getFirst("Content-Type");
            byte[] in = ex.getRequestBody().readAllBytes();
            if (!"POST".equals(ex.getRequestMethod()) || targetHeader == null || !targetHeader.startsWith("TrentService.")
                    || contentType == null || !contentType.startsWith("application/x-amz-json-1.1")) {
                error(ex, 400, "UnknownOperationException", "expected a POST with X-Amz-Target TrentService.* and application/x-amz-json-1.1");
                return;
            }
            String target = targetHeader.substring("TrentService.".length());
            JsonNode body = JSON.readTree(in);
            Failure f;
            synchronized (this) {
                calls.add(new Call(target, body));
                f = failures.peek() != null && (failures.peek().target() == null || failures.peek().target().equals(target))
                        ? failures.poll() : null;
            }
            if (f != null && f.delayMillis() > 0) {
                Thread.sleep(f.delayMillis());
            } else if (f != null) {
                error(ex, f.status(), f.type(), f.message());
                return;
            }
            String keyId = body.path("KeyId").asText("");
            if (!keyId.equals(KEY_ARN) && !keyId.equals(ALIAS) && !keyId.equals("1234abcd-12ab-34cd-56ef-1234567890ab")) {
                error(ex, 400, "NotFoundException", "Key '" + keyId + "' does not exist");
                return;
            }
            switch (target) {
                case "GetPublicKey" -> getPublicKey(ex);
                case "Sign" -> sign(ex, body);
                default -> error(ex, 400, "UnknownOperationException", "operation " + target + " is not served here");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void getPublicKey(HttpExchange ex) throws IOException {
        byte[] der = publicKeyOverride != null ? publicKeyOverride
                : secp256k1Spki(DOMAIN.getG().multiply(privateKey).normalize().getEncoded(false));
        ObjectNode r = JSON.createObjectNode();
        r.put("KeyId", KEY_ARN);
        r.put("PublicKey", Base64.getEncoder().encodeToString(der));
        r.put("KeySpec", keySpec);
        r.put("CustomerMasterKeySpec", keySpec);
        r.put("KeyUsage", keyUsage);
        r.putArray("SigningAlgorithms").add("ECDSA_SHA_256");
        ok(ex, r);
    }

    private void sign(HttpExchange ex, JsonNode body) throws IOException {
        if (!"ECDSA_SHA_256".equals(body.path("SigningAlgorithm").asText())) {
            error(ex, 400, "InvalidKeyUsageException", "The signing algorithm " + body.path("SigningAlgorithm").asText() + " is not valid for this key");
            return;
        }
        byte[] message = Base64.getDecoder().decode(body.path("Message").asText(""));
        byte[] digest;
        if ("DIGEST".equals(body.path("MessageType").asText())) {
            if (message.length != 32) {
                error(ex, 400, "ValidationException", "Digest is invalid length for algorithm ECDSA_SHA_256.");
                return;
            }
            digest = message;
        } else {
            // RAW: KMS hashes with SHA-256 itself, which is never what a block signer wants.
            SHA256Digest sha = new SHA256Digest();
            sha.update(message, 0, message.length);
            digest = new byte[32];
            sha.doFinal(digest, 0);
        }
        ECDSASigner signer = deterministic ? new ECDSASigner(new HMacDSAKCalculator(new SHA256Digest())) : new ECDSASigner();
        signer.init(true, new ECPrivateKeyParameters(privateKey, DOMAIN));
        BigInteger[] rs = signer.generateSignature(digest);
        BigInteger s = rs[1];
        if (forceHighS && s.compareTo(DOMAIN.getN().shiftRight(1)) <= 0) {
            s = DOMAIN.getN().subtract(s);
        }
        lastSignature = new BigInteger[] {rs[0], s};
        ObjectNode r = JSON.createObjectNode();
        r.put("KeyId", KEY_ARN);
        r.put("Signature", Base64.getEncoder().encodeToString(new DERSequence(new org.bouncycastle.asn1.ASN1Encodable[] {
                new ASN1Integer(rs[0]), new ASN1Integer(s)}).getEncoded()));
        r.put("SigningAlgorithm", "ECDSA_SHA_256");
        ok(ex, r);
    }

    private static void ok(HttpExchange ex, JsonNode body) throws IOException {
        send(ex, 200, JSON.writeValueAsBytes(body));
    }

    private static void error(HttpExchange ex, int status, String type, String message) throws IOException {
        ObjectNode r = JSON.createObjectNode();
        r.put("__type", type);
        r.put("message", message);
        send(ex, status, JSON.writeValueAsBytes(r));
    }

    private static void send(HttpExchange ex, int status, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.1");
        ex.getResponseHeaders().set("x-amzn-RequestId", java.util.UUID.randomUUID().toString());
        ex.sendResponseHeaders(status, body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
