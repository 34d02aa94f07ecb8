#!/usr/bin/env bash
# Builds output/plh-bilan_<version>_amd64.deb: the command linked statically with the Swift standard library
# and Foundation (the installed system needs no Swift), its templates and reference data in
# /usr/share/plh-bilan, the web application as a disabled systemd service, and the man page written from
# the command's own help. The version is PLHBilanVersion.current (Sources/PLHModel/Version.swift), the one
# number --version prints and the archives' manifests carry.
#
#   scripts/build-deb.sh            build (release, static Swift runtime), then package
#   scripts/build-deb.sh --no-build package the static release build already in .build/release
set -euo pipefail
cd "$(dirname "$0")/.."

build=1
for argument in "$@"; do
  case "$argument" in
    --no-build) build=0 ;;
    *) echo "build-deb.sh : option « $argument » inconnue (seule --no-build existe)" >&2; exit 2 ;;
  esac
done

version="$(sed -n 's/^ *public static let current = "\([0-9][0-9A-Za-z.+~]*\)"$/\1/p' Sources/PLHModel/Version.swift)"
if [ -z "$version" ]; then
  echo "build-deb.sh : version introuvable dans Sources/PLHModel/Version.swift" >&2
  exit 1
fi
# One date for every file of the package, the man page and the changelog: the last commit's, so that two
# builds of one commit give the same package.
export SOURCE_DATE_EPOCH="${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || date +%s)}"
maintainer="${PLH_BILAN_MAINTAINER:-Équipe PLH Bilan <plh-bilan@example.org>}"
architecture="$(dpkg --print-architecture)"

if [ "$build" = 1 ]; then
  scripts/build-release.sh
fi
release=.build/release
binary="$release/plh-bilan"
# A dynamic build would need the Swift toolchain's libraries on the installed system.
if ldd "$binary" | grep -q 'libswiftCore\|libFoundation'; then
  echo "build-deb.sh : $binary est lié dynamiquement au runtime Swift ; reconstruisez avec --static-swift-stdlib (sans --no-build)" >&2
  exit 1
fi
if [ "$("$binary" --version)" != "PLH Bilan $version" ]; then
  echo "build-deb.sh : $binary --version ne dit pas « PLH Bilan $version »" >&2
  exit 1
fi

mkdir -p output
work="$(mktemp -d output/.deb.XXXXXX)"
trap 'rm -rf "$work"' EXIT
root="$work/root"
share="$root/usr/share/plh-bilan"
doc="$root/usr/share/doc/plh-bilan"
install -d -m 0755 "$root/DEBIAN" "$root/usr/bin" "$share" "$doc" "$root/usr/share/man/man1" \
  "$root/usr/lib/systemd/system" "$root/etc/default"

install -m 0755 "$binary" "$root/usr/bin/plh-bilan"
strip --strip-unneeded --remove-section=.comment --remove-section=.note "$root/usr/bin/plh-bilan"
for bundle in PLHBilan_PLHTemplates.resources PLHBilan_PLHImport.resources; do
  cp -R "$release/$bundle" "$share/$bundle"
done
install -m 0644 scripts/debian/plh-bilan.service "$root/usr/lib/systemd/system/plh-bilan.service"
install -m 0644 scripts/debian/default "$root/etc/default/plh-bilan"
"$binary" help --man | gzip -9n > "$root/usr/share/man/man1/plh-bilan.1.gz"
install -m 0644 scripts/debian/copyright "$doc/copyright"
# The examples, to try the command on: plh-bilan render /usr/share/doc/plh-bilan/exemples/call-2014-2020.
cp -R examples "$doc/exemples"
changelog_date="$(LC_ALL=C date -u -d "@$SOURCE_DATE_EPOCH" -R)"
sed -e "s/@VERSION@/$version/" -e "s/@DATE@/$changelog_date/" -e "s/@MAINTAINER@/$maintainer/" scripts/debian/changelog | gzip -9n > "$doc/changelog.gz"
find "$root" -type d -exec chmod 0755 {} +
find "$root/usr/share" "$root/etc" "$root/usr/lib" -type f -exec chmod 0644 {} +

# Run-time dependencies: the shared libraries the binary needs, as Debian's symbols files give them.
shlibs="$work/shlibs"
mkdir -p "$shlibs/debian"
printf 'Source: plh-bilan\n\nPackage: plh-bilan\nArchitecture: any\n' > "$shlibs/debian/control"
installed_binary="$(realpath "$root/usr/bin/plh-bilan")"
libraries="$(cd "$shlibs" && dpkg-shlibdeps -O -e"$installed_binary" | sed -n 's/^shlibs:Depends=//p')"
if [ -z "$libraries" ]; then
  echo "build-deb.sh : dpkg-shlibdeps n'a trouvé aucune dépendance (paquet dpkg-dev installé ?)" >&2
  exit 1
fi

for script in postinst prerm postrm; do
  install -m 0755 "scripts/debian/$script" "$root/DEBIAN/$script"
done
echo /etc/default/plh-bilan > "$root/DEBIAN/conffiles"
installed_size="$(du -sk --exclude=DEBIAN "$root" | cut -f1)"
cat > "$root/DEBIAN/control" <<CONTROL
Package: plh-bilan
Version: $version
Architecture: $architecture
Maintainer: $maintainer
Installed-Size: $installed_size
Depends: $libraries, adduser
Recommends: chromium
Section: misc
Priority: optional
Description: bilans des programmes locaux de l'habitat (PLH)
 PLH Bilan produit les bilans annuels, triennaux et finaux du programme local
 de l'habitat d'un EPCI : le document HTML ou PDF, ses annexes en CSV et en
 tableur, et l'archive de dépôt vérifiable pour le comité régional de
 l'habitat et de l'hébergement (CRHH). Il refait en un lot les bilans de tous
 les EPCI d'un département ou de la France.
 .
 Le paquet contient la commande plh-bilan et l'application web (plh-bilan
 serve) en service systemd, installé désactivé. Chromium, recommandé, sert à
 imprimer les bilans en PDF.
CONTROL
(cd "$root" && find . -type f ! -path './DEBIAN/*' -printf '%P\0' | LC_ALL=C sort -z | xargs -0 md5sum) > "$root/DEBIAN/md5sums"
chmod 0644 "$root/DEBIAN/control" "$root/DEBIAN/conffiles" "$root/DEBIAN/md5sums"
find "$root" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +

package="output/plh-bilan_${version}_${architecture}.deb"
dpkg-deb --root-owner-group -Zxz --build "$root" "$work/package.deb" >/dev/null
mv -f "$work/package.deb" "$package"
echo "$package ($(du -k "$package" | cut -f1) Kio)"
