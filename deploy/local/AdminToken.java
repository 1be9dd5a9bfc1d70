import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;

/**
 * Prints an admin JWT for local use (JDK only, run with {@code java AdminToken.java}): RS256, iss=keyless-admin,
 * aud=keyless-api, groups=[platform-admin] or [org-admin] with org_id, valid for one hour.
 *
 * <pre>java AdminToken.java KEY.pem --org ORG_ID | --platform [--sub NAME] [--ttl SECONDS]</pre>
 */
public class AdminToken {

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            usage();
        }
        Path keyFile = Path.of(args[0]);
        String org = null;
        String sub = System.getProperty("user.name", "admin");
        long ttl = 3600;
        boolean platform = false;
        for (int i = 1; i < args.length; i++) {
            switch (args[i]) {
                case "--platform" -> platform = true;
                case "--org" -> org = value(args, ++i);
                case "--sub" -> sub = value(args, ++i);
                case "--ttl" -> ttl = Long.parseLong(value(args, ++i));
                default -> usage();
            }
        }
        if (platform == (org != null)) {
            usage();
        }
        if (org != null && !org.matches("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")) {
            System.err.println("ORG_ID must be an org id (a UUID), got '" + org + "'");
            System.exit(64);
        }
        long now = Instant.now().getEpochSecond();
        StringBuilder claims = new StringBuilder("{")
                .append("\"iss\":\"keyless-admin\",\"aud\":\"keyless-api\",")
                .append("\"sub\":").append(quote(sub)).append(',')
                .append("\"groups\":[\"").append(platform ? "platform-admin" : "org-admin").append("\"],");
        if (org != null) {
            claims.append("\"org_id\":").append(quote(org)).append(',');
        }
        claims.append("\"iat\":").append(now).append(",\"exp\":").append(now + ttl)
                .append(",\"jti\":\"").append(UUID.randomUUID()).append("\"}");
        String input = base64("{\"alg\":\"RS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + base64(claims.toString().getBytes(StandardCharsets.UTF_8));
        Signature signature = Signature.getInstance("SHA256withRSA");
        signature.initSign(readKey(keyFile));
        signature.update(input.getBytes(StandardCharsets.US_ASCII));
        System.out.println(input + "." + base64(signature.sign()));
    }

    private static PrivateKey readKey(Path file) throws Exception {
        // the key file is generated at run time by secrets.sh (PKCS#8 PEM); drop its armor lines, keep the base64
        String pem = Files.readString(file)
                .replaceAll("-----[A-Z ]+-----", "")
                .replaceAll("\\s", "");
        return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
    }

    private static String value(String[] args, int i) {
        if (i >= args.length) {
            usage();
        }
        return args[i];
    }

    private static String quote(String value) {
        return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static String base64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static void usage() {
        System.err.println("usage: java AdminToken.java KEY.pem --org ORG_ID | --platform [--sub NAME] [--ttl SECONDS]");
        System.exit(64);
    }
}
