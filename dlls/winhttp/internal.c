/*
 * Undocumented exports of Windows 11's winhttp.dll.
 *
 * Windows' own services (the WinHTTP auto-proxy service, the connection
 * manager, Hyper-V isolation) use these; no documented application does.
 * They exist so that import tables resolve, and fail cleanly: the prototypes
 * are unknown, so each takes no declared arguments (harmless on x86-64,
 * where the caller owns the stack) and returns ERROR_NOT_SUPPORTED, which
 * reads as a failure whether the caller expects a DWORD error or a BOOL.
 */
#include "winhttp_private.h"

WINE_DEFAULT_DEBUG_CHANNEL(winhttp);

#define INTERNAL_STUB(name) \
    DWORD WINAPI name(void) \
    { \
        FIXME_ONCE("undocumented export %s called, not supported\n", #name); \
        SetLastError(ERROR_NOT_SUPPORTED); \
        return ERROR_NOT_SUPPORTED; \
    }

INTERNAL_STUB(Private1)
INTERNAL_STUB(SvchostPushServiceGlobals)
INTERNAL_STUB(WinHttpAutoProxySvcMain)
INTERNAL_STUB(WinHttpConnectionDeletePolicyEntries)
INTERNAL_STUB(WinHttpConnectionDeleteProxyInfo)
INTERNAL_STUB(WinHttpConnectionFreeNameList)
INTERNAL_STUB(WinHttpConnectionFreeProxyInfo)
INTERNAL_STUB(WinHttpConnectionFreeProxyList)
INTERNAL_STUB(WinHttpConnectionGetNameList)
INTERNAL_STUB(WinHttpConnectionGetProxyInfo)
INTERNAL_STUB(WinHttpConnectionGetProxyList)
INTERNAL_STUB(WinHttpConnectionSetPolicyEntries)
INTERNAL_STUB(WinHttpConnectionSetProxyInfo)
INTERNAL_STUB(WinHttpConnectionUpdateIfIndexTable)
INTERNAL_STUB(WinHttpGetProxyForUrlHvsi)
INTERNAL_STUB(WinHttpGetTunnelSocket)
INTERNAL_STUB(WinHttpPacJsWorkerMain)
INTERNAL_STUB(WinHttpPalAcquireNextInterface)
INTERNAL_STUB(WinHttpPalAcquireNextInterfaceAsync)
INTERNAL_STUB(WinHttpPalCancelRequest)
INTERNAL_STUB(WinHttpPalCreateCmSessionReference)
INTERNAL_STUB(WinHttpPalCreateRequestCtx)
INTERNAL_STUB(WinHttpPalDllInit)
INTERNAL_STUB(WinHttpPalDllUnload)
INTERNAL_STUB(WinHttpPalFreeProxyInfo)
INTERNAL_STUB(WinHttpPalFreeRequestCtx)
INTERNAL_STUB(WinHttpPalGetProxyCreds)
INTERNAL_STUB(WinHttpPalGetProxyForCurrentInterface)
INTERNAL_STUB(WinHttpPalIsImplemented)
INTERNAL_STUB(WinHttpPalOnSendRequestComplete)
INTERNAL_STUB(WinHttpProbeConnectivity)
INTERNAL_STUB(WinHttpReadProxySettingsHvsi)
INTERNAL_STUB(WinHttpSaveProxyCredentials)
