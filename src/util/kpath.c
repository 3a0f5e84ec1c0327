#include "kith/util/kpath.h"

#include "kith/util/kstr.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char *xdg_path(const char *env_override, const char *xdg_var, const char *home_rel,
                      const char *file, struct kerr *e)
{
    const char *v = getenv(env_override);
    if (v && *v)
        return kstr_dup(v);
    struct sbuf b = {0};
    const char *x = getenv(xdg_var);
    if (x && x[0] == '/') {
        sbuf_printf(&b, "%s/kith/%s", x, file);
        return sbuf_take(&b);
    }
    const char *home = getenv("HOME");
    if (!home || !*home) {
        kerr_set(e, K_ERR, "cannot find the home directory: set HOME or %s", env_override);
        return NULL;
    }
    sbuf_printf(&b, "%s/%s/kith/%s", home, home_rel, file);
    return sbuf_take(&b);
}

char *kpath_default_db(struct kerr *e)
{
    return xdg_path("KITH_DB", "XDG_DATA_HOME", ".local/share", "kith.db", e);
}

char *kpath_default_config(struct kerr *e)
{
    return xdg_path("KITH_CONFIG", "XDG_CONFIG_HOME", ".config", "config.yaml", e);
}

char *kpath_dirname(const char *path)
{
    const char *slash = path ? strrchr(path, '/') : NULL;
    if (!slash)
        return kstr_dup(".");
    if (slash == path)
        return kstr_dup("/");
    return kstr_ndup(path, (size_t)(slash - path));
}

int kpath_mkdirs(const char *dir, unsigned mode, struct kerr *e)
{
    char *p = kstr_dup(dir);
    int rc = K_OK;
    size_t n = strlen(p);
    for (size_t i = 1; i <= n; i++) {
        if (p[i] != '/' && p[i] != '\0')
            continue;
        char c = p[i];
        p[i] = '\0';
        if (mkdir(p, (mode_t)mode) != 0 && errno != EEXIST) {
            rc = kerr_set(e, K_ERR, "cannot create directory %s: %s", p, strerror(errno));
            goto out;
        }
        p[i] = c;
    }
out:
    free(p);
    return rc;
}

int kpath_exists(const char *path)
{
    struct stat st;
    return path && stat(path, &st) == 0;
}

char *kpath_exe_dir(void)
{
    char buf[4096];
    ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
    if (n <= 0 || (size_t)n >= sizeof buf - 1)
        return NULL;
    buf[n] = '\0';
    char *slash = strrchr(buf, '/');
    if (!slash)
        return NULL;
    *slash = '\0';
    return kstr_dup(buf[0] ? buf : "/");
}

char *kpath_real(const char *path)
{
    char *r = realpath(path, NULL);
    if (r)
        return r;
    char *dir = kpath_dirname(path), *rdir = realpath(dir, NULL);
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    if (rdir && *base && strcmp(base, ".") && strcmp(base, "..")) {
        struct sbuf b = {0};
        sbuf_printf(&b, "%s%s%s", rdir, strcmp(rdir, "/") ? "/" : "", base);
        r = sbuf_take(&b);
    } else {
        r = kstr_dup(path);
    }
    free(rdir);
    free(dir);
    return r;
}
