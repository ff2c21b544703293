# The body of the macOS Mach-O cross toolchains (clang + ld64.lld, no SDK);
# included by <arch>-apple-darwin.cmake after it sets BUILDINFO_DARWIN_ARCH.
#
# No SDK means no libSystem and no crt: only freestanding code links. The
# project passes -ffreestanding -nostdlib and an entry point (-Wl,-e,_start)
# itself. The binaries cannot run on Linux, so there is no emulator and
# try_compile builds static libraries instead of linking executables.
# lld signs arm64 output ad hoc by default (LC_CODE_SIGNATURE); x86_64 only
# with -Wl,-adhoc_codesign.
#
# -fuse-ld=lld (not a path) is what works with clang 14: it runs ld64.lld
# from clang's own directory and passes -platform_version. Given a path
# instead, clang assumes Apple's older ld64 and passes -macosx_version_min,
# which ld64.lld rejects ("must specify -platform_version").
set(CMAKE_SYSTEM_NAME Darwin)
set(CMAKE_SYSTEM_PROCESSOR ${BUILDINFO_DARWIN_ARCH})
set(CMAKE_OSX_ARCHITECTURES ${BUILDINFO_DARWIN_ARCH} CACHE STRING "")
# Empty, so CMake adds no -isysroot and no -mmacosx-version-min (the
# triple carries the deployment target).
set(CMAKE_OSX_SYSROOT "" CACHE PATH "")
set(CMAKE_OSX_DEPLOYMENT_TARGET "" CACHE STRING "")

set(BUILDINFO_DARWIN_TRIPLE ${BUILDINFO_DARWIN_ARCH}-apple-macos11)
find_program(BUILDINFO_DARWIN_CLANG NAMES clang clang-14 REQUIRED)
find_program(BUILDINFO_DARWIN_CLANGXX NAMES clang++ clang++-14 REQUIRED)
set(CMAKE_C_COMPILER ${BUILDINFO_DARWIN_CLANG})
set(CMAKE_CXX_COMPILER ${BUILDINFO_DARWIN_CLANGXX})
set(CMAKE_ASM_COMPILER ${BUILDINFO_DARWIN_CLANG})
set(CMAKE_C_COMPILER_TARGET ${BUILDINFO_DARWIN_TRIPLE})
set(CMAKE_CXX_COMPILER_TARGET ${BUILDINFO_DARWIN_TRIPLE})
set(CMAKE_ASM_COMPILER_TARGET ${BUILDINFO_DARWIN_TRIPLE})
set(CMAKE_EXE_LINKER_FLAGS_INIT "-fuse-ld=lld")
set(CMAKE_SHARED_LINKER_FLAGS_INIT "-fuse-ld=lld")
set(CMAKE_MODULE_LINKER_FLAGS_INIT "-fuse-ld=lld")
find_program(CMAKE_AR NAMES llvm-ar llvm-ar-14 REQUIRED)
find_program(CMAKE_RANLIB NAMES llvm-ranlib llvm-ranlib-14 REQUIRED)
find_program(CMAKE_INSTALL_NAME_TOOL NAMES llvm-install-name-tool llvm-install-name-tool-14)

# Compiler checks cannot link a hosted test program without libSystem.
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)
