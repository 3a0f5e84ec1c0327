/* Where kith keeps its files, and creating them safely. */
#ifndef KITH_KPATH_H
#define KITH_KPATH_H

#include "kith/util/kerr.h"

/* The journal path when none is given: $KITH_DB, else
 * $XDG_DATA_HOME/kith/kith.db, else ~/.local/share/kith/kith.db.
 * Returns a new string (free()) or NULL with a message in e. */
char *kpath_default_db(struct kerr *e);
/* The config path when none is given: $KITH_CONFIG, else
 * $XDG_CONFIG_HOME/kith/config.yaml, else ~/.config/kith/config.yaml.
 * Returns a new string (free()) or NULL with a message in e. */
char *kpath_default_config(struct kerr *e);
/* The directory part of path as a new string (free()): "." when none. */
char *kpath_dirname(const char *path);
/* Creates dir and its missing parents; directories it creates get mode
 * `mode`. Existing directories are left as they are. */
int kpath_mkdirs(const char *dir, unsigned mode, struct kerr *e);
/* path with every symlink followed (the file's real name, when it exists)
 * and its directory made canonical (when only that exists); else path as
 * it is. A new string (free()). */
char *kpath_real(const char *path);
/* 1 when path exists (any type). */
int kpath_exists(const char *path);
/* The directory of the running executable (symbolic links resolved), as a
 * new string (free()), or NULL when the system does not say. */
char *kpath_exe_dir(void);

#endif
