# Benchmark firmware: trace replay with exact instruction counts (bench/firmware)
# and heap states built for the worst case (bench/wcet), for the mps2 boards
# under QEMU -icount shift=10. Included by targets/CMakeLists.txt when
# EALLOC_FW_BENCH is ON; bench/run-firmware-bench.sh configures, builds and
# runs it all. Nothing here is a ctest test: benchmarks are run by that script.
#
# Images (build/<dir>/<name>.elf):
#   bench_timer_selftest        the counting method alone: empty call, 1/100/1000/10000 nops
#   bench_replay_ealloc         trace replay, back-ends llff and tlsf, critical-section port "none"
#   bench_replay_ealloc_cm      the same with the "cortex-m" port (PRIMASK), to show the port's cost
#   bench_replay_newlib_nano    newlib-nano's malloc (only when the build links nano.specs)
#   bench_replay_newlib         full newlib's malloc (only when the build links without nano.specs)
#   bench_wcet / bench_wcet_cm  worst cases of llff and tlsf, port "none" / "cortex-m"
#
# EALLOC_FW_BENCH_OPT: extra optimisation flag for the benchmarked copies of
# the library (empty: the firmware build's own -Os). EALLOC_FW_BENCH_DEFINES:
# configuration knobs for them (include/ealloc/config.h), e.g. EA_HARDENED=1.
# EALLOC_FW_BENCH_CPU: the core those copies are compiled for (empty: the
# board's); another core needs the soft-float ABI for the whole image
# (run-firmware-bench.sh --cpu sets it).

if(NOT EALLOC_BOARD MATCHES "^mps2-")
    message(FATAL_ERROR "EALLOC_FW_BENCH: the benchmark firmware counts instructions with the CMSDK TIMER0 of the mps2 boards; EALLOC_BOARD=${EALLOC_BOARD} has none")
endif()

set(EALLOC_FW_BENCH_OPT "" CACHE STRING "optimisation flag for the benchmarked library copies (e.g. -O2; empty: -Os as the firmware build)")
set(EALLOC_FW_BENCH_CPU "" CACHE STRING "-mcpu= for the benchmarked library copies (e.g. cortex-m0plus; empty: the board's core)")
set(EALLOC_FW_BENCH_DEFINES "" CACHE STRING "configuration of the benchmarked library copies, a ;-list (e.g. EA_HARDENED=1;EA_TLSF_SEARCH_DEPTH=2)")
set(BENCH_FW_DIR ${EALLOC_ROOT}/bench/firmware)
set(BENCH_WCET_DIR ${EALLOC_ROOT}/bench/wcet)

# One image: start-up, semihosting and printf from targets/common, the board's memory map.
function(ealloc_add_bench_firmware name)
    cmake_parse_arguments(PARSE_ARGV 1 BF "" "" "SOURCES;LIBS;DEFINES;INCLUDES")
    add_executable(${name} ${BF_SOURCES} ${BENCH_FW_DIR}/bench_timer.c ${BENCH_FW_DIR}/timed_call.S)
    set_target_properties(${name} PROPERTIES SUFFIX ".elf" LINK_DEPENDS "${FW_LINKER_SCRIPT};${FW_ARCH_DIR}/sections.ld")
    target_link_libraries(${name} PRIVATE fw_support ${BF_LIBS})
    target_include_directories(${name} PRIVATE ${BENCH_FW_DIR} ${BENCH_WCET_DIR} ${BF_INCLUDES})
    target_compile_definitions(${name} PRIVATE ${BF_DEFINES})
    target_compile_options(${name} PRIVATE $<$<COMPILE_LANGUAGE:C>:${FW_WARNINGS}>)
    target_link_options(${name} PRIVATE -L${FW_ARCH_DIR} -L${FW_BOARD_DIR} -T${FW_LINKER_SCRIPT}
                        -Wl,-Map=$<TARGET_FILE_DIR:${name}>/${name}.map)
endfunction()

ealloc_add_bench_firmware(bench_timer_selftest SOURCES ${BENCH_FW_DIR}/timer_selftest.c)

# The library twice, each with its own critical-section port.
ealloc_add_library(ealloc_bench_none ${EALLOC_ROOT}/ports/none)
ealloc_add_library(ealloc_bench_cm ${EALLOC_ROOT}/ports/cortex-m)
foreach(lib ealloc_bench_none ealloc_bench_cm)
    if(EALLOC_FW_BENCH_OPT)
        target_compile_options(${lib} PRIVATE ${EALLOC_FW_BENCH_OPT})
    endif()
    if(EALLOC_FW_BENCH_CPU)
        target_compile_options(${lib} PRIVATE -mcpu=${EALLOC_FW_BENCH_CPU})
    endif()
    # Configuration knobs (include/ealloc/config.h) reach the library and every image that includes its headers.
    if(EALLOC_FW_BENCH_DEFINES)
        target_compile_definitions(${lib} PUBLIC ${EALLOC_FW_BENCH_DEFINES})
    endif()
endforeach()

set(bench_replay_sources ${BENCH_FW_DIR}/replay_fw.c)
ealloc_add_bench_firmware(bench_replay_ealloc
    SOURCES ${bench_replay_sources} ${BENCH_FW_DIR}/backend_ealloc.c ${BENCH_FW_DIR}/backend_llff_walk.c
    LIBS ealloc_bench_none INCLUDES ${EALLOC_ROOT}/src DEFINES BENCH_PORT="none" BENCH_SUFFIX="")
ealloc_add_bench_firmware(bench_replay_ealloc_cm
    SOURCES ${bench_replay_sources} ${BENCH_FW_DIR}/backend_ealloc.c ${BENCH_FW_DIR}/backend_llff_walk.c
    LIBS ealloc_bench_cm INCLUDES ${EALLOC_ROOT}/src DEFINES BENCH_PORT="cortex-m" BENCH_SUFFIX="-cm")

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

# Worst cases built on purpose.
ealloc_add_bench_firmware(bench_wcet SOURCES ${BENCH_WCET_DIR}/wcet_main.c ${BENCH_WCET_DIR}/wcet_tlsf.c ${BENCH_WCET_DIR}/wcet_llff.c
    LIBS ealloc_bench_none INCLUDES ${EALLOC_ROOT}/src DEFINES BENCH_PORT="none")
ealloc_add_bench_firmware(bench_wcet_cm SOURCES ${BENCH_WCET_DIR}/wcet_main.c ${BENCH_WCET_DIR}/wcet_tlsf.c ${BENCH_WCET_DIR}/wcet_llff.c
    LIBS ealloc_bench_cm INCLUDES ${EALLOC_ROOT}/src DEFINES BENCH_PORT="cortex-m")
