#!/usr/bin/env bash
# Makes .venv/ (git-ignored; INTEROP_VENV names another folder) with the Python packages the
# Authlib interop tests run (test/interop/authlib/requirements.txt), then copies the requirements
# into it, which is how scripts/needs.mjs tells a finished venv from an old or half-made one.
# `npm test` runs this itself when the venv is missing; it needs python3 with the venv module.
# Safe to run again: pip leaves pinned packages that are already installed alone.
set -euo pipefail
cd "$(dirname "$0")/.."
venv="${INTEROP_VENV:-.venv}"
requirements=test/interop/authlib/requirements.txt

rm -f "$venv/requirements.txt"
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
fi
# No retries: where the default index cannot be reached (a mirror set in pip.conf serves), a
# retrying pip spends minutes on it before it looks further.
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check --retries 0 -r "$requirements"
cp "$requirements" "$venv/requirements.txt"
