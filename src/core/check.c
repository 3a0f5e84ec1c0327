#include "kith/core/check.h"

#include "kith/util/kstr.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

int check_text(const char *field, const char *s, size_t max, struct kerr *e)
{
    if (!s)
        return K_OK;
    size_t n = strlen(s);
    if (n > max)
        return kerr_set_field(e, K_USAGE, field, "%s is %zu bytes long; the limit is %zu", field, n,
                              max);
    if (!utf8_valid(s, n))
        return kerr_set_field(e, K_USAGE, field, "%s is not valid UTF-8", field);
    return K_OK;
}

static int has_space_or_control(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s <= 0x20 || *s == 0x7F)
            return 1;
    return 0;
}

int check_tag(const char *s, char **out, struct kerr *e)
{
    *out = NULL;
    /* " #Infra " is the tag Infra, as "#Infra" is: the # after blanks too. */
    while (s && (*s == ' ' || *s == '\t'))
        s++;
    if (s && *s == '#')
        s++;
    while (s && (*s == ' ' || *s == '\t'))
        s++;
    size_t n = s ? strlen(s) : 0;
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    if (!n)
        return kerr_set_field(e, K_USAGE, "tag", "empty tag");
    char *t = kstr_ndup(s, n);
    if (check_text("tag", t, 100, e) != K_OK) {
        free(t);
        return K_USAGE;
    }
    for (const unsigned char *p = (const unsigned char *)t; *p; p++) {
        /* C0, DEL and (as UTF-8) C1 controls. */
        if (*p < 0x20 || *p == 0x7F || (*p == 0xC2 && p[1] >= 0x80 && p[1] <= 0x9F)) {
            char *shown = kstr_escape(t);
            kerr_set_field(e, K_USAGE, "tag", "tag '%s' has control characters", shown);
            free(shown);
            free(t);
            return K_USAGE;
        }
    }
    *out = t;
    return K_OK;
}

int check_word(const char *field, const char *s, struct kerr *e)
{
    if (!s || !*s)
        return kerr_set_field(e, K_USAGE, field, "%s is empty", field);
    if (strlen(s) > 40)
        return kerr_set_field(e, K_USAGE, field, "%s is longer than 40 characters", field);
    for (const char *p = s; *p; p++)
        if (!isalnum((unsigned char)*p) && *p != '-' && *p != '_')
            return kerr_set_field(e, K_USAGE, field, "%s '%s': use letters, digits, - and _ only",
                                  field, check_text(field, s, 40, NULL) == K_OK ? s : "?");
    return K_OK;
}

int check_email(const char *s, struct kerr *e)
{
    if (check_text("email", s, CHECK_SHORT_MAX, e) != K_OK)
        return K_USAGE;
    const char *at = strchr(s, '@');
    if (!at || at == s || !at[1] || strchr(at + 1, '@') || has_space_or_control(s))
        return kerr_set_field(e, K_USAGE, "email", "'%s' is not an email address", s);
    return K_OK;
}

int check_phone(const char *s, struct kerr *e)
{
    if (check_text("phone", s, 100, e) != K_OK)
        return K_USAGE;
    int digits = 0;
    for (const char *p = s; *p; p++) {
        if (isdigit((unsigned char)*p))
            digits++;
        else if (!strchr("+()-./ x", *p))
            return kerr_set_field(e, K_USAGE, "phone", "'%s' is not a phone number", s);
    }
    if (digits < 3)
        return kerr_set_field(e, K_USAGE, "phone", "'%s' is not a phone number", s);
    return K_OK;
}
