# CMake toolchain file: bare-metal 64-bit RISC-V (RV64IMAC, LP64) with
# riscv64-unknown-elf-gcc and Debian's picolibc, whose rv64imac/lp64 multilib
# it links. riscv32-elf.cmake does the work; this file only changes its
# defaults.
#
#   cmake -DCMAKE_TOOLCHAIN_FILE=targets/toolchains/riscv64-elf.cmake ...
#         [-DEALLOC_RISCV_MARCH=rv64imac_zbb] [-DEALLOC_RISCV_MABI=lp64]

set(EALLOC_RISCV_MARCH "rv64imac" CACHE STRING "riscv: -march= for the code (rv64imac, rv64imac_zbb, ...)")
set(EALLOC_RISCV_MABI "lp64" CACHE STRING "riscv: -mabi=")
include(${CMAKE_CURRENT_LIST_DIR}/riscv32-elf.cmake)
