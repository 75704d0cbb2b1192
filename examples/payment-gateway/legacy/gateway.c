/*
 * gateway.c - the legacy SDK of gateway.h, with its simulated processor.
 *
 * The ledger is a text file: a header line, then one line per approved transaction,
 *
 *   TX0000000001 AUTH <reference> <amount> <currency> <last 4 card digits>
 *   TX0000000002 CAPT <reference> <amount> <currency> <authorization id>
 *   TX0000000003 RFND <reference> <amount> <currency> <authorization id>
 *
 * appended with one write() and fsync'd before the call that made it returns. Transaction ids count
 * the lines. The whole ledger is also kept in memory, so lookups never read the file.
 */
#define _POSIX_C_SOURCE 200809L

#include "gateway.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define LEDGER_HEADER "SANDBOX-GATEWAY-LEDGER 1\n"
#define FIELDS_PER_LINE 6
/* Ids have 10 digits, so a ledger holds at most this many transactions. */
#define MAX_TRANSACTIONS 9999999999UL
/* Id, kind, the longest reference and amount, currency, an id, five spaces, the newline and the NUL. */
#define LINE_MAX_BYTES (12 + 4 + GW_REFERENCE_MAX + 20 + 3 + 12 + 5 + 1 + 1)

enum kind { AUTHORIZATION, CAPTURE, REFUND };

static const char *const kind_names[] = {"AUTH", "CAPT", "RFND"};

struct transaction {
    enum kind kind;
    char reference[GW_REFERENCE_MAX + 1];
    long amount;
    char currency[4];
    /* Captures and refunds: the index of their authorization. */
    size_t authorization;
    /* Authorizations: what their captures and refunds add up to. */
    long captured;
    long refunded;
};

static int ledger_fd = -1;
static struct transaction *transactions;
static size_t transaction_count;
static size_t transaction_capacity;

enum sandbox_behaviour { APPROVE, DECLINE, CRASH_BEFORE_CHARGE, CRASH_AFTER_CHARGE, HANG, GARBAGE };

static const struct {
    const char *card;
    enum sandbox_behaviour behaviour;
} sandbox_cards[] = {
    {"4000000000001000", DECLINE},
    {"4000000000002008", CRASH_BEFORE_CHARGE},
    {"4000000000003006", CRASH_AFTER_CHARGE},
    {"4000000000004004", HANG},
    {"4000000000005001", GARBAGE},
};

static enum sandbox_behaviour behaviour_of(const char *card) {
    for (size_t i = 0; i < sizeof sandbox_cards / sizeof sandbox_cards[0]; i++) {
        if (strcmp(card, sandbox_cards[i].card) == 0) return sandbox_cards[i].behaviour;
    }
    return APPROVE;
}

/*
 * The bug the crash cards stand for: a lookup that can fail, used without a check. Both the pointer
 * and what it points to are volatile: the compiler can neither see that the pointer is NULL (it would
 * emit a trap instruction instead) nor drop the store as unused, so this is a real store to address
 * 0, and a SIGSEGV.
 */
static void dereference_null(void) {
    volatile int *volatile issuer = NULL;
    *issuer = 1;
}

static int is_reference(const char *text) {
    size_t length = 0;
    for (; text[length] != '\0'; length++) {
        unsigned char c = (unsigned char)text[length];
        if (length == GW_REFERENCE_MAX || c < 0x21 || c > 0x7e) return 0;
    }
    return length > 0;
}

static int is_digits(const char *text, size_t min, size_t max) {
    size_t length = 0;
    for (; text[length] != '\0'; length++) {
        if (length == max || text[length] < '0' || text[length] > '9') return 0;
    }
    return length >= min;
}

static int is_currency(const char *text) {
    for (size_t i = 0; i < 3; i++) {
        if (text[i] < 'A' || text[i] > 'Z') return 0;
    }
    return text[3] == '\0';
}

/* "TX" and the 10-digit, 1-based position of the transaction in the ledger. */
static void format_transaction_id(size_t index, char *out) {
    size_t number = index + 1;
    out[0] = 'T';
    out[1] = 'X';
    for (int digit = GW_TRANSACTION_ID_SIZE - 2; digit >= 2; digit--) {
        out[digit] = (char)('0' + number % 10);
        number /= 10;
    }
    out[GW_TRANSACTION_ID_SIZE - 1] = '\0';
}

/* The index of the transaction `id` names, or -1. */
static long find_transaction(const char *id) {
    if (strncmp(id, "TX", 2) != 0 || !is_digits(id + 2, 10, 10)) return -1;
    unsigned long number = strtoul(id + 2, NULL, 10);
    if (number == 0 || number > transaction_count) return -1;
    return (long)(number - 1);
}

/* A positive decimal amount that fits a long, or -1. */
static long parse_amount(const char *text) {
    if (!is_digits(text, 1, 19)) return -1;
    errno = 0;
    long amount = strtol(text, NULL, 10);
    return errno == 0 && amount > 0 ? amount : -1;
}

static int reserve_one(void) {
    if (transaction_count >= MAX_TRANSACTIONS) return 0;
    if (transaction_count < transaction_capacity) return 1;
    size_t capacity = transaction_capacity == 0 ? 1024 : transaction_capacity * 2;
    struct transaction *grown = realloc(transactions, capacity * sizeof *grown);
    if (grown == NULL) return 0;
    transactions = grown;
    transaction_capacity = capacity;
    return 1;
}

/* Adds a transaction to the in-memory ledger; the caller has checked it and reserved room. */
static void remember(enum kind kind, const char *reference, long amount, const char *currency, size_t authorization) {
    struct transaction *added = &transactions[transaction_count++];
    memset(added, 0, sizeof *added);
    added->kind = kind;
    strcpy(added->reference, reference);
    added->amount = amount;
    strcpy(added->currency, currency);
    added->authorization = authorization;
    if (kind == CAPTURE) transactions[authorization].captured += amount;
    if (kind == REFUND) transactions[authorization].refunded += amount;
}

/* What a capture (or a refund) of `authorization` may still take. */
static long amount_left(enum kind kind, const struct transaction *authorization) {
    return kind == CAPTURE ? authorization->amount - authorization->captured
                           : authorization->captured - authorization->refunded;
}

/* The kind a ledger line names, or -1. */
static int parse_kind(const char *name) {
    for (int kind = AUTHORIZATION; kind <= REFUND; kind++) {
        if (strcmp(name, kind_names[kind]) == 0) return kind;
    }
    return -1;
}

static int write_all(int fd, const char *bytes, size_t length) {
    while (length > 0) {
        ssize_t written = write(fd, bytes, length);
        if (written < 0 && errno == EINTR) continue;
        if (written <= 0) return 0;
        bytes += written;
        length -= (size_t)written;
    }
    return 1;
}

/* fsync on the directory, so a newly created ledger's name survives a power cut too. */
static int sync_directory_of(const char *path) {
    const char *slash = strrchr(path, '/');
    char directory[4096] = ".";
    if (slash == path) {
        strcpy(directory, "/");
    } else if (slash != NULL) {
        size_t length = (size_t)(slash - path);
        if (length >= sizeof directory) return 0;
        memcpy(directory, path, length);
        directory[length] = '\0';
    }
    int fd = open(directory, O_RDONLY | O_DIRECTORY);
    if (fd < 0) return 0;
    int synced = fsync(fd) == 0;
    close(fd);
    return synced;
}

/* Appends one transaction to the ledger file and to memory; its id goes to `transaction_id`. */
static int record(enum kind kind, const char *reference, long amount, const char *currency, const char *detail,
                  size_t authorization, char *transaction_id) {
    if (!reserve_one()) return GW_LEDGER_ERROR;
    char id[GW_TRANSACTION_ID_SIZE];
    format_transaction_id(transaction_count, id);
    char line[LINE_MAX_BYTES];
    int length = snprintf(line, sizeof line, "%s %s %s %ld %s %s\n", id, kind_names[kind], reference, amount,
                          currency, detail);
    if (length < 0 || (size_t)length >= sizeof line) return GW_LEDGER_ERROR;
    if (!write_all(ledger_fd, line, (size_t)length) || fsync(ledger_fd) != 0) {
        /* The file may now end in part of a line: stop, so that only gw_open (which repairs it) goes on. */
        close(ledger_fd);
        ledger_fd = -1;
        return GW_LEDGER_ERROR;
    }
    remember(kind, reference, amount, currency, authorization);
    memcpy(transaction_id, id, GW_TRANSACTION_ID_SIZE);
    return GW_OK;
}

/* Loads one complete ledger line (NUL-terminated, newline removed); 0 if it is not well-formed. */
static int load_line(char *line) {
    char *fields[FIELDS_PER_LINE];
    size_t count = 0;
    for (char *field = line;; field++) {
        if (count == FIELDS_PER_LINE) return 0;
        fields[count++] = field;
        field = strchr(field, ' ');
        if (field == NULL) break;
        *field = '\0';
    }
    if (count != FIELDS_PER_LINE) return 0;
    char expected_id[GW_TRANSACTION_ID_SIZE];
    format_transaction_id(transaction_count, expected_id);
    long amount = parse_amount(fields[3]);
    if (strcmp(fields[0], expected_id) != 0 || !is_reference(fields[2]) || amount < 0 || !is_currency(fields[4])) {
        return 0;
    }
    int kind = parse_kind(fields[1]);
    if (kind < 0 || !reserve_one()) return 0;
    if (kind == AUTHORIZATION) {
        if (!is_digits(fields[5], 4, 4)) return 0;
        remember(AUTHORIZATION, fields[2], amount, fields[4], 0);
        return 1;
    }
    long authorization = find_transaction(fields[5]);
    if (authorization < 0 || transactions[authorization].kind != AUTHORIZATION ||
        strcmp(transactions[authorization].currency, fields[4]) != 0 ||
        amount > amount_left((enum kind)kind, &transactions[authorization])) {
        return 0;
    }
    remember((enum kind)kind, fields[2], amount, fields[4], (size_t)authorization);
    return 1;
}

/* Reads the whole file into a NUL-terminated buffer; NULL on failure. */
static char *read_file(int fd, size_t *size) {
    struct stat status;
    if (fstat(fd, &status) != 0) return NULL;
    *size = (size_t)status.st_size;
    char *bytes = malloc(*size + 1);
    if (bytes == NULL) return NULL;
    size_t done = 0;
    while (done < *size) {
        ssize_t got = pread(fd, bytes + done, *size - done, (off_t)done);
        if (got < 0 && errno == EINTR) continue;
        if (got <= 0) {
            free(bytes);
            return NULL;
        }
        done += (size_t)got;
    }
    bytes[*size] = '\0';
    return bytes;
}

/* Loads the lines after the header; cuts off an incomplete last line. 0 if a complete line is damaged. */
static int load_ledger(int fd, char *bytes, size_t size) {
    size_t at = strlen(LEDGER_HEADER);
    for (char *newline; (newline = memchr(bytes + at, '\n', size - at)) != NULL;) {
        *newline = '\0';
        if (!load_line(bytes + at)) return 0;
        at = (size_t)(newline - bytes) + 1;
    }
    /* Bytes after the last newline are a line whose write was cut short: it never returned GW_OK. */
    return at == size || (ftruncate(fd, (off_t)at) == 0 && fsync(fd) == 0);
}

int gw_open(const char *ledger_path) {
    if (ledger_fd >= 0) return GW_OK;
    int fd = open(ledger_path, O_RDWR | O_CREAT | O_APPEND, 0600);
    if (fd < 0) return GW_LEDGER_ERROR;
    size_t size = 0;
    char *bytes = read_file(fd, &size);
    size_t header_length = strlen(LEDGER_HEADER);
    int loaded = 0;
    if (bytes != NULL && size < header_length && memcmp(bytes, LEDGER_HEADER, size) == 0) {
        /* New, or its creation was cut short. */
        loaded = ftruncate(fd, 0) == 0 && write_all(fd, LEDGER_HEADER, header_length) && fsync(fd) == 0;
    } else if (bytes != NULL && memcmp(bytes, LEDGER_HEADER, header_length) == 0) {
        loaded = load_ledger(fd, bytes, size);
    }
    free(bytes);
    if (!loaded || !sync_directory_of(ledger_path)) {
        close(fd);
        transaction_count = 0;
        return GW_LEDGER_ERROR;
    }
    ledger_fd = fd;
    return GW_OK;
}

int gw_authorize(const char *reference, const char *card, long amount, const char *currency,
                 char *transaction_id, size_t transaction_id_size) {
    if (ledger_fd < 0) return GW_NOT_OPEN;
    if (!is_reference(reference)) return GW_BAD_REFERENCE;
    if (!is_digits(card, 12, 19)) return GW_BAD_CARD;
    if (amount <= 0) return GW_BAD_AMOUNT;
    if (!is_currency(currency)) return GW_BAD_CURRENCY;
    if (transaction_id_size < GW_TRANSACTION_ID_SIZE) return GW_BUFFER_TOO_SMALL;
    enum sandbox_behaviour behaviour = behaviour_of(card);
    switch (behaviour) {
    case DECLINE:
        return GW_DECLINED;
    case CRASH_BEFORE_CHARGE:
        dereference_null();
        break;
    case HANG:
        /* A processor that never answers; sleep() returns early when a signal interrupts it. */
        for (unsigned int left = 3600; left > 0;) left = sleep(left);
        break;
    case GARBAGE: {
        /* The SDK copies the processor's raw reply into the buffer, unchecked and unterminated. */
        static const char raw_reply[] = "\x02" "APPROVED?\xff\xfe#";
        for (size_t i = 0; i < transaction_id_size; i++) transaction_id[i] = raw_reply[i % (sizeof raw_reply - 1)];
        return GW_OK;
    }
    default:
        break;
    }
    const char *last4 = card + strlen(card) - 4;
    int status = record(AUTHORIZATION, reference, amount, currency, last4, 0, transaction_id);
    if (status == GW_OK && behaviour == CRASH_AFTER_CHARGE) dereference_null();
    return status;
}

static int follow_up(enum kind kind, const char *reference, const char *authorization_id, long amount,
                     const char *currency, char *transaction_id, size_t transaction_id_size) {
    if (ledger_fd < 0) return GW_NOT_OPEN;
    if (!is_reference(reference)) return GW_BAD_REFERENCE;
    if (amount <= 0) return GW_BAD_AMOUNT;
    if (!is_currency(currency)) return GW_BAD_CURRENCY;
    if (transaction_id_size < GW_TRANSACTION_ID_SIZE) return GW_BUFFER_TOO_SMALL;
    long authorization = find_transaction(authorization_id);
    if (authorization < 0 || transactions[authorization].kind != AUTHORIZATION) return GW_UNKNOWN_TRANSACTION;
    if (strcmp(transactions[authorization].currency, currency) != 0) return GW_BAD_CURRENCY;
    if (amount > amount_left(kind, &transactions[authorization])) return GW_AMOUNT_EXCEEDED;
    return record(kind, reference, amount, currency, authorization_id, (size_t)authorization, transaction_id);
}

int gw_capture(const char *reference, const char *authorization_id, long amount, const char *currency,
               char *transaction_id, size_t transaction_id_size) {
    return follow_up(CAPTURE, reference, authorization_id, amount, currency, transaction_id, transaction_id_size);
}

int gw_refund(const char *reference, const char *authorization_id, long amount, const char *currency,
              char *transaction_id, size_t transaction_id_size) {
    return follow_up(REFUND, reference, authorization_id, amount, currency, transaction_id, transaction_id_size);
}

int gw_inquire(const char *reference, char *transaction_id, size_t transaction_id_size, long *amount) {
    if (ledger_fd < 0) return GW_NOT_OPEN;
    if (!is_reference(reference)) return GW_BAD_REFERENCE;
    if (transaction_id_size < GW_TRANSACTION_ID_SIZE) return GW_BUFFER_TOO_SMALL;
    for (size_t i = transaction_count; i-- > 0;) {
        if (strcmp(transactions[i].reference, reference) == 0) {
            format_transaction_id(i, transaction_id);
            *amount = transactions[i].amount;
            return GW_OK;
        }
    }
    return GW_NOT_FOUND;
}
