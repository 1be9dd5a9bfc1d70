package dev.keyless.executor.cli;

import picocli.CommandLine;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The build's version, written into {@code version.properties} by the build. */
final class VersionProvider implements CommandLine.IVersionProvider {

    @Override
    public String[] getVersion() throws IOException {
        Properties properties = new Properties();
        try (InputStream in = VersionProvider.class.getResourceAsStream("/dev/keyless/executor/version.properties")) {
            if (in != null) {
                properties.load(in);
            }
        }
        return new String[] {
            "Keyless executor " + properties.getProperty("version", "(unknown version)"),
            "Java " + System.getProperty("java.version")
        };
    }
}
