//! The examples behave as a shell user expects of a command: closing their
//! output early (`cargo run --example landscape | head`) ends them quietly,
//! without a panic.
//!
//! `cargo test` builds the examples before it runs the tests; this test runs
//! the built binaries, from the target directory it runs in.

use std::path::PathBuf;
use std::process::{Command, Stdio};

/// The built example `name`, beside this test's own binary.
fn example(name: &str) -> PathBuf {
    let test = std::env::current_exe().expect("the test's own path");
    // target/<profile>/deps/examples-<hash> -> target/<profile>/examples/<name>
    let profile = test
        .parent()
        .and_then(|deps| deps.parent())
        .expect("the test runs from target/<profile>/deps");
    let path = profile
        .join("examples")
        .join(format!("{name}{}", std::env::consts::EXE_SUFFIX));
    assert!(
        path.is_file(),
        "{} is not built: run the whole suite (`cargo test --workspace` builds the examples)",
        path.display()
    );
    path
}

#[test]
fn the_examples_end_quietly_when_their_output_is_closed_early() {
    let manifest = env!("CARGO_MANIFEST_DIR");
    for (name, args) in [
        ("article", &[][..]),
        ("landscape", &[][..]),
        (
            "query",
            &[
                "examples/article-inventory.json",
                "gsa-facility-cctv",
                "deploy",
                "hikvision-nvr-4",
                "--timeline",
                "2017-01-01..2026-01-01",
            ][..],
        ),
    ] {
        let mut child = Command::new(example(name))
            .args(args)
            .current_dir(manifest)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the example starts");
        // Closed before the example writes its first line.
        drop(child.stdout.take());
        let output = child.wait_with_output().expect("the example ends");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            !stderr.contains("panicked"),
            "{name} panicked on a closed pipe:\n{stderr}"
        );
        // Ended by SIGPIPE's default action (or done before it wrote), not
        // by a panic's exit status 101.
        assert_ne!(output.status.code(), Some(101), "{name}: {stderr}");
        #[cfg(unix)]
        {
            use std::os::unix::process::ExitStatusExt;
            assert_eq!(
                output.status.signal(),
                Some(libc::SIGPIPE),
                "{name} should end by SIGPIPE: {:?} {stderr}",
                output.status
            );
        }
    }
}
