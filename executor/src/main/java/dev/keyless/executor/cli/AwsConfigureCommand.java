package dev.keyless.executor.cli;

import dev.keyless.executor.api.ApiException;
import dev.keyless.executor.api.MintedToken;
import dev.keyless.executor.cloud.AwsProfiles;
import dev.keyless.executor.job.PrivateFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code executor aws configure}: a profile that assumes a role with a token file the executor keeps fresh. */
@Command(
        name = "configure",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {
            "Inside a job: writes an AWS profile (role_arn, web_identity_token_file, role_session_name) "
                    + "into a config file in the job's own directory, and a token file for the role's audience that the "
                    + "executor re-mints while the job runs. Every AWS SDK and the AWS CLI then assume the role by "
                    + "themselves.",
            "Prints the export lines later steps need: eval \"$(executor aws configure --role-arn ARN)\"."
        })
public final class AwsConfigureCommand implements Callable<Integer> {

    private final Io io;

    @Option(
            names = "--role-arn",
            paramLabel = "ARN",
            required = true,
            description = "The role to assume, arn:aws:iam::ACCOUNT:role/NAME.")
    String roleArn;

    @Option(
            names = "--profile",
            paramLabel = "NAME",
            description = "Write this profile and export AWS_PROFILE (default: the default profile).")
    String profile;

    @Option(
            names = "--session-name",
            paramLabel = "NAME",
            description = "role_session_name, 2-64 of [A-Za-z0-9_+=,.@-] (default: keyless-<job name>-<job id>).")
    String sessionName;

    @Option(
            names = "--duration",
            paramLabel = "SECONDS",
            description = "duration_seconds of the role session, 900-43200 (default: the role's, 3600 at AWS).")
    Integer duration;

    @Option(names = "--region", paramLabel = "REGION", description = "region of the profile (default: none written).")
    String region;

    @Option(
            names = "--audience",
            paramLabel = "AUD",
            defaultValue = "sts.amazonaws.com",
            description = "aud of the token, the IAM OIDC provider's client id (default: ${DEFAULT-VALUE}).")
    String audience;

    @Option(
            names = "--token-ttl",
            paramLabel = "SECONDS",
            defaultValue = "900",
            description = "Lifetime asked for each token in the file, 60-3600 s; the executor re-mints it well "
                    + "before it ends (default: ${DEFAULT-VALUE}).")
    int tokenTtl;

    AwsConfigureCommand(Io io) {
        this.io = io;
    }

    @Override
    public Integer call() throws UsageException, IOException, InterruptedException, ApiException {
        if (!AwsProfiles.ROLE_ARN.matcher(roleArn).matches()) {
            throw new UsageException("--role-arn must be an IAM role ARN, arn:aws:iam::ACCOUNT:role/NAME");
        }
        if (profile != null && !AwsProfiles.PROFILE.matcher(profile).matches()) {
            throw new UsageException("--profile must be 1-64 of [A-Za-z0-9_.-]");
        }
        if (sessionName != null
                && !AwsProfiles.SESSION_NAME.matcher(sessionName).matches()) {
            throw new UsageException("--session-name must be 2-64 of [A-Za-z0-9_+=,.@-]");
        }
        if (duration != null) {
            RunCommand.range(duration, "--duration", 900, 43200);
        }
        RunCommand.range(tokenTtl, "--token-ttl", 60, 3600);
        JobContext job = JobContext.from(io);
        String profileName = profile == null ? "default" : profile;

        MintedToken token = job.mint(io, audience, tokenTtl);
        Path tokenFile = job.registry()
                .register(
                        "aws-" + profileName.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-"),
                        token.token(),
                        audience,
                        tokenTtl);

        Path directory = PrivateFiles.directory(job.directory().resolve("aws"));
        Path config = directory.resolve("config");
        Path credentials = directory.resolve("credentials");
        Map<String, String> values = new LinkedHashMap<>();
        values.put("role_arn", roleArn);
        values.put("web_identity_token_file", tokenFile.toString());
        values.put(
                "role_session_name",
                sessionName != null ? sessionName : AwsProfiles.sessionName(job.jobName(), job.jobId()));
        if (duration != null) {
            values.put("duration_seconds", duration.toString());
        }
        if (region != null) {
            values.put("region", region);
        }
        String existing = Files.exists(config) ? Files.readString(config, StandardCharsets.UTF_8) : "";
        PrivateFiles.write(config, AwsProfiles.withProfile(existing, AwsProfiles.header(profileName), values));
        if (!Files.exists(credentials)) {
            // an empty credentials file of the job's own: keys in the machine's ~/.aws/credentials must not win
            PrivateFiles.write(credentials, "");
        }

        io.out().println(Exports.export("AWS_CONFIG_FILE", config.toString()));
        io.out().println(Exports.export("AWS_SHARED_CREDENTIALS_FILE", credentials.toString()));
        io.out().println(Exports.export("AWS_SDK_LOAD_CONFIG", "1"));
        if (profile != null) {
            io.out().println(Exports.export("AWS_PROFILE", profile));
        }

        io.err()
                .println("executor: wrote profile " + profileName + " to " + config + " (role_arn " + roleArn
                        + ", role_session_name " + values.get("role_session_name") + ")");
        io.err()
                .println("executor: token file " + tokenFile + " (aud " + audience + ") is re-minted by the executor "
                        + "until the job ends, then removed");
        if (io.variable("AWS_ACCESS_KEY_ID") != null || io.variable("AWS_SESSION_TOKEN") != null) {
            io.err()
                    .println("executor: warning: AWS_ACCESS_KEY_ID/AWS_SESSION_TOKEN are set and win over any profile; "
                            + "unset them to use this role");
        }
        if (profile == null && io.variable("AWS_PROFILE") != null) {
            io.err()
                    .println(
                            "executor: warning: AWS_PROFILE is set and selects another profile; unset it or use --profile");
        }
        io.err()
                .println("executor: on the AWS side: an IAM OIDC provider for https://" + job.orgIssuerHost()
                        + " with client id " + audience + ", and a trust policy on the role allowing "
                        + "sts:AssumeRoleWithWebIdentity when " + job.orgIssuerHost() + ":aud is " + audience + " and "
                        + job.orgIssuerHost() + ":sub matches this job's " + token.subject()
                        + " (see deploy/examples/aws)");
        return 0;
    }
}
