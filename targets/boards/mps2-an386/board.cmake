# Arm MPS2 + AN386 — Cortex-M4F (ARMv7E-M, single-precision FPU, hard-float ABI); memory as AN385.
set(FW_ARCH cortex-m)
set(FW_TOOLCHAIN arm-none-eabi)
set(EALLOC_ARM_CPU cortex-m4 CACHE STRING "")
set(EALLOC_ARM_FLOAT_ABI hard CACHE STRING "")
set(EALLOC_ARM_FPU fpv4-sp-d16 CACHE STRING "")
set(FW_QEMU qemu-system-arm)
set(FW_QEMU_ARGS -M mps2-an386)
set(FW_NUM_IRQS 32)
set(FW_HAVE_RAM2 ON)
set(FW_BITSCAN_SOFT 0) # the bit scans use the CLZ instruction
set(FW_IRQ_HEAP_TEST ON) # tests/target/irq_heap.c: interrupt-time allocation, cortex-m and none ports
set(FW_BITBAND ON) # Cortex-M3/M4 with the SRAM bit-band region: the EA_TLSF_BITBAND tests
