/*
 * A tiny framework for the native unit tests of the Win32-free modules.
 *
 * A failed check prints file:line, the expression, and what was expected and
 * what came back; every program ends with the line "N passed, N failed"
 * alone (the same contract as tests/test.h, added up by tools/run-tests) and
 * exits non-zero when anything failed.
 */
#ifndef WINHTTP_UNIT_H
#define WINHTTP_UNIT_H

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static long unit_passed, unit_failed;
static const char *unit_current = "";

static void unit_report(int ok, const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void unit_report(int ok, const char *file, int line, const char *fmt, ...)
{
    va_list args;

    if (ok)
    {
        unit_passed++;
        return;
    }
    unit_failed++;
    printf("%s:%d: %s: Test failed: ", file, line, unit_current);
    va_start(args, fmt);
    vprintf(fmt, args);
    va_end(args);
    if (!*fmt || fmt[strlen(fmt) - 1] != '\n') putchar('\n');
    fflush(stdout);
}

/* ok(condition, "printf-style message") */
#define ok(cond, ...) unit_report(!!(cond), __FILE__, __LINE__, __VA_ARGS__)

/* Integers: prints both values on failure. */
#define ok_int(got, expect) do { long long g_ = (long long)(got), e_ = (long long)(expect); \
    unit_report(g_ == e_, __FILE__, __LINE__, "%s: expected %lld, got %lld", #got, e_, g_); } while (0)

/* A byte string (pointer + length) equal to a C string. */
#define ok_mem(ptr, len, expect) do { const char *p_ = (const char *)(ptr); size_t l_ = (len); const char *e_ = (expect); \
    unit_report(p_ && l_ == strlen(e_) && !memcmp(p_, e_, l_), __FILE__, __LINE__, \
                "%s: expected \"%s\", got \"%.*s\"", #ptr, e_, p_ ? (int)l_ : 6, p_ ? p_ : "(null)"); } while (0)

static void unit_run(const char *name, void (*func)(void))
{
    unit_current = name;
    func();
    unit_current = "";
}
#define run_test(func) unit_run(#func, func)

static int unit_summary(void)
{
    printf("%ld passed, %ld failed\n", unit_passed, unit_failed);
    fflush(stdout);
    return unit_failed ? 1 : 0;
}

#endif /* WINHTTP_UNIT_H */
