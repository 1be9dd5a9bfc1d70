package dev.keyless.systemtests;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Injects the one {@link KeylessPlatform} of this test run: started by the first test class that asks, closed by
 * JUnit when the whole run ends (the root store closes its {@link AutoCloseable} values).
 */
public class PlatformExtension implements ParameterResolver {

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == KeylessPlatform.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return context.getRoot()
                .getStore(ExtensionContext.Namespace.GLOBAL)
                .computeIfAbsent(KeylessPlatform.class, key -> KeylessPlatform.start(), KeylessPlatform.class);
    }
}
