/*
 * WinHttpQueryAuthSchemes and WinHttpSetCredentials: the application side of
 * authentication.  The mechanisms themselves land with the auth issue.
 */
#include "winhttp_private.h"

WINE_DEFAULT_DEBUG_CHANNEL(winhttp);

BOOL WINAPI WinHttpQueryAuthSchemes(HINTERNET hrequest, LPDWORD supported, LPDWORD first, LPDWORD target)
{
    TRACE("(%p, %p, %p, %p)\n", hrequest, supported, first, target);
    FIXME_ONCE("not implemented\n");
    return fail_unimplemented(hrequest, WINHTTP_HANDLE_TYPE_REQUEST);
}

BOOL WINAPI WinHttpSetCredentials(HINTERNET hrequest, DWORD target, DWORD scheme, LPCWSTR username,
                                  LPCWSTR password, LPVOID params)
{
    /* Never trace the password. */
    TRACE("(%p, %u, %#x, %s, %s, %p)\n", hrequest, target, scheme, debugstr_w(username),
          password ? "<redacted>" : "NULL", params);
    FIXME_ONCE("not implemented\n");
    return fail_unimplemented(hrequest, WINHTTP_HANDLE_TYPE_REQUEST);
}

/* ------------------------------------------------------------------ */
/* the engine's hooks (the mechanisms land with the auth issue)        */

DWORD auth_prepare_request(struct request *request, const struct auth_target *target)
{
    return ERROR_SUCCESS;
}

DWORD auth_handle_response(struct request *request, const struct auth_target *target, BOOL *resend)
{
    *resend = FALSE;
    return ERROR_SUCCESS;
}

void auth_request_free(struct request *request)
{
}
