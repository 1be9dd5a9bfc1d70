package dev.keyless.scheduler.org.rest;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import java.util.List;
import java.util.UUID;

/** Request and response bodies of the org API (snake_case JSON). */
public final class OrgApi {

    /** Names of orgs, projects, users and groups: printable, no control characters. */
    static final String NAME = "^[A-Za-z0-9][A-Za-z0-9 ._@-]{0,99}$";

    static final String NAME_MESSAGE = "must be 1-100 letters, digits, spaces or ._@- and start with a letter or digit";
    /** Host and path, like {@code github.com/acme/app}: it becomes part of the V2 token subject. */
    static final String VCS_ORIGIN = "^[A-Za-z0-9.-]+(:[0-9]+)?(/[A-Za-z0-9._~-]+)+$";

    private OrgApi() {}

    public record CreateOrg(@NotBlank @Pattern(regexp = NAME, message = NAME_MESSAGE) String name) {}

    public record OrgView(UUID id, String name) {}

    public record CreateProject(
            @NotBlank @Pattern(regexp = NAME, message = NAME_MESSAGE) String name,
            @NotNull @Size(max = 255) @Pattern(regexp = VCS_ORIGIN, message = "must look like github.com/acme/app") String vcsOrigin) {}

    public record ProjectView(UUID id, UUID orgId, String name, String vcsOrigin) {}

    public record CreateGroup(@NotBlank @Pattern(regexp = NAME, message = NAME_MESSAGE) String name) {}

    public record GroupView(UUID id, UUID orgId, String name) {}

    public record CreateUser(
            @NotBlank @Pattern(regexp = NAME, message = NAME_MESSAGE) String name,
            @Size(max = 100) List<@NotBlank String> groups) {}

    public record SetGroups(@NotNull @Size(max = 100) List<@NotBlank String> groups) {}

    public record UserView(UUID id, UUID orgId, String name, List<String> groups) {}
}
