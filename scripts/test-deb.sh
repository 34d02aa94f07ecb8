#!/usr/bin/env bash
# Installs output/plh-bilan_<version>_<arch>.deb and tests it as an installed program (needs root):
# from a folder outside the checkout, with the build folder moved away so that nothing can come from it,
# it renders the CALL example with /usr/bin/plh-bilan (the same bytes as the golden bilan), shows the man
# page, runs the service unit's ExecStart line as its system user and fetches the login page over loopback,
# then removes the package (the data folder stays) and purges it (only what the package made goes).
set -euo pipefail
cd "$(dirname "$0")/.."
repo="$(pwd)"
export DEBIAN_FRONTEND=noninteractive

package="$(ls output/plh-bilan_*.deb | head -n 1)"
version="$(dpkg-deb -f "$package" Version)"
fail() { echo "test-deb.sh : ÉCHEC : $*" >&2; exit 1; }

echo "::: lintian $package"
if command -v lintian >/dev/null; then
  lintian --info --display-info --fail-on error "$package" || fail "lintian signale des erreurs"
  echo "lintian : aucune erreur"
else
  fail "lintian absent (apt-get install lintian)"
fi

echo "::: apt-get install $package"
apt-get install -y -qq "./$package" >/dev/null
[ -x /usr/bin/plh-bilan ] || fail "/usr/bin/plh-bilan absent après l'installation"
getent passwd plh-bilan >/dev/null || fail "utilisateur système plh-bilan absent"
[ -d /var/lib/plh-bilan ] || fail "/var/lib/plh-bilan absent"

moved=""
restore() {
  if [ -n "$moved" ] && [ -d "$moved" ]; then mv "$moved" "$repo/.build"; fi
  if [ -n "${server:-}" ]; then kill "$server" 2>/dev/null || true; fi
  rm -rf "${scratch:-/nonexistent}"
}
trap restore EXIT
if [ -d .build ]; then
  moved="$repo/.build.moved-for-deb-test"
  mv .build "$moved"
fi
scratch="$(mktemp -d /tmp/plh-bilan-deb.XXXXXX)"
cd "$scratch"

echo "::: /usr/bin/plh-bilan --version, and the same number as the package"
[ "$(/usr/bin/plh-bilan --version)" = "PLH Bilan $version" ] || fail "--version ne dit pas « PLH Bilan $version »"
ldd /usr/bin/plh-bilan | grep -q 'libswift\|libFoundation' && fail "le programme installé dépend du runtime Swift"

echo "::: render of the installed CALL example, from $scratch"
/usr/bin/plh-bilan render /usr/share/doc/plh-bilan/exemples/call-2014-2020 --output sortie
cmp sortie/call-2014-2020/bilan.html "$repo/Tests/PLHCLITests/Golden/call-2014-2020/bilan.html" \
  || fail "le bilan du programme installé diffère du bilan de référence"
/usr/bin/plh-bilan init lens --epci 246200364 --periode 2015-2020 >/dev/null || fail "init avec le fichier DGCL livré"

echo "::: man plh-bilan"
MANPAGER=cat MANWIDTH=100 man plh-bilan 2>/dev/null | grep -q "plh-bilan render DOSSIER_PROJET" || fail "man plh-bilan ne montre pas la page"

echo "::: the unit's ExecStart, as the service user"
unit=/usr/lib/systemd/system/plh-bilan.service
if command -v systemd-analyze >/dev/null; then
  systemd-analyze verify "$unit" 2>&1 | grep -v "^$" | grep -iv "systemd is not running\|Failed to connect\|No such file or directory.*/run" || true
fi
command_line="$(sed -n 's/^ExecStart=//p' "$unit")"
[ -n "$command_line" ] || fail "pas de ligne ExecStart dans $unit"
# systemd's expansion: the unit's Environment= defaults, then /etc/default/plh-bilan.
env_file="$(mktemp)"
sed -n 's/^Environment=//p' "$unit" | tr ' ' '\n' > "$env_file"
grep -E '^[A-Z_]+=' /etc/default/plh-bilan >> "$env_file" || true
set -a; . "$env_file"; set +a
rm -f "$env_file"
expanded="$(eval "printf '%s' \"$command_line\"")"
echo "$expanded"
log="$scratch/serve.log"
(cd /var/lib/plh-bilan && exec runuser -u plh-bilan -- $expanded) > "$log" 2>&1 &
server=$!
port="${PLH_BILAN_PORT:-8080}"
page=""
for _ in $(seq 1 100); do
  if page="$(curl -fsS "http://127.0.0.1:$port/connexion" 2>/dev/null)"; then break; fi
  kill -0 "$server" 2>/dev/null || { cat "$log" >&2; fail "le serveur s'est arrêté"; }
  sleep 0.2
done
echo "$page" | grep -q '<html lang="fr"' || { cat "$log" >&2; fail "page de connexion non servie sur 127.0.0.1:$port"; }
echo "page de connexion servie ($(echo "$page" | wc -c) octets)"
grep -q "Premier démarrage" "$log" || fail "le serveur n'a pas donné le lien du premier administrateur"
[ -f /var/lib/plh-bilan/plh-bilan.sqlite ] || fail "la base n'est pas dans /var/lib/plh-bilan"
[ "$(stat -c %U /var/lib/plh-bilan/plh-bilan.sqlite)" = plh-bilan ] || fail "la base n'appartient pas à l'utilisateur plh-bilan"
kill "$server"; wait "$server" 2>/dev/null || true
server=""

echo "::: apt-get remove: the data stay"
apt-get remove -y -qq plh-bilan >/dev/null
[ ! -e /usr/bin/plh-bilan ] || fail "/usr/bin/plh-bilan reste après apt-get remove"
[ -f /var/lib/plh-bilan/plh-bilan.sqlite ] || fail "les données ont disparu avec apt-get remove"
[ -f /etc/default/plh-bilan ] || fail "/etc/default/plh-bilan a disparu avec apt-get remove (fichier de configuration)"

echo "::: purge with data: the data and their user stay"
dpkg --purge plh-bilan 2>&1 | grep -q "restent dans /var/lib/plh-bilan" || fail "la purge ne dit pas où restent les données"
[ -f /var/lib/plh-bilan/plh-bilan.sqlite ] || fail "la purge a effacé les données des utilisateurs"
[ ! -e /etc/default/plh-bilan ] || fail "/etc/default/plh-bilan reste après la purge"
getent passwd plh-bilan >/dev/null || fail "la purge a retiré l'utilisateur propriétaire des données restantes"

echo "::: purge without data: nothing of the package is left"
rm -rf /var/lib/plh-bilan
apt-get install -y -qq "$repo/$package" >/dev/null
dpkg --purge plh-bilan >/dev/null
[ ! -e /var/lib/plh-bilan ] || fail "/var/lib/plh-bilan vide reste après la purge"
! getent passwd plh-bilan >/dev/null || fail "l'utilisateur plh-bilan reste après la purge"
echo "test-deb.sh : paquet $package installé, servi, retiré et purgé comme prévu"
