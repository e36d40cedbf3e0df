//! Links libbaton: from the folder `BATON_NATIVE_DIR` names (a build tree's
//! `target/native/<platform>`), or else where pkg-config finds it (`make install` installs baton.pc).
//!
//! When `BATON_README_RUST_SNIPPET` names a file (the README's Rust handler, extracted by the
//! project's Makefile), the tests compile and run it too.
use std::process::Command;

fn main() {
    println!("cargo:rerun-if-env-changed=BATON_NATIVE_DIR");
    println!("cargo:rerun-if-env-changed=PKG_CONFIG_PATH");
    println!("cargo:rerun-if-env-changed=BATON_README_RUST_SNIPPET");
    println!("cargo:rustc-check-cfg=cfg(baton_readme)");

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

    if let Ok(snippet) = std::env::var("BATON_README_RUST_SNIPPET") {
        println!("cargo:rerun-if-changed={snippet}");
        println!("cargo:rustc-cfg=baton_readme");
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
