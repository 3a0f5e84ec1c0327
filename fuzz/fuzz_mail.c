/* libFuzzer target: the mail header reader must never crash, hang or leak
 * on any input, and what it accepts has addresses in lower case and a
 * subject on one line. */
#include "kith/core/mail.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct mail_msg m;
    struct kerr e;
    if (mail_parse((const char *)data, size, &m, &e) == K_OK) {
        if (!m.key || (!m.nfrom && !m.nrcpt))
            abort();
        for (size_t i = 0; i < m.nrcpt; i++)
            for (const char *p = m.rcpt[i].email; *p; p++)
                if (*p >= 'A' && *p <= 'Z')
                    abort();
        if (m.subject && (strchr(m.subject, '\n') || strchr(m.subject, '\r')))
            abort();
    }
    mail_msg_clear(&m);
    return 0;
}
