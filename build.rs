//! Links the `git-milestone` executable as a position-dependent (non-PIE) program on Linux
//! with glibc.
//!
//! git runs the binary as a hook on every commit, so its start-up is on the commit's critical
//! path. A PIE executable of this size carries about 13,000 relative relocations that the
//! dynamic loader applies at every start, writing to some 60 pages of relocated data: about
//! 0.2 ms of a 1.4 ms hook (docs/benchmarks.md, "Start-up"). A non-PIE executable needs none.
//! Shared libraries, the stack, the heap and mmap stay randomised; only the executable's own
//! code and data load at a fixed address, as Go programs do by default on Linux.
//!
//! Build with `--features pie` to keep the toolchain's default (a PIE), for example where a
//! distribution's hardening policy requires it.

fn main() {
    println!("cargo::rerun-if-changed=build.rs");
    let var = |name: &str, value: &str| std::env::var(name).is_ok_and(|v| v == value);
    // glibc only: a musl executable is a static PIE, linked differently.
    let gnu_linux = var("CARGO_CFG_TARGET_OS", "linux") && var("CARGO_CFG_TARGET_ENV", "gnu");
    let pie = std::env::var_os("CARGO_FEATURE_PIE").is_some();
    if gnu_linux && !pie {
        println!("cargo::rustc-link-arg-bins=-no-pie");
    }
}
