//! Links the functions `ponte serve` runs while it starts and idles next to one another at the
//! front of `.text` (`startup-order.txt`, written by `scripts/startup-order.sh`).
//!
//! The kernel maps an executable's pages into the process around each page it first touches (64 KiB
//! fault-around, whole large page-cache folios on recent kernels), and start-up touches a few
//! thousand functions that the linker otherwise scatters over all 28 MB of machine code: so nearly
//! all of it was resident (`RssFile`) in an idle server. Listed together they fill about 6 MB.
//!
//! Only in release builds, and only where the linker is LLVM's `lld` (`--symbol-ordering-file` is
//! its option): Rust's own `rust-lld`, the default on x86_64 Linux since Rust 1.90, unless the
//! build chooses another linker. A name the build no longer has (code changed since the file was
//! written) is skipped; the order then only covers less of start-up.

use std::env;
use std::path::Path;
use std::process::Command;

fn main() {
    let order =
        Path::new(&env::var("CARGO_MANIFEST_DIR").unwrap_or_default()).join("startup-order.txt");
    println!("cargo:rerun-if-changed={}", order.display());
    println!("cargo:rerun-if-env-changed=CARGO_TARGET_X86_64_UNKNOWN_LINUX_GNU_LINKER");
    println!("cargo:rerun-if-env-changed=RUSTFLAGS");
    println!("cargo:rerun-if-env-changed=CARGO_ENCODED_RUSTFLAGS");
    if env::var("PROFILE").as_deref() != Ok("release")
        || env::var("TARGET").as_deref() != Ok("x86_64-unknown-linux-gnu")
        || env::var_os("CARGO_TARGET_X86_64_UNKNOWN_LINUX_GNU_LINKER").is_some()
        || env::var("CARGO_ENCODED_RUSTFLAGS").is_ok_and(|f| f.contains("link"))
        || !rust_lld_by_default()
        || !order.exists()
    {
        return;
    }
    println!(
        "cargo:rustc-link-arg-bin=ponte=-Wl,--symbol-ordering-file={}",
        order.display()
    );
    println!("cargo:rustc-link-arg-bin=ponte=-Wl,--no-warn-symbol-ordering");
    // The dynamic loader rewrites 67,000 pointers at start (position-independent executable): as
    // 24-byte `.rela.dyn` entries, 1.6 MB all read at every start; packed (DT_RELR) they take a
    // few KB. Only a glibc of 2.36 or later applies them (and the linker then marks the binary as
    // needing one): an older glibc would start it with its pointers not fixed up.
    if env::var("HOST") == env::var("TARGET") && glibc_version() >= (2, 36) {
        println!("cargo:rustc-link-arg-bin=ponte=-Wl,-z,pack-relative-relocs");
    }
}

/// The version of the glibc this build links against (the build machine's), or (0, 0).
fn glibc_version() -> (u32, u32) {
    let Ok(out) = Command::new("getconf").arg("GNU_LIBC_VERSION").output() else {
        return (0, 0);
    };
    // "glibc 2.36"
    major_minor(
        String::from_utf8_lossy(&out.stdout)
            .split_whitespace()
            .nth(1),
    )
}

fn major_minor(version: Option<&str>) -> (u32, u32) {
    let mut parts = version.unwrap_or("").split('.');
    let mut next = || parts.next().and_then(|p| p.parse().ok()).unwrap_or(0);
    (next(), next())
}

/// Whether this rustc links x86_64 Linux with `rust-lld` by default (1.90 and later).
fn rust_lld_by_default() -> bool {
    let rustc = env::var("RUSTC").unwrap_or_else(|_| "rustc".into());
    let Ok(out) = Command::new(rustc).arg("-V").output() else {
        return false;
    };
    // "rustc 1.95.0 (59807616e 2026-04-14)"
    major_minor(
        String::from_utf8_lossy(&out.stdout)
            .split_whitespace()
            .nth(1),
    ) >= (1, 90)
}
