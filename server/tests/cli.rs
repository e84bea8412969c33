//! The binary as an operator runs it: clear one-line errors, idempotent start-up.

use std::process::Command;

fn ranselpost() -> Command {
    Command::new(env!("CARGO_BIN_EXE_ranselpost"))
}

#[test]
fn a_bad_database_url_is_one_clear_line_and_a_failure_exit() {
    let out = ranselpost()
        .arg("migrate")
        .env("DATABASE_URL", "mysql://x/y")
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    let lines: Vec<_> = stderr.lines().filter(|l| !l.trim().is_empty()).collect();
    assert_eq!(lines.len(), 1, "{stderr}");
    assert!(
        lines[0].contains("DATABASE_URL must start with sqlite:// or postgres://"),
        "{stderr}"
    );
    assert!(!stderr.contains("panicked"));
}

#[test]
fn an_unreachable_postgres_is_one_clear_line_and_a_failure_exit() {
    let out = ranselpost()
        .arg("migrate")
        .env(
            "DATABASE_URL",
            "postgres://app:secret@127.0.0.1:1/ranselpost",
        )
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    let lines: Vec<_> = stderr.lines().filter(|l| !l.trim().is_empty()).collect();
    assert_eq!(lines.len(), 1, "{stderr}");
    assert!(
        lines[0].contains("cannot connect to PostgreSQL"),
        "{stderr}"
    );
    assert!(
        !stderr.contains("secret"),
        "the password must not be printed: {stderr}"
    );
}

#[test]
fn seeding_the_demo_twice_into_a_new_data_folder_works_and_deleting_it_starts_over() {
    let dir =
        std::env::temp_dir().join(format!("ranselpost-cli-{}", uuid::Uuid::new_v4().simple()));
    let data = dir.join("data");
    for _ in 0..2 {
        let out = ranselpost()
            .args(["seed-demo", "--data-dir"])
            .arg(&data)
            .env_remove("DATABASE_URL")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(data.join("ranselpost.db").exists());
    }
    std::fs::remove_dir_all(&data).unwrap();
    let out = ranselpost()
        .args(["migrate", "--data-dir"])
        .arg(&data)
        .env_remove("DATABASE_URL")
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(
        data.join("ranselpost.db").exists(),
        "deleting data/ and starting again recreates it"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
