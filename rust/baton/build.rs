//! When `BATON_README_RUST_SNIPPET` names a file (the Rust guide's handler, extracted by the
//! project's Makefile), the tests compile and run it too. Linking libbaton is baton-sys's job.
fn main() {
    println!("cargo:rerun-if-env-changed=BATON_README_RUST_SNIPPET");
    println!("cargo:rustc-check-cfg=cfg(baton_readme)");
    if let Ok(snippet) = std::env::var("BATON_README_RUST_SNIPPET") {
        println!("cargo:rerun-if-changed={snippet}");
        println!("cargo:rustc-cfg=baton_readme");
    }
}
