/* The negative control of check_symbols.sh: a library with a global outside the ea_ prefix. */
int ea_fixture_prefixed(void);
int heap_fixture_unprefixed(void);

int ea_fixture_prefixed(void)
{
    return 1;
}

int heap_fixture_unprefixed(void)
{
    return 2;
}
