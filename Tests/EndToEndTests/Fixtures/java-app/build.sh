#!/usr/bin/env bash
# Builds the Java fixture with a local JDK: `bash build.sh [OUTDIR]` (default: build/ beside this script).
#
#   OUTDIR/classes   lambda-core and the handlers' classes (a classes folder, or an extracted fat jar)
#   OUTDIR/app.jar   the same classes as one jar (like a shaded jar)
#   OUTDIR/app.zip   Gradle's buildZip layout: the handlers' classes at the root, lib/lambda-core.jar
#
# Classes target Java 8 (--release 8) when javac can, so java8.al2, java17 and java21 functions can all run them.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="${1:-$here/build}"
mkdir -p "$out"
out="$(cd "$out" && pwd)"

if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/javac" ]; then
    bin="$JAVA_HOME/bin"
else
    javac_path="$(command -v javac || true)"
    if [ -z "$javac_path" ]; then
        echo "build.sh: javac (a JDK) is needed" >&2
        exit 1
    fi
    # Resolve symlinks (/usr/bin/javac -> .../bin/javac) to find the JDK's jar tool beside it.
    while [ -L "$javac_path" ]; do
        link="$(readlink "$javac_path")"
        case "$link" in
            /*) javac_path="$link" ;;
            *) javac_path="$(dirname "$javac_path")/$link" ;;
        esac
    done
    bin="$(cd "$(dirname "$javac_path")" && pwd)"
fi
javac="$bin/javac"
jar="$bin/jar"

options=(-nowarn -encoding UTF-8)
if "$javac" --release 8 -version >/dev/null 2>&1; then
    options+=(--release 8 -Xlint:-options)
fi

staging="$out/.staging"
rm -rf "$staging" "$out/classes" "$out/app.jar" "$out/app.zip"
mkdir -p "$staging/core" "$staging/app" "$staging/zip/lib" "$out/classes"

sources() {
    # One quoted path per line: a javac argument file.
    find "$1" -name '*.java' | LC_ALL=C sort | sed 's/\\/\\\\/g; s/"/\\"/g; s/^/"/; s/$/"/'
}
sources "$here/lambda-core" > "$staging/core-sources"
sources "$here/src" > "$staging/app-sources"

"$javac" "${options[@]}" -d "$staging/core" "@$staging/core-sources"
"$javac" "${options[@]}" -cp "$staging/core" -d "$staging/app" "@$staging/app-sources"

cp -R "$staging/core/." "$out/classes/"
cp -R "$staging/app/." "$out/classes/"
"$jar" cf "$out/app.jar" -C "$out/classes" .

"$jar" cf "$staging/zip/lib/lambda-core.jar" -C "$staging/core" .
cp -R "$staging/app/." "$staging/zip/"
(cd "$staging/zip" && "$jar" cfM "$out/app.zip" .)

rm -rf "$staging"
echo "built $out/classes, $out/app.jar and $out/app.zip"
