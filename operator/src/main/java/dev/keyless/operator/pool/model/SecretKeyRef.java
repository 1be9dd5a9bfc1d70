package dev.keyless.operator.pool.model;

import com.fasterxml.jackson.annotation.JsonInclude;

/** A key of a Secret in the pool's namespace. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SecretKeyRef {

    private String name;
    private String key;

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public String getKey() {
        return key;
    }

    public void setKey(String key) {
        this.key = key;
    }

    /** {@code key}, {@code token} when absent. */
    public String keyOrDefault() {
        return key == null ? "token" : key;
    }
}
