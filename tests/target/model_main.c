/*
 * The model test (tests/model/model_test.c) on firmware. A firmware's main
 * takes no arguments, so the build renames the model test's main to
 * model_test_main and this one calls it with the semihosting command line
 * (the ARGS of its ctest test, e.g. "--ops 20000 --seed 20261125
 * --check-every 1"), split at spaces, as argv.
 */
#include <stddef.h>

#include "fw.h"

int model_test_main(int argc, char **argv);

#define MAX_ARGS 16

int main(void)
{
    static char line[160];
    static char *argv[MAX_ARGS + 1];
    int argc = 0;

    if (semihost_get_cmdline(line, sizeof line) < 0) {
        fw_puts("model test: no semihosting command line");
        return 1;
    }
    for (char *p = line; *p != '\0' && argc < MAX_ARGS;) {
        while (*p == ' ') {
            *p++ = '\0';
        }
        if (*p == '\0') {
            break;
        }
        argv[argc++] = p;
        while (*p != '\0' && *p != ' ') {
            p++;
        }
    }
    argv[argc] = NULL;
    if (argc == 0) {
        fw_puts("model test: empty command line");
        return 1;
    }
    return model_test_main(argc, argv);
}
