#!/bin/sh
# tests/symbols/check_symbols.sh NM LIBRARY... — every global symbol a library defines
# starts with ea_ (the shim's library also defines the C library's allocation
# functions): ealloc is linked into programs that have names of their own, and a
# global like heap_used or region_insert would clash with theirs at link time.
set -eu
nm=$1
shift
c_library='^(malloc|free|calloc|realloc|aligned_alloc|posix_memalign|memalign|malloc_usable_size'
c_library="$c_library|_malloc_r|_free_r|_calloc_r|_realloc_r|_memalign_r|_malloc_usable_size_r)\$"
status=0
for lib in "$@"; do
    # Global definitions only: "address type name", type in upper case (weak ones are W or V);
    # names starting with __ belong to the compiler and its sanitizers.
    names=$("$nm" -g --defined-only "$lib" | awk 'NF == 3 && $2 ~ /^[A-Z]$/ && $3 !~ /^__/ { print $3 }' | sort -u)
    if [ -z "$names" ]; then
        echo "FAIL $lib: no global symbols found (is this the library?)"
        status=1
        continue
    fi
    stray=$(printf '%s\n' "$names" | grep -Ev '^ea_' | grep -Ev "$c_library" || true)
    if [ -n "$stray" ]; then
        echo "FAIL $lib defines globals outside the ea_ prefix: $(printf '%s\n' "$stray" | paste -sd ' ' -)"
        status=1
    else
        echo "ok   $lib: $(printf '%s\n' "$names" | wc -l) globals, all ea_ (or the C library's)"
    fi
done
exit $status
