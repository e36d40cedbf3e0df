//! Links libbaton where pkg-config finds it (`make install` installs baton.pc), or, when
//! `BATON_NATIVE_DIR` names a folder (a build tree's `target/native/<platform>`), from there: a
//! build tree's library takes precedence over an installed one.
//!
//! When `BATON_ABI_DUMP` names a program (tests/c/abi_dump.c, built by the project's Makefile, which
//! prints what the C compiler makes of baton.h), the tests hold these declarations to its output.
use std::process::Command;

fn main() {
    println!("cargo:rerun-if-env-changed=BATON_NATIVE_DIR");
    println!("cargo:rerun-if-env-changed=PKG_CONFIG_PATH");
    println!("cargo:rerun-if-env-changed=BATON_ABI_DUMP");
    println!("cargo:rerun-if-env-changed=BATON_HEADER");
    println!("cargo:rustc-check-cfg=cfg(baton_abi_dump)");

    if let Ok(dir) = std::env::var("BATON_NATIVE_DIR") {
        println!("cargo:rustc-link-search=native={dir}");
    } else if let Some(dirs) = pkg_config_library_dirs() {
        for dir in dirs {
            println!("cargo:rustc-link-search=native={dir}");
        }
    } else {
        panic!("libbaton not found: install it (make install adds baton.pc for pkg-config) or set BATON_NATIVE_DIR");
    }
    println!("cargo:rustc-link-lib=dylib=baton");

    if let (Ok(dump), Ok(_)) = (std::env::var("BATON_ABI_DUMP"), std::env::var("BATON_HEADER")) {
        println!("cargo:rerun-if-changed={dump}");
        println!("cargo:rustc-cfg=baton_abi_dump");
    }
}

/// The `-L` folders `pkg-config --libs baton` names, or None when pkg-config or baton.pc is missing.
fn pkg_config_library_dirs() -> Option<Vec<String>> {
    let output = Command::new("pkg-config").args(["--libs", "baton"]).output().ok()?;
    if !output.status.success() {
        return None;
    }
    let flags = String::from_utf8(output.stdout).ok()?;
    Some(flags.split_whitespace().filter_map(|flag| flag.strip_prefix("-L")).map(str::to_owned).collect())
}
