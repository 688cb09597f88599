#!/usr/bin/env bash
# Builds CrocoQB.app with PyInstaller, self-tests it, signs and notarizes it when credentials are
# given, and packs it in a DMG with an Applications link.
#
#   resources/packaging/macos/build_dmg.sh
#
# Output: dist/CrocoQB.app and dist/CrocoQB-<version>-macos-<arch>.dmg
#
# Environment:
#   MACOS_SIGN_IDENTITY   a "Developer ID Application: <name> (<team>)" identity in the keychain.
#                         Set: every binary and the app are signed with the hardened runtime and
#                         entitlements.plist (by build.spec), the DMG is signed too.
#                         Unset: signing is skipped (the app keeps PyInstaller's ad-hoc signature;
#                         Gatekeeper blocks it on other Macs).
#   APPLE_ID, APPLE_TEAM_ID, APPLE_APP_PASSWORD
#                         all three set (and signing on): the app and then the DMG are notarized
#                         with `xcrun notarytool` and the tickets stapled. APPLE_APP_PASSWORD is an
#                         app-specific password (appleid.apple.com > Sign-In and Security).
#   CROCOQB_TARGET_ARCH   arm64, x86_64 or universal2 (default: this Mac's architecture; universal2
#                         needs a universal2 Python)
#   PYTHON                the Python with the project and PyInstaller installed (default .venv/bin/python)
#   CROCOQB_SKIP_SELFTEST=1  skip the self-test of the built app (not for releases)
set -euo pipefail

cd "$(dirname "$0")/../../.."
say() { printf '\n== %s\n' "$*"; }
die() { printf 'build_dmg.sh: %s\n' "$*" >&2; exit 1; }

[ "$(uname -s)" = Darwin ] || die "this script runs on macOS (it needs codesign, hdiutil and xcrun)"
PYTHON=${PYTHON:-.venv/bin/python}
[ -x "$PYTHON" ] || PYTHON=$(command -v python3) || die "no Python found: set PYTHON"

APP_NAME=CrocoQB
APP=dist/$APP_NAME.app
ENTITLEMENTS=resources/packaging/macos/entitlements.plist
VERSION=$("$PYTHON" -c 'import tomllib; print(tomllib.load(open("pyproject.toml", "rb"))["project"]["version"])')
ARCH=${CROCOQB_TARGET_ARCH:-$(uname -m)}
DMG=dist/$APP_NAME-$VERSION-macos-$ARCH.dmg

IDENTITY=${MACOS_SIGN_IDENTITY:-}
NOTARIZE=0
if [ -n "$IDENTITY" ]; then
  security find-identity -v -p codesigning | grep -qF "$IDENTITY" \
    || die "MACOS_SIGN_IDENTITY '$IDENTITY' is not a valid code-signing identity in the keychain search list"
  if [ -n "${APPLE_ID:-}" ] && [ -n "${APPLE_TEAM_ID:-}" ] && [ -n "${APPLE_APP_PASSWORD:-}" ]; then
    NOTARIZE=1
  else
    echo "NOTE: notarization skipped: set APPLE_ID, APPLE_TEAM_ID and APPLE_APP_PASSWORD to notarize."
  fi
else
  echo "NOTE: code signing skipped: MACOS_SIGN_IDENTITY is not set. The app keeps an ad-hoc signature;"
  echo "      Gatekeeper will block it on other Macs (fine for testing, not for a release)."
  [ -z "${APPLE_ID:-}" ] || echo "NOTE: notarization skipped too: it needs a signed app."
fi

say "PyInstaller build ($APP_NAME $VERSION, $ARCH)"
rm -rf "$APP" "dist/$APP_NAME" "$DMG"
# build.spec reads MACOS_SIGN_IDENTITY and CROCOQB_TARGET_ARCH and signs every binary and the app
MACOS_SIGN_IDENTITY="$IDENTITY" "$PYTHON" -m PyInstaller --noconfirm --clean build.spec
[ -d "$APP" ] || die "PyInstaller did not produce $APP"

if [ "${CROCOQB_SKIP_SELFTEST:-0}" != 1 ]; then
  say "self-test of the built app"
  "$APP/Contents/MacOS/$APP_NAME" --selftest
fi

notarize() {  # notarize FILE: submits, waits, fails with Apple's log unless the result is Accepted
  local file=$1 result id status
  result=$(xcrun notarytool submit "$file" --apple-id "$APPLE_ID" --team-id "$APPLE_TEAM_ID" \
             --password "$APPLE_APP_PASSWORD" --wait --timeout 30m --output-format json) || true
  id=$(printf '%s' "$result" | "$PYTHON" -c 'import json,sys; print(json.load(sys.stdin).get("id", ""))' 2>/dev/null || true)
  status=$(printf '%s' "$result" | "$PYTHON" -c 'import json,sys; print(json.load(sys.stdin).get("status", ""))' 2>/dev/null || true)
  echo "notarization of $file: ${status:-no answer} (submission ${id:-none})"
  if [ "$status" != Accepted ]; then
    [ -z "$id" ] || xcrun notarytool log "$id" --apple-id "$APPLE_ID" --team-id "$APPLE_TEAM_ID" \
                      --password "$APPLE_APP_PASSWORD" || true
    die "notarization of $file failed"
  fi
}

if [ -n "$IDENTITY" ]; then
  say "verify the app's signature"
  codesign --verify --deep --strict --verbose=2 "$APP"
  codesign --display --entitlements - "$APP" >/dev/null
  if [ "$NOTARIZE" = 1 ]; then
    say "notarize the app"
    zipdir=$(mktemp -d)
    ditto -c -k --keepParent "$APP" "$zipdir/$APP_NAME.zip"
    notarize "$zipdir/$APP_NAME.zip"
    rm -rf "$zipdir"
    xcrun stapler staple "$APP"
    spctl --assess --type execute --verbose=2 "$APP"
  fi
fi

say "DMG"
staging=$(mktemp -d)
trap 'rm -rf "$staging"' EXIT
ditto "$APP" "$staging/$APP_NAME.app"
ln -s /Applications "$staging/Applications"
created=0
for attempt in 1 2 3; do  # hdiutil sometimes fails with "Resource busy" on CI machines
  if hdiutil create -volname "$APP_NAME $VERSION" -srcfolder "$staging" -fs HFS+ -format UDZO \
       -imagekey zlib-level=9 -ov "$DMG"; then
    created=1
    break
  fi
  echo "hdiutil create failed (attempt $attempt), retrying"
  sleep $((attempt * 5))
done
[ "$created" = 1 ] || die "hdiutil could not create $DMG"

if [ -n "$IDENTITY" ]; then
  say "sign the DMG"
  codesign --sign "$IDENTITY" --timestamp "$DMG"
  codesign --verify --verbose=2 "$DMG"
  if [ "$NOTARIZE" = 1 ]; then
    say "notarize the DMG"
    notarize "$DMG"
    xcrun stapler staple "$DMG"
    spctl --assess --type open --context context:primary-signature --verbose=2 "$DMG"
  fi
fi

say "done"
ls -l "$DMG"
shasum -a 256 "$DMG"
