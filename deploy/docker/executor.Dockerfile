# The executor image of keyless-operator's job Pods. It is never run as a job's container: its init container
# copies /opt/keyless (a JRE of its own and keyless-executor.jar) into the Pod, and the job's own image runs
# `/keyless/jre/bin/java -jar /keyless/keyless-executor.jar pod`, so a job image needs no Java.
# The JRE is glibc-based: job images on musl (Alpine) need gcompat or a glibc base.
#   ./mvnw -B -q -pl executor -am package -DskipTests
#   docker build -f deploy/docker/executor.Dockerfile -t keyless/executor:0.1.0 .
FROM eclipse-temurin:17.0.14_7-jdk-noble AS jre
# only the modules the executor uses: a small JRE to copy into every job Pod
RUN jlink --add-modules java.base,java.net.http,java.logging,java.naming,java.sql,jdk.crypto.ec,java.management \
      --strip-debug --no-man-pages --no-header-files --compress=2 --output /opt/keyless/jre

FROM eclipse-temurin:17.0.14_7-jre-noble
RUN groupadd --gid 10001 keyless \
 && useradd --uid 10001 --gid keyless --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin keyless
COPY --from=jre /opt/keyless/jre/ /opt/keyless/jre/
COPY executor/target/keyless-executor.jar /opt/keyless/keyless-executor.jar
# world-readable, so that the job's image runs it as whatever user it uses
RUN chmod -R a+rX /opt/keyless
USER 10001:10001
ENTRYPOINT ["cp", "-R", "/opt/keyless/.", "/keyless/"]
