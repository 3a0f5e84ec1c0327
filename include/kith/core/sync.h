/* Core: one journal on several machines, through a folder any file transport
 * carries (Syncthing, a git work tree, a USB stick). kith never shares the
 * live journal: each journal is a replica (kith/store/dbsync.h) that writes its
 * own changes as immutable files and applies the others'.
 *
 * The folder:
 *   DIR/<replica>/<seq>.changeset   one replica's changes, numbered from 1
 *   DIR/<replica>/state             when it last synced, what it has applied,
 *                                   the newest format its kith reads
 *   DIR/<replica>/snapshot.kith     a copy of it to start a new replica from,
 *                                   written when it removes old files
 * Each replica writes only in its own folder, so two machines never write
 * the same file (no Syncthing conflict copies, no git merge conflicts).
 *
 * A changeset file: "KITHSYNC", the format version (4 bytes, big-endian),
 * the schema version of the journal that wrote it (4), the replica id (16
 * hex characters), the file's number (8) and its record count (4); each
 * record: its HLC stamp (8), the transaction's number (8), the changeset's
 * length (4) and the changeset (SQLite's session format); at the end an
 * FNV-1a 64 hash of everything before it (8). Format 2: a changeset that
 * sends rows again (a contact kept against a delete) also holds, as rows
 * of a table no journal has (sync_stamp), the stamp each of their values
 * had where they were sent from; a file of format 1 is read as it always
 * was (such rows take the stamp of their record). Format 3: a changeset
 * that sends many rows with their stamps (a journal's first, the whole
 * journal again) holds them as one row of sync_stamp_pack, a few bytes a
 * row, that a kith reading format 2 would miss (it refuses the file). */
#ifndef KITH_SYNC_H
#define KITH_SYNC_H

#include "kith/core/journal.h"

#include <stddef.h>

#define SYNC_FORMAT   3
#define SYNC_FILE_MAX (512u << 20)
/* A first file this large (a journal with about 2,000 contacts or more
 * turning sync on) comes with a snapshot for new machines to start from. */
#define SYNC_SNAPSHOT_FIRST (1u << 20)
/* The bytes of a file sent are kept to write it again if it is damaged in
 * the folder, up to this size: a larger one (thousands of contacts at
 * once) would sit in the journal twice until every replica applied it;
 * its repair is a snapshot instead. */
#define SYNC_KEEP_MAX (1u << 20)
/* And the kept bytes of all files together, newest first, up to this:
 * a journal alone in its folder keeps no more than this for ever. */
#define SYNC_KEEP_TOTAL (8u << 20)

#define SYNC_WAIT_MAX 8

enum sync_flags {
    SYNC_GIT = 1,  /* DIR is a git work tree: pull before, commit and push after */
    SYNC_MOVE = 2, /* the journal syncs through DIR from now on (the folder moved) */
};

struct sync_report {
    char replica[17];
    int started;        /* this run turned sync on */
    int adopted;        /* the journal started from a snapshot */
    long long sent;     /* the number of the file written, 0 for none */
    size_t sent_bytes;  /* the size of the files written */
    size_t files;       /* files of other replicas applied */
    size_t changes;     /* rows they changed */
    size_t conflicts;   /* conflicts resolved */
    size_t kept;        /* contacts kept against a delete */
    size_t pruned;      /* old files of this replica removed */
    int snapshot;       /* a snapshot was written */
    int refill;         /* this replica's folder had lost the files it sent: a
                         * snapshot stands for them (when none could be
                         * written, snapshot is 0) */
    char forgot_by[17]; /* refill: the replica that forgot this one ('kith
                         * sync forget' there removed its folder), or "" */
    int snap_again;     /* the folder had lost every snapshot, and changes only
                         * one holds: this replica left one (snapshot is 1) */
    int committed;      /* --git: a commit was made */
    size_t restored;    /* --git: other replicas' files changed here, put back
                         * as git holds them (never committed) */
    size_t dupes;       /* the likely duplicate pairs (as 'kith dupes' finds them)
                         * of a contact the applies added and one the journal
                         * held before: those this sync made */
    /* The challenge 'kith challenge' shows changed with the applies (one
     * started on another machine): the start days (kdate) of the one it
     * showed and the one it shows now; 0 when it did not change. */
    int challenge_was, challenge_now;
    /* Then, today (kdate) when the one it showed was ticked today and the
     * one it shows now, running today, is not: the tick stays with the
     * other. 0 else. */
    int challenge_tick_stayed;
    /* The id this journal wrote as until this run, when another journal
     * writes as it too (a copy, or this one restored from a backup); ""
     * else. The journal is replica `replica` from now on. */
    char was[17];
    char moved_from[4096]; /* SYNC_MOVE: the folder it synced through, or "" */
    int moved_left;        /* that folder is still there (a copy was made) */
    int partial;           /* K_ERR only as files were not applied (the notes said which) */
    /* Replicas whose next file has not arrived (a transport still
     * carrying it): their later files wait for it. Not an error. */
    size_t nwait;
    struct sync_wait {
        char replica[17];
        long long file;    /* the file waited for */
    } wait[SYNC_WAIT_MAX]; /* the first nwait (up to SYNC_WAIT_MAX) */
    /* Replicas whose next file is damaged (cut short or changed, not one
     * still arriving): their later files wait until it is written again.
     * Said in this replica's state, where its replica finds it. */
    size_t ndamaged;
    struct sync_damaged {
        char replica[17];
        long long file;
        int lost;     /* its replica no longer has it to write again */
        int old_kith; /* its replica runs a kith older than repair: upgrade it there */
    } damaged[SYNC_WAIT_MAX];
    /* This replica's files other replicas found damaged: written again
     * (rewrote), or no longer kept to be (lost: a snapshot stands for
     * them; nlost may exceed SYNC_WAIT_MAX, the first ones are listed). */
    size_t rewrote;
    size_t rewrote_gone; /* of those, missing from its folder (removed there) */
    size_t nlost;
    long long lost[SYNC_WAIT_MAX];
    int lost_said[SYNC_WAIT_MAX]; /* the last run said it lost: a snapshot stands for it */
    int lost_new;                 /* a file lost that the last run had not said */
};

/* A problem with one file or replica that did not stop the others. */
typedef void (*sync_note_fn)(const char *msg, void *ud);

/* Syncs the journal through dir. Problems with one replica's files are
 * notes (and the result is K_ERR once all else is done); a folder that is
 * missing or not a folder, or a journal that syncs elsewhere, is K_USAGE
 * with nothing done. */
int sync_run(struct journal *j, const char *dir, unsigned flags, sync_note_fn note, void *ud,
             struct sync_report *out, struct kerr *e);

/* 1 when dir is the top of a git work tree (its own repository, not a
 * folder inside some other one): 'kith sync' with no DIR syncs such a
 * folder as --git does. */
int sync_git_top(const char *dir);

/* What kith sync status shows. */
struct sync_status {
    char replica[17]; /* "" when sync is off */
    char *dir;        /* the folder (NULL when off) */
    int dir_missing;  /* the folder is not there (a stick not plugged in) */
    size_t unsent;    /* changes not yet in the folder */
    long long sent;   /* this replica's last file */
    int git_said;     /* 1: said with --git, 0: with --no-git, -1: never said */
    int git;          /* 'kith sync' alone syncs as a git work tree: as said, else
                       * when the folder is the top of one */
};
struct sync_peer_status {
    char replica[17];
    long long applied;   /* its last file applied here */
    char seen[32];       /* when it last synced, as its files say */
    int in_folder;       /* its folder is in the sync folder (0: forgotten; -1: the
                          * sync folder is not there) */
    long long has_ours;  /* this replica's last file it has applied; -1 unknown (no
                          * state file: its first sync never finished) */
    long long damaged;   /* its file this journal's last sync found damaged (its
                          * later files wait for it), 0 for none */
    int damaged_lost;    /* its replica no longer has that file to write again */
    int damaged_old;     /* its replica runs a kith older than repair: it never will */
    int damaged_foreign; /* kith did not write it there (past that replica's last file):
                          * to be removed from the folder by hand */
    int old_kith;        /* its kith cannot read this replica's next file it lacks (a
                          * newer changeset format or journal version): it applies
                          * none of them until kith is upgraded there */
    long long newer;     /* its next file to apply here is a newer kith's (a changeset
                          * format or journal version this kith does not read): it
                          * and its later files wait for an upgrade here; 0: none */
    long long pruned;    /* its files up to this one are no longer in the folder (0:
                          * none, or unknown): past applied, this journal cannot
                          * catch up with it (a backup restored after a prune) */
    long long reports;   /* this journal's file it found damaged, 0 for none */
    size_t nreports;     /* how many of them (the first SYNC_WAIT_MAX listed) */
    struct sync_reported {
        long long file;
        int lost; /* no longer kept here to write again: a snapshot stands for it */
    } reported[SYNC_WAIT_MAX];
};
typedef int (*sync_peer_fn)(const struct sync_peer_status *p, void *ud);
/* The status; the caller clears out with sync_status_clear. */
int sync_status(struct journal *j, struct sync_status *out, struct kerr *e);
/* Each other replica this journal has heard of, by id. */
int sync_peers(struct journal *j, sync_peer_fn fn, void *ud, struct kerr *e);
void sync_status_clear(struct sync_status *s);
/* Remembers whether the journal's folder syncs as a git work tree (1, 0),
 * or forgets it (-1: the folder's being the top of one decides). */
int sync_set_git(struct journal *j, int git, struct kerr *e);

/* Stops keeping files for another replica (a machine retired): removes its
 * folder from the sync folder, so this replica's old files no longer wait
 * for it. replica is its id or a unique start of it (4 characters or
 * more). git: 1 commits the removal in the folder's git work tree, 0 does
 * not, -1 as 'kith sync' alone would (sync_set_git's setting, else whether
 * the folder is the top of a work tree). K_USAGE, nothing removed: sync
 * off, no such replica or more than one, this journal itself; K_ERR,
 * nothing removed: the folder is not there or git refuses it (as a sync
 * is refused), it has files this journal has not applied (sync first), or
 * its folder holds what kith did not write. This journal keeps what it
 * applied of it; if that replica syncs again, it comes back. */
struct sync_forgot {
    char replica[17];
    char seen[32];  /* when it last synced, "" if unknown */
    size_t removed; /* files removed */
    int committed;  /* the folder is a git work tree: the removal is committed */
};
int sync_forget(struct journal *j, const char *replica, int git, struct sync_forgot *out,
                struct kerr *e);

/* A copy a sync tool made of one of kith's files in the folder when two
 * versions of it met (Syncthing's "5.sync-conflict-...changeset",
 * Dropbox's "state (Ana's conflicted copy 2026-12-06)", Nextcloud's and
 * ownCloud's "(conflicted copy ...)"). kith never applies one: its files
 * never change once written, so a copy of a changeset holds what the file
 * holds, and a copy of a state or a snapshot is an old one. They are safe
 * to delete; 'kith sync forget' removes them with the replica's folder.
 * But for one case: a copy of a changeset whose bytes differ from the file
 * means two journals write as one replica (a journal file copied to
 * another machine instead of synced): its changes are nowhere else. */
struct sync_copy {
    const char *replica; /* the replica folder it is in */
    const char *name;    /* its file name */
    const char *of;      /* the name of kith's file it is a copy of */
    int differs;         /* a changeset's copy: 1 when its bytes differ from the file's,
                          * 2 when the file is not there (the copy is the only one) */
};
typedef int (*sync_copy_fn)(const struct sync_copy *c, void *ud);
/* Each conflict copy in the journal's sync folder, by replica then name
 * (none when sync is off or the folder is not there); c is valid during
 * the call only, fn returns nonzero to stop. */
int sync_copies(struct journal *j, sync_copy_fn fn, void *ud, struct kerr *e);

/* The conflicts kith's sync resolved with an id above after (0: all),
 * oldest first; c is valid during the call only, cb returns nonzero to
 * stop. last gets the newest conflict's id (of any source), to list what
 * one run adds. */
typedef int (*sync_conflict_fn)(const struct kconflict *c, void *ud);
int sync_conflicts(struct journal *j, long long after, sync_conflict_fn cb, void *ud,
                   struct kerr *e);
int sync_conflict_last(struct journal *j, long long *last, struct kerr *e);

/* The conflicts resolved since a front end last asked (each is told
 * once): how many, into n. */
int sync_conflicts_news(struct journal *j, long long *n, struct kerr *e);

/* Decodes a changeset file (for tests and the fuzzer): K_OK with the header
 * fields, else K_ERR with what is wrong. */
struct sync_file {
    unsigned format, schema;
    char replica[17];
    long long seq;
    size_t nrec;
    struct sync_rec_view {
        long long hlc, txseq;
        const void *buf;
        size_t n;
    } * rec; /* points into the buffer decoded; free() the array */
};
int sync_file_decode(const void *buf, size_t n, struct sync_file *out, struct kerr *e);

#endif
