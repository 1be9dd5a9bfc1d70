package dev.keyless.operator.pool.model;

import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * A pool of runners: every job it claims from the scheduler runs as its own Pod. The CRD, with the OpenAPI schema
 * that validates every field, is {@code deploy/kubernetes/base/operator/runnerpool-crd.yaml}.
 */
@Group(RunnerPool.GROUP)
@Version(RunnerPool.VERSION)
@Kind("RunnerPool")
@Plural("runnerpools")
public class RunnerPool extends CustomResource<RunnerPoolSpec, RunnerPoolStatus> implements Namespaced {

    public static final String GROUP = "keyless.dev";
    public static final String VERSION = "v1alpha1";

    @Override
    protected RunnerPoolStatus initStatus() {
        return new RunnerPoolStatus();
    }
}
