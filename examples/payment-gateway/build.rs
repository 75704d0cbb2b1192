//! Compiles the legacy C SDK (legacy/gateway.c) into a static library linked into the port.

fn main() {
    println!("cargo:rerun-if-changed=legacy/gateway.c");
    println!("cargo:rerun-if-changed=legacy/gateway.h");
    cc::Build::new()
        .file("legacy/gateway.c")
        .std("c11")
        .warnings(true)
        .extra_warnings(true)
        .compile("gateway");
}
