# Arm MPS2 + AN500 — Cortex-M7 (ARMv7E-M, double-precision FPU, hard-float ABI); PSRAM at 0x60000000, no block RAM.
set(FW_ARCH cortex-m)
set(FW_TOOLCHAIN arm-none-eabi)
set(EALLOC_ARM_CPU cortex-m7 CACHE STRING "")
set(EALLOC_ARM_FLOAT_ABI hard CACHE STRING "")
set(EALLOC_ARM_FPU fpv5-d16 CACHE STRING "")
set(FW_QEMU qemu-system-arm)
set(FW_QEMU_ARGS -M mps2-an500)
set(FW_NUM_IRQS 32)
set(FW_HAVE_RAM2 ON)
set(FW_BITSCAN_SOFT 0) # the bit scans use the CLZ instruction
set(FW_IRQ_HEAP_TEST ON) # tests/target/irq_heap.c: interrupt-time allocation, cortex-m and none ports
