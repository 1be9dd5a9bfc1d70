package dev.keyless.scheduler.pipeline.definition;

import dev.keyless.problem.ProblemException;
import dev.keyless.scheduler.pipeline.definition.TriggerRequest.JobRequest;
import dev.keyless.scheduler.pipeline.model.JobStep;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class CircleConfigParserTest {

    private static final String CONFIG =
            """
            version: 2.1
            jobs:
              build:
                docker:
                  - image: cimg/base:stable
                steps:
                  - run: make
                  - run:
                      name: test
                      command: make test
              deploy:
                timeout_seconds: 600
                ssh_rerun: true
                steps:
                  - run: ./deploy.sh
            workflows:
              main:
                jobs:
                  - build
                  - deploy:
                      context: [aws-prod, slack]
                      requires: [build]
              nightly:
                jobs:
                  - build:
                      name: nightly-build
                      context: org-global
            """;

    private static TriggerRequest parse(String yaml) {
        return CircleConfigParser.parse(yaml, null, "main", null, "abc", "push", UUID.randomUUID());
    }

    @Test
    void jobsWorkflowsContextsAndRequiresAreRead() {
        TriggerRequest request = parse(CONFIG);
        assertEquals("main", request.branch());
        assertEquals(2, request.workflows().size());
        List<JobRequest> main = request.workflows().get(0).jobs();
        assertEquals("build", main.get(0).name());
        assertEquals(
                List.of("make", "make test"),
                main.get(0).steps().stream().map(JobStep::command).toList());
        assertEquals(
                List.of("make", "test"),
                main.get(0).steps().stream().map(JobStep::name).toList());
        assertEquals(List.of(), main.get(0).contexts());
        assertEquals("deploy", main.get(1).name());
        assertEquals("./deploy.sh", main.get(1).steps().get(0).command());
        assertEquals(List.of("aws-prod", "slack"), main.get(1).contexts());
        assertEquals(List.of("build"), main.get(1).requires());
        assertEquals(600, main.get(1).timeoutSeconds());
        assertEquals(true, main.get(1).sshRerun());
        JobRequest nightly = request.workflows().get(1).jobs().get(0);
        assertEquals("nightly-build", nightly.name());
        assertEquals(List.of("org-global"), nightly.contexts());
    }

    @Test
    void unsupportedStepsAndKeysAreRefusedNotDropped() {
        assertThat(
                problem(CONFIG.replace("- run: make\n", "- save_cache: {paths: [x], key: k}\n")),
                containsString("step 'save_cache' is not supported"));
        assertThat(problem("setup: true\n" + CONFIG), containsString("config key 'setup' is not supported"));
        assertThat(problem(CONFIG.replace("version: 2.1", "version: 2")), containsString("only 2.1"));
    }

    @Test
    void workflowNamingAnUndefinedJobIsRefused() {
        assertThat(
                problem(CONFIG.replace("      - build\n", "      - biuld\n")),
                containsString("job 'biuld' is not defined under jobs"));
    }

    @Test
    void malformedYamlIsA400WithAPosition() {
        assertThat(problem("jobs: [unclosed"), containsString("not valid YAML"));
        assertThat(problem("- just a list"), containsString("YAML mapping"));
    }

    private static String problem(String yaml) {
        ProblemException e = assertThrows(ProblemException.class, () -> parse(yaml));
        assertEquals(400, e.status());
        return e.getMessage();
    }
}
