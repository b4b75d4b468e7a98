# ealloc_add_library(<name> <port-dir>)
#
# Builds ealloc as the static library <name> with the critical-section port in
# <port-dir> (a folder holding ea_port.h, and ea_port.c when the port has code).
# The project's library uses ports/${EALLOC_PORT}; the tests build a second copy
# with a counting port that checks every call enters and leaves its section.

set(EALLOC_WARNING_FLAGS -Wall -Wextra -Wconversion -Wsign-conversion -Wcast-align -Wshadow -Wpedantic
    -Wstrict-prototypes -Wmissing-prototypes)

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
    target_compile_options(${name} PRIVATE ${EALLOC_WARNING_FLAGS})
    if(EALLOC_WARNINGS_AS_ERRORS)
        target_compile_options(${name} PRIVATE -Werror)
    endif()
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
