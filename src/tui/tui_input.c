#include "kith/tui/tui_input.h"

#include <curses.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* Pastes are read through a window of their own that is never drawn on,
 * so that reading never refreshes a window over the dialogs. */
static WINDOW *paste_w;
static int gone;

void tui_input_start(void)
{
    define_key("\033[200~", TUI_KEY_PASTE_BEGIN);
    define_key("\033[201~", TUI_KEY_PASTE_END);
    if (!paste_w) {
        paste_w = newwin(1, 1, 0, 0);
        if (paste_w) {
            keypad(paste_w, TRUE);
            leaveok(paste_w, TRUE);
        }
    }
    fputs("\033[?2004h", stdout);
    fflush(stdout);
}

void tui_input_stop(void)
{
    fputs("\033[?2004l", stdout);
    fflush(stdout);
}

int tui_input_gone(void)
{
    if (gone)
        return 1;
    struct pollfd p = {STDIN_FILENO, POLLIN, 0};
    int n = poll(&p, 1, 0);
    /* A hang-up, an error or a closed descriptor: nothing will ever be
     * read again. */
    if ((n > 0 && (p.revents & (POLLHUP | POLLERR | POLLNVAL))) || (n < 0 && errno == EBADF))
        gone = 1;
    return gone;
}

int tui_input_paste(struct sbuf *out)
{
    int cut = 0, cr = 0;
    WINDOW *w = paste_w ? paste_w : stdscr;
    wtimeout(w, 1000);
    for (;;) {
        wint_t ch;
        int kind = wget_wch(w, &ch);
        if (kind == ERR)
            break; /* the end marker never came, or the terminal went */
        if (kind == KEY_CODE_YES) {
            if (ch == TUI_KEY_PASTE_END)
                break;
            continue;
        }
        /* "\r\n", "\r" and "\n" are each one line end. */
        if (ch == '\n' && cr) {
            cr = 0;
            continue;
        }
        cr = ch == '\r';
        char buf[4];
        size_t n = ch == '\r' ? (buf[0] = '\n', 1) : utf8_encode((unsigned)ch, buf);
        if (out->len + n > TUI_PASTE_MAX) {
            cut = 1;
            continue;
        }
        sbuf_addn(out, buf, n);
    }
    return cut;
}

/* The editor's command: the user's choice, else the one every Unix has. */
static const char *editor(void)
{
    const char *v = getenv("VISUAL");
    if (v && *v)
        return v;
    v = getenv("EDITOR");
    return v && *v ? v : "vi";
}

static int write_all(int fd, const char *s, size_t n)
{
    while (n) {
        ssize_t w = write(fd, s, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        s += w;
        n -= (size_t)w;
    }
    return 0;
}

/* Runs the editor on path as the shell would ($VISUAL may carry options);
 * the exit status, or -1. */
static int run_editor(const char *path)
{
    struct sigaction ign, old_int, old_quit;
    memset(&ign, 0, sizeof ign);
    ign.sa_handler = SIG_IGN;
    sigemptyset(&ign.sa_mask);
    /* Ctrl-C in the editor is the editor's: kith must not end with the
     * form open behind it. */
    sigaction(SIGINT, &ign, &old_int);
    sigaction(SIGQUIT, &ign, &old_quit);
    pid_t pid = fork();
    if (pid == 0) {
        signal(SIGINT, SIG_DFL);
        signal(SIGQUIT, SIG_DFL);
        execl("/bin/sh", "sh", "-c", "exec $KITH_EDITOR \"$1\"", "sh", path, (char *)NULL);
        _exit(127);
    }
    int status = -1;
    if (pid > 0) {
        while (waitpid(pid, &status, 0) < 0) {
            if (errno != EINTR) {
                status = -1;
                break;
            }
        }
    }
    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGQUIT, &old_quit, NULL);
    if (status == -1)
        return -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static int read_back(const char *path, size_t max, char **out, struct kerr *e)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    struct stat st;
    struct sbuf b = {0};
    int rc = K_OK;
    if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        rc = kerr_set(e, K_ERR, "cannot read the edited text back: %s", strerror(errno));
        goto out;
    }
    char buf[65536];
    for (;;) {
        ssize_t n = read(fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            rc = kerr_set(e, K_ERR, "cannot read the edited text back: %s", strerror(errno));
            goto out;
        }
        if (n == 0)
            break;
        if (b.len + (size_t)n > max) {
            rc = kerr_set(e, K_ERR, "the edited text is longer than %zu bytes; nothing changed",
                          max);
            goto out;
        }
        sbuf_addn(&b, buf, (size_t)n);
    }
    *out = sbuf_take(&b);
out:
    if (fd >= 0)
        close(fd);
    sbuf_free(&b);
    return rc;
}

int tui_input_edit(const char *text, size_t max, char **out, struct kerr *e)
{
    const char *dir = getenv("TMPDIR");
    char path[4096];
    int rc = K_OK, status;
    *out = NULL;
    snprintf(path, sizeof path, "%s/kith-edit-XXXXXX.txt", dir && *dir ? dir : "/tmp");
    int fd = mkstemps(path, 4);
    if (fd < 0)
        return kerr_set(e, K_ERR, "cannot make a file to edit in: %s", strerror(errno));
    if (write_all(fd, text ? text : "", text ? strlen(text) : 0) != 0 || close(fd) != 0) {
        rc = kerr_set(e, K_ERR, "cannot write the file to edit: %s", strerror(errno));
        unlink(path);
        return rc;
    }
    setenv("KITH_EDITOR", editor(), 1);
    def_prog_mode();
    tui_input_stop();
    endwin();
    status = run_editor(path);
    reset_prog_mode();
    tui_input_start();
    clearok(curscr, TRUE);
    if (status == 127)
        rc = kerr_set(e, K_ERR, "no editor %s: set $VISUAL or $EDITOR; nothing changed", editor());
    else if (status < 0)
        rc = kerr_set(e, K_ERR, "the editor %s could not be started; nothing changed", editor());
    else if (status != 0)
        rc = kerr_set(e, K_ERR, "the editor %s exited with %d; nothing changed", editor(), status);
    else
        rc = read_back(path, max, out, e);
    unlink(path);
    return rc;
}
