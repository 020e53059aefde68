#!/usr/bin/env bash
# Makes .venv/ (git-ignored) with the Python packages the Authlib interop tests run
# (test/interop/authlib/requirements.txt). Needs python3 with the venv module. Safe to run again:
# pip leaves pinned packages that are already installed alone.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
# No retries: where the default index cannot be reached (a mirror set in pip.conf serves), a
# retrying pip spends minutes on it before it looks further.
.venv/bin/python -m pip install --quiet --disable-pip-version-check --retries 0 -r test/interop/authlib/requirements.txt
