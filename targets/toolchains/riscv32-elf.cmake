# CMake toolchain file: bare-metal 32-bit RISC-V with riscv64-unknown-elf-gcc
# (Debian's multilib RISC-V compiler, which has no C library of its own) and
# Debian's picolibc (package picolibc-riscv64-unknown-elf).
#
#   cmake -DCMAKE_TOOLCHAIN_FILE=targets/toolchains/riscv32-elf.cmake ...
#         [-DEALLOC_RISCV_MARCH=rv32imac_zbb] [-DEALLOC_RISCV_MABI=ilp32]
#
# GCC 12 follows the 2019 ISA spec, where the CSR instructions are the
# separate extension Zicsr; the critical-section port needs them, so _zicsr is
# appended to the -march given when it is missing. picolibc is built for plain
# ISA strings only (rv32imac/ilp32, ...): the link step names the base ISA
# (EALLOC_RISCV_MARCH without its _z... extensions) so that gcc picks the
# matching multilib, while the code itself is compiled for the full -march.

set(CMAKE_SYSTEM_NAME Generic)

set(EALLOC_RISCV_MARCH "rv32imac" CACHE STRING "riscv: -march= for the code (rv32imac, rv32imac_zbb, ...)")
set(EALLOC_RISCV_MABI "ilp32" CACHE STRING "riscv: -mabi=")
set(EALLOC_RISCV_SPECS "picolibc.specs" CACHE STRING "riscv: gcc specs file choosing the C library")
list(APPEND CMAKE_TRY_COMPILE_PLATFORM_VARIABLES EALLOC_RISCV_MARCH EALLOC_RISCV_MABI EALLOC_RISCV_SPECS)
# riscv64-elf.cmake sets a 64-bit -march before including this file.
if(EALLOC_RISCV_MARCH MATCHES "^rv64")
    set(CMAKE_SYSTEM_PROCESSOR riscv64)
else()
    set(CMAKE_SYSTEM_PROCESSOR riscv32)
endif()

set(CMAKE_C_COMPILER riscv64-unknown-elf-gcc)
set(CMAKE_ASM_COMPILER riscv64-unknown-elf-gcc)
set(CMAKE_CXX_COMPILER riscv64-unknown-elf-g++)
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)

set(_ealloc_march "${EALLOC_RISCV_MARCH}")
if(NOT _ealloc_march MATCHES "_zicsr")
    string(APPEND _ealloc_march "_zicsr")
endif()
string(REGEX REPLACE "_.*$" "" _ealloc_lib_march "${EALLOC_RISCV_MARCH}")

set(_ealloc_rv_flags "-march=${_ealloc_march} -mabi=${EALLOC_RISCV_MABI} -mcmodel=medany")
if(EALLOC_RISCV_SPECS)
    # The specs also put the C library's headers on the include path.
    string(APPEND _ealloc_rv_flags " --specs=${EALLOC_RISCV_SPECS}")
endif()
set(CMAKE_C_FLAGS_INIT "${_ealloc_rv_flags}")
set(CMAKE_CXX_FLAGS_INIT "${_ealloc_rv_flags}")
set(CMAKE_ASM_FLAGS_INIT "${_ealloc_rv_flags}")
# Comes after the compile flags on the link line, so it chooses the multilib.
set(CMAKE_EXE_LINKER_FLAGS_INIT "-march=${_ealloc_lib_march} -mabi=${EALLOC_RISCV_MABI}")

set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
