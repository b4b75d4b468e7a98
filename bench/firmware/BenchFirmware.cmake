# Benchmark firmware: trace replay with exact instruction counts (bench/firmware)
# and heap states built for the worst case (bench/wcet), for the mps2 boards
# and RISC-V virt under QEMU -icount shift=10. Included by targets/CMakeLists.txt when
# EALLOC_FW_BENCH is ON; bench/run-firmware-bench.sh configures, builds and
# runs it all. Nothing here is a ctest test: benchmarks are run by that script.
#
# Images (build/<dir>/<name>.elf):
#   bench_timer_selftest        the counting method alone: empty call, 1/100/1000/10000 nops
#   bench_replay_ealloc         trace replay, back-ends llff and tlsf, critical-section port "none"
#   bench_replay_ealloc_cm      the same with the "cortex-m" port (PRIMASK), to show the port's cost (Arm)
#   bench_replay_ealloc_malloc  ealloc's malloc shim over tlsf, port "none": the shim's own cost per call
#   bench_replay_newlib_nano    newlib-nano's malloc (Arm, only when the build links nano.specs)
#   bench_replay_newlib         full newlib's malloc (Arm, only when the build links without nano.specs)
#   bench_wcet / bench_wcet_cm  worst cases of llff and tlsf, port "none" / "cortex-m" (Arm)
#   bench_replay_ealloc_rv      RISC-V: the replay with the "riscv" port (mstatus.MIE), for the port's cost
#   bench_wcet_rv               RISC-V: the worst cases with the "riscv" port
# On RISC-V there is no newlib image: the toolchain's C library is picolibc.
#
# EALLOC_FW_BENCH_OPT: extra optimisation flag for the benchmarked copies of
# the library (empty: the firmware build's own -Os). EALLOC_FW_BENCH_DEFINES:
# configuration knobs for them (include/ealloc/config.h), e.g. EA_HARDENED=1.
# EALLOC_FW_BENCH_CPU: the core those copies are compiled for (empty: the
# board's); another core needs the soft-float ABI for the whole image
# (run-firmware-bench.sh --cpu sets it). EALLOC_FW_BENCH_CC: clang compiles
# those copies instead of GCC (Arm only; the images stay GCC's; see
# clang_launcher.sh beside this file).

if(NOT fw_bench_board) # set by targets/CMakeLists.txt
    message(FATAL_ERROR "EALLOC_FW_BENCH: the benchmark firmware counts instructions with the CMSDK TIMER0 of the mps2 boards or the minstret of RISC-V virt; EALLOC_BOARD=${EALLOC_BOARD} has neither")
endif()
# The timed call of the architecture, and the tag of the images and back-ends with the board's own
# critical-section port (ports/${FW_ARCH}): _cm / -cm on Arm, _rv / -rv on RISC-V.
if(FW_ARCH STREQUAL "cortex-m")
    set(bench_timed_call_source ${EALLOC_ROOT}/bench/firmware/timed_call_arm.S)
    set(bench_port_tag cm)
else()
    set(bench_timed_call_source ${EALLOC_ROOT}/bench/firmware/timed_call_riscv.S)
    set(bench_port_tag rv)
endif()

set(EALLOC_FW_BENCH_OPT "" CACHE STRING "optimisation flag for the benchmarked library copies (e.g. -O2; empty: -Os as the firmware build)")
set(EALLOC_FW_BENCH_CPU "" CACHE STRING "-mcpu= for the benchmarked library copies (e.g. cortex-m0plus; empty: the board's core; Arm only)")
if(EALLOC_FW_BENCH_CPU AND NOT FW_ARCH STREQUAL "cortex-m")
    message(FATAL_ERROR "EALLOC_FW_BENCH_CPU: another -mcpu= is for the Arm boards (RISC-V: choose the board, riscv32-virt[-zbb] or riscv64-virt[-zbb])")
endif()
set(EALLOC_FW_BENCH_CC "" CACHE STRING "compiler of the benchmarked library copies: empty (the build's GCC) or clang (Arm only)")
if(EALLOC_FW_BENCH_CC)
    if(NOT EALLOC_FW_BENCH_CC STREQUAL "clang" OR NOT FW_ARCH STREQUAL "cortex-m")
        message(FATAL_ERROR "EALLOC_FW_BENCH_CC: clang, on the Arm boards, is the one other compiler the benchmark builds with (not '${EALLOC_FW_BENCH_CC}' on ${FW_ARCH})")
    endif()
    find_program(bench_clang clang)
    if(NOT bench_clang)
        message(FATAL_ERROR "EALLOC_FW_BENCH_CC=clang: no clang found (Debian: clang)")
    endif()
    # clang has no C library for this target: newlib's headers, where GCC's preprocessor finds <string.h>.
    execute_process(COMMAND ${CMAKE_C_COMPILER} -include string.h -E -x c /dev/null OUTPUT_VARIABLE bench_preprocessed)
    string(REGEX MATCH "# [0-9]+ \"([^\"]*)/string\\.h\"" bench_string_line "${bench_preprocessed}")
    set(bench_newlib_include "${CMAKE_MATCH_1}")
    if(NOT EXISTS "${bench_newlib_include}/string.h")
        message(FATAL_ERROR "EALLOC_FW_BENCH_CC=clang: newlib's <string.h> not found through ${CMAKE_C_COMPILER}")
    endif()
endif()
set(EALLOC_FW_BENCH_DEFINES "" CACHE STRING "configuration of the benchmarked library copies, a ;-list (e.g. EA_HARDENED=1;EA_TLSF_SEARCH_DEPTH=2)")
set(BENCH_FW_DIR ${EALLOC_ROOT}/bench/firmware)
set(BENCH_WCET_DIR ${EALLOC_ROOT}/bench/wcet)

# One image: start-up, semihosting and printf from targets/common, the board's memory map.
function(ealloc_add_bench_firmware name)
    cmake_parse_arguments(PARSE_ARGV 1 BF "" "" "SOURCES;LIBS;DEFINES;INCLUDES")
    add_executable(${name} ${BF_SOURCES} ${BENCH_FW_DIR}/bench_timer.c ${bench_timed_call_source})
    # The board's script may be another board's (riscv32-virt-zbb uses riscv32-virt's), with its regions.ld beside it.
    get_filename_component(board_script_dir ${FW_LINKER_SCRIPT} DIRECTORY)
    set_target_properties(${name} PROPERTIES SUFFIX ".elf" LINK_DEPENDS "${FW_LINKER_SCRIPT};${FW_ARCH_DIR}/sections.ld")
    target_link_libraries(${name} PRIVATE fw_support ${BF_LIBS})
    target_include_directories(${name} PRIVATE ${BENCH_FW_DIR} ${BENCH_WCET_DIR} ${BF_INCLUDES})
    target_compile_definitions(${name} PRIVATE ${BF_DEFINES})
    target_compile_options(${name} PRIVATE $<$<COMPILE_LANGUAGE:C>:${FW_WARNINGS}>)
    # The worst-case images read the heap's class bits through src/tlsf_internal.h, whose layout follows
    # the core (the order of a word's classes): their C is compiled for the library's core too.
    if(EALLOC_FW_BENCH_CPU)
        target_compile_options(${name} PRIVATE $<$<COMPILE_LANGUAGE:C>:-mcpu=${EALLOC_FW_BENCH_CPU}>)
    endif()
    target_link_options(${name} PRIVATE -L${FW_ARCH_DIR} -L${board_script_dir} -T${FW_LINKER_SCRIPT}
                        -Wl,-Map=$<TARGET_FILE_DIR:${name}>/${name}.map)
endfunction()

ealloc_add_bench_firmware(bench_timer_selftest SOURCES ${BENCH_FW_DIR}/timer_selftest.c)

# The library with the port "none", and again with the board's own port ("cortex-m" or "riscv").
ealloc_add_library(ealloc_bench_none ${EALLOC_ROOT}/ports/none)
ealloc_add_library(ealloc_bench_port ${EALLOC_ROOT}/ports/${FW_ARCH})
foreach(lib ealloc_bench_none ealloc_bench_port)
    if(EALLOC_FW_BENCH_OPT)
        target_compile_options(${lib} PRIVATE ${EALLOC_FW_BENCH_OPT})
    endif()
    if(EALLOC_FW_BENCH_CPU)
        target_compile_options(${lib} PRIVATE -mcpu=${EALLOC_FW_BENCH_CPU})
    endif()
    if(EALLOC_FW_BENCH_CC)
        set_target_properties(${lib} PROPERTIES
            C_COMPILER_LAUNCHER "${BENCH_FW_DIR}/clang_launcher.sh;${bench_clang};${bench_newlib_include}")
    endif()
    # Configuration knobs (include/ealloc/config.h) reach the library and every image that includes its headers.
    if(EALLOC_FW_BENCH_DEFINES)
        target_compile_definitions(${lib} PUBLIC ${EALLOC_FW_BENCH_DEFINES})
    endif()
endforeach()

# The replay and the worst cases built on purpose, with each port.
set(bench_replay_sources ${BENCH_FW_DIR}/replay_fw.c)
set(bench_ealloc_sources ${bench_replay_sources} ${BENCH_FW_DIR}/backend_ealloc.c ${BENCH_FW_DIR}/backend_llff_walk.c)
set(bench_wcet_sources ${BENCH_WCET_DIR}/wcet_main.c ${BENCH_WCET_DIR}/wcet_tlsf.c ${BENCH_WCET_DIR}/wcet_llff.c)
ealloc_add_bench_firmware(bench_replay_ealloc SOURCES ${bench_ealloc_sources}
    LIBS ealloc_bench_none INCLUDES ${EALLOC_ROOT}/src DEFINES BENCH_PORT="none" BENCH_SUFFIX="")
ealloc_add_bench_firmware(bench_replay_ealloc_${bench_port_tag} SOURCES ${bench_ealloc_sources}
    LIBS ealloc_bench_port INCLUDES ${EALLOC_ROOT}/src DEFINES BENCH_PORT="${FW_ARCH}" BENCH_SUFFIX="-${bench_port_tag}")
# The malloc shim (src/malloc.c) over the same tlsf, called as malloc, memalign, calloc, realloc and free.
ealloc_add_malloc_library(ealloc_bench_malloc ealloc_bench_none tlsf)
ealloc_add_bench_firmware(bench_replay_ealloc_malloc SOURCES ${bench_replay_sources} ${BENCH_FW_DIR}/backend_malloc.c
    LIBS ealloc_bench_malloc DEFINES BENCH_PORT="none")
ealloc_add_bench_firmware(bench_wcet SOURCES ${bench_wcet_sources}
    LIBS ealloc_bench_none INCLUDES ${EALLOC_ROOT}/src DEFINES BENCH_PORT="none")
ealloc_add_bench_firmware(bench_wcet_${bench_port_tag} SOURCES ${bench_wcet_sources}
    LIBS ealloc_bench_port INCLUDES ${EALLOC_ROOT}/src DEFINES BENCH_PORT="${FW_ARCH}")
if(NOT FW_ARCH STREQUAL "cortex-m")
    return() # no newlib beside picolibc
endif()

# newlib's malloc: the flavour this build directory links (EALLOC_ARM_SPECS).
if(EALLOC_ARM_SPECS MATCHES "nano")
    set(bench_newlib_image bench_replay_newlib_nano)
    set(bench_newlib_nano 1)
else()
    set(bench_newlib_image bench_replay_newlib)
    set(bench_newlib_nano 0)
endif()
ealloc_add_bench_firmware(${bench_newlib_image} SOURCES ${bench_replay_sources} ${BENCH_FW_DIR}/backend_newlib.c
    DEFINES BENCH_NEWLIB_NANO=${bench_newlib_nano})
