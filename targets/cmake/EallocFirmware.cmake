# Building firmware images for the board chosen in targets/CMakeLists.txt and
# running them under QEMU from ctest.
#
# ealloc_add_firmware_test(NAME <name> SOURCES <file>...
#                          [LIBS <lib>...]       libraries instead of ealloc (e.g. a copy with another port)
#                          [DEFINES <def>...] [INCLUDES <dir>...]
#                          [ARGS <arg>...]       semihosting command line after the image name
#                          [QEMU_ARGS <arg>...]  more QEMU options (e.g. -icount shift=0 for a deterministic run)
#                          [STACK_SIZE <bytes>]  instead of the board's default (__stack_size)
#                          [LINKER_SCRIPT <file>] instead of the board's memory.ld (the board's and the
#                                                architecture's folders stay on the linker's search path)
#                          [TIMEOUT <seconds>]   default 60; QEMU is killed after it and the test fails
#                          [WILL_FAIL]           expected failure: a test inside must fail, so the run must
#                                                end with status 1 and a "N passed, M failed" line, M > 0
#                          [EXPECT_EXIT <status>] [EXPECT_OUTPUT <regex>])
#
# Builds <name>.elf (plus <name>.map) with the start-up code, semihosting, the
# firmware printf and the cmocka stand-in (tests/target/cmocka_shim, first on
# the include path so <cmocka.h> is the stand-in), and registers the ctest
# test <name>. A plain test passes when the firmware exits with status 0.
# A WILL_FAIL test is not ctest's WILL_FAIL: a timeout or a crash must not
# count as the expected failure, so the status and the summary are checked.
# Also adds the target run-<name>, which runs the image under QEMU in the
# terminal, and writes the same command as the script run-<name>.sh beside
# the image.

set(FW_ARCH_DIR ${FW_TARGETS_DIR}/${FW_ARCH})
if(NOT FW_LINKER_SCRIPT)
    set(FW_LINKER_SCRIPT ${FW_BOARD_DIR}/memory.ld)
endif()
set(FW_QEMU_RUN ${FW_TARGETS_DIR}/qemu-run.sh)
find_program(FW_QEMU_PROGRAM ${FW_QEMU})
if(NOT FW_QEMU_PROGRAM)
    message(WARNING "${FW_QEMU} not found: the firmware builds, but its tests will fail (see targets/PACKAGES)")
    set(FW_QEMU_PROGRAM ${FW_QEMU})
endif()
set(FW_QEMU_COMMAND ${FW_QEMU_PROGRAM} ${FW_QEMU_ARGS} -nographic)
set(FW_WARNINGS -Wall -Wextra -Werror)

# Start-up, semihosting, printf, panic/abort/exit hooks: linked into every image as objects.
add_library(fw_support OBJECT
    ${FW_TARGETS_DIR}/common/fw_start.c
    ${FW_TARGETS_DIR}/common/fw_print.c
    ${FW_TARGETS_DIR}/common/fw_stdio.c
    ${FW_TARGETS_DIR}/common/semihost.c)
if(FW_ARCH STREQUAL "cortex-m")
    target_sources(fw_support PRIVATE ${FW_ARCH_DIR}/startup.c ${FW_ARCH_DIR}/semihost_call.c)
else()
    target_sources(fw_support PRIVATE ${FW_ARCH_DIR}/start.S ${FW_ARCH_DIR}/trap.c ${FW_ARCH_DIR}/semihost_call.S)
endif()
set(FW_DEFINES "FW_BOARD=\"${EALLOC_BOARD}\"")
if(FW_NUM_IRQS)
    list(APPEND FW_DEFINES FW_NUM_IRQS=${FW_NUM_IRQS})
endif()
if(FW_HAVE_RAM2)
    list(APPEND FW_DEFINES FW_HAVE_RAM2)
endif()
target_compile_definitions(fw_support PUBLIC ${FW_DEFINES})
target_include_directories(fw_support PUBLIC ${FW_TARGETS_DIR}/common ${FW_ARCH_DIR} PRIVATE ${EALLOC_ROOT}/include)
target_compile_options(fw_support PRIVATE $<$<COMPILE_LANGUAGE:C>:${FW_WARNINGS}>)

# The cmocka stand-in.
add_library(fw_cmocka_shim OBJECT ${EALLOC_ROOT}/tests/target/cmocka_shim/cmocka_shim.c)
target_include_directories(fw_cmocka_shim PUBLIC ${EALLOC_ROOT}/tests/target/cmocka_shim)
target_link_libraries(fw_cmocka_shim PUBLIC fw_support)
target_compile_options(fw_cmocka_shim PRIVATE ${FW_WARNINGS})

function(ealloc_add_firmware_test)
    cmake_parse_arguments(PARSE_ARGV 0 FWT "WILL_FAIL" "NAME;TIMEOUT;EXPECT_EXIT;EXPECT_OUTPUT;LINKER_SCRIPT;STACK_SIZE"
                          "SOURCES;LIBS;DEFINES;INCLUDES;ARGS;QEMU_ARGS")
    if(NOT FWT_NAME OR NOT FWT_SOURCES)
        message(FATAL_ERROR "ealloc_add_firmware_test: NAME and SOURCES are required")
    endif()
    if(NOT FWT_TIMEOUT)
        set(FWT_TIMEOUT 60)
    endif()
    if(NOT FWT_LIBS)
        set(FWT_LIBS ealloc)
    endif()
    if(NOT FWT_LINKER_SCRIPT)
        set(FWT_LINKER_SCRIPT ${FW_LINKER_SCRIPT})
    endif()

    # INCLUDEs in the scripts find sections.ld, the board's regions.ld, and files beside the script.
    get_filename_component(script_dir ${FWT_LINKER_SCRIPT} DIRECTORY)
    get_filename_component(board_script_dir ${FW_LINKER_SCRIPT} DIRECTORY)

    set(elf ${FWT_NAME})
    add_executable(${elf} ${FWT_SOURCES})
    set_target_properties(${elf} PROPERTIES SUFFIX ".elf"
        LINK_DEPENDS "${FWT_LINKER_SCRIPT};${FW_LINKER_SCRIPT};${board_script_dir}/regions.ld;${FW_ARCH_DIR}/sections.ld")
    # Objects first, libraries after: fw_start.c's weak ea_panic wins over the library's trap.
    target_link_libraries(${elf} PRIVATE fw_cmocka_shim fw_support ${FWT_LIBS})
    target_include_directories(${elf} BEFORE PRIVATE ${EALLOC_ROOT}/tests/target/cmocka_shim ${FWT_INCLUDES})
    target_compile_definitions(${elf} PRIVATE ${FWT_DEFINES})
    target_compile_options(${elf} PRIVATE ${FW_WARNINGS})
    target_link_options(${elf} PRIVATE -L${FW_ARCH_DIR} -L${board_script_dir} -L${script_dir} -T${FWT_LINKER_SCRIPT}
                        -Wl,-Map=$<TARGET_FILE_DIR:${elf}>/${FWT_NAME}.map)
    if(FWT_STACK_SIZE)
        target_link_options(${elf} PRIVATE -Wl,--defsym=__stack_size=${FWT_STACK_SIZE})
    endif()
    if(FW_ARCH STREQUAL "riscv")
        # The image runs from one RAM region: code and data share a writable, executable segment.
        target_link_options(${elf} PRIVATE -Wl,--no-warn-rwx-segments)
    endif()

    set(semihosting "enable=on,target=native,arg=${FWT_NAME}.elf")
    foreach(arg IN LISTS FWT_ARGS)
        string(APPEND semihosting ",arg=${arg}")
    endforeach()
    set(qemu ${FW_QEMU_COMMAND} ${FWT_QEMU_ARGS} -semihosting-config ${semihosting} -kernel $<TARGET_FILE:${elf}>)

    set(checks --timeout ${FWT_TIMEOUT})
    if(FWT_WILL_FAIL)
        list(APPEND checks --expect-exit 1 --expect-output "^[0-9]+ passed, [1-9][0-9]* failed")
    endif()
    if(DEFINED FWT_EXPECT_EXIT)
        list(APPEND checks --expect-exit ${FWT_EXPECT_EXIT})
    endif()
    if(FWT_EXPECT_OUTPUT)
        list(APPEND checks --expect-output ${FWT_EXPECT_OUTPUT})
    endif()
    add_test(NAME ${FWT_NAME} COMMAND sh ${FW_QEMU_RUN} ${checks} -- ${qemu})
    # The script's own timeout fires first; ctest's is the backstop.
    math(EXPR ctest_timeout "${FWT_TIMEOUT} + 30")
    set_tests_properties(${FWT_NAME} PROPERTIES TIMEOUT ${ctest_timeout} LABELS "firmware;${EALLOC_BOARD}")

    add_custom_target(run-${FWT_NAME} COMMAND ${qemu} DEPENDS ${elf} USES_TERMINAL VERBATIM)
    # The same command as a script beside the image, for a terminal: sh run-<name>.sh [more QEMU options].
    set(quoted "")
    foreach(arg IN LISTS qemu)
        string(APPEND quoted " '${arg}'")
    endforeach()
    file(GENERATE OUTPUT ${CMAKE_CURRENT_BINARY_DIR}/run-${FWT_NAME}.sh
         CONTENT "#!/bin/sh\n# Runs ${FWT_NAME}.elf under QEMU (written by ealloc_add_firmware_test).\nexec${quoted} \"$@\" </dev/null\n")
endfunction()
