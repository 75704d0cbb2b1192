/*
 * gateway.h - the legacy payment gateway SDK that this example wraps.
 *
 * It is written the way old vendor SDKs are: integer status codes, output written into buffers the
 * caller owns, one global ledger opened by gw_open, and no thread safety (callers serialize every
 * gw_* call). The payment processor behind it is simulated in-process: every authorization, capture
 * and refund it approves is appended to a ledger file and fsync'd before the call returns. That file
 * stands for the processor's own record of the money it moved.
 *
 * Sandbox test cards (all Luhn-valid) steer the SDK into the failures a production integration has
 * to survive; any other well-formed card number is approved:
 *
 *   4000000000001000  declined
 *   4000000000002008  dereferences NULL before charging (SIGSEGV)
 *   4000000000003006  charges, then dereferences NULL before returning (SIGSEGV)
 *   4000000000004004  sleeps for an hour before charging
 *   4000000000005001  returns GW_OK with an unterminated, out-of-spec transaction id
 */
#ifndef GATEWAY_H
#define GATEWAY_H

#include <stddef.h>

#define GW_OK 0
#define GW_DECLINED 1
#define GW_BAD_CARD 2
#define GW_BAD_AMOUNT 3
#define GW_BAD_CURRENCY 4
#define GW_BAD_REFERENCE 5
#define GW_UNKNOWN_TRANSACTION 6
#define GW_AMOUNT_EXCEEDED 7
#define GW_NOT_FOUND 8
#define GW_BUFFER_TOO_SMALL 9
#define GW_LEDGER_ERROR 10
#define GW_NOT_OPEN 11

/* A transaction id is "TX" and 10 digits; output buffers need one more byte for the NUL. */
#define GW_TRANSACTION_ID_SIZE 13

/* A reference (the merchant's name for a request) is 1 to 64 printable ASCII characters, no spaces. */
#define GW_REFERENCE_MAX 64

/*
 * Opens (or creates) the ledger and loads it. An incomplete last line, left by a write that was cut
 * short, is removed; any other damage is GW_LEDGER_ERROR. Call once, before anything else.
 */
int gw_open(const char *ledger_path);

/* Authorizes `amount` minor units of `currency` (ISO 4217 letters) on `card` (12 to 19 digits). */
int gw_authorize(const char *reference, const char *card, long amount, const char *currency,
                 char *transaction_id, size_t transaction_id_size);

/* Captures up to what is left of an authorization, in its currency. */
int gw_capture(const char *reference, const char *authorization_id, long amount, const char *currency,
               char *transaction_id, size_t transaction_id_size);

/* Refunds up to what has been captured and not yet refunded on an authorization. */
int gw_refund(const char *reference, const char *authorization_id, long amount, const char *currency,
              char *transaction_id, size_t transaction_id_size);

/*
 * Looks up the transaction the processor recorded under `reference`: GW_OK with its id and amount,
 * or GW_NOT_FOUND. This is how a caller learns whether a request whose answer it lost went through.
 */
int gw_inquire(const char *reference, char *transaction_id, size_t transaction_id_size, long *amount);

#endif
