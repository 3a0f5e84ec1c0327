/* Ideas for today's networking act: concrete acts drawn from the journal,
 * each with the reason for it, ranked. "What can I do to help this
 * person?" answered from what the journal knows: thank-yous owed, advice to
 * report back on, birthdays, silences past a cadence, balances to mend,
 * introductions where one contact needs what another offers, and your own
 * offers (the config's me.offers) where someone needs them. */
#ifndef KITH_IDEAS_H
#define KITH_IDEAS_H

#include "kith/core/interaction.h"
#include "kith/core/journal.h"
#include "kith/util/model.h"

enum idea_type {
    IDEA_THANK,     /* thank a referrer you have not thanked */
    IDEA_REPORT,    /* report back to someone whose advice you took */
    IDEA_BIRTHDAY,  /* a birthday today or soon */
    IDEA_RECONNECT, /* silent past their cadence (their own, or a tag's) */
    IDEA_GIVE,      /* their balance is negative: you asked more than you gave */
    IDEA_INTRO,     /* one contact needs what another offers or works on */
    IDEA_SHARE,     /* one of your offers matches what they need */
    IDEA_TYPE_COUNT
};

/* "thank", "report-back", "birthday", "reconnect", "give", "intro",
 * "share". */
const char *idea_type_name(enum idea_type t);

struct idea {
    enum idea_type type;
    int score;          /* higher first */
    struct kref who[2]; /* the contacts of the act (an intro has two) */
    size_t nwho;
    char referral[KID_LEN + 1]; /* thank: the referral to thank them for, else "" */
    char *headline;             /* the act: "Thank Ana Ruiz for the intro to Dana Lee" */
    char *reason;               /* why: "she referred you on 2026-10-01, 52 days ago; ..." */
    /* The act to log, as the log form opens with it. */
    char *kind;
    enum kdir dir;
    char *summary;
};

struct idea_list {
    struct idea *v;
    size_t n;
};
/* Frees and zeroes l. Accepts NULL. */
void idea_list_clear(struct idea_list *l);
/* A deep copy of src into dst; free it with idea_clear. */
void idea_copy(struct idea *dst, const struct idea *src);
/* Frees the members of d and zeroes it. Accepts NULL. */
void idea_clear(struct idea *d);

/* Today's ideas, best first, at most limit (0: 20). The same journal on
 * the same day gives the same list in the same order, so that a number
 * shown by one command names the same idea in the next. Clear out with
 * idea_list_clear. */
int ideas_list(struct journal *j, size_t limit, struct idea_list *out, struct kerr *e);
/* l as a JSON array of {n, type, score, headline, reason, contacts: [{id,
 * name}], referral, act: {kind, direction, summary}}. *json: free(). */
int ideas_json(struct journal *j, const struct idea_list *l, char **json, struct kerr *e);

/* Acting on an idea: in one transaction, logs in (the idea's act, as the
 * user may have changed it), a thank-you for the idea's referral when it
 * has one and its referrer is among in's contacts, and ticks the act's day
 * of the running challenge with it. id and *ticked (may be NULL) as
 * interaction_log_act sets them; *thanked (may be NULL) 1 when a thank-you
 * was recorded. */
int ideas_act(struct journal *j, const struct idea *idea, const struct interaction_input *in,
              char id[KID_LEN + 1], int *ticked, int *thanked, struct kerr *e);

/* The words of text that matching compares, each folded and stemmed
 * ("investors" and "investing" both become "invest"), without the little
 * words; appended to out. For tests and the explanations. */
void ideas_words(const char *text, struct kstrlist *out);

#endif
