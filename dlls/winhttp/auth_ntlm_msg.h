/*
 * Checks of the NTLM messages a server sends (MS-NLMP), made before any
 * library sees them: gss-ntlmssp parses the CHALLENGE_MESSAGE itself, and
 * a message it cannot parse must not reach it (1.2.0 crashes on some; see
 * auth_gssapi.c).  Free of Win32 and sockets: unit-tested natively
 * (tests/unit/test_ntlm_msg.c) and fuzzed (tests/fuzz/fuzz_ntlm_msg.c).
 */
#ifndef WINHTTP_AUTH_NTLM_MSG_H
#define WINHTTP_AUTH_NTLM_MSG_H

#include <stddef.h>

/* "NTLMSSP\0", the signature of every NTLM message. */
#define NTLM_SIGNATURE "NTLMSSP"
#define NTLM_SIGNATURE_LEN 8

/* A CHALLENGE_MESSAGE (MS-NLMP 2.2.1.2) of len bytes: NULL when it is
 * well-formed, otherwise why not (a constant string, for a WARN trace). */
const char *ntlm_check_challenge(const unsigned char *msg, size_t len);

#endif /* WINHTTP_AUTH_NTLM_MSG_H */
