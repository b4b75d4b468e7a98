/* Runs every group of the behaviour suite over the back-end this binary is linked with. */
#include <stdio.h>

#include "suites.h"

int main(void)
{
    const suite_t *suites[] = {&init_suite,  &alloc_suite,  &aligned_suite, &realloc_suite,
                               &free_suite, &region_suite, &inspect_suite};
    int failed = 0;
    char name[64];
    for (size_t i = 0; i < sizeof suites / sizeof suites[0]; i++) {
        (void)snprintf(name, sizeof name, "%s/%s", backend.name, suites[i]->name);
        failed += _cmocka_run_group_tests(name, suites[i]->tests, suites[i]->count, NULL, NULL);
    }
    return failed != 0;
}
