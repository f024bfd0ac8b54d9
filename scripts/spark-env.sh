# Sourced by the scripts: where the project, its jar and Spark's jars are, and the JVM flags
# that Spark needs on JDK 17.
export SPARK_LOCAL_IP=${SPARK_LOCAL_IP:-127.0.0.1}
FI_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
FI_JAR="$FI_ROOT/target/feature-ingest.jar"
FI_SPARK_JARS="$FI_ROOT/target/spark-jars"
FI_JVM_OPENS=(
  --add-opens=java.base/java.lang=ALL-UNNAMED
  --add-opens=java.base/java.lang.invoke=ALL-UNNAMED
  --add-opens=java.base/java.lang.reflect=ALL-UNNAMED
  --add-opens=java.base/java.io=ALL-UNNAMED
  --add-opens=java.base/java.net=ALL-UNNAMED
  --add-opens=java.base/java.nio=ALL-UNNAMED
  --add-opens=java.base/java.util=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED
  --add-opens=java.base/sun.nio.ch=ALL-UNNAMED
  --add-opens=java.base/sun.nio.cs=ALL-UNNAMED
  --add-opens=java.base/sun.security.action=ALL-UNNAMED
  --add-opens=java.base/sun.util.calendar=ALL-UNNAMED
  -Djdk.reflect.useDirectMethodHandle=false
  -Duser.timezone=UTC
)

fi_build_if_missing() {
  if [ ! -f "$FI_JAR" ] || [ ! -d "$FI_SPARK_JARS" ]; then
    echo "building $FI_JAR ..." >&2
    (cd "$FI_ROOT" && mvn -B -q -DskipTests -Dspotless.check.skip=true package) >&2
  fi
}
