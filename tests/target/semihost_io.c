/*
 * Semihosting file input, as a trace replayer will use it: the command line
 * names a host file (ARGS in targets/CMakeLists.txt), which is opened, sized,
 * read in pieces and closed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "fw.h"

static const char expected[] = "ealloc semihosting test file\nline two: 0123456789\n";

static char cmdline[256];

static const char *file_argument(void)
{
    /* "<image> <path>": the path is the second word. */
    const char *space = strchr(cmdline, ' ');
    return space != NULL ? space + 1 : NULL;
}

static void command_line_names_the_file(void **state)
{
    (void)state;
    long n = semihost_get_cmdline(cmdline, sizeof cmdline);
    assert_true(n > 0);
    assert_int_equal(n, strlen(cmdline));
    print_message("command line: %s\n", cmdline);
    assert_non_null(file_argument());
}

static void file_is_read_in_pieces(void **state)
{
    (void)state;
    char buf[sizeof expected + 8];
    int fd = semihost_open(file_argument(), SEMIHOST_OPEN_RB);
    assert_true(fd >= 0);
    assert_int_equal(semihost_flen(fd), sizeof expected - 1);

    long got = semihost_read(fd, buf, 10);
    assert_int_equal(got, 10);
    long rest = semihost_read(fd, buf + 10, sizeof buf - 10);
    assert_int_equal(rest, sizeof expected - 1 - 10);
    assert_memory_equal(buf, expected, sizeof expected - 1);
    assert_int_equal(semihost_read(fd, buf, sizeof buf), 0); /* end of file */
    assert_int_equal(semihost_close(fd), 0);
}

static void missing_file_fails_to_open(void **state)
{
    (void)state;
    assert_int_equal(semihost_open("/nonexistent/ealloc/semihost_io.txt", SEMIHOST_OPEN_RB), -1);
}

static void writes_reach_the_console(void **state)
{
    (void)state;
    static const char msg[] = "written through SYS_OPEN(\":tt\") + SYS_WRITE\n";
    int fd = semihost_open(":tt", SEMIHOST_OPEN_W);
    assert_true(fd >= 0);
    fw_flush();
    assert_int_equal(semihost_write(fd, msg, sizeof msg - 1), sizeof msg - 1);
    semihost_writec('>');
    semihost_writec('\n');
}

int main(void)
{
    static const struct CMUnitTest tests[] = {
        cmocka_unit_test(command_line_names_the_file),
        cmocka_unit_test(file_is_read_in_pieces),
        cmocka_unit_test(missing_file_fails_to_open),
        cmocka_unit_test(writes_reach_the_console),
    };
    return cmocka_run_group_tests_name("semihost_io", tests, NULL, NULL);
}
