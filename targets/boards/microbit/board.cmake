# BBC micro:bit v1 — nRF51822, Cortex-M0 (ARMv6-M: no CLZ, no hardware divide), 256 KiB flash, 16 KiB RAM.
set(FW_ARCH cortex-m)
set(FW_TOOLCHAIN arm-none-eabi)
set(EALLOC_ARM_CPU cortex-m0 CACHE STRING "")
set(EALLOC_ARM_FLOAT_ABI soft CACHE STRING "")
set(FW_QEMU qemu-system-arm)
set(FW_QEMU_ARGS -M microbit)
set(FW_NUM_IRQS 32)
set(FW_HAVE_RAM2 OFF)
set(FW_BITSCAN_SOFT 1) # no CLZ instruction: the bit scans use the software fallback of src/bitscan.h
# The host test suite in 16 KiB: the behaviour suite with two arenas of 3.5 KiB and a stack of
# 1.75 KiB (it uses under 1.5); the model test, which also keeps a 4 KiB table of live blocks, with
# two arenas of 2 KiB and a stack of 1.25 KiB (it uses about 1).
set(FW_TEST_ARENA_SIZE 3584)
set(FW_SUITE_STACK_SIZE 1792)
set(FW_MODEL_ARENA_SIZE 2048)
set(FW_MODEL_STACK_SIZE 1280)
