# ealloc_add_library(<name> <port-dir>)
#
# Builds ealloc as the static library <name> with the critical-section port in
# <port-dir> (a folder holding ea_port.h, and ea_port.c when the port has code).
# The project's library uses ports/${EALLOC_PORT}; the tests build a second copy
# with a counting port that checks every call enters and leaves its section.

set(EALLOC_WARNING_FLAGS -Wall -Wextra -Wconversion -Wsign-conversion -Wcast-align -Wshadow -Wpedantic
    -Wstrict-prototypes -Wmissing-prototypes)

# The compile options of every library made of src/: the warnings (errors when
# EALLOC_WARNINGS_AS_ERRORS), and on bare metal -ffreestanding, which is what
# src/ is: its memmove, memcpy and memset stay calls of those functions.
# Otherwise clang (14) calls the Arm run-time ABI's __aeabi_memmove and
# __aeabi_memclr instead, which newlib implements a byte at a time: a realloc
# that moves its block took 5 times the instructions (docs/performance.md,
# "Compiled with clang"). GCC's code for the allocators is the same either way.
function(ealloc_compile_options_of_src name)
    target_compile_options(${name} PRIVATE ${EALLOC_WARNING_FLAGS})
    if(EALLOC_WARNINGS_AS_ERRORS)
        target_compile_options(${name} PRIVATE -Werror)
    endif()
    if(CMAKE_SYSTEM_NAME STREQUAL "Generic")
        target_compile_options(${name} PRIVATE -ffreestanding)
    endif()
endfunction()

# Usable from any project that includes this file (the firmware build in
# targets/ does): every path is relative to this file, not to the project.
function(ealloc_add_library name port_dir)
    get_filename_component(root ${CMAKE_CURRENT_FUNCTION_LIST_DIR}/.. ABSOLUTE)
    file(GLOB sources CONFIGURE_DEPENDS ${root}/src/*.c)
    # The default panic is chosen below; the malloc shim is a library of its own, so that
    # linking ealloc alone never replaces the C library's malloc.
    list(FILTER sources EXCLUDE REGEX "/(panic(_hosted)?|malloc)\\.c$")
    if(EALLOC_HOSTED_PANIC)
        list(APPEND sources ${root}/src/panic_hosted.c)
    else()
        list(APPEND sources ${root}/src/panic.c)
    endif()
    if(EXISTS ${port_dir}/ea_port.c)
        list(APPEND sources ${port_dir}/ea_port.c)
    endif()
    add_library(${name} STATIC ${sources})
    target_include_directories(${name} PUBLIC
        $<BUILD_INTERFACE:${root}/include>
        $<BUILD_INTERFACE:${port_dir}>
        $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>)
    target_include_directories(${name} PRIVATE ${root}/src)
    ealloc_compile_options_of_src(${name})
    if(EALLOC_CONFIG_HEADER)
        get_filename_component(config_dir ${EALLOC_CONFIG_HEADER} DIRECTORY)
        get_filename_component(config_name ${EALLOC_CONFIG_HEADER} NAME)
        target_compile_definitions(${name} PUBLIC "EALLOC_CONFIG_HEADER=\"${config_name}\"")
        target_include_directories(${name} PUBLIC $<BUILD_INTERFACE:${config_dir}>)
    endif()
    if(EXISTS ${port_dir}/ea_port.c AND port_dir MATCHES "pthread")
        find_package(Threads REQUIRED)
        target_link_libraries(${name} PUBLIC Threads::Threads)
    endif()
endfunction()

# ealloc_add_malloc_library(<name> <ealloc-library> <backend>)
#
# The malloc shim (src/malloc.c, <ealloc/malloc.h>) as the static library
# <name>, on the ealloc library <ealloc-library> (which brings the port and the
# configuration), serving malloc from one heap of <backend> (tlsf or llff).
# Kept out of ealloc_add_library: linking ealloc alone never replaces malloc.
function(ealloc_add_malloc_library name core backend)
    if(NOT backend MATCHES "^(tlsf|llff)$")
        message(FATAL_ERROR "malloc back-end '${backend}': must be tlsf or llff")
    endif()
    get_filename_component(root ${CMAKE_CURRENT_FUNCTION_LIST_DIR}/.. ABSOLUTE)
    add_library(${name} STATIC ${root}/src/malloc.c)
    target_link_libraries(${name} PUBLIC ${core})
    target_compile_definitions(${name} PUBLIC EA_MALLOC_BACKEND=${backend})
    target_include_directories(${name} PRIVATE ${root}/src)
    ealloc_compile_options_of_src(${name})
    # A C library may call the allocator only from inside itself (newlib's
    # printf calls _malloc_r): make the linker take the shim's object before
    # it gets to the C library, whatever the program itself calls.
    target_link_options(${name} INTERFACE "LINKER:--undefined=malloc")
endfunction()
