package io.proteus.testkit.junit5;

import io.proteus.testkit.ProteusTestEnvironment;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Resolves {@link ProteusTestEnvironment} parameters: one fresh environment per test method, shared
 * by the parameters of that method and closed when it ends. Use it through {@link ProteusTest} or
 * {@code @ExtendWith(ProteusExtension.class)}.
 */
public final class ProteusExtension implements ParameterResolver {
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(ProteusExtension.class);

  /** Made by JUnit. */
  public ProteusExtension() {}

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == ProteusTestEnvironment.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return context
        .getStore(NAMESPACE)
        .getOrComputeIfAbsent(
            "environment", k -> new Closing(ProteusTestEnvironment.create()), Closing.class)
        .environment;
  }

  /** Closes the environment when JUnit drops the method's store. */
  private record Closing(ProteusTestEnvironment environment) implements AutoCloseable {
    @Override
    public void close() {
      environment.close();
    }
  }
}
