package dev.keyless.executor.cloud;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * An AWS shared config file ({@code AWS_CONFIG_FILE}) with profiles that assume a role with a web identity token
 * file: {@code role_arn}, {@code web_identity_token_file}, {@code role_session_name}. Every AWS SDK and the AWS CLI
 * assume the role from such a profile by themselves and read the token file again whenever they refresh.
 */
public final class AwsProfiles {

    /** AWS' rule for RoleSessionName: 2 to 64 of these characters. */
    public static final Pattern SESSION_NAME = Pattern.compile("[\\w+=,.@-]{2,64}");

    public static final Pattern ROLE_ARN = Pattern.compile("arn:aws[a-z-]*:iam::[0-9]{12}:role/[\\w+=,.@/-]{1,512}");
    public static final Pattern PROFILE = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
    private static final int MAX_SESSION_NAME = 64;

    private AwsProfiles() {}

    /**
     * {@code keyless-<job name>-<job id>}: the job id whole (CloudTrail then names the job), the job name cut so the
     * whole fits AWS' 64 characters, characters AWS refuses replaced by {@code -}.
     */
    public static String sessionName(String jobName, UUID jobId) {
        String suffix = "-" + jobId;
        String name = jobName == null ? "" : jobName.toLowerCase(Locale.ROOT).replaceAll("[^\\w+=,.@-]", "-");
        String prefix = name.isEmpty() ? "keyless" : "keyless-" + name;
        return prefix.substring(0, Math.min(prefix.length(), MAX_SESSION_NAME - suffix.length())) + suffix;
    }

    /** The section header of a profile in the config file: {@code [default]} or {@code [profile NAME]}. */
    public static String header(String profile) {
        return profile == null || profile.equals("default") ? "[default]" : "[profile " + profile + "]";
    }

    /**
     * The config file with the section {@code header} set to {@code values}, every other section of
     * {@code existing} kept as it was (a job may configure several roles, one profile each).
     */
    public static String withProfile(String existing, String header, Map<String, String> values) {
        Map<String, List<String>> sections = new LinkedHashMap<>();
        String current = null;
        for (String line : existing == null ? new String[0] : existing.split("\n")) {
            String trimmed = line.strip();
            if (trimmed.startsWith("[") && trimmed.endsWith("]")) {
                current = trimmed;
                sections.put(current, new ArrayList<>());
            } else if (current != null && !trimmed.isEmpty()) {
                sections.get(current).add(line);
            }
        }
        List<String> lines = new ArrayList<>();
        values.forEach((key, value) -> lines.add(key + " = " + value));
        sections.put(header, lines);
        StringBuilder out = new StringBuilder();
        sections.forEach((section, body) -> {
            if (out.length() > 0) {
                out.append('\n');
            }
            out.append(section).append('\n');
            body.forEach(line -> out.append(line).append('\n'));
        });
        return out.toString();
    }
}
