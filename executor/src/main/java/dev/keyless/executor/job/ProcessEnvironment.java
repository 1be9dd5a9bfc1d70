package dev.keyless.executor.job;

import dev.keyless.executor.api.ClaimedJob;
import dev.keyless.executor.api.JobEnvironment;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The environment a job's shell starts with. Built from scratch rather than inherited: the executor's own
 * environment may hold its executor token, which no job may read. Only a few harmless variables pass through.
 */
public final class ProcessEnvironment {

    static final List<String> PASSED_THROUGH =
            List.of("PATH", "HOME", "USER", "LOGNAME", "LANG", "LC_ALL", "TZ", "TERM", "TMPDIR", "SHELL", "JAVA_HOME");

    private static final Pattern VARIABLE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private ProcessEnvironment() {}

    /**
     * @param inherited the executor's environment (only {@link #PASSED_THROUGH} is read)
     * @param binDir    a directory holding the {@code executor} command, put first on PATH
     * @param credentialFile the file holding the job's current credential (renewed while the job runs)
     * @param jobDirectory   the job's private directory, where the cloud commands write their files
     */
    public static Map<String, String> build(
            Map<String, String> inherited,
            ClaimedJob job,
            JobEnvironment environment,
            String issuerUrl,
            Path binDir,
            Path credentialFile,
            Path jobDirectory) {
        return build(inherited, job, environment, Map.of(), issuerUrl, binDir, credentialFile, jobDirectory);
    }

    /**
     * The environment of one step, layered as CircleCI defines the precedence: the step's own variables over the
     * job's (from its config), over the contexts', over the built-in {@code CIRCLE_*} ones. The executor's own
     * variables (PATH's first entry, {@code KEYLESS_*}) are set last: no layer can redirect them.
     *
     * @param stepEnvironment the step's variables ({@code run.environment})
     */
    public static Map<String, String> build(
            Map<String, String> inherited,
            ClaimedJob job,
            JobEnvironment environment,
            Map<String, String> stepEnvironment,
            String issuerUrl,
            Path binDir,
            Path credentialFile,
            Path jobDirectory) {
        Map<String, String> result = new LinkedHashMap<>();
        for (String name : PASSED_THROUGH) {
            String value = inherited.get(name);
            if (value != null) {
                result.put(name, value);
            }
        }
        putValid(result, job.builtinEnvironment());
        result.put("CI", "true");
        putValid(result, environment.variables());
        putValid(result, job.environment());
        putValid(result, stepEnvironment);
        String path = result.getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin");
        result.put("PATH", binDir + ":" + path);
        result.put("KEYLESS_JOB_ID", job.jobId().toString());
        result.put("KEYLESS_JOB_NAME", job.name() == null ? "" : job.name());
        result.put("KEYLESS_ORG_ID", String.valueOf(job.orgId()));
        result.put("KEYLESS_PROJECT_ID", String.valueOf(job.projectId()));
        result.put("KEYLESS_JOB_CREDENTIAL_FILE", credentialFile.toString());
        result.put("KEYLESS_JOB_DIR", jobDirectory.toString());
        // a context variable of that name would shadow the file for `executor oidc get`
        result.remove("KEYLESS_JOB_CREDENTIAL");
        result.put("KEYLESS_ISSUER_URL", issuerUrl);
        return result;
    }

    private static void putValid(Map<String, String> result, Map<String, String> layer) {
        layer.forEach((name, value) -> {
            if (VARIABLE_NAME.matcher(name).matches() && value != null) {
                result.put(name, value);
            }
        });
    }
}
