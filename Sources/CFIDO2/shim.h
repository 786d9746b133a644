// CFIDO2: the C surface of libfido2 (Debian: libfido2-dev) as FIDOKit uses it.
// Only the FIDO2 module imports this, with `internal import`, so libfido2's and OpenSSL's
// headers never reach FIDOKit's clients.
//
// No inline helpers are needed yet: every function FIDO2 calls is plain C that Swift imports.
#ifndef FIDOKIT_CFIDO2_SHIM_H
#define FIDOKIT_CFIDO2_SHIM_H

#include <fido.h>
#include <fido/config.h>
#include <fido/credman.h>
#include <fido/es256.h>
#include <fido/eddsa.h>
#include <fido/rs256.h>

#endif
