/*
 * bcryptprimitives.dll stand-in for Wine releases that lack it (Wine 8.0 in Debian 12).
 *
 * Every Go binary since Go 1.22 takes its random numbers from ProcessPrng in
 * bcryptprimitives.dll and refuses to start without it. This DLL exports ProcessPrng over
 * BCryptGenRandom, which Wine does implement. It is only for running the GOOS=windows tests
 * under Wine in CI; real Windows (10 and later) ships the genuine DLL.
 */
#include <windows.h>
#include <bcrypt.h>

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len)
{
	while (len > 0) {
		/* BCryptGenRandom takes a ULONG: feed it at most 1 GiB at a time. */
		ULONG n = len > 0x40000000 ? 0x40000000 : (ULONG)len;
		if (!BCRYPT_SUCCESS(BCryptGenRandom(NULL, data, n, BCRYPT_USE_SYSTEM_PREFERRED_RNG)))
			return FALSE;
		data += n;
		len -= n;
	}
	return TRUE;
}
