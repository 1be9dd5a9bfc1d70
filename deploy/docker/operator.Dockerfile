# JVM image of keyless-operator from its Quarkus fast-jar. Build the application first, then from the repository root:
#   ./mvnw -B -q -pl operator -am package -DskipTests
#   docker build -f deploy/docker/operator.Dockerfile -t keyless/operator:0.1.0 .
FROM eclipse-temurin:17.0.14_7-jre-noble

# A fixed numeric non-root user, so Kubernetes' runAsNonRoot can verify it. The application files stay owned by
# root and read-only to it; the only writable place it needs is /tmp (an emptyDir or tmpfs at run time).
RUN groupadd --gid 10001 keyless \
 && useradd --uid 10001 --gid keyless --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin keyless

WORKDIR /deployments
# Dependencies first: they change less often than the application, so their layer is reused between builds.
COPY operator/target/quarkus-app/lib/ /deployments/lib/
COPY operator/target/quarkus-app/quarkus-run.jar /deployments/
COPY operator/target/quarkus-app/app/ /deployments/app/
COPY operator/target/quarkus-app/quarkus/ /deployments/quarkus/

USER 10001:10001
# health and metrics (management interface); the operator serves no API
EXPOSE 9000
ENV LANG=C.UTF-8
# Exec form: java is PID 1 and receives SIGTERM directly, so Quarkus shuts down gracefully.
# More JVM options can be given with JAVA_TOOL_OPTIONS.
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-Djava.io.tmpdir=/tmp", "-jar", "/deployments/quarkus-run.jar"]
