//! Links against the libbaton that `make native` built, and extracts the README's Rust snippet,
//! which the tests compile and run.
use std::path::PathBuf;
use std::process::Command;

fn main() {
    let dir = std::env::var("BATON_NATIVE_DIR")
        .expect("BATON_NATIVE_DIR must name the folder of libbaton.so (`make native` sets it)");
    println!("cargo:rustc-link-search=native={dir}");
    println!("cargo:rustc-link-lib=dylib=baton");
    println!("cargo:rerun-if-env-changed=BATON_NATIVE_DIR");

    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap()).join("../../..");
    let readme = root.join("README.md");
    let snippet = Command::new(root.join("build/readme-snippet"))
        .arg("rust-handler")
        .arg(&readme)
        .output()
        .expect("build/readme-snippet runs");
    assert!(snippet.status.success(), "{}", String::from_utf8_lossy(&snippet.stderr));
    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap()).join("readme_rust_handler.rs");
    std::fs::write(out, snippet.stdout).unwrap();
    println!("cargo:rerun-if-changed={}", readme.display());
}
