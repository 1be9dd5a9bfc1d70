package dev.keyless.deploy;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.Map;

/**
 * Evaluates rendered NetworkPolicies the way the Kubernetes network model defines them: a pod is isolated for a
 * direction once any policy selecting it lists that direction in its policyTypes, and then a connection is allowed
 * only if some selecting policy has a rule whose peers and ports admit it. A connection needs both the source's
 * egress and the destination's ingress; only policies in a pod's own namespace apply to it.
 */
final class NetworkPolicies {

    /** A pod somewhere in the cluster: its namespace (with labels), its labels and its named ports. */
    record Pod(
            String description,
            String namespace,
            Map<String, String> namespaceLabels,
            Map<String, String> labels,
            Map<String, Integer> namedPorts) {

        Pod(String description, String namespace, Map<String, String> namespaceLabels, Map<String, String> labels) {
            this(description, namespace, namespaceLabels, labels, Map.of());
        }

        @Override
        public String toString() {
            return description;
        }
    }

    private final List<Manifest> policies;

    NetworkPolicies(List<Manifest> manifests) {
        this.policies = WorkloadRules.ofKind(manifests, "NetworkPolicy");
    }

    boolean allows(Pod from, Pod to, int port) {
        return allowed(from, to, port, "Egress", "egress", "to")
                && allowed(to, from, port, "Ingress", "ingress", "from");
    }

    /** Whether {@code subject}'s policies of one direction admit traffic with {@code peer} on {@code port}. */
    private boolean allowed(Pod subject, Pod peer, int port, String type, String rulesField, String peersField) {
        List<Manifest> selecting = policies.stream()
                .filter(p -> p.namespace().equals(subject.namespace()))
                .filter(p -> Selectors.matches(p.spec().path("podSelector"), subject.labels()))
                .filter(p -> policyTypes(p).contains(type))
                .toList();
        if (selecting.isEmpty()) {
            return true;
        }
        Pod portOwner = type.equals("Ingress") ? subject : peer;
        for (Manifest policy : selecting) {
            for (JsonNode rule : policy.spec().path(rulesField)) {
                if (portMatches(rule.path("ports"), port, portOwner)
                        && peerMatches(rule.path(peersField), peer, policy)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static List<String> policyTypes(Manifest policy) {
        JsonNode types = policy.spec().path("policyTypes");
        if (types.isArray() && !types.isEmpty()) {
            return WorkloadRules.elements(types).stream().map(JsonNode::asText).toList();
        }
        return policy.spec().has("egress") ? List.of("Ingress", "Egress") : List.of("Ingress");
    }

    private static boolean portMatches(JsonNode ports, int port, Pod owner) {
        if (ports.isMissingNode() || ports.isEmpty()) {
            return true;
        }
        for (JsonNode entry : ports) {
            JsonNode value = entry.path("port");
            if (value.isMissingNode()) {
                return true;
            }
            Integer number = value.isInt()
                    ? Integer.valueOf(value.asInt())
                    : owner.namedPorts().get(value.asText());
            if (number != null
                    && (number == port
                            || (entry.has("endPort")
                                    && number <= port
                                    && port <= entry.path("endPort").asInt()))) {
                return true;
            }
        }
        return false;
    }

    private static boolean peerMatches(JsonNode peers, Pod peer, Manifest policy) {
        if (peers.isMissingNode() || peers.isEmpty()) {
            return true;
        }
        for (JsonNode entry : peers) {
            if (entry.has("ipBlock")) {
                // Pod IPs are not modelled: an ipBlock is treated as admitting any pod, the conservative reading.
                return true;
            }
            boolean namespaceOk = entry.has("namespaceSelector")
                    ? Selectors.matches(entry.path("namespaceSelector"), peer.namespaceLabels())
                    : peer.namespace().equals(policy.namespace());
            boolean podOk = !entry.has("podSelector") || Selectors.matches(entry.path("podSelector"), peer.labels());
            if (namespaceOk && podOk) {
                return true;
            }
        }
        return false;
    }
}
