# The bit-scan code a library was really built with, read from its machine code:
#
#   cmake -DOBJDUMP=<objdump> -DLIBRARY=<lib.a> -DSOFT=<0|1> -P CheckBitscanCode.cmake
#
# SOFT=1 (Cortex-M0, RV32 without Zbb): no count-leading/trailing-zeros
# instruction and no call to libgcc's __clzsi2/__ctzsi2 family, so the
# scans are src/bitscan.h's software fallback. SOFT=0: the code has the
# instruction (clz; RISC-V Zbb also ctz) and no such call.
execute_process(COMMAND ${OBJDUMP} -dr ${LIBRARY} OUTPUT_VARIABLE code RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${OBJDUMP} -dr ${LIBRARY} failed")
endif()
string(REGEX MATCHALL "[\t ](clz|ctz)[\t ]" instructions "${code}")
string(REGEX MATCHALL "__(clz|ctz)[sd]i2" calls "${code}")
list(LENGTH instructions n_instructions)
list(LENGTH calls n_calls)
message(STATUS "${LIBRARY}: ${n_instructions} clz/ctz instructions, ${n_calls} calls to libgcc's bit scans")
if(n_calls GREATER 0)
    message(FATAL_ERROR "the library calls libgcc for a bit scan: src/bitscan.h chose the builtin on a core without the instruction")
endif()
if(SOFT AND n_instructions GREATER 0)
    message(FATAL_ERROR "EA_BITSCAN_SOFT=1 expected, but the library uses the CLZ instruction")
endif()
if(NOT SOFT AND n_instructions EQUAL 0)
    message(FATAL_ERROR "EA_BITSCAN_SOFT=0 expected, but the library has no CLZ instruction")
endif()
