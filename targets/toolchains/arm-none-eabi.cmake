# CMake toolchain file: bare-metal Arm Cortex-M with arm-none-eabi-gcc and newlib(-nano).
#
#   cmake -DCMAKE_TOOLCHAIN_FILE=targets/toolchains/arm-none-eabi.cmake \
#         -DEALLOC_ARM_CPU=cortex-m4 -DEALLOC_ARM_FLOAT_ABI=hard -DEALLOC_ARM_FPU=fpv4-sp-d16 ...
#
# The CPU variables have defaults, so the file also works on its own (for a size
# report, say). targets/CMakeLists.txt sets them from the board description.
# Nothing here names a board, a linker script or startup code: those belong to
# the firmware project, which also adds -nostartfiles.

set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR arm)

set(EALLOC_ARM_CPU "cortex-m4" CACHE STRING "arm-none-eabi: -mcpu= (cortex-m0, cortex-m0plus, cortex-m3, cortex-m4, cortex-m7, ...)")
set(EALLOC_ARM_FLOAT_ABI "soft" CACHE STRING "arm-none-eabi: -mfloat-abi= (soft, softfp or hard)")
set(EALLOC_ARM_FPU "" CACHE STRING "arm-none-eabi: -mfpu= when the float ABI is not soft (fpv4-sp-d16, fpv5-d16, ...)")
set(EALLOC_ARM_SPECS "nano.specs" CACHE STRING "arm-none-eabi: gcc specs file choosing the C library (nano.specs = newlib-nano; empty = full newlib)")
# try_compile projects read this file again: hand them the same CPU.
list(APPEND CMAKE_TRY_COMPILE_PLATFORM_VARIABLES EALLOC_ARM_CPU EALLOC_ARM_FLOAT_ABI EALLOC_ARM_FPU EALLOC_ARM_SPECS)

set(CMAKE_C_COMPILER arm-none-eabi-gcc)
set(CMAKE_ASM_COMPILER arm-none-eabi-gcc)
set(CMAKE_CXX_COMPILER arm-none-eabi-g++)
# No operating system to link a test program for: check the compiler with a library.
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)

set(_ealloc_arm_flags "-mcpu=${EALLOC_ARM_CPU} -mthumb -mfloat-abi=${EALLOC_ARM_FLOAT_ABI}")
if(EALLOC_ARM_FPU AND NOT EALLOC_ARM_FLOAT_ABI STREQUAL "soft")
    string(APPEND _ealloc_arm_flags " -mfpu=${EALLOC_ARM_FPU}")
endif()
set(CMAKE_C_FLAGS_INIT "${_ealloc_arm_flags}")
set(CMAKE_CXX_FLAGS_INIT "${_ealloc_arm_flags}")
set(CMAKE_ASM_FLAGS_INIT "${_ealloc_arm_flags}")
if(EALLOC_ARM_SPECS)
    set(CMAKE_EXE_LINKER_FLAGS_INIT "--specs=${EALLOC_ARM_SPECS}")
endif()

set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
