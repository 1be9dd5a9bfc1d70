package dev.keyless.systemtests;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Kubernetes operator ({@code operator/target/quarkus-app}) as its own process, against the fabric8 Kubernetes
 * mock server in CRUD mode (the API server; no kubelet runs, so this test sets Pod statuses the way a kubelet
 * would) and the real scheduler-, context- and issuer-service with Kafka. The CRD is the one
 * {@code deploy/kubernetes} installs. Each test has its own org, and its pool claims only that org's project.
 */
@ExtendWith(PlatformExtension.class)
class OperatorSystemTest {

    private static final String NAMESPACE = "keyless";
    private static final String TOKEN_SECRET = "keyless-executor-token";
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final ResourceDefinitionContext RUNNER_POOLS = new ResourceDefinitionContext.Builder()
            .withGroup("keyless.dev")
            .withVersion("v1alpha1")
            .withKind("RunnerPool")
            .withPlural("runnerpools")
            .withNamespaced(true)
            .build();

    private static KeylessPlatform platform;
    private static Keyless keyless;
    private static KubernetesMockServer apiServer;
    private static KubernetesClient kubernetes;
    private static Process operator;

    @BeforeAll
    static void startTheApiServerAndTheOperator(KeylessPlatform started) throws IOException {
        platform = started;
        keyless = new Keyless(platform);
        apiServer = new KubernetesMockServer(
                new Context(Serialization.jsonMapper()),
                new MockWebServer(),
                new HashMap<>(),
                new KubernetesCrudDispatcher(),
                false);
        apiServer.init(InetAddress.getByName("127.0.0.1"), 0);
        kubernetes = apiServer.createClient();
        try (InputStream crd = Files.newInputStream(Path.of(System.getProperty("keyless.repo.dir", ".."))
                .resolve("deploy/kubernetes/base/runnerpool-crd.yaml"))) {
            kubernetes
                    .apiextensions()
                    .v1()
                    .customResourceDefinitions()
                    .resource(kubernetes.getKubernetesSerialization().unmarshal(crd, CustomResourceDefinition.class))
                    .create();
        }
        kubernetes
                .secrets()
                .inNamespace(NAMESPACE)
                .resource(new SecretBuilder()
                        .withNewMetadata()
                        .withName(TOKEN_SECRET)
                        .endMetadata()
                        .addToData("token", base64(platform.executorToken()))
                        .build())
                .create();
        operator = startOperator();
    }

    @AfterAll
    static void stopTheOperatorAndTheApiServer() {
        if (operator != null) {
            KeylessPlatform.stop(operator);
        }
        if (kubernetes != null) {
            kubernetes.close();
        }
        if (apiServer != null) {
            apiServer.destroy();
        }
    }

    private static Process startOperator() {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put(
                "QUARKUS_KUBERNETES_CLIENT_API_SERVER_URL",
                kubernetes.getMasterUrl().toString());
        settings.put("QUARKUS_KUBERNETES_CLIENT_NAMESPACE", NAMESPACE);
        settings.put("QUARKUS_KUBERNETES_CLIENT_TRUST_CERTS", "true");
        settings.put("KEYLESS_OPERATOR_CLAIM_WAIT_SECONDS", "2");
        settings.put("KEYLESS_OPERATOR_CAPACITY_POLL_INTERVAL", "1s");
        settings.put("KEYLESS_OPERATOR_FINISHED_POD_TTL", "3s");
        settings.put("KEYLESS_OPERATOR_EXECUTOR_IMAGE", "keyless/executor:test");
        return platform.startOperator("operator", settings);
    }

    @Test
    void aTriggeredJobBecomesExactlyOnePodWithTheExpectedSpecAndNoCredentialInItsEnvironment() throws IOException {
        Keyless.Org org = keyless.createOrg();
        GenericKubernetesResource pool = createPool("spec-check", org, 2, "Finish");
        JsonNode pipeline = keyless.trigger(org, List.of(Keyless.job("build", "make", List.of(), List.of())));
        UUID job = Keyless.jobId(pipeline, "build");

        Pod pod = awaitPod(job);
        Files.writeString(
                platform.log("operator-job-pod").resolveSibling("operator-job-pod.yaml"),
                kubernetes.getKubernetesSerialization().asYaml(pod));
        assertEquals(1, podsOfPool("spec-check").size(), "one job, one Pod");
        assertEquals("keyless-job-" + job, pod.getMetadata().getName());
        assertEquals("running", keyless.job(org, job).get("status").asText());
        Map<String, String> labels = pod.getMetadata().getLabels();
        assertEquals(job.toString(), labels.get("keyless.dev/job-id"));
        assertEquals(pipeline.get("id").asText(), labels.get("keyless.dev/pipeline-id"));
        assertEquals(org.projectId().toString(), labels.get("keyless.dev/project-id"));
        assertEquals("RunnerPool", pod.getMetadata().getOwnerReferences().get(0).getKind());
        assertEquals(
                pool.getMetadata().getUid(),
                pod.getMetadata().getOwnerReferences().get(0).getUid());
        assertEquals("Never", pod.getSpec().getRestartPolicy());
        assertEquals(300L, pod.getSpec().getActiveDeadlineSeconds(), "the job's timeout");
        Container container = pod.getSpec().getContainers().get(0);
        assertEquals("cimg/base:stable", container.getImage(), "the pool's image");
        assertEquals(
                "keyless/executor:test",
                pod.getSpec().getInitContainers().get(0).getImage());
        VolumeMount jobMount = container.getVolumeMounts().stream()
                .filter(mount -> mount.getMountPath().equals("/var/run/keyless/job"))
                .findFirst()
                .orElseThrow();
        assertTrue(jobMount.getReadOnly());
        assertEquals(
                "keyless-job-" + job,
                pod.getSpec().getVolumes().stream()
                        .filter(volume -> volume.getName().equals(jobMount.getName()))
                        .findFirst()
                        .orElseThrow()
                        .getSecret()
                        .getSecretName());

        Secret secret = kubernetes
                .secrets()
                .inNamespace(NAMESPACE)
                .withName("keyless-job-" + job)
                .get();
        String credential = decode(secret.getData().get("credential"));
        assertTrue(credential.startsWith("eyJ"), "the Secret holds the job credential");
        assertEquals("Pod", secret.getMetadata().getOwnerReferences().get(0).getKind(), "the Secret goes with its Pod");
        assertEquals(
                pod.getMetadata().getUid(),
                secret.getMetadata().getOwnerReferences().get(0).getUid());
        String podJson = kubernetes.getKubernetesSerialization().asJson(pod);
        assertFalse(podJson.contains(credential), "the credential is nowhere in the Pod");
        for (EnvVar variable : container.getEnv()) {
            assertNull(variable.getValueFrom(), "no variable comes from a Secret: " + variable.getName());
        }
        assertFalse(Files.readString(platform.log("operator")).contains(credential), "nor in the operator's log");

        Awaitility.await().atMost(WAIT).untilAsserted(() -> {
            JsonNode status = poolStatus("spec-check");
            assertEquals(1, status.path("jobsStarted").asInt());
            assertEquals(1, status.path("jobsRunning").asInt());
            assertEquals("True", condition(status, "Ready"));
        });
    }

    /** Nothing in a pending Pod heartbeats (an image pull can outlast the scheduler's heartbeat timeout). */
    @Test
    void aPendingPodsJobIsHeartbeatedForAndItsSecretKeepsARenewedCredential() throws IOException {
        Keyless.Org org = keyless.createOrg();
        createPool("pending", org, 1, "Cancel");
        UUID job = Keyless.jobId(
                keyless.trigger(org, List.of(Keyless.job("build", "make", List.of(), List.of()))), "build");
        awaitPod(job);
        long firstExp = credentialExpiry(job);
        Awaitility.await()
                .atMost(Duration.ofSeconds(45))
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> credentialExpiry(job) > firstExp);
        assertEquals("running", keyless.job(org, job).get("status").asText());
        pools().inNamespace(NAMESPACE).withName("pending").delete();
    }

    private long credentialExpiry(UUID job) throws IOException {
        Secret secret = kubernetes
                .secrets()
                .inNamespace(NAMESPACE)
                .withName("keyless-job-" + job)
                .get();
        String credential = decode(secret.getData().get("credential"));
        return Http.JSON
                .readTree(Base64.getUrlDecoder().decode(credential.split("\\.")[1]))
                .get("exp")
                .asLong();
    }

    @Test
    void thePodsExecutorModeRunAsAProcessPullsTheEnvironmentAndCompletesTheJob() throws Exception {
        Keyless.Org org = keyless.createOrg();
        String secretValue = "s3cret-" + UUID.randomUUID();
        keyless.createContext(org, "deploy", Map.of("DEPLOY_PASSWORD", secretValue));
        createPool("executor-mode", org, 1, "Finish");
        UUID job = Keyless.jobId(
                keyless.trigger(
                        org,
                        List.of(Keyless.job(
                                "deploy",
                                "echo \"password=$DEPLOY_PASSWORD\"; test -n \"$CIRCLE_OIDC_TOKEN_V2\" && echo token-present",
                                List.of("deploy"),
                                List.of()))),
                "deploy");

        Pod pod = awaitPod(job);
        setStatus(pod, new PodStatusBuilder().withPhase("Running").build());
        Path output = runAsTheKubeletWould(pod);

        JsonNode finished = keyless.awaitStatus(org, job, WAIT, "success", "failed");
        assertEquals("success", finished.get("status").asText(), () -> finished + "\n" + tail(output));
        String log = Files.readString(output);
        assertTrue(log.contains("password=********"), log);
        assertTrue(log.contains("token-present"), log);
        assertFalse(log.contains(secretValue), log);

        setStatus(pod, new PodStatusBuilder().withPhase("Succeeded").build());
        Awaitility.await().atMost(WAIT).untilAsserted(() -> {
            assertNull(
                    kubernetes
                            .pods()
                            .inNamespace(NAMESPACE)
                            .withName("keyless-job-" + job)
                            .get(),
                    "a finished Pod is deleted after its time");
            assertNull(kubernetes
                    .secrets()
                    .inNamespace(NAMESPACE)
                    .withName("keyless-job-" + job)
                    .get());
        });
        assertEquals(0, poolStatus("executor-mode").path("jobsFailed").asInt());
    }

    @Test
    void aPodWhoseImageCannotBePulledFailsItsJobWithTheReason() {
        Keyless.Org org = keyless.createOrg();
        createPool("bad-image", org, 2, "Finish");
        UUID job = Keyless.jobId(
                keyless.trigger(org, List.of(Keyless.job("build", "make", List.of(), List.of()))), "build");

        Pod pod = awaitPod(job);
        // what a kubelet reports once pulling the image failed and it backs off
        setStatus(
                pod,
                new PodStatusBuilder()
                        .withPhase("Pending")
                        .addToContainerStatuses(new ContainerStatusBuilder()
                                .withName("job")
                                .withImage("cimg/base:stable")
                                .withImageID("")
                                .withReady(false)
                                .withRestartCount(0)
                                .withNewState()
                                .withNewWaiting()
                                .withReason("ImagePullBackOff")
                                .withMessage("Back-off pulling image \"cimg/base:stable\"")
                                .endWaiting()
                                .endState()
                                .build())
                        .build());

        JsonNode failed = keyless.awaitStatus(org, job, WAIT, "failed", "success");
        assertEquals("failed", failed.get("status").asText());
        assertEquals(
                "the image 'cimg/base:stable' of container 'job' could not be pulled (ImagePullBackOff): "
                        + "Back-off pulling image \"cimg/base:stable\"",
                failed.get("status_reason").asText());
        Awaitility.await().atMost(WAIT).untilAsserted(() -> {
            assertNull(kubernetes
                    .pods()
                    .inNamespace(NAMESPACE)
                    .withName("keyless-job-" + job)
                    .get());
            assertNull(kubernetes
                    .secrets()
                    .inNamespace(NAMESPACE)
                    .withName("keyless-job-" + job)
                    .get());
            JsonNode status = poolStatus("bad-image");
            assertEquals(1, status.path("jobsFailed").asInt());
            assertEquals("True", condition(status, "Degraded"));
            assertEquals("PodsFailingToStart", conditionReason(status, "Degraded"));
        });
    }

    @Test
    void anOperatorRestartAdoptsItsPodsAndCreatesNoDuplicate() {
        Keyless.Org org = keyless.createOrg();
        createPool("restart", org, 3, "Finish");
        JsonNode pipeline = keyless.trigger(
                org,
                List.of(
                        Keyless.job("a", "make a", List.of(), List.of()),
                        Keyless.job("b", "make b", List.of(), List.of())));
        UUID a = Keyless.jobId(pipeline, "a");
        UUID b = Keyless.jobId(pipeline, "b");
        String podA = awaitPod(a).getMetadata().getUid();
        String podB = awaitPod(b).getMetadata().getUid();

        KeylessPlatform.stop(operator);
        operator = startOperator();
        UUID c = Keyless.jobId(keyless.trigger(org, List.of(Keyless.job("c", "make c", List.of(), List.of()))), "c");
        awaitPod(c);

        List<Pod> pods = podsOfPool("restart");
        assertEquals(3, pods.size(), () -> "three jobs, three Pods: " + names(pods));
        assertEquals(
                podA,
                kubernetes
                        .pods()
                        .inNamespace(NAMESPACE)
                        .withName("keyless-job-" + a)
                        .get()
                        .getMetadata()
                        .getUid(),
                "the Pod of a is the one from before the restart");
        assertEquals(
                podB,
                kubernetes
                        .pods()
                        .inNamespace(NAMESPACE)
                        .withName("keyless-job-" + b)
                        .get()
                        .getMetadata()
                        .getUid());
        for (UUID job : List.of(a, b, c)) {
            JsonNode view = keyless.job(org, job);
            assertEquals("running", view.get("status").asText());
        }
        Awaitility.await().atMost(WAIT).untilAsserted(() -> {
            JsonNode status = poolStatus("restart");
            assertEquals(3, status.path("jobsStarted").asInt());
            assertEquals(3, status.path("jobsRunning").asInt());
        });
    }

    @Test
    void aBurstOfFiftyJobsNeverRunsMoreThanTheCapacityAtOnce() {
        Keyless.Org org = keyless.createOrg();
        int capacity = 5;
        createPool("burst", org, capacity, "Finish");
        JsonNode pipeline = keyless.trigger(
                org,
                IntStream.range(0, 50)
                        .mapToObj(i -> Keyless.job("job-" + i, "true", List.of(), List.of()))
                        .toList());
        List<UUID> jobs = IntStream.range(0, 50)
                .mapToObj(i -> Keyless.jobId(pipeline, "job-" + i))
                .toList();

        // a kubelet that runs each Pod for a moment: the job reports success, then the Pod succeeds
        Set<String> seen = ConcurrentHashMap.newKeySet();
        AtomicInteger mostAtOnce = new AtomicInteger();
        AtomicBoolean stop = new AtomicBoolean();
        Thread kubelet = new Thread(
                () -> {
                    while (!stop.get()) {
                        List<Pod> active = podsOfPool("burst").stream()
                                .filter(pod -> pod.getStatus() == null
                                        || pod.getStatus().getPhase() == null
                                        || pod.getStatus().getPhase().equals("Running"))
                                .toList();
                        mostAtOnce.accumulateAndGet(active.size(), Math::max);
                        for (Pod pod : active) {
                            seen.add(pod.getMetadata().getName());
                            UUID job = UUID.fromString(
                                    pod.getMetadata().getLabels().get("keyless.dev/job-id"));
                            Secret secret = kubernetes
                                    .secrets()
                                    .inNamespace(NAMESPACE)
                                    .withName(pod.getMetadata().getName())
                                    .get();
                            if (secret != null) {
                                keyless.complete(job, decode(secret.getData().get("credential")), 0);
                            }
                            setStatus(
                                    pod,
                                    new PodStatusBuilder()
                                            .withPhase("Succeeded")
                                            .build());
                        }
                        // deliberately lets time pass: the period of the simulated kubelet's sweep
                        KeylessPlatform.sleep(Duration.ofMillis(300));
                    }
                },
                "kubelet");
        kubelet.start();
        try {
            for (UUID job : jobs) {
                keyless.awaitStatus(org, job, Duration.ofSeconds(180), "success");
            }
        } finally {
            stop.set(true);
        }
        assertTrue(mostAtOnce.get() <= capacity, "at most " + capacity + " at once, saw " + mostAtOnce.get());
        assertTrue(mostAtOnce.get() >= 2, "jobs did run side by side: " + mostAtOnce.get());
        assertEquals(50, seen.size(), "one Pod per job");
        Awaitility.await().atMost(WAIT).untilAsserted(() -> {
            assertEquals(50, poolStatus("burst").path("jobsStarted").asInt());
            assertEquals(0, poolStatus("burst").path("jobsRunning").asInt());
        });
    }

    @Test
    void aDeletedPoolCancelsItsJobsAndLeavesNoPodSecretOrClaimBehind() {
        Keyless.Org org = keyless.createOrg();
        createPool("deleted", org, 2, "Cancel");
        JsonNode pipeline = keyless.trigger(
                org,
                List.of(
                        Keyless.job("a", "make a", List.of(), List.of()),
                        Keyless.job("b", "make b", List.of(), List.of())));
        UUID a = Keyless.jobId(pipeline, "a");
        UUID b = Keyless.jobId(pipeline, "b");
        Pod podA = awaitPod(a);
        awaitPod(b);
        // a finished, b still waits for its node when the pool goes
        Secret secretA = kubernetes
                .secrets()
                .inNamespace(NAMESPACE)
                .withName(podA.getMetadata().getName())
                .get();
        keyless.complete(a, decode(secretA.getData().get("credential")), 0);
        setStatus(podA, new PodStatusBuilder().withPhase("Succeeded").build());

        pools().inNamespace(NAMESPACE).withName("deleted").delete();

        Awaitility.await().atMost(WAIT).untilAsserted(() -> {
            assertNull(pools().inNamespace(NAMESPACE).withName("deleted").get(), "the pool is gone");
            assertTrue(podsOfPool("deleted").isEmpty());
            assertTrue(kubernetes
                    .secrets()
                    .inNamespace(NAMESPACE)
                    .withLabel("keyless.dev/pool", "deleted")
                    .list()
                    .getItems()
                    .isEmpty());
        });
        assertEquals("success", keyless.job(org, a).get("status").asText());
        JsonNode canceled = keyless.job(org, b);
        assertEquals("failed", canceled.get("status").asText());
        assertEquals(
                "the job's Pod was deleted before its job finished",
                canceled.get("status_reason").asText());

        UUID later = Keyless.jobId(
                keyless.trigger(org, List.of(Keyless.job("later", "make", List.of(), List.of()))), "later");
        Awaitility.await()
                .pollDelay(Duration.ofSeconds(6))
                .atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertEquals(
                        "queued", keyless.job(org, later).get("status").asText(), "nobody claims for the pool"));
    }

    /**
     * Runs the Pod's job container as a kubelet would, as a process on this machine: the Secret volume becomes a
     * directory of files, the emptyDirs temporary directories, {@code /keyless} (where the init container copies
     * the executor) this build's executor jar and JRE; the container's command and environment are the Pod's.
     */
    private static Path runAsTheKubeletWould(Pod pod) throws IOException, InterruptedException {
        Path root = Files.createTempDirectory(platform.log("pod").getParent(), "pod-");
        Map<String, Path> mounts = new LinkedHashMap<>();
        Container container = pod.getSpec().getContainers().get(0);
        for (VolumeMount mount : container.getVolumeMounts()) {
            Path directory = Files.createDirectories(root.resolve(mount.getName()));
            pod.getSpec().getVolumes().stream()
                    .filter(volume -> volume.getName().equals(mount.getName()))
                    .filter(volume -> volume.getSecret() != null)
                    .findFirst()
                    .ifPresent(volume -> {
                        Secret secret = kubernetes
                                .secrets()
                                .inNamespace(NAMESPACE)
                                .withName(volume.getSecret().getSecretName())
                                .get();
                        secret.getData().forEach((key, value) -> write(directory.resolve(key), decode(value)));
                    });
            mounts.put(mount.getMountPath(), directory);
        }
        List<String> command = new ArrayList<>();
        for (String argument : container.getCommand()) {
            String mapped = argument.replace(
                            "/keyless/jre/bin/java",
                            Path.of(System.getProperty("java.home"), "bin", "java")
                                    .toString())
                    .replace(
                            "/keyless/keyless-executor.jar",
                            platform.executorJar().toString());
            command.add(withMounts(mapped, mounts));
        }
        Path output = root.resolve("output.log");
        ProcessBuilder builder =
                new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
        builder.environment().clear();
        builder.environment().put("PATH", System.getenv("PATH"));
        builder.environment().put("HOME", root.toString());
        for (EnvVar variable : container.getEnv()) {
            builder.environment().put(variable.getName(), withMounts(variable.getValue(), mounts));
        }
        Process process = builder.start();
        assertTrue(process.waitFor(90, TimeUnit.SECONDS), () -> "the job container did not end:\n" + tail(output));
        return output;
    }

    /** A path under a mount path (at the start of the value, or after an {@code =}) moved to the mount's directory. */
    private static String withMounts(String value, Map<String, Path> mounts) {
        for (Map.Entry<String, Path> mount : mounts.entrySet()) {
            String path = mount.getKey();
            if (value.equals(path) || value.startsWith(path + "/")) {
                return mount.getValue() + value.substring(path.length());
            }
            int equals = value.indexOf('=');
            if (equals > 0 && (value.substring(equals + 1).equals(path) || value.startsWith(path + "/", equals + 1))) {
                return value.substring(0, equals + 1) + mount.getValue() + value.substring(equals + 1 + path.length());
            }
        }
        return value;
    }

    private static GenericKubernetesResource createPool(String name, Keyless.Org org, int capacity, String onDelete) {
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("schedulerUrl", platform.schedulerUrl());
        spec.put("contextUrl", platform.contextUrl());
        spec.put("issuerUrl", platform.issuerUrl());
        spec.put("executorTokenSecretRef", Map.of("name", TOKEN_SECRET, "key", "token"));
        spec.put("projectId", org.projectId().toString());
        spec.put("maxConcurrentJobs", capacity);
        spec.put("image", "cimg/base:stable");
        spec.put("onDelete", onDelete);
        spec.put(
                "podTemplate",
                Map.of(
                        "resources",
                                Map.of(
                                        "requests",
                                        Map.of("cpu", "500m", "memory", "1Gi"),
                                        "limits",
                                        Map.of("cpu", "2", "memory", "2Gi")),
                        "nodeSelector", Map.of("kubernetes.io/os", "linux")));
        GenericKubernetesResource pool = new GenericKubernetesResource();
        pool.setApiVersion("keyless.dev/v1alpha1");
        pool.setKind("RunnerPool");
        pool.setMetadata(
                new ObjectMetaBuilder().withName(name).withNamespace(NAMESPACE).build());
        pool.setAdditionalProperty("spec", spec);
        return pools().inNamespace(NAMESPACE).resource(pool).create();
    }

    private static MixedOperation<
                    GenericKubernetesResource, GenericKubernetesResourceList, Resource<GenericKubernetesResource>>
            pools() {
        return kubernetes.genericKubernetesResources(RUNNER_POOLS);
    }

    private static JsonNode poolStatus(String name) {
        GenericKubernetesResource pool =
                pools().inNamespace(NAMESPACE).withName(name).get();
        return Serialization.jsonMapper()
                .valueToTree(pool.getAdditionalProperties().getOrDefault("status", Map.of()));
    }

    private static String condition(JsonNode status, String type) {
        for (JsonNode condition : status.path("conditions")) {
            if (condition.path("type").asText().equals(type)) {
                return condition.path("status").asText();
            }
        }
        return null;
    }

    private static String conditionReason(JsonNode status, String type) {
        for (JsonNode condition : status.path("conditions")) {
            if (condition.path("type").asText().equals(type)) {
                return condition.path("reason").asText();
            }
        }
        return null;
    }

    private static Pod awaitPod(UUID job) {
        return Awaitility.await()
                .atMost(WAIT)
                .pollInterval(Duration.ofMillis(200))
                .until(
                        () -> kubernetes
                                .pods()
                                .inNamespace(NAMESPACE)
                                .withName("keyless-job-" + job)
                                .get(),
                        pod -> pod != null);
    }

    private static List<Pod> podsOfPool(String pool) {
        return kubernetes
                .pods()
                .inNamespace(NAMESPACE)
                .withLabel("keyless.dev/pool", pool)
                .list()
                .getItems();
    }

    /** Sets the Pod's status, as its kubelet would. */
    private static void setStatus(Pod pod, PodStatus status) {
        kubernetes
                .pods()
                .inNamespace(NAMESPACE)
                .withName(pod.getMetadata().getName())
                .editStatus(current -> {
                    current.setStatus(status);
                    return current;
                });
    }

    private static List<String> names(List<Pod> pods) {
        return pods.stream().map(pod -> pod.getMetadata().getName()).toList();
    }

    private static String base64(String value) {
        return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
    }

    private static String decode(String value) {
        return new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8);
    }

    private static void write(Path file, String content) {
        try {
            Files.writeString(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String tail(Path file) {
        return KeylessPlatform.tail(file);
    }
}
