#!/bin/sh
# kith sync DIR --git in a git repository that is not only kith's: the
# user's other files (changed, new, staged) are never committed nor lost,
# commits are the user's when git knows who they are, a sync with nothing
# new makes no commit and no push, git's failures say which command and
# why, and a work tree not on a branch is refused before anything is
# written. A bare repository in a temporary folder is the remote.
. "$KITH_TESTLIB"

command -v git >/dev/null 2>&1 || {
    echo "no git: skipped"
    exit 77
}
export GIT_CONFIG_NOSYSTEM=1
A="$T/a.db"
B="$T/b.db"
ka() { "$KITH" --db "$A" "$@"; }
kb() { "$KITH" --db "$B" "$@"; }
commits() { git -C "$T/remote.git" rev-list --count HEAD 2>/dev/null || echo 0; }

git init -q --bare "$T/remote.git" || fail "git init"
git clone -q "$T/remote.git" "$T/c1" 2>/dev/null || fail "clone 1"
git clone -q "$T/remote.git" "$T/c2" 2>/dev/null || fail "clone 2"
git -C "$T/c1" config user.name "Ada Lovelace"
git -C "$T/c1" config user.email ada@example.com
echo notes >"$T/c1/NOTES.txt"
git -C "$T/c1" add NOTES.txt && git -C "$T/c1" commit -qm notes &&
    git -C "$T/c1" push -q origin HEAD 2>/dev/null || fail "the user's first commit"
git -C "$T/c2" pull -q 2>/dev/null || fail "pull on 2"

# 1. Only kith's files are committed, as the user; the rest stays as it was.
ka add "Ana Ruiz" >/dev/null || fail "add Ana"
echo secret >"$T/c1/private.txt"
echo more >>"$T/c1/NOTES.txt"
echo staged >"$T/c1/staged.txt"
git -C "$T/c1" add staged.txt
run ka sync "$T/c1" --git
expect_rc 0 "first git sync"
expect_out "committed to git"
git -C "$T/remote.git" log --grep='^kith sync' --name-only --format= |
    grep -Eq 'private|NOTES|staged' &&
    fail "the user's files were pushed: $(git -C "$T/remote.git" log --stat | head -40)"
git -C "$T/remote.git" log --name-only --format= | grep -Eq '^[0-9a-f]{16}/1\.changeset$' ||
    fail "kith's file was not pushed"
author=$(git -C "$T/remote.git" log -1 --format='%an <%ae>')
[ "$author" = "Ada Lovelace <ada@example.com>" ] || fail "committed as $author, not as the user"
[ "$(cat "$T/c1/private.txt")" = secret ] || fail "private.txt changed"
[ "$(git -C "$T/c1" status --porcelain -- private.txt)" = "?? private.txt" ] ||
    fail "private.txt is not left untracked"
[ "$(git -C "$T/c1" status --porcelain -- staged.txt)" = "A  staged.txt" ] ||
    fail "staged.txt is not left staged"
printf 'notes\nmore\n' | cmp -s - "$T/c1/NOTES.txt" || fail "NOTES.txt lost its change"

# No identity in git: kith's own.
run kb sync "$T/c2" --git
expect_rc 0 "git sync of 2, no identity"
author=$(git -C "$T/remote.git" log -1 --format='%an <%ae>')
[ "$author" = "kith <kith@localhost>" ] || fail "no identity: committed as $author"

# Another machine pushed, this one has changes of its own not committed:
# the pull (a rebase) goes through and they are still there, uncommitted.
kb add "Bo Lind" >/dev/null && kb sync "$T/c2" --git >/dev/null || fail "B sends Bo"
run ka sync "$T/c1" --git
expect_rc 0 "pull with the user's changes not committed"
expect_out "applied 1 file"
printf 'notes\nmore\n' | cmp -s - "$T/c1/NOTES.txt" || fail "NOTES.txt lost its change in the pull"
[ "$(git -C "$T/c1" status --porcelain -- staged.txt private.txt)" = "A  staged.txt
?? private.txt" ] || fail "the pull changed the user's files: $(git -C "$T/c1" status --porcelain)"
git -C "$T/c1" stash list | grep -q . && fail "a stash was left behind"

# The pull changed a file the user changed too: said, nothing lost.
git -C "$T/c2" pull -q 2>/dev/null
echo theirs >>"$T/c2/NOTES.txt"
git -C "$T/c2" -c user.name=B -c user.email=b@x commit -qam "B's notes" &&
    git -C "$T/c2" push -q 2>/dev/null || fail "B pushes notes"
run ka sync "$T/c1" --git
expect_rc 1 "the pull met the user's own change"
expect_err "NOTES.txt, which you had changed and not committed"
expect_err "git stash list"
git -C "$T/c1" stash show -p 2>/dev/null | grep -q '^+more' || fail "the user's change is not in the stash"
git -C "$T/c1" checkout -q -- NOTES.txt 2>/dev/null
git -C "$T/c1" reset -q 2>/dev/null
git -C "$T/c1" checkout -q HEAD -- NOTES.txt 2>/dev/null
git -C "$T/c1" stash drop -q 2>/dev/null
git -C "$T/c1" add staged.txt

# 2. Nothing new: no commit, no push, "up to date". A push would fail: the
# push address goes nowhere; pulls still work.
ka sync "$T/c1" --git >/dev/null || fail "sync to settle"
before=$(commits)
git -C "$T/c1" config remote.origin.pushurl "$T/nowhere.git"
for i in 1 2 3; do
    sleep 1
    run ka sync --git
    expect_rc 0 "unchanged sync $i"
    expect_out "up to date" "unchanged sync $i"
    expect_no_out "committed" "unchanged sync $i"
done
[ "$(git -C "$T/c1" rev-list --count '@{u}..HEAD')" = 0 ] || fail "an unchanged sync committed"
git -C "$T/c1" status --porcelain | grep -q '^.. [0-9a-f]\{16\}/' &&
    fail "kith's files left uncommitted: $(git -C "$T/c1" status --porcelain)"
# 3. ... and a real change that cannot be pushed says why, in git's words.
ka add "Cy Park" >/dev/null || fail "add Cy"
run ka sync --git
expect_rc 1 "push to nowhere"
expect_err "git push failed in"
expect_err "fatal: '$T/nowhere.git' does not appear to be a git repository"
expect_no_err "and the repository exists"
git -C "$T/c1" config --unset remote.origin.pushurl
run ka sync --git
expect_rc 0 "push again"
[ "$(commits)" -gt "$before" ] || fail "Cy was not pushed"
# A state older than a week is written again (its time), once.
st="$T/c1/$(sync_id "$A")/state"
sed -i 's/^at .*/at 2026-01-01T00:00:00Z/' "$st"
git -C "$T/c1" commit -qm old -- "$st" && git -C "$T/c1" push -q 2>/dev/null
run ka sync --git
expect_out "committed to git" "a week-old state"
grep -q '^at 2026-01-01' "$st" && fail "a week-old state kept its time"

# 3. The remote gone, signing that fails: the command git ran and its first
# error, in text and in JSON.
git -C "$T/c1" config remote.origin.url "$T/gone.git"
run ka sync --git
expect_rc 1 "remote gone"
expect_err "git pull failed in"
expect_err "does not appear to be a git repository"
expect_no_err "and the repository exists"
run ka sync --git --json
expect_rc 1 "remote gone, --json"
expect_json_valid
expect_py "--json says the error" o 'assert "git pull failed" in o["error"], o'
[ -s "$T/err" ] && fail "--json said the error twice: $(cat "$T/err")"
git -C "$T/c1" config remote.origin.url "$T/remote.git"
git -C "$T/c1" config commit.gpgsign true
git -C "$T/c1" config gpg.program false
ka add "Di Wu" >/dev/null || fail "add Di"
run ka sync --git
expect_rc 1 "signing fails"
expect_err "git commit failed in"
expect_no_err "git -c failed"
expect_err "error: gpg failed to sign the data"
git -C "$T/c1" config --unset commit.gpgsign

# 4. Not on a branch (a detached HEAD, a rebase or a merge not finished):
# refused before anything is written, the journal and the folder as they
# were.
ka sync --git >/dev/null || fail "sync to settle, before 4"
ka add "Eve Moss" >/dev/null || fail "add Eve"
tree() { (cd "$T/c1" && find . -path ./.git -prune -o -type f -print | sort | xargs cksum); }
refused_git() { # WHAT EXPECTED-TEXT
    before_j=$(cksum <"$A")
    before_t=$(tree)
    before_c=$(commits)
    run ka sync --git
    expect_rc 1 "$1"
    expect_err "$2" "$1"
    expect_err "nothing was done" "$1"
    [ "$(cksum <"$A")" = "$before_j" ] || fail "$1: the journal changed"
    [ "$(tree)" = "$before_t" ] || fail "$1: the folder changed"
    [ "$(commits)" = "$before_c" ] || fail "$1: pushed"
}
# A forget there (git as 'kith sync' alone has it: the folder remembered
# with --git) is refused the same way, and exits as a sync does: nothing
# removed nor committed. The
# replica to forget: one whose first sync wrote only its state.
mkdir "$T/c1/0123456789abcdef"
printf 'kith-sync-state 1\n' >"$T/c1/0123456789abcdef/state"
refused_forget() { # WHAT EXPECTED-TEXT
    before_t=$(tree)
    before_h=$(git -C "$T/c1" rev-list --all --count)
    run ka sync forget 0123456789abcdef
    expect_rc 1 "forget: $1"
    expect_err "$2" "forget: $1"
    expect_err "nothing was done" "forget: $1"
    [ "$(tree)" = "$before_t" ] || fail "forget: $1: the folder changed"
    [ "$(git -C "$T/c1" rev-list --all --count)" = "$before_h" ] || fail "forget: $1: committed"
}
git -C "$T/c1" checkout -q --detach
refused_git "detached HEAD" "is on a detached HEAD"
refused_forget "detached HEAD" "is on a detached HEAD"
git -C "$T/c1" checkout -q -
git -C "$T/c1" checkout -q -b side
echo side >"$T/c1/side.txt"
git -C "$T/c1" add side.txt && git -C "$T/c1" commit -qm side
git -C "$T/c1" checkout -q -
git -C "$T/c1" merge -q --no-ff --no-commit side >/dev/null 2>&1
refused_git "mid-merge" "in the middle of a merge"
git -C "$T/c1" merge --abort
GIT_SEQUENCE_EDITOR="sed -i 's/^pick/edit/'" git -C "$T/c1" rebase -q -i HEAD~1 >/dev/null 2>&1
refused_git "mid-rebase" "in the middle of a rebase"
refused_forget "mid-rebase" "in the middle of a rebase"
git -C "$T/c1" rebase --abort
# On the branch, it goes, committed.
run ka sync forget 0123456789abcdef
expect_rc 0 "forget on the branch"
expect_out "committed the removal to git"
run ka sync --git
expect_rc 0 "on the branch again"
expect_out "sent file"

# 5. Another replica's file changed in this clone (a disk's damage, a slip
# of the hand): not committed under this replica's name nor pushed, but put
# back as git holds it, said in one line.
ka sync --git >/dev/null || fail "sync to settle, before 5"
kb sync "$T/c2" --git >/dev/null || fail "B settles, before 5"
ka sync --git >/dev/null || fail "A settles, before 5"
RB=$(sync_id "$B")
theirs=$(cd "$T/c1/$RB" && ls -- *.changeset state 2>/dev/null | head -1)
[ -n "$theirs" ] || fail "B has no file in A's clone"
good=$(cksum <"$T/c1/$RB/$theirs")
before_c=$(commits)
truncate -s 70 "$T/c1/$RB/$theirs"
ka add "Fay Orr" >/dev/null || fail "add Fay"
run ka sync --git
expect_rc 0 "another replica's file damaged here"
expect_out "put back 1 file of other replicas"
[ "$(cksum <"$T/c1/$RB/$theirs")" = "$good" ] || fail "B's file was not put back"
git -C "$T/remote.git" log --format= --name-only "HEAD~$(($(commits) - before_c))..HEAD" |
    grep -q "^$RB/" && fail "B's file was committed by A: $(git -C "$T/remote.git" log --stat -3)"
[ "$(git -C "$T/remote.git" show "HEAD:$RB/$theirs" | cksum)" = "$good" ] ||
    fail "B's damaged file reached the remote"
[ "$(commits)" -gt "$before_c" ] || fail "A's own file (Fay) was not pushed"
# Removed by hand: put back too.
rm "$T/c1/$RB/$theirs"
run ka sync --git
expect_rc 0 "another replica's file removed here"
expect_out "put back 1 file"
[ "$(cksum <"$T/c1/$RB/$theirs")" = "$good" ] || fail "B's removed file was not put back"

# 7. A change the user staged, then a rebasing pull: the change is kept (it
# may come back unstaged: git's autostash keeps no index; said in --help).
ka sync --git >/dev/null || fail "A settles, before 7"
echo staged-change >>"$T/c1/NOTES.txt"
git -C "$T/c1" add NOTES.txt
kb add "Hal Ng" >/dev/null && kb sync "$T/c2" --git >/dev/null || fail "B sends Hal"
run ka sync --git
expect_rc 0 "a pull with a staged change"
expect_out "applied 1 file"
tail -1 "$T/c1/NOTES.txt" | grep -qx staged-change || fail "the staged change was lost"
git -C "$T/c1" status --porcelain -- NOTES.txt | grep -q '^.M\|^M' ||
    fail "NOTES.txt is not left changed: $(git -C "$T/c1" status --porcelain)"
run "$KITH" sync --help
expect_out "staged ones may come back unstaged"
git -C "$T/c1" checkout -q HEAD -- NOTES.txt

# 6. A sync folder git ignores: refused before anything is written, naming
# the rule (else every sync says it committed and pushed, and none does).
git init -q "$T/c3" || fail "git init c3"
mkdir "$T/c3/sync"
printf '# kith\nsync/\n' >"$T/c3/.gitignore"
G="$T/g.db"
"$KITH" --db "$G" add "Gil Rey" >/dev/null || fail "add Gil"
run "$KITH" --db "$G" sync "$T/c3/sync" --git
expect_rc 1 "an ignored sync folder"
expect_err "git ignores kith's files in $T/c3/sync (the rule .gitignore:2:sync/)"
expect_err "nothing was done"
[ -z "$(ls -A "$T/c3/sync")" ] || fail "the ignored folder was written: $(ls -A "$T/c3/sync")"
run "$KITH" --db "$G" sync status
expect_out "sync is off"
printf '*.changeset\n' >"$T/c3/.gitignore"
run "$KITH" --db "$G" sync "$T/c3/sync" --git
expect_rc 1 "ignored changesets"
expect_err "(the rule .gitignore:1:*.changeset)"
rm "$T/c3/.gitignore"
run "$KITH" --db "$G" sync "$T/c3/sync" --git
expect_rc 0 "not ignored any more"
expect_out "committed to git"

# --json with the folder gone: an object with the error.
run "$KITH" --db "$T/new.db" sync "$T/missing" --json
expect_rc 1 "missing folder, --json"
expect_json_valid
expect_py "--json, missing folder" o 'assert o["replica"] is None and "make the folder first" in o["error"], o'

finish
