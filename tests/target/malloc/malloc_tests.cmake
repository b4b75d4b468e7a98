# Firmware tests of the malloc shim, included by targets/CMakeLists.txt: the C
# library's malloc replaced by ealloc_malloc, for each back-end, with
#   Arm boards:    newlib-nano (malloc_nano_<backend>) and the full newlib (malloc_newlib_<backend>)
#   RISC-V boards: picolibc (malloc_picolibc_<backend>)
# The sources are malloc_firmware.c (this folder) and the contract shared with the
# host test (tests/malloc/malloc_cases.c). Needs ealloc_add_malloc_library from
# cmake/EallocLibrary.cmake.
if(NOT COMMAND ealloc_add_malloc_library)
    message(WARNING "ealloc_add_malloc_library is missing from cmake/EallocLibrary.cmake: no malloc firmware tests")
    return()
endif()
set(malloc_fw_dir ${CMAKE_CURRENT_LIST_DIR})
set(malloc_cases_dir ${EALLOC_ROOT}/tests/malloc)

# The heap: 64 KiB, but the micro:bit has 16 KiB of RAM in all; its stack needs room for newlib's printf.
set(malloc_fw_heap 65536)
set(malloc_fw_link_options)
if(EALLOC_BOARD STREQUAL "microbit")
    set(malloc_fw_heap 6144)
    list(APPEND malloc_fw_link_options "LINKER:--defsym=__stack_size=3072")
endif()

if(FW_ARCH STREQUAL "cortex-m")
    set(malloc_fw_libcs nano newlib)
else()
    set(malloc_fw_libcs picolibc)
endif()

foreach(backend tlsf llff)
    ealloc_add_malloc_library(fw_malloc_${backend} ealloc ${backend})
    foreach(libc IN LISTS malloc_fw_libcs)
        set(name malloc_${libc}_${backend})
        ealloc_add_firmware_test(NAME ${name}
                                 SOURCES ${malloc_fw_dir}/malloc_firmware.c ${malloc_cases_dir}/malloc_cases.c
                                 LIBS fw_malloc_${backend}
                                 DEFINES MALLOC_HEAP_SIZE=${malloc_fw_heap}
                                 INCLUDES ${malloc_cases_dir})
        # No malloc/free pair may be optimised away: the calls are what is tested.
        target_compile_options(${name} PRIVATE -fno-builtin)
        target_link_options(${name} PRIVATE ${malloc_fw_link_options})
        if(libc STREQUAL "nano")
            # nano's own headers (newlib.h differs) and printf with floating point.
            target_compile_options(${name} PRIVATE --specs=nano.specs)
            target_link_options(${name} PRIVATE "LINKER:--undefined=_printf_float")
            if(NOT CMAKE_EXE_LINKER_FLAGS MATCHES "nano\\.specs") # a build configured for the full newlib
                target_link_options(${name} PRIVATE --specs=nano.specs)
            endif()
        elseif(libc STREQUAL "newlib" AND CMAKE_EXE_LINKER_FLAGS MATCHES "nano\\.specs")
            target_link_options(${name} PRIVATE --specs=${malloc_fw_dir}/newlib-full.specs)
        endif()
    endforeach()
endforeach()
