/*
 * The few Win32 calls the fuzzed DLL sources make, for native libFuzzer
 * builds (tools/build-fuzz).  Behaviour matches what the sources rely on.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "windef.h"
#include "winbase.h"

static __thread DWORD last_error;

void WINAPI SetLastError(DWORD err) { last_error = err; }
DWORD WINAPI GetLastError(void) { return last_error; }
