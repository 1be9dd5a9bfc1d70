package dev.keyless.scheduler.pipeline.definition;

import dev.keyless.scheduler.pipeline.definition.TriggerRequest.JobRequest;
import dev.keyless.scheduler.pipeline.model.JobStep;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The product description's two complete configs, byte for byte, read into the jobs, steps and contexts they mean. */
class CircleCiExamplesTest {

    /** The product description the examples come from: shared/seed beside the repository (run from the module). */
    private static final Path SEED = Path.of("../../shared/seed/000_10d773a71873c2f6.txt");

    static String example(String name) {
        try (InputStream in = CircleCiExamplesTest.class.getResourceAsStream("/circleci/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void theTestCopiesAreTheProductDescriptionsExamplesByteForByte() throws IOException {
        String description = Files.readString(SEED, StandardCharsets.UTF_8);
        String aws = example("aws-example.yml");
        String gcp = example("gcp-example.yml");
        assertTrue(aws.startsWith("version: '2.1'\n") && aws.endsWith("         context: aws\n"));
        assertTrue(gcp.startsWith("version: \"2.1\"\n") && gcp.endsWith("          - gcp-oidc-dev\n"));
        assertTrue(description.contains(aws), "the AWS example is the description's text");
        assertTrue(description.contains(gcp), "the GCP example is the description's text");
        assertTrue(
                aws.contains("role-session-name: \u201cexample-session\u201d"), "typographic quotes kept as written");
    }

    @Test
    void theReadmesYamlExampleIsTheAwsExampleAsItIs() throws IOException {
        String readme = Files.readString(Path.of("../README.md"), StandardCharsets.UTF_8);
        assertTrue(
                readme.contains("--data-binary @- <<'YAML'\n" + example("aws-example.yml") + "YAML\n"),
                "README.md posts the AWS example unchanged");
    }

    @Test
    void theAwsExampleIsOneJobCheckingOutConfiguringTheOidcProfileAndLoggingIntoEcr() {
        TriggerRequest request = CircleConfigParser.parse(
                example("aws-example.yml"), null, "main", null, "abc123", "push", UUID.randomUUID());
        assertEquals(1, request.workflows().size());
        assertEquals("OIDC-with-AWS", request.workflows().get(0).name());
        JobRequest job = request.workflows().get(0).jobs().get(0);
        assertEquals("aws-example", job.name());
        assertEquals(List.of("aws"), job.contexts());
        assertEquals("cimg/aws:2022.06", job.image());
        assertEquals(3, job.steps().size());
        assertEquals(JobStep.checkout(), job.steps().get(0));
        JobStep setup = job.steps().get(1);
        assertEquals("aws-cli/setup", setup.name());
        assertEquals(
                "echo 'aws-cli/setup: role-session-name \u201cexample-session\u201d has characters AWS does not "
                        + "allow in a session name; using example-session' >&2\n"
                        + "executor aws configure --role-arn \"arn:aws:iam::123456789012:role/OIDC-ROLE\" --region \"us-west-1\" "
                        + "--profile \"OIDC-PROFILE\" --session-name \"example-session\" --duration \"1800\" >> \"$BASH_ENV\"\n",
                setup.command());
        JobStep ecr = job.steps().get(2);
        assertEquals("Log-into-AWS-ECR", ecr.name());
        assertEquals(
                "# must use same profile specified in the step above       \n"
                        + "aws ecr get-login-password --profile \"OIDC-PROFILE\"\n",
                ecr.command());
        assertNull(ecr.when());
    }

    @Test
    void theGcpExampleExpandsItsCommandsWithTheParameterDefaultsUnderTheWorkflowsJobName() {
        TriggerRequest request = CircleConfigParser.parse(
                example("gcp-example.yml"), null, "main", null, "abc123", "push", UUID.randomUUID());
        JobRequest job = request.workflows().get(0).jobs().get(0);
        assertEquals("main", request.workflows().get(0).name());
        assertEquals("Generate Creds File and Authenticate", job.name());
        assertEquals(List.of("gcp-oidc-dev"), job.contexts());
        assertEquals("circleci/python:3.7-buster", job.image(), "gcp-cli/default, the orb's executor");
        List<String> names = job.steps().stream().map(JobStep::name).toList();
        assertEquals(
                List.of(
                        "gcp-cli/install",
                        "# Store OIDC token in temp file",
                        "# Configure gcloud to leverage the generated credential configuration",
                        "Verify that gcloud is authenticated",
                        "Verify that ADC works"),
                names);
        assertTrue(job.steps().get(0).command().contains("command -v gcloud"));
        assertEquals(
                """
                # Store OIDC token in temp file
                echo $CIRCLE_OIDC_TOKEN > /home/circleci/oidc_token.json
                # Create a credential configuration for the generated OIDC ID Token
                gcloud iam workload-identity-pools create-cred-config \\
                    "projects/${GCP_PROJECT_ID}/locations/global/workloadIdentityPools/${GCP_WIP_ID}/providers/${GCP_WIP_PROVIDER_ID}"\\
                    --output-file="/home/circleci/gcp_cred_config.json" \\
                    --service-account="${GCP_SERVICE_ACCOUNT_EMAIL}" \\
                    --credential-source-file=/home/circleci/oidc_token.json
                """,
                job.steps().get(1).command());
        assertTrue(job.steps()
                .get(2)
                .command()
                .contains("gcloud auth login --brief --cred-file \"/home/circleci/gcp_cred_config.json\""));
        assertEquals(
                Map.of("GCP_SERVICE_ACCOUNT_EMAIL", "jennings-oidc-test@makoto-workbench.iam.gserviceaccount.com"),
                job.steps().get(3).environment());
    }
}
