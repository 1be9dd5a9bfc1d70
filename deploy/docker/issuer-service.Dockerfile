# JVM image of issuer-service from its Quarkus fast-jar. Build the application first, then from the repository root:
#   ./mvnw -B -q -pl issuer-service -am package -DskipTests
#   docker build -f deploy/docker/issuer-service.Dockerfile -t keyless/issuer-service:0.1.0 .
FROM eclipse-temurin:17.0.14_7-jre-noble

# A fixed numeric non-root user, so Kubernetes' runAsNonRoot can verify it. The application files stay owned by
# root and read-only to it; the only writable place it needs is /tmp (an emptyDir or tmpfs at run time).
RUN groupadd --gid 10001 keyless \
 && useradd --uid 10001 --gid keyless --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin keyless

WORKDIR /deployments
# Dependencies first: they change less often than the application, so their layer is reused between builds.
COPY issuer-service/target/quarkus-app/lib/ /deployments/lib/
COPY issuer-service/target/quarkus-app/quarkus-run.jar /deployments/
COPY issuer-service/target/quarkus-app/app/ /deployments/app/
COPY issuer-service/target/quarkus-app/quarkus/ /deployments/quarkus/

USER 10001:10001
# the API, then health, metrics and OpenAPI (management interface)
EXPOSE 8082 9000
ENV LANG=C.UTF-8
# Exec form: java is PID 1 and receives SIGTERM directly, so Quarkus shuts down gracefully.
# More JVM options can be given with JAVA_TOOL_OPTIONS.
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-Djava.io.tmpdir=/tmp", "-jar", "/deployments/quarkus-run.jar"]
