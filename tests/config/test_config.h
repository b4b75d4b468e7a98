/*
 * An unusual configuration, injected with EALLOC_CONFIG_HEADER: the whole
 * suite runs in it too, so the knobs are exercised and not just parsed.
 */
#define EA_ALIGN 32
#define EA_STATS 0
#define EA_TLSF_SL_LOG2 2
#define EA_TLSF_SEARCH_DEPTH 1
#define EA_TLSF_SMALL_CODE 1
