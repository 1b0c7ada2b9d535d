#!/usr/bin/env bash
# Builds the Debian package: the release binary, then the man pages and shell completions
# generated from the clap definition by that binary (`signet man --all`, `signet completions`),
# then `cargo deb --no-build` with the assets listed in Cargo.toml's [package.metadata.deb].
#
#   packaging/build-deb.sh          -> target/debian/signet_<version>-1_<arch>.deb (path printed)
#
# Needs: cargo-deb (cargo install --locked cargo-deb --version 3.8.0).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --locked
bin=target/release/signet
rm -rf target/packaging
mkdir -p target/packaging/man target/packaging/completions
"$bin" man --all target/packaging/man
gzip -9nf target/packaging/man/*.1
"$bin" completions bash > target/packaging/completions/signet
"$bin" completions zsh > target/packaging/completions/_signet
"$bin" completions fish > target/packaging/completions/signet.fish
cargo deb --no-build --locked --output target/debian/ 2>&1 | tail -n 1
