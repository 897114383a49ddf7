#!/bin/sh
# Builds .build-fuzz/fuzz-readers: the reader modules compiled with libFuzzer coverage and
# AddressSanitizer by SwiftPM (library targets only: no `main` to rename), then the entry
# point linked by swiftc against their object files.
set -eu
cd "$(dirname "$0")/.."
BUILD=.build-fuzz
swift build --build-path "$BUILD" --target ProblemFormats \
  -Xswiftc -sanitize=fuzzer,address -Xcc -fsanitize=fuzzer-no-link,address
DEBUG="$BUILD/debug"
OBJECTS=$(find "$DEBUG/LinearAlgebra.build" "$DEBUG/LagrangeCore.build" "$DEBUG/Expressions.build" \
  "$DEBUG/ProblemFormats.build" "$DEBUG/Yams.build" "$DEBUG/CYaml.build" -name '*.o')
# ProblemFormats links no C library but zlib (GLPK MathProg lives in LagrangeGLPK).
swiftc -sanitize=fuzzer,address -parse-as-library -g \
  -I "$DEBUG/Modules" -Xcc -fmodule-map-file=.build-fuzz/checkouts/Yams/Sources/CYaml/include/module.modulemap \
  -I Sources/CZlib -lz \
  Fuzz/FuzzReaders.swift $OBJECTS -o "$BUILD/fuzz-readers"
echo "built $BUILD/fuzz-readers"
