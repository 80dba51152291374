#!/bin/sh
# Puts DJL's PyTorch native library where DJL looks for it, at image build time, so a container
# starts without extracting (448 MB, ~3 s, needs a writable folder) or downloading anything.
#
#   bake-djl.sh FLAVOR LIB_DIR ENGINE_CACHE_DIR [NATIVE_BASE_URL]
#
# FLAVOR            cpu  (natives from the pytorch-native-cpu jar in LIB_DIR, i.e. Maven Central)
#                   cu128 (natives fetched from NATIVE_BASE_URL: no CUDA build of PyTorch 2.7.1 is
#                   on Maven Central; cu128 is the CUDA flavour DJL 0.35.1's JNI is built for)
# LIB_DIR           the fast-jar's lib/main (holds the ai.djl.pytorch.* jars)
# ENGINE_CACHE_DIR  what the container's ENGINE_CACHE_DIR will be
#
# Layout written (DJL's own, see ai.djl.pytorch.jni.LibUtils in pytorch-engine 0.35.1):
#   ENGINE_CACHE_DIR/pytorch/<version>-<flavor>-linux-x86_64/   libtorch.so, libc10.so, ...
#   ENGINE_CACHE_DIR/pytorch/<version>-<flavor>-linux-x86_64/<djl>-libdjl_torch.so  (the JNI)
#   ENGINE_CACHE_DIR/pytorch/active -> <version>-<flavor>-linux-x86_64   (PYTORCH_LIBRARY_PATH)
# <version> is the one DJL derives at run time: the pytorch-native-cpu jar's when that jar is on
# the class path (it always is in this build), else the engine's PyTorch version.
set -eu

flavor=$1
lib=$2
cache=$3
base=${4:-https://publish.djl.ai/pytorch}
classifier=linux-x86_64

jar_of() {
    found=$(find "$lib" -maxdepth 1 -name "$1" | head -n 1)
    [ -n "$found" ] || { echo "bake-djl: no $1 in $lib" >&2; exit 1; }
    echo "$found"
}
prop() { # prop JAR ENTRY KEY
    unzip -p "$1" "$2" | sed -n "s/^$3=//p" | tr -d '\r'
}

engine_jar=$(jar_of 'ai.djl.pytorch.pytorch-engine-*.jar')
jni_jar=$(jar_of 'ai.djl.pytorch.pytorch-jni-*.jar')
djl_version=$(prop "$engine_jar" pytorch-engine.properties djl_version)
pytorch_version=$(prop "$engine_jar" pytorch-engine.properties pytorch_version)
native_jar=$(find "$lib" -maxdepth 1 -name 'ai.djl.pytorch.pytorch-native-cpu-*.jar' | head -n 1)
if [ -n "$native_jar" ]; then
    version=$(prop "$native_jar" native/lib/pytorch.properties version)
else
    version=$pytorch_version
fi

dir="$cache/pytorch/$version-$flavor-$classifier"
mkdir -p "$dir"
case "$flavor" in
    cpu)
        [ -n "$native_jar" ] || { echo "bake-djl: no pytorch-native-cpu jar in $lib" >&2; exit 1; }
        # The jar lists its libraries in native/lib/pytorch.properties; where they sit inside the
        # jar has moved between DJL releases, so each is looked up by name.
        for name in $(prop "$native_jar" native/lib/pytorch.properties libraries | tr ',' ' '); do
            entry=$(unzip -Z1 "$native_jar" | grep "/$name\$" | head -n 1)
            [ -n "$entry" ] || { echo "bake-djl: $native_jar has no $name" >&2; exit 1; }
            unzip -p "$native_jar" "$entry" > "$dir/$name"
        done
        ;;
    cu*)
        # The same files, from the same place, that DJL itself would download on first use.
        url="$base/$pytorch_version"
        listing=$(curl -fsSL "$url/files.txt")
        files=$(echo "$listing" | grep "^$flavor/$classifier/native/lib/" || true)
        [ -n "$files" ] || { echo "bake-djl: $url/files.txt lists no $flavor/$classifier natives" >&2; exit 1; }
        for f in $files; do
            name=$(basename "$f" .gz | sed 's/%2B/+/g')
            curl -fsSL "$url/$f" | gunzip > "$dir/$name"
        done
        ;;
    *)
        echo "bake-djl: unknown flavor '$flavor' (cpu or cuNNN)" >&2
        exit 1
        ;;
esac
unzip -p "$jni_jar" "jnilib/$classifier/$flavor/libdjl_torch.so" > "$dir/$djl_version-libdjl_torch.so"
[ -s "$dir/$djl_version-libdjl_torch.so" ] || { echo "bake-djl: $jni_jar has no $flavor JNI for $classifier" >&2; exit 1; }
[ -f "$dir/libtorch.so" ] || { echo "bake-djl: no libtorch.so in $dir" >&2; exit 1; }
ln -sfn "$version-$flavor-$classifier" "$cache/pytorch/active"
echo "bake-djl: PyTorch $version ($flavor) and DJL $djl_version JNI in $dir ($(du -sh "$dir" | cut -f1))"
