# QEMU RISC-V virt, 64-bit, code built for RV64IMAC + Zbb: the 64-bit bit-scan paths that use the
# CLZ/CTZ instructions (riscv64-virt covers the ones without).
include(${CMAKE_CURRENT_LIST_DIR}/../riscv64-virt/board.cmake)
set(EALLOC_RISCV_MARCH rv64imac_zbb CACHE STRING "")
set(FW_QEMU_ARGS -M virt -bios none -cpu rv64,zbb=on)
set(FW_BITSCAN_SOFT 0) # the bit scans use the CLZ instruction
