# ealloc_add_library(<name> <port-dir>)
#
# Builds ealloc as the static library <name> with the critical-section port in
# <port-dir> (a folder holding ea_port.h, and ea_port.c when the port has code).
# The project's library uses ports/${EALLOC_PORT}; the tests build a second copy
# with a counting port that checks every call enters and leaves its section.

set(EALLOC_WARNING_FLAGS -Wall -Wextra -Wconversion -Wsign-conversion -Wcast-align -Wshadow -Wpedantic
    -Wstrict-prototypes -Wmissing-prototypes)

file(GLOB EALLOC_CORE_SOURCES CONFIGURE_DEPENDS ${CMAKE_CURRENT_LIST_DIR}/../src/*.c)
list(FILTER EALLOC_CORE_SOURCES EXCLUDE REGEX "/panic(_hosted)?\\.c$")

function(ealloc_add_library name port_dir)
    set(sources ${EALLOC_CORE_SOURCES})
    if(EALLOC_HOSTED_PANIC)
        list(APPEND sources ${PROJECT_SOURCE_DIR}/src/panic_hosted.c)
    else()
        list(APPEND sources ${PROJECT_SOURCE_DIR}/src/panic.c)
    endif()
    if(EXISTS ${port_dir}/ea_port.c)
        list(APPEND sources ${port_dir}/ea_port.c)
    endif()
    add_library(${name} STATIC ${sources})
    target_include_directories(${name} PUBLIC
        $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}/include>
        $<BUILD_INTERFACE:${port_dir}>
        $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>)
    target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR}/src)
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
