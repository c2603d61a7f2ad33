# Sourced by the project's scripts: puts the project's tools on PATH.
# shellcheck shell=bash
export PATH="$HOME/.cargo/bin:$(pwd)/end2end/node_modules/.bin:$PATH"
