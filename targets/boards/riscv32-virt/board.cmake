# QEMU RISC-V virt, 32-bit — one RV32IMAC hart in machine mode, 128 MiB DRAM at 0x80000000.
# -DEALLOC_RISCV_MARCH=rv32imac_zbb builds for a core with the bit-manipulation CLZ/CTZ.
set(FW_ARCH riscv)
set(FW_TOOLCHAIN riscv32-elf)
set(FW_QEMU qemu-system-riscv32)
set(FW_QEMU_ARGS -M virt -bios none)
set(FW_HAVE_RAM2 OFF)
# Without Zbb there is no CLZ instruction: the bit scans use the software fallback of src/bitscan.h.
if(EALLOC_RISCV_MARCH MATCHES "zbb")
    set(FW_BITSCAN_SOFT 0)
else()
    set(FW_BITSCAN_SOFT 1)
endif()
set(FW_IRQ_HEAP_TEST ON) # tests/target/irq_heap.c: interrupt-time allocation, riscv and none ports
