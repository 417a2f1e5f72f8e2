package org.rollupnode.signer;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.Set;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;

/** Turns AWS SDK failures into one line an operator can act on. */
final class KmsErrors {
    private static final Set<String> BAD_CREDENTIALS = Set.of("UnrecognizedClientException", "InvalidSignatureException",
            "IncompleteSignature", "IncompleteSignatureException", "ExpiredTokenException", "InvalidClientTokenId", "MissingAuthenticationToken");

    private KmsErrors() {}

    static String describe(Throwable e, KmsSignerConfig c) {
        String key = "AWS KMS key " + c.keyId();
        if (e instanceof ApiCallTimeoutException || e instanceof ApiCallAttemptTimeoutException || hasCause(e, SocketTimeoutException.class)) {
            return "timed out: " + c.endpointDescription() + " did not answer within " + c.attemptTimeout().toMillis()
                    + " ms per attempt / " + c.apiCallTimeout().toMillis() + " ms per call";
        }
        if (e instanceof AwsServiceException ase) {
            String code = ase.awsErrorDetails() != null ? ase.awsErrorDetails().errorCode() : null;
            String msg = ase.awsErrorDetails() != null && ase.awsErrorDetails().errorMessage() != null
                    ? ase.awsErrorDetails().errorMessage() : String.valueOf(ase.getMessage());
            if (code == null) {
                code = "HTTP " + ase.statusCode();
            }
            if (ase.isThrottlingException()) {
                return "throttled by AWS KMS (" + code + ") on every one of " + c.maxAttempts() + " attempts: " + msg;
            }
            return switch (code) {
                case "AccessDeniedException" -> "access denied to " + key
                        + " (the caller needs kms:GetPublicKey and kms:Sign on it): " + msg;
                case "DisabledException" -> key + " is disabled; enable it in AWS KMS: " + msg;
                case "KMSInvalidStateException" -> key + " is not in a usable state (pending deletion, pending import or unavailable): " + msg;
                case "NotFoundException" -> key + " was not found" + (c.region() != null ? " in region " + c.region() : "")
                        + " (check the key id or ARN and the region): " + msg;
                case "InvalidKeyUsageException" -> key + " cannot sign: the signer needs key spec ECC_SECG_P256K1 with key usage SIGN_VERIFY: " + msg;
                case "KeyUnavailableException", "DependencyTimeoutException", "KMSInternalException" ->
                        "AWS KMS could not serve the request (" + code + "), still failing after " + c.maxAttempts() + " attempts: " + msg;
                case "InvalidArnException" -> "the key id '" + c.keyId() + "' is not a valid KMS key ARN: " + msg;
                default -> BAD_CREDENTIALS.contains(code)
                        ? "AWS rejected the credentials (" + code + "); check the access key, secret and session token: " + msg
                        : "AWS KMS error " + code + " (HTTP " + ase.statusCode() + "): " + msg;
            };
        }
        if (hasCause(e, ConnectException.class) || hasCause(e, UnknownHostException.class) || hasCause(e, NoRouteToHostException.class)) {
            return "cannot reach " + c.endpointDescription() + ": " + rootMessage(e);
        }
        String m = String.valueOf(e.getMessage());
        if (e instanceof SdkClientException && m.contains("Unable to load credentials")) {
            return "no AWS credentials found: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, AWS_PROFILE, or run with an instance or container role";
        }
        if (e instanceof SdkClientException && m.contains("Unable to load region")) {
            return "no AWS region configured: pass --signer.aws-region or set AWS_REGION (or a region in the AWS profile)";
        }
        return m;
    }

    private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + (t.getMessage() != null ? " " + t.getMessage() : "");
    }
}
