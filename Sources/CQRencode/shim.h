// CQRencode: libqrencode (Debian: libqrencode-dev) as the QRCode module uses it. Only QRCode
// imports this.
#ifndef FIDOKIT_CQRENCODE_SHIM_H
#define FIDOKIT_CQRENCODE_SHIM_H

#include <qrencode.h>

#endif
