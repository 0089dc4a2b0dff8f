# Sourced by the bin/ scripts: finds a JDK 25 (JAVA_HOME, else /usr/lib/jvm/*25*) and exports
# JAVA_HOME and JAVA, or says clearly that there is none.
vessel_find_jdk() {
  local - candidate version
  set +f  # callers such as mvnw disable globbing
  for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/*25*; do
    [ -n "$candidate" ] && [ -x "$candidate/bin/java" ] && [ -x "$candidate/bin/javac" ] || continue
    version=$("$candidate/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
    if [ "${version%%.*}" -ge 25 ] 2>/dev/null; then
      export JAVA_HOME="$candidate" JAVA="$candidate/bin/java"
      return 0
    fi
  done
  echo "vessel: no JDK 25 found: set JAVA_HOME to a JDK 25 or install one under /usr/lib/jvm (Debian: Temurin 25)" >&2
  return 1
}
