package io.proteus.model;

import java.util.List;
import java.util.Map;

/**
 * A sidecar a task needs (a database, a fake server): run beside the task's container on a private
 * network where the task reaches it by {@code name}, and removed with the task.
 *
 * @param name the host name the task uses to reach it
 * @param image its image; the same policy as the task's image applies
 * @param command its command; empty for the image's own
 * @param environment its environment
 */
public record ServiceRequest(
    String name, String image, List<String> command, Map<String, String> environment) {
  /** Checks the name and image and copies the collections. */
  public ServiceRequest {
    if (!name.matches("[a-z0-9][a-z0-9-]{0,62}")) {
      throw new IllegalArgumentException("a service name is a host name (a-z, 0-9, '-'): " + name);
    }
    if (image.isBlank()) {
      throw new IllegalArgumentException("the service '" + name + "' needs an image");
    }
    command = List.copyOf(command);
    environment = Map.copyOf(environment);
  }

  /** A builder for the service {@code name} running {@code image} with its own command. */
  public static Builder builder(String name, String image) {
    return new Builder(name, image);
  }

  /** A builder that starts from this service, to change some fields and keep the others. */
  public Builder toBuilder() {
    return new Builder(name, image).command(command).environment(environment);
  }

  /** Builds a {@link ServiceRequest} field by field; {@link #build()} checks the values. */
  public static final class Builder {
    private String name;
    private String image;
    private List<String> command = List.of();
    private Map<String, String> environment = Map.of();

    private Builder(String name, String image) {
      this.name = name;
      this.image = image;
    }

    /** The host name the task reaches the service by. */
    public Builder name(String value) {
      this.name = value;
      return this;
    }

    /** The service's image. */
    public Builder image(String value) {
      this.image = value;
      return this;
    }

    /** The service's command; empty for the image's own. */
    public Builder command(List<String> value) {
      this.command = List.copyOf(value);
      return this;
    }

    /** The service's environment. */
    public Builder environment(Map<String, String> value) {
      this.environment = Map.copyOf(value);
      return this;
    }

    /**
     * The service.
     *
     * @throws IllegalArgumentException when the name is not a host name or the image is blank
     */
    public ServiceRequest build() {
      return new ServiceRequest(name, image, command, environment);
    }
  }
}
