/* libFuzzer target: the date parsers (kdate_parse, kdate_parse_iso,
 * kdate_parse_birthday, and import's card_parse_date for the dates
 * services write) must never crash or overflow on any text, and what they
 * accept must come back unchanged through the formatter or be a real day.
 * The LinkedIn profile reader rides along: its answer is one spelling. */
#include "kith/core/card.h"
#include "kith/util/kdate.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* The parsers take C strings: stop at the first NUL as argv would. */
    char *s = malloc(size + 1);
    memcpy(s, data, size);
    s[size] = '\0';
    struct kerr e;
    char buf[KDATE_BUF], again[KDATE_BUF], ago[16];
    int d, d2, y, m, dd;
    /* Any day a journal can hold may be "today". */
    static const int todays[] = {-719162, 0, 20779, 2932896};

    if (kdate_parse_iso(s, &d, &e) == K_OK) {
        kdate_to_ymd(d, &y, &m, &dd);
        if (!kdate_valid_ymd(y, m, dd) || strcmp(kdate_format(d, buf), s))
            abort();
    }
    for (size_t i = 0; i < sizeof todays / sizeof todays[0]; i++) {
        if (kdate_parse(s, todays[i], &d, &e) == K_OK) {
            kdate_format(d, buf);
            kdate_ago(todays[i] - d, ago);
        } else if (!e.msg[0]) {
            abort();
        }
    }
    if (kdate_parse_birthday(s, buf, &e) == K_OK) {
        if (kdate_parse_birthday(buf, again, &e) != K_OK || strcmp(buf, again))
            abort();
        if (strlen(buf) == 10 && kdate_parse_iso(buf, &d2, &e) != K_OK)
            abort();
    }
    for (int order = CARD_MDY; order <= CARD_DMY; order++) {
        int amb;
        int rc = card_parse_date(s, (enum card_date_order)order, 2026, &y, &m, &dd, &amb);
        if (rc == 0 && (y < 0 || y > 9999 || !kdate_valid_ymd(y ? y : 2000, m, dd)))
            abort();
        if (rc < -1 || rc > 1)
            abort();
    }
    char *li = card_linkedin(s);
    if (li) {
        char *again2 = card_linkedin(li);
        if (!again2 || strcmp(li, again2))
            abort();
        free(again2);
    }
    free(li);
    free(s);
    return 0;
}
