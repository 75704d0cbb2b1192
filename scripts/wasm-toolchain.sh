#!/usr/bin/env bash
# Sets up what the wasm kind needs on this machine: a wasm32-unknown-unknown Rust toolchain and a
# Chromium for the browser test. Prefers rustup's target; where the Rust distribution server is not
# reachable it installs Debian's rustc-web, whose std source lets cargo build std for wasm32 itself
# (-Zbuild-std). The generated package's build script detects either route on its own.
set -euo pipefail

apt_packages=()

# Bounded: where the distribution server is unreachable, rustup can wait a long time before failing.
if command -v rustup >/dev/null 2>&1 && timeout 300 rustup target add wasm32-unknown-unknown >/dev/null 2>&1; then
  echo "wasm32: rustup target wasm32-unknown-unknown"
else
  echo "wasm32: rustup target unavailable here; using Debian rustc-web + build-std"
  [ -x /usr/bin/rustc ] && [ -d /usr/lib/rustlib/src/rust/library ] || apt_packages+=(rustc-web cargo-web rust-web-src)
  command -v wasm-ld >/dev/null 2>&1 || apt_packages+=(lld)
fi
command -v chromium >/dev/null 2>&1 || apt_packages+=(chromium)

if [ "${#apt_packages[@]}" -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update
  apt-get install -y --no-install-recommends "${apt_packages[@]}"
fi
