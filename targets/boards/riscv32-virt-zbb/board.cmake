# QEMU RISC-V virt, 32-bit, code built for RV32IMAC + Zbb: the bit-scan paths
# that use the CLZ/CTZ instructions (riscv32-virt covers the ones without).
include(${CMAKE_CURRENT_LIST_DIR}/../riscv32-virt/board.cmake)
set(EALLOC_RISCV_MARCH rv32imac_zbb CACHE STRING "")
set(FW_QEMU_ARGS -M virt -bios none -cpu rv32,zbb=on)
set(FW_LINKER_SCRIPT ${CMAKE_CURRENT_LIST_DIR}/../riscv32-virt/memory.ld)
set(FW_BITSCAN_SOFT 0) # the bit scans use the CLZ instruction
