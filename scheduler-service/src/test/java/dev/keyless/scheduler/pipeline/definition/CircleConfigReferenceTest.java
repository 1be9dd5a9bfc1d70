package dev.keyless.scheduler.pipeline.definition;

import dev.keyless.problem.Problem;
import dev.keyless.problem.ProblemException;
import dev.keyless.scheduler.pipeline.definition.TriggerRequest.JobRequest;
import dev.keyless.scheduler.pipeline.model.JobStep;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Parameter expansion, {@code env_var_name}, filters, environment layers and refusals, one table each; every case
 * names the part of the CircleCI configuration reference (https://circleci.com/docs/configuration-reference/, and
 * https://circleci.com/docs/reusing-config/ for parameters) it follows.
 */
class CircleConfigReferenceTest {

    /** A config whose one job runs the given steps, with commands and orbs available. */
    private static String config(String steps) {
        return """
                version: 2.1
                orbs:
                  aws-cli: circleci/aws-cli@3.1
                  gcp-cli: circleci/gcp-cli@2.4.1
                  slack: circleci/slack@4.12
                commands:
                  greet:
                    parameters:
                      who: {type: string, default: world}
                      loud: {type: boolean, default: false}
                      times: {type: integer, default: 1}
                      mood: {type: enum, enum: [calm, happy], default: calm}
                      var: {type: env_var_name, default: GREETING}
                    steps:
                      - run: echo "<< parameters.who >> << parameters.loud >> << parameters.times >> << parameters.mood >> ${<< parameters.var >>}"
                  twice:
                    parameters:
                      who: {type: string}
                    steps:
                      - greet: {who: << parameters.who >>}
                      - greet: {who: << parameters.who >>-again}
                jobs:
                  build:
                    docker:
                      - image: cimg/base:stable
                    steps:
                """
                + steps.indent(6)
                + """
                workflows:
                  main:
                    jobs: [build]
                """;
    }

    private static JobRequest job(String steps) {
        return CircleConfigParser.parse(config(steps), null, "main", null, "abc", "push", UUID.randomUUID())
                .workflows()
                .get(0)
                .jobs()
                .get(0);
    }

    private static List<String> commands(String steps) {
        return job(steps).steps().stream().map(JobStep::command).toList();
    }

    record Expansion(String reference, String steps, List<String> expected) {
        @Override
        public String toString() {
            return reference;
        }
    }

    static Stream<Expansion> expansions() {
        return Stream.of(
                new Expansion(
                        "reusing-config: parameters take their default when not given",
                        "- greet",
                        List.of("echo \"world false 1 calm ${GREETING}\"")),
                new Expansion(
                        "reusing-config: string, boolean, integer and enum arguments replace << parameters.x >>",
                        "- greet: {who: ada, loud: true, times: 3, mood: happy}",
                        List.of("echo \"ada true 3 happy ${GREETING}\"")),
                new Expansion(
                        "reusing-config, env_var_name: the value is a variable name, ${<< parameters.x >>} reads it",
                        "- greet: {var: GCP_PROJECT_ID}",
                        List.of("echo \"world false 1 calm ${GCP_PROJECT_ID}\"")),
                new Expansion(
                        "reusing-config: a command's steps invoke other commands, arguments expanded in the caller",
                        "- twice: {who: bob}",
                        List.of(
                                "echo \"bob false 1 calm ${GREETING}\"",
                                "echo \"bob-again false 1 calm ${GREETING}\"")),
                new Expansion(
                        "reusing-config, pipeline values: << pipeline.git.branch >> and << pipeline.git.revision >>",
                        "- run: echo << pipeline.git.branch >>@<< pipeline.git.revision >>",
                        List.of("echo main@abc")),
                new Expansion(
                        "configuration-reference, run: << >> that is not a parameter or pipeline value is shell text",
                        "- run: cat << EOF >> out",
                        List.of("cat << EOF >> out")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("expansions")
    void parametersExpandAsTheReferenceDefines(Expansion expansion) {
        assertEquals(expansion.expected(), commands(expansion.steps()));
    }

    record Refusal(String reference, String config, String message, int line, int column) {
        @Override
        public String toString() {
            return reference;
        }
    }

    static Stream<Refusal> refusals() {
        return Stream.of(
                new Refusal(
                        "reusing-config, boolean: a boolean parameter takes true or false",
                        config("- greet: {loud: maybe}"),
                        "jobs.build.steps[0].greet.loud: parameter 'loud' is a boolean, got 'maybe'",
                        27,
                        23),
                new Refusal(
                        "reusing-config, integer",
                        config("- greet: {times: many}"),
                        "parameter 'times' is an integer, got 'many'",
                        27,
                        24),
                new Refusal(
                        "reusing-config, enum: the value must be one of enum",
                        config("- greet: {mood: angry}"),
                        "parameter 'mood' is one of [calm, happy], got 'angry'",
                        27,
                        23),
                new Refusal(
                        "reusing-config, env_var_name: must be a valid environment variable name",
                        config("- greet: {var: 1-bad}"),
                        "parameter 'var' is an env_var_name",
                        27,
                        22),
                new Refusal(
                        "reusing-config: a parameter without default must be given",
                        config("- twice"),
                        "jobs.build.steps[0]: parameter 'who' of command twice has no default and is not given",
                        27,
                        9),
                new Refusal(
                        "reusing-config: an argument the command does not declare",
                        config("- greet: {whom: x}"),
                        "'whom' is not a parameter of command greet",
                        27,
                        17),
                new Refusal(
                        "reusing-config: << parameters.x >> must name a declared parameter",
                        config("- run: echo << parameters.nope >>"),
                        "jobs.build.steps[0].run: << parameters.nope >> is not a parameter of job build (it declares none)",
                        27,
                        14),
                new Refusal(
                        "orbs: a command of an imported orb Keyless does not map is refused naming orb, command and line",
                        config("- slack/notify: {event: fail}"),
                        "jobs.build.steps[0]: orb command slack/notify (orb circleci/slack@4.12, command notify) is not supported",
                        27,
                        9),
                new Refusal(
                        "orbs: a step naming an orb that orbs does not import",
                        config("- node/install"),
                        "step 'node/install' names orb 'node', which orbs does not import",
                        27,
                        9),
                new Refusal(
                        "jobs, steps: an unknown key in a run step is refused at its position",
                        config("- run:\n    command: make\n    background: true"),
                        "jobs.build.steps[0].run.background: 'background' is not supported here",
                        29,
                        11),
                new Refusal(
                        "jobs, steps: save_cache and other steps Keyless does not run",
                        config("- save_cache: {key: k, paths: [x]}"),
                        "jobs.build.steps[0]: step 'save_cache' is not supported",
                        27,
                        9),
                new Refusal(
                        "jobs, steps, run, when: on_success, on_fail or always",
                        config("- run: {command: make, when: sometimes}"),
                        "when is on_success, on_fail or always",
                        27,
                        36),
                new Refusal(
                        "configuration-reference, top level: unknown keys are refused, not ignored",
                        "setup: true\n" + config("- checkout"),
                        "config key 'setup' is not supported",
                        1,
                        1),
                new Refusal(
                        "jobs, environment: names are environment variable names",
                        config("- run: {command: make, environment: {1X: y}}"),
                        "'1X' is not an environment variable name",
                        27,
                        44),
                new Refusal(
                        "aws-cli orb, setup: role-arn is what OIDC needs",
                        config("- aws-cli/setup: {aws-region: us-east-1}"),
                        "aws-cli/setup needs role-arn",
                        27,
                        9),
                new Refusal(
                        "workflows, jobs, filters: only and ignore take names or /regular expressions/",
                        config("- checkout")
                                .replace(
                                        "jobs: [build]",
                                        "jobs:\n      - build: {filters: {branches: {only: /ma(in/}}}"),
                        "'/ma(in/' is not a valid regular expression",
                        31,
                        44));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void refusalsNameThePathLineAndColumn(Refusal refusal) {
        ProblemException e = assertThrows(
                ProblemException.class,
                () -> CircleConfigParser.parse(refusal.config(), null, "main", null, "abc", "push", UUID.randomUUID()));
        assertEquals(400, e.status());
        assertThat(e.getMessage(), containsString(refusal.message()));
        Problem.ProblemError located = e.errors().stream()
                .filter(error -> error.message().contains(refusal.message()))
                .findFirst()
                .orElseThrow(() -> new AssertionError(e.errors().toString()));
        assertEquals(
                List.of(refusal.line(), refusal.column()),
                List.of(located.line(), located.column()),
                () -> e.getMessage());
    }

    record Filter(String reference, String ref, String filters, boolean runs) {
        @Override
        public String toString() {
            return reference + " (" + ref + ")";
        }
    }

    static Stream<Filter> filters() {
        return Stream.of(
                new Filter("filters: without filters a job runs for every branch", "refs/heads/feature", null, true),
                new Filter("filters: without filters a job does not run for a tag", "refs/tags/v1", null, false),
                new Filter("filters: without a tags filter a job does not run for a tag", "refs/tags/v1", "{}", false),
                new Filter("branches.only: an exact name", "refs/heads/main", "{branches: {only: main}}", true),
                new Filter(
                        "branches.only: another branch does not run",
                        "refs/heads/dev",
                        "{branches: {only: main}}",
                        false),
                new Filter(
                        "branches.only: a /regular expression/ matching the whole name",
                        "refs/heads/release-1.2",
                        "{branches: {only: /release-.*/}}",
                        true),
                new Filter(
                        "branches.only: a regular expression must match the whole name",
                        "refs/heads/my-release-1",
                        "{branches: {only: /release-.*/}}",
                        false),
                new Filter(
                        "branches.ignore: an ignored branch does not run",
                        "refs/heads/wip",
                        "{branches: {ignore: [wip, tmp]}}",
                        false),
                new Filter(
                        "branches: has no effect on a tag",
                        "refs/tags/v1.0",
                        "{branches: {ignore: /.*/}, tags: {only: /^v.*/}}",
                        true),
                new Filter("tags.only: a matching tag runs", "refs/tags/v1.0", "{tags: {only: /^v.*/}}", true),
                new Filter(
                        "tags.only: only is considered before ignore",
                        "refs/tags/v1.0-rc",
                        "{tags: {only: /^v.*/, ignore: /.*-rc/}}",
                        false),
                new Filter(
                        "tags: a tags filter has no effect on a branch",
                        "refs/heads/main",
                        "{tags: {only: /^v.*/}}",
                        true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("filters")
    void workflowFiltersSelectJobsForTheTriggersRef(Filter filter) {
        String filters = filter.filters() == null ? "" : ", filters: " + filter.filters();
        String yaml = config("- checkout")
                .replace(
                        "jobs: [build]",
                        "jobs:\n      - build: {name: build" + filters + "}\n      - other: {requires: [build]"
                                + filters + "}")
                .replace("jobs:\n  build:", "jobs:\n  other:\n    steps: [checkout]\n  build:");
        if (filter.runs()) {
            TriggerRequest request =
                    CircleConfigParser.parse(yaml, filter.ref(), null, null, "abc", "push", UUID.randomUUID());
            assertEquals(
                    List.of("build", "other"),
                    request.workflows().get(0).jobs().stream()
                            .map(JobRequest::name)
                            .toList());
        } else {
            // the filtered job and the job requiring it leave nothing to run for this ref
            ProblemException e = assertThrows(
                    ProblemException.class,
                    () -> CircleConfigParser.parse(yaml, filter.ref(), null, null, "abc", "push", UUID.randomUUID()));
            assertThat(e.getMessage(), containsString("the filters leave none"));
        }
    }

    @Test
    void aJobRequiringAFilteredOutJobDoesNotRunEither() {
        // workflows, requires: a job runs only after the jobs it requires, so not when they are filtered out
        String yaml = config("- checkout")
                .replace(
                        "jobs: [build]",
                        """
                jobs:
                      - build: {filters: {branches: {only: main}}}
                      - other: {requires: [build]}
                      - lint
                """
                                .strip())
                .replace(
                        "jobs:\n  build:",
                        "jobs:\n  other:\n    steps: [checkout]\n  lint:\n    steps: [checkout]\n  build:");
        TriggerRequest request = CircleConfigParser.parse(yaml, null, "dev", null, "abc", "push", UUID.randomUUID());
        assertEquals(
                List.of("lint"),
                request.workflows().get(0).jobs().stream().map(JobRequest::name).toList());
    }

    record Layer(String reference, String yaml, Consumer<JobRequest> check) {
        @Override
        public String toString() {
            return reference;
        }
    }

    static Stream<Layer> layers() {
        return Stream.of(
                new Layer(
                        "jobs, environment: the job's over its executor's over the primary container's",
                        """
                        version: 2.1
                        executors:
                          base:
                            docker:
                              - image: cimg/base:2024.01
                                environment: {A: container, B: container, C: container}
                            environment: {B: executor, C: executor}
                        jobs:
                          build:
                            executor: base
                            environment: {C: job}
                            steps:
                              - run: {command: env, environment: {C: step}}
                        workflows:
                          main: {jobs: [build]}
                        """,
                        job -> {
                            assertEquals(Map.of("A", "container", "B", "executor", "C", "job"), job.environment());
                            assertEquals(Map.of("C", "step"), job.steps().get(0).environment());
                            assertEquals("cimg/base:2024.01", job.image());
                        }),
                new Layer(
                        "executor: an orb's executor is accepted; its image is recorded when Keyless knows it",
                        """
                        version: 2.1
                        orbs: {gcp-cli: circleci/gcp-cli@2.4.1, aws-cli: circleci/aws-cli@3.1}
                        jobs:
                          a: {executor: gcp-cli/default, steps: [checkout]}
                          b: {executor: aws-cli/default, steps: [checkout]}
                        workflows:
                          main: {jobs: [a, b]}
                        """,
                        job -> assertEquals("circleci/python:3.7-buster", job.image())),
                new Layer(
                        "jobs, steps, run: shell, working_directory and when are kept for the executor",
                        """
                        version: 2.1
                        jobs:
                          build:
                            shell: /bin/sh -e
                            steps:
                              - run: {command: make, working_directory: sub, when: always}
                        workflows:
                          main: {jobs: [build]}
                        """,
                        job -> {
                            JobStep step = job.steps().get(0);
                            assertEquals("/bin/sh -e", step.shell());
                            assertEquals("sub", step.workingDirectory());
                            assertEquals("always", step.when());
                            assertNull(job.image());
                            assertNotNull(job.command(), "executors before steps still get one script");
                        }));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("layers")
    void environmentAndExecutorKeysAreRecordedAsTheReferenceLayersThem(Layer layer) {
        layer.check()
                .accept(CircleConfigParser.parse(layer.yaml(), null, "main", null, "abc", "push", UUID.randomUUID())
                        .workflows()
                        .get(0)
                        .jobs()
                        .get(0));
    }
}
