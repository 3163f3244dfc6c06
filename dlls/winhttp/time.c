/*
 * WinHttpTimeFromSystemTime and WinHttpTimeToSystemTime (RFC 1123 dates).
 */
#include "winhttp_private.h"

WINE_DEFAULT_DEBUG_CHANNEL(winhttp);

BOOL WINAPI WinHttpTimeFromSystemTime(const SYSTEMTIME *time, LPWSTR string)
{
    TRACE("(%p, %p)\n", time, string);
    FIXME_ONCE("not implemented\n");
    SetLastError(ERROR_CALL_NOT_IMPLEMENTED);
    return FALSE;
}

BOOL WINAPI WinHttpTimeToSystemTime(LPCWSTR string, SYSTEMTIME *time)
{
    TRACE("(%s, %p)\n", debugstr_w(string), time);
    FIXME_ONCE("not implemented\n");
    SetLastError(ERROR_CALL_NOT_IMPLEMENTED);
    return FALSE;
}
