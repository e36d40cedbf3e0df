//! Links against the libbaton that `make native` built.
fn main() {
    let dir = std::env::var("BATON_NATIVE_DIR")
        .expect("BATON_NATIVE_DIR must name the folder of libbaton.so (`make native` sets it)");
    println!("cargo:rustc-link-search=native={dir}");
    println!("cargo:rustc-link-lib=dylib=baton");
    // The pool library finds libbaton beside itself.
    println!("cargo:rustc-cdylib-link-arg=-Wl,-rpath,$ORIGIN");
    println!("cargo:rerun-if-env-changed=BATON_NATIVE_DIR");
}
