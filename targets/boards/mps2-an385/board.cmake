# Arm MPS2 + AN385 — Cortex-M3 (ARMv7-M), code in 4 MiB ZBT SSRAM1, data in 4 MiB ZBT SSRAM2&3, 16 MiB PSRAM spare.
set(FW_ARCH cortex-m)
set(FW_TOOLCHAIN arm-none-eabi)
set(EALLOC_ARM_CPU cortex-m3 CACHE STRING "")
set(EALLOC_ARM_FLOAT_ABI soft CACHE STRING "")
set(FW_QEMU qemu-system-arm)
set(FW_QEMU_ARGS -M mps2-an385)
set(FW_NUM_IRQS 32)
set(FW_HAVE_RAM2 ON)
set(FW_BITSCAN_SOFT 0) # the bit scans use the CLZ instruction
set(FW_BITBAND ON) # Cortex-M3/M4 with the SRAM bit-band region: the EA_TLSF_BITBAND tests
set(FW_IRQ_HEAP_TEST ON) # tests/target/irq_heap.c: interrupt-time allocation, cortex-m and none ports
