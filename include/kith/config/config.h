/* Settings: the YAML configuration file and its built-in defaults.
 *
 * The defaults are exactly what config.example.yaml says. A struct config
 * is owned by whoever loaded it and released with config_free. */
#ifndef KITH_CONFIG_H
#define KITH_CONFIG_H

#include "kith/util/kerr.h"
#include "kith/util/model.h"

#include <stddef.h>

/* A known interaction kind. default_direction is "gave", "asked" or
 * "mutual". */
struct config_kind {
    char *name;
    char *label;
    char *default_direction;
};

/* What one interaction of a kind is worth per direction; kind "*" applies to
 * kinds without their own entry. */
struct config_weight {
    char *kind;
    int gave, asked, mutual;
};

/* The triggers, named for the config's `on:` (model.h spells them). */
enum config_trigger {
    CONFIG_ON_REFERRAL = KTRIGGER_REFERRAL,
    CONFIG_ON_INTERACTION = KTRIGGER_INTERACTION,
    CONFIG_ON_SILENCE = KTRIGGER_SILENCE,
    CONFIG_ON_BIRTHDAY = KTRIGGER_BIRTHDAY,
    CONFIG_ON_GOODWILL = KTRIGGER_GOODWILL,
    CONFIG_ON_CHALLENGE = KTRIGGER_CHALLENGE,
};

enum config_priority { CONFIG_PRIO_HIGH = 0, CONFIG_PRIO_NORMAL = 1, CONFIG_PRIO_LOW = 2 };

/* One reminder rule (see config.example.yaml for the meaning of each key).
 * Numbers that a trigger does not use are -1; empty lists have n == 0. */
struct config_rule {
    char *id;
    enum config_trigger on;
    enum config_priority priority;
    char *message;
    int after_days;  /* referral, interaction */
    int days;        /* silence: due after this many days */
    int max_days;    /* silence: overdue after this many days */
    int cadence_contact; /* silence: each contact's own cadence for days (cadence: contact) */
    int days_before; /* birthday */
    int below;       /* goodwill: at or below this balance; INT_MIN when unset */
    char **tags;
    size_t ntags;
    char **kinds;
    size_t nkinds;
    char *direction; /* NULL for any */
    char **outcomes;
    size_t noutcomes;
};

struct config {
    char *path;              /* the file loaded, or NULL for the built-in defaults */
    char *database;          /* journal path from the file, or NULL */
    char *theme;             /* theme name or path; "default" when unset */
    int challenge_days;      /* default length of a new challenge */
    int challenge_past_days; /* how many days back a tick may still be made */
    int challenge_grace_days; /* empty days in a row a streak survives */
    int challenge_auto_tick;  /* a gave/mutual act or a pay-it-forward ticks its day */
    struct config_kind *kinds;
    size_t nkinds;
    struct config_weight *weights;
    size_t nweights;
    int goodwill_show;
    struct config_rule *rules;
    size_t nrules;
    char **notify_command; /* argv, NULL-terminated; NULL when unset */
    char **me;             /* the user's own email addresses, lower case */
    size_t nme;
    char **me_offers; /* what the user can help others with (kith ideas) */
    size_t nme_offers;
};

/* A new config holding the built-in defaults. Never NULL. */
struct config *config_defaults(void);
/* The text of config.example.yaml, compiled in: what config_defaults
 * parses and `kith config defaults` prints. Static storage. */
const char *config_example_text(void);
/* Loads path over the defaults: scalars and goodwill weights override them
 * key by key; kinds, rules and notify_command replace them as a whole.
 * Every problem found is reported (one per line, as
 * "path:line:column: message") in e with status K_USAGE, and *out stays
 * NULL; when the messages do not fit in e, the last line says how many more
 * there are. The file is only read. */
int config_load(const char *path, struct config **out, struct kerr *e);
/* "referral", "interaction", ... */
const char *config_trigger_name(enum config_trigger t);
/* "high", "normal", "low". */
const char *config_priority_name(enum config_priority p);
/* Frees c and sets *c to NULL. Accepts NULL and *c == NULL. */
void config_free(struct config **c);
/* The kind entry named name, or NULL. */
const struct config_kind *config_kind_find(const struct config *c, const char *name);

#endif
