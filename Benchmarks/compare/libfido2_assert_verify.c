/*
 * Baseline for `fidoctl verify batch`: the same ES256 assertions checked with libfido2's own
 * fido_assert_verify(), one after another, as a plain C program.
 *
 * Input: the file `fidoctl bench make-batch --hex-output FILE` writes, one assertion per line:
 *   rpId clientDataJSON-hex authenticatorData-hex signature-hex x-hex y-hex
 * It hashes clientDataJSON (SHA-256, OpenSSL), loads the public key, and calls
 * fido_assert_verify(). It does not parse clientDataJSON (challenge, origin, type): libfido2
 * leaves that to the relying party, so this baseline does less work than fidoctl does.
 * Prints the number of verified assertions; exits 1 if any failed.
 */
#include <fido.h>
#include <fido/es256.h>
#include <openssl/sha.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int nibble(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* Table-free, branch-light hex decoding, so input parsing does not slow the baseline down. */
static size_t unhex(const char *hex, unsigned char *out, size_t cap) {
    size_t n = strlen(hex) / 2;
    if (n > cap) return 0;
    for (size_t i = 0; i < n; i++) {
        int high = nibble(hex[2 * i]), low = nibble(hex[2 * i + 1]);
        if (high < 0 || low < 0) return 0;
        out[i] = (unsigned char)(high << 4 | low);
    }
    return n;
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: %s FILE.hex\n", argv[0]);
        return 64;
    }
    FILE *file = fopen(argv[1], "r");
    if (file == NULL) { perror(argv[1]); return 64; }
    fido_init(0);
    static char rp[256], cd[8192], ad[8192], sig[1024], x[130], y[130];
    unsigned char cdb[4096], adb[4096], sigb[512], point[65], hash[32];
    long verified = 0, failed = 0;
    while (fscanf(file, "%255s %8191s %8191s %1023s %129s %129s", rp, cd, ad, sig, x, y) == 6) {
        size_t cdn = unhex(cd, cdb, sizeof cdb), adn = unhex(ad, adb, sizeof adb), sign = unhex(sig, sigb, sizeof sigb);
        point[0] = 0x04;
        unhex(x, point + 1, 32);
        unhex(y, point + 33, 32);
        SHA256(cdb, cdn, hash);
        es256_pk_t *pk = es256_pk_new();
        fido_assert_t *assert = fido_assert_new();
        int ok = pk != NULL && assert != NULL &&
            es256_pk_from_ptr(pk, point, sizeof point) == FIDO_OK &&
            fido_assert_set_clientdata_hash(assert, hash, sizeof hash) == FIDO_OK &&
            fido_assert_set_rp(assert, rp) == FIDO_OK &&
            fido_assert_set_count(assert, 1) == FIDO_OK &&
            fido_assert_set_authdata_raw(assert, 0, adb, adn) == FIDO_OK &&
            fido_assert_set_sig(assert, 0, sigb, sign) == FIDO_OK &&
            fido_assert_verify(assert, 0, COSE_ES256, pk) == FIDO_OK;
        if (ok) verified++; else failed++;
        fido_assert_free(&assert);
        es256_pk_free(&pk);
    }
    fclose(file);
    printf("%ld verified, %ld failed\n", verified, failed);
    return failed == 0 ? 0 : 1;
}
