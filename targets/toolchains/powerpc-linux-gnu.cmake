# Big-endian 32-bit Linux (PowerPC), for running the host test suite under
# qemu-user: `make test-big-endian`. clang targets PowerPC itself; Debian's
# binutils-powerpc-linux-gnu, libc6-dev-powerpc-cross and
# libgcc-12-dev-powerpc-cross bring the linker, C library and runtime. (Debian's
# gcc-powerpc-linux-gnu would do too, but it cannot be installed beside
# gcc-multilib, which the -m32 stage needs.) Linked statically, so qemu-ppc
# runs the programs with no sysroot. Not a firmware target.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR powerpc)
set(CMAKE_C_COMPILER clang)
set(CMAKE_C_COMPILER_TARGET powerpc-linux-gnu)
set(CMAKE_SYSROOT /usr/powerpc-linux-gnu)
set(CMAKE_EXE_LINKER_FLAGS_INIT "-static -fuse-ld=/usr/bin/powerpc-linux-gnu-ld")
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
