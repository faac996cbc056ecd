#!/usr/bin/env bash
# Android app tests on the JVM: no Android SDK, no Google Maven repository.
#
# 1. Installs what is missing (as root on Debian: apt-get; elsewhere it says what to do):
#    a JDK 17 (java, javac, jar), Maven, npm, Debian's aapt2 (package `aapt`), and kotlinc
#    from npm (`kotlin-compiler`, pinned) into the cache directory.
# 2. Resolves the pinned jars from Maven Central with Maven on a pom generated in the cache
#    (local repository in the cache too): Robolectric, android-all (compile) and
#    android-all-instrumented (run) for API 35, the native graphics runtime, JUnit, JNA,
#    kotlin-stdlib; Robolectric's androidx.test monitor is an .aar: its classes.jar is used.
# 3. Links res/ and AndroidManifest.xml into a resource APK with aapt2. Debian's aapt2
#    (Android 10) cannot read API 35's resources.arsc, so it links against API 33's framework
#    resources (public resource ids never change), kept as a 17 MB zip in the cache.
# 4. Compiles R.java (javac), the app with the core's bindings (kotlinc, against android-all
#    35, kotlin-stdlib and JNA only), the runner (test-support/) and the tests (kotlinc).
#    Skipped when nothing changed.
# 5. Runs the tests with Robolectric under plain JUnit 4, writes the screenshots to
#    docs/screenshots/android/ and ends with the line `N passed, N failed`.
#
# Usage: android/test.sh [name-filter]. Exit status 0 when every test passed.
#
# Inputs: the app's tests run against the real Rust core, through its generated Kotlin
# bindings, with the built-in articles as a bundle. The project's test command passes them:
#   QUIRE_KOTLIN_BINDINGS=<quire_ffi.kt>   the Kotlin bindings, generated in library mode from
#                                          the unstripped host cdylib (org/quire/core/quire_ffi.kt)
#   QUIRE_JNA_LIBRARY_PATH=<dir>           the directory holding that host library:
#                                          libquire_ffi.so, or the project's test library
#                                          libquire_ffi_tests.so (loaded by that name)
#   QUIRE_TEST_BUNDLE=<file.quire>         the corpus built with `quire build corpus -o ...`
# When any of the three is missing, the script gets all three from the Kotlin tests'
# preparation (QUIRE_KOTLIN_PREPARE_ONLY=1 tests/kotlin/run.sh, the project's one debug
# build), under target/kotlin-tests/.
# Other environment: QUIRE_CACHE_DIR (default ~/.cache/quire); QUIRE_SCREENSHOT_DIR (default
# docs/screenshots/android of this repository); QUIRE_ANDROID_VERBOSE=1 prints Maven's and
# the compilers' output and each test's name and time.
set -euo pipefail
cd "$(dirname "$0")"
HERE=$PWD

KOTLIN_VERSION=2.2.21
ROBOLECTRIC_VERSION=4.16.1
# What Robolectric 4.16.1 asks for SDK 35 (DefaultSdkProvider: "15", "13954326", i7).
ANDROID_ALL_VERSION=15-robolectric-13954326
ANDROID_ALL_INSTRUMENTED_VERSION=$ANDROID_ALL_VERSION-i7
# Only its resources.arsc is used, to link against (see 3. above).
LINK_ANDROID_ALL_VERSION=13-robolectric-9030017
JUNIT_VERSION=4.13.2
JNA_VERSION=5.19.1
# Robolectric's pom brings androidx.test:monitor 1.8.0 and espresso-idling-resource 3.7.0
# (.aar files, served by Maven Central), with their dependencies excluded.
MAVEN_DEPENDENCY_PLUGIN_VERSION=3.8.1

CACHE=${QUIRE_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/quire}
KOTLIN_HOME=$CACHE/kotlin-$KOTLIN_VERSION/node_modules/kotlin-compiler
ACACHE=$CACHE/android
M2=$ACACHE/m2
BUILD=$HERE/build
FILTER=${1:-}
VERBOSE=${QUIRE_ANDROID_VERBOSE:-}

say() { printf '[android] %s\n' "$*"; }
die() {
  printf '[android] error: %s\n' "$*" >&2
  exit 1
}
# Runs a command quietly; on failure prints its output and dies with the message given.
quiet() {
  local what=$1
  shift
  local log
  log=$(mktemp)
  if [ -n "$VERBOSE" ]; then
    "$@" 2>&1 | tee "$log" || die "$what failed"
  elif ! "$@" >"$log" 2>&1; then
    cat "$log" >&2
    rm -f "$log"
    die "$what failed (output above)"
  fi
  rm -f "$log"
}
can_apt() { [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; }
apt_install() {
  export DEBIAN_FRONTEND=noninteractive
  if ! apt-get install -y -qq --no-install-recommends "$@" >/dev/null 2>&1; then
    apt-get update -qq >/dev/null
    apt-get install -y -qq --no-install-recommends "$@" >/dev/null
  fi
}
need() { # need COMMAND DEBIAN-PACKAGE
  command -v "$1" >/dev/null && return 0
  can_apt || die "'$1' is missing: install it (Debian/Ubuntu: apt-get install $2)"
  say "installing $2"
  apt_install "$2"
  command -v "$1" >/dev/null || die "installing $2 did not provide '$1'"
}
hash_of() { sha256sum | cut -c1-16; }

# ---- 1. tools -------------------------------------------------------------------------
t0=$(date +%s)
need javac openjdk-17-jdk-headless
need jar openjdk-17-jdk-headless
need mvn maven
java_major=$(java -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
[ "${java_major:-0}" -ge 17 ] 2>/dev/null || die "Java 17 or newer is needed (java is $java_major)"
AAPT2=/usr/lib/android-sdk/build-tools/debian/aapt2
if [ ! -x "$AAPT2" ]; then
  can_apt || die "aapt2 is missing: install Debian's package 'aapt' (it ships $AAPT2)"
  say "installing aapt (Debian's aapt and aapt2)"
  apt_install aapt
  [ -x "$AAPT2" ] || die "the package aapt did not provide $AAPT2"
fi
if [ ! -x "$KOTLIN_HOME/bin/kotlinc" ]; then
  need npm npm
  say "installing kotlin-compiler@$KOTLIN_VERSION from npm into $CACHE"
  mkdir -p "$CACHE/kotlin-$KOTLIN_VERSION"
  quiet "npm install kotlin-compiler@$KOTLIN_VERSION" \
    npm install --prefix "$CACHE/kotlin-$KOTLIN_VERSION" --no-audit --no-fund --no-save \
    --loglevel=error "kotlin-compiler@$KOTLIN_VERSION"
  [ -x "$KOTLIN_HOME/bin/kotlinc" ] || die "npm did not install $KOTLIN_HOME/bin/kotlinc"
fi
t_tools=$(($(date +%s) - t0))

# ---- 1b. the core: bindings, host library, test bundle ------------------------------------
abs() { (cd "$(dirname "$1")" && printf '%s/%s\n' "$PWD" "$(basename "$1")"); }
BINDINGS=${QUIRE_KOTLIN_BINDINGS:-}
CORE_LIB_DIR=${QUIRE_JNA_LIBRARY_PATH:-}
BUNDLE=${QUIRE_TEST_BUNDLE:-}
t_core=0
if [ -z "$BINDINGS" ] || [ -z "$CORE_LIB_DIR" ] || [ -z "$BUNDLE" ]; then
  # The Kotlin tests' preparation makes all three, from the project's one debug build
  # (tests/lib.sh): the test library, its bindings and the built-in bundle.
  t1=$(date +%s)
  say "preparing the core with tests/kotlin/run.sh (the project's one debug build)"
  QUIRE_KOTLIN_PREPARE_ONLY=1 quiet "tests/kotlin/run.sh (prepare)" "$HERE/../tests/kotlin/run.sh"
  KT=$HERE/../target/kotlin-tests
  BINDINGS=$KT/generated/kotlin/org/quire/core/quire_ffi.kt
  CORE_LIB_DIR=$KT/lib
  BUNDLE=$KT/data/builtin.quire
  t_core=$(($(date +%s) - t1))
fi
[ -f "$BINDINGS" ] || die "no Kotlin bindings at $BINDINGS"
[ -f "$BUNDLE" ] || die "no test bundle at $BUNDLE"
# The bindings load `quire_ffi`; the project's test library is the same library plus its
# test-only calls, named libquire_ffi_tests (bindings/testlib), loaded by its own name.
LIB_OVERRIDE=()
if [ -e "$CORE_LIB_DIR/libquire_ffi_tests.so" ]; then
  LIB_OVERRIDE=(-Duniffi.component.quire_ffi.libraryOverride=quire_ffi_tests)
else
  ls "$CORE_LIB_DIR"/libquire_ffi.* >/dev/null 2>&1 || die "no libquire_ffi or libquire_ffi_tests in $CORE_LIB_DIR"
fi
BINDINGS=$(abs "$BINDINGS")
BUNDLE=$(abs "$BUNDLE")
CORE_LIB_DIR=$(cd "$CORE_LIB_DIR" && pwd)
SHOTS=${QUIRE_SCREENSHOT_DIR:-$HERE/../docs/screenshots/android}
mkdir -p "$SHOTS"
SHOTS=$(cd "$SHOTS" && pwd)

# ---- 2. jars from Maven Central -------------------------------------------------------
mvn_q() { mvn -B -q -Dmaven.repo.local="$M2" "$@"; }
POM=$(
  cat <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<!-- Generated by android/test.sh: the pinned jars of the Android tests. -->
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>org.quire.android-tests</groupId>
  <artifactId>deps</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency><groupId>org.robolectric</groupId><artifactId>robolectric</artifactId><version>$ROBOLECTRIC_VERSION</version></dependency>
    <dependency><groupId>org.robolectric</groupId><artifactId>android-all</artifactId><version>$ANDROID_ALL_VERSION</version></dependency>
    <dependency><groupId>org.robolectric</groupId><artifactId>android-all-instrumented</artifactId><version>$ANDROID_ALL_INSTRUMENTED_VERSION</version></dependency>
    <dependency><groupId>junit</groupId><artifactId>junit</artifactId><version>$JUNIT_VERSION</version></dependency>
    <dependency><groupId>net.java.dev.jna</groupId><artifactId>jna</artifactId><version>$JNA_VERSION</version></dependency>
    <dependency><groupId>org.jetbrains.kotlin</groupId><artifactId>kotlin-stdlib</artifactId><version>$KOTLIN_VERSION</version></dependency>
  </dependencies>
  <build><plugins><plugin>
    <groupId>org.apache.maven.plugins</groupId><artifactId>maven-dependency-plugin</artifactId><version>$MAVEN_DEPENDENCY_PLUGIN_VERSION</version>
  </plugin></plugins></build>
</project>
EOF
)
DEPS=$ACACHE/deps-$(printf '%s' "$POM" | hash_of)
if [ ! -f "$DEPS/.done" ]; then
  say "resolving jars from Maven Central into $ACACHE (about 750 MB the first time)"
  rm -rf "$DEPS"
  mkdir -p "$DEPS/aar" "$DEPS/sdk"
  printf '%s\n' "$POM" >"$DEPS/pom.xml"
  quiet "Maven (dependency:build-classpath)" \
    mvn_q -f "$DEPS/pom.xml" dependency:build-classpath -Dmdep.outputFile="$DEPS/classpath.raw"
  : >"$DEPS/libs.cp"
  tr ':' '\n' <"$DEPS/classpath.raw" | while IFS= read -r f; do
    [ -n "$f" ] || continue
    [ -f "$f" ] || die "Maven listed $f, which is missing"
    case $(basename "$f") in
    android-all-instrumented-*.jar) ln -sf "$f" "$DEPS/sdk/" ;; # Robolectric loads it itself
    android-all-*.jar) ln -sf "$f" "$DEPS/android-all.jar" ;;
    *.aar)
      # An Android library: only its classes.jar is needed on the JVM.
      name=$(basename "$f" .aar)
      tmp=$(mktemp -d)
      (cd "$tmp" && jar xf "$f" classes.jar) || die "cannot unpack $f"
      [ -f "$tmp/classes.jar" ] || die "$f has no classes.jar"
      mv "$tmp/classes.jar" "$DEPS/aar/$name.jar"
      rm -rf "$tmp"
      echo "$DEPS/aar/$name.jar" >>"$DEPS/libs.cp"
      ;;
    *) echo "$f" >>"$DEPS/libs.cp" ;;
    esac
  done
  [ -e "$DEPS/android-all.jar" ] || die "Maven did not resolve android-all $ANDROID_ALL_VERSION"
  [ -e "$DEPS/sdk/android-all-instrumented-$ANDROID_ALL_INSTRUMENTED_VERSION.jar" ] ||
    die "Maven did not resolve android-all-instrumented $ANDROID_ALL_INSTRUMENTED_VERSION"
  grep -q '/monitor-[^/]*\.jar$' "$DEPS/libs.cp" || die "androidx.test monitor was not resolved"
  touch "$DEPS/.done"
  # Older pins' lists (links and unpacked .aar classes; the jars stay in $M2).
  for d in "$ACACHE"/deps-*; do
    [ "$d" = "$DEPS" ] || rm -rf "$d"
  done
fi
LIBS_CP=$(paste -sd: "$DEPS/libs.cp")
ANDROID_JAR=$DEPS/android-all.jar
STDLIB=$(grep '/kotlin-stdlib-[^/]*\.jar$' "$DEPS/libs.cp" | head -n 1)
[ -n "$STDLIB" ] || die "kotlin-stdlib is not in $DEPS/libs.cp"
JNA=$(grep '/jna-[^/]*\.jar$' "$DEPS/libs.cp" | head -n 1)
[ -n "$JNA" ] || die "JNA is not in $DEPS/libs.cp"

# The framework resources aapt2 links against: API 33's resources.arsc and manifest, in a
# small stored zip (aapt2 of Android 10 reads neither zip64 nor API 35's arsc).
FRAMEWORK_RES=$ACACHE/framework-res-$LINK_ANDROID_ALL_VERSION.zip
if [ ! -f "$FRAMEWORK_RES" ]; then
  say "fetching android-all $LINK_ANDROID_ALL_VERSION for its framework resources (aapt2 links against them)"
  tmp=$(mktemp -d)
  quiet "Maven (dependency:copy android-all $LINK_ANDROID_ALL_VERSION)" \
    mvn_q -f "$DEPS/pom.xml" dependency:copy \
    -Dartifact="org.robolectric:android-all:$LINK_ANDROID_ALL_VERSION" -DoutputDirectory="$tmp"
  (cd "$tmp" && jar xf "android-all-$LINK_ANDROID_ALL_VERSION.jar" AndroidManifest.xml resources.arsc &&
    jar cf0M framework-res.zip AndroidManifest.xml resources.arsc) || die "cannot extract the framework resources"
  mv "$tmp/framework-res.zip" "$FRAMEWORK_RES"
  rm -rf "$tmp" "$M2/org/robolectric/android-all/$LINK_ANDROID_ALL_VERSION" # 178 MB, not needed again
fi
t_deps=$(($(date +%s) - t0 - t_tools - t_core))

# ---- 3. resources ---------------------------------------------------------------------
# The test bundle is the app's built-in asset, stored uncompressed as in the real APK
# (aapt2 -0 .quire), so that it can be opened by file descriptor.
mkdir -p "$BUILD/assets"
cmp -s "$BUNDLE" "$BUILD/assets/builtin.quire" || cp "$BUNDLE" "$BUILD/assets/builtin.quire"
# Assets ending in .quire are stored (Debian's aapt2 wants the dot: `-0 quire` is ignored).
NO_COMPRESS=.quire
res_sum=$( (
  echo "$AAPT2 $FRAMEWORK_RES -0 $NO_COMPRESS"
  find app/res app/AndroidManifest.xml -type f | LC_ALL=C sort | xargs cat
  sha256sum "$BUILD/assets/builtin.quire"
) | hash_of)
APK=$BUILD/res/app-resources.apk
if [ "$(cat "$BUILD/res/.stamp" 2>/dev/null)" != "$res_sum" ]; then
  say "linking resources (aapt2)"
  rm -rf "$BUILD/res"
  mkdir -p "$BUILD/res/gen"
  # aapt2 logs a harmless "Unknown chunk type" warning for API 33's table: keep it quiet.
  quiet "aapt2 compile" "$AAPT2" compile --dir app/res -o "$BUILD/res/compiled.zip"
  quiet "aapt2 link" "$AAPT2" link -I "$FRAMEWORK_RES" --manifest app/AndroidManifest.xml \
    --java "$BUILD/res/gen" -A "$BUILD/assets" -0 "$NO_COMPRESS" -o "$APK" "$BUILD/res/compiled.zip"
  echo "$res_sum" >"$BUILD/res/.stamp"
fi

# ---- 4. compile -----------------------------------------------------------------------
kotlinc() {
  JAVA_OPTS="-Xss4m ${JAVA_OPTS:-}" "$KOTLIN_HOME/bin/kotlinc" -Werror -jvm-target 17 \
    -no-stdlib -no-reflect "$@"
}
# The app and the tests have their own stamps: a change to a test recompiles only the tests.
app_sum=$( (
  echo "$KOTLIN_VERSION $DEPS $res_sum"
  find app/src -type f | LC_ALL=C sort | xargs cat
  cat "$BINDINGS" "$HERE"/../bindings/kotlin/org/quire/core/*.kt
) | hash_of)
test_sum=$( (
  echo "$app_sum"
  find app/test test-support -type f | LC_ALL=C sort | xargs cat
) | hash_of)
C=$BUILD/classes
t_compile=0
t1=$(date +%s)
if [ "$(cat "$C/.app-stamp" 2>/dev/null)" != "$app_sum" ]; then
  rm -rf "$C"
  mkdir -p "$C"
  say "compiling the app (javac R, kotlinc $KOTLIN_VERSION against android-all $ANDROID_ALL_VERSION)"
  mapfile -t r_sources < <(find "$BUILD/res/gen" -name '*.java')
  quiet "javac (R.java)" javac --release 17 -nowarn -d "$C/r" "${r_sources[@]}"
  # The app sees the framework, kotlin-stdlib and JNA only; the core's generated bindings
  # (package org.quire.core) and bindings/kotlin beside them are compiled with it, as the
  # Gradle build does.
  quiet "kotlinc (app)" kotlinc -classpath "$ANDROID_JAR:$STDLIB:$JNA:$C/r" -d "$C/app" app/src "$BINDINGS" \
    "$HERE"/../bindings/kotlin/org/quire/core/*.kt
  echo "$app_sum" >"$C/.app-stamp"
fi
if [ "$(cat "$C/.test-stamp" 2>/dev/null)" != "$test_sum" ]; then
  rm -rf "$C/support" "$C/test"
  say "compiling the tests"
  mapfile -t support_sources < <(find test-support -name '*.java')
  quiet "javac (test-support)" javac --release 17 -Werror -Xlint:all -cp "$LIBS_CP" -d "$C/support" \
    "${support_sources[@]}"
  quiet "kotlinc (tests)" kotlinc -classpath "$ANDROID_JAR:$C/r:$C/app:$LIBS_CP" -d "$C/test" app/test
  echo "$test_sum" >"$C/.test-stamp"
fi
t_compile=$(($(date +%s) - t1))

# ---- 5. run ---------------------------------------------------------------------------
# Robolectric's build-system API (what the Android Gradle plugin writes for
# includeAndroidResources): the manifest, the resources and the linked resource APK.
mkdir -p "$BUILD/config/com/android/tools" "$BUILD/native"
cat >"$BUILD/config/com/android/tools/test_config.properties" <<EOF
android_merged_manifest=$HERE/app/AndroidManifest.xml
android_merged_resources=$HERE/app/res
android_merged_assets=$BUILD/assets
android_resource_apk=$APK
android_custom_package=org.quire.app
EOF
# A library that JNA can find only through jna.library.path (JnaInSandboxTest).
zlib=$(for d in /lib/x86_64-linux-gnu /usr/lib/x86_64-linux-gnu /lib/aarch64-linux-gnu /usr/lib/aarch64-linux-gnu /lib64 /usr/lib64 /lib /usr/lib; do
  [ -e "$d/libz.so.1" ] && echo "$d/libz.so.1" && break
done)
[ -n "$zlib" ] || die "no libz.so.1 found (Debian: apt-get install zlib1g)"
ln -sf "$zlib" "$BUILD/native/libquireprobe.so"
JNA_PATH=$CORE_LIB_DIR:$BUILD/native

mapfile -t TESTS < <(cd "$C/test" && find . -name '*Test.class' | sed 's|^\./||; s|\.class$||; s|/|.|g' | LC_ALL=C sort)
[ "${#TESTS[@]}" -gt 0 ] || die "no test classes compiled"
say "running Robolectric $ROBOLECTRIC_VERSION, SDK 35 (tools ${t_tools}s, core ${t_core}s, deps ${t_deps}s, compile ${t_compile}s)"
status=0
# android-all (uninstrumented) is on the class path only so that the test classes' references
# resolve; the sandbox loads the instrumented jar from robolectric.dependency.dir.
# java.io is opened for Robolectric's ParcelFileDescriptor (the asset opened by descriptor).
java -Xss4m -XX:+UseParallelGC --add-opens=java.base/java.io=ALL-UNNAMED \
  -Drobolectric.dependency.dir="$DEPS/sdk" \
  -Drobolectric.enabledSdks=35 \
  -Drobolectric.logging.enabled=false \
  -Djna.library.path="$JNA_PATH" \
  "${LIB_OVERRIDE[@]+"${LIB_OVERRIDE[@]}"}" \
  -Dquire.screenshotDir="$SHOTS" \
  -Dquire.testBundle="$BUNDLE" \
  -Dquire.appSources="$HERE/app/src" \
  -Dquire.filter="$FILTER" \
  -Dquire.verbose="${VERBOSE:+true}" \
  -cp "$BUILD/config:$C/test:$C/app:$C/r:$C/support:$LIBS_CP:$ANDROID_JAR" \
  org.quire.testsupport.PlainRunner "${TESTS[@]}" 2>&1 |
  { grep -v -e '^\[Robolectric\] WARN: Android SDK 36 requires Java 21' || true; } || status=$?
exit "$status"
