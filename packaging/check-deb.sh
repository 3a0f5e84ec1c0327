#!/bin/sh
# Makes the Debian package from a build directory (cpack -G DEB) and checks
# it: its Depends name the shared libraries kith links, and when run as root
# `apt-get install ./kith_*.deb` gives a kith that runs, whose manual man
# finds and whose bash completion registers; the package is removed again.
#   sh packaging/check-deb.sh [BUILD_DIR]      (default build)
set -eu
cd "$(dirname "$0")/.."
b=${1:-build}
rm -f "$b"/kith_*.deb
(cd "$b" && cpack -G DEB >/dev/null)
deb=$(ls "$b"/kith_*.deb)
echo "package: $deb"
depends=$(dpkg-deb -f "$deb" Depends)
echo "Depends: $depends"
# SQLite, libyaml and ncurses are linked in from their archives unless the
# build said otherwise (-DKITH_STATIC_DEPS=OFF or no archive): then the
# package needs the libraries.
libs="libc6 libgmime-3.0-0"
needed=$(objdump -p "$b/kith" | sed -n 's/^ *NEEDED *//p')
case "$needed" in *libsqlite3*) libs="$libs libsqlite3-0" ;; esac
case "$needed" in *libyaml*) libs="$libs libyaml-0-2" ;; esac
case "$needed" in *libncursesw*) libs="$libs libncursesw6" ;; esac
for lib in $libs; do
    case "$depends" in
    *"$lib"*) ;;
    *)
        echo "check-deb: Depends lacks $lib" >&2
        exit 1
        ;;
    esac
done
# The listing is read whole: grep -q stopping early would break dpkg-deb's pipe.
contents=$(dpkg-deb -c "$deb")
for f in ./usr/bin/kith ./usr/share/man/man1/kith.1 ./usr/share/kith/themes/light.yaml \
    ./usr/share/doc/kith/config.example.yaml ./usr/share/bash-completion/completions/kith \
    ./usr/share/zsh/site-functions/_kith ./usr/share/fish/vendor_completions.d/kith.fish; do
    printf '%s\n' "$contents" | grep -q " $f\$" || { echo "check-deb: no $f in the package" >&2; exit 1; }
done

if [ "$(id -u)" != 0 ]; then
    echo "check-deb: not root, so the package was not installed"
    exit 0
fi
if dpkg-query -W -f='${Status}' kith 2>/dev/null | grep -q "install ok installed"; then
    echo "check-deb: a kith package is installed already; not touching it" >&2
    exit 1
fi
trap 'DEBIAN_FRONTEND=noninteractive apt-get remove -y -qq kith >/dev/null 2>&1 || true' EXIT
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "./$deb" >"$b/apt.log" 2>&1 || {
    cat "$b/apt.log" >&2
    exit 1
}
/usr/bin/kith --version
man -w kith
MANWIDTH=80 man kith | grep -q "query_command" || { echo "check-deb: man kith" >&2; exit 1; }
bash -c '. /usr/share/bash-completion/completions/kith && complete -p kith'
[ -f /usr/share/kith/themes/light.yaml ] || { echo "check-deb: no themes" >&2; exit 1; }
[ -f /usr/share/doc/kith/config.example.yaml ] || { echo "check-deb: no config.example.yaml" >&2; exit 1; }
echo "check-deb: ok"
