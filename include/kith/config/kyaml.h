/* Bounds on the YAML kith reads (settings and themes), before libyaml
 * builds a document from it.
 *
 * libyaml has no limit on nesting, and its scanner checks every open flow
 * level at every token: 100 KB of '[' took 12 s and 1 MB hung every
 * command. A settings file or a theme nests a handful of levels; more than
 * KYAML_DEPTH_MAX is refused where it happens, after reading little more
 * than that much. */
#ifndef KITH_KYAML_H
#define KITH_KYAML_H

#include "kith/util/kerr.h"

#include <stddef.h>

#define KYAML_DEPTH_MAX 32

/* K_OK when the n bytes at text nest no deeper than KYAML_DEPTH_MAX
 * sequences and mappings; otherwise K_USAGE with "LABEL:LINE:COLUMN:
 * nested deeper than 32 levels". YAML syntax errors are not reported here
 * (the parse that follows reports them, with their place). */
int kyaml_check_depth(const char *text, size_t n, const char *label, struct kerr *e);

#endif
