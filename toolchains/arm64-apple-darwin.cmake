# Cross toolchain: arm64 macOS Mach-O with clang and ld64.lld, without an SDK
# (freestanding programs only; see apple-darwin.cmake).
set(BUILDINFO_DARWIN_ARCH arm64)
include(${CMAKE_CURRENT_LIST_DIR}/apple-darwin.cmake)
