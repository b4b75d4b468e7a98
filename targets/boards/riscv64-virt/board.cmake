# QEMU RISC-V virt, 64-bit — one RV64IMAC hart in machine mode, 128 MiB DRAM at 0x80000000: the
# library with 64-bit size_t and pointers on bare metal (LP64), the software bit scans' 64-bit
# paths, and the riscv port's CSR code on RV64. The memory map and linker script are
# riscv32-virt's (the same machine).
include(${CMAKE_CURRENT_LIST_DIR}/../riscv32-virt/board.cmake)
set(FW_TOOLCHAIN riscv64-elf)
set(FW_QEMU qemu-system-riscv64)
set(FW_LINKER_SCRIPT ${CMAKE_CURRENT_LIST_DIR}/../riscv32-virt/memory.ld)
# FW_BITSCAN_SOFT as riscv32-virt sets it: 1 (RV64IMAC has no CLZ: src/bitscan.h's 64-bit fallback)
# unless -DEALLOC_RISCV_MARCH names Zbb.
