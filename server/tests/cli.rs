//! The binary as an operator runs it: clear one-line errors, idempotent start-up.

use std::process::Command;

fn ranselpost() -> Command {
    Command::new(env!("CARGO_BIN_EXE_ranselpost"))
}

/// A fresh data folder for the binary, removed at the end of the test.
struct DataDir(std::path::PathBuf);

impl DataDir {
    fn new() -> DataDir {
        let name = format!("ranselpost-cli-{}", uuid::Uuid::new_v4().simple());
        DataDir(std::env::temp_dir().join(name))
    }

    /// `ranselpost <args> --data-dir <this>` on its embedded database, with `env` set.
    fn run(&self, args: &[&str], env: &[(&str, &str)]) -> std::process::Output {
        ranselpost()
            .args(args)
            .arg("--data-dir")
            .arg(&self.0)
            .env_remove("DATABASE_URL")
            .envs(env.iter().copied())
            .output()
            .unwrap()
    }
}

impl Drop for DataDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[test]
fn a_bad_database_url_is_one_clear_line_and_a_failure_exit() {
    let out = ranselpost().arg("migrate").env("DATABASE_URL", "mysql://x/y").output().unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    let lines: Vec<_> = stderr.lines().filter(|l| !l.trim().is_empty()).collect();
    assert_eq!(lines.len(), 1, "{stderr}");
    assert!(lines[0].contains("DATABASE_URL must start with sqlite:// or postgres://"), "{stderr}");
    assert!(!stderr.contains("panicked"));
}

#[test]
fn an_unreachable_postgres_is_one_clear_line_and_a_failure_exit() {
    let out = ranselpost()
        .arg("migrate")
        .env("DATABASE_URL", "postgres://app:secret@127.0.0.1:1/ranselpost")
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    let lines: Vec<_> = stderr.lines().filter(|l| !l.trim().is_empty()).collect();
    assert_eq!(lines.len(), 1, "{stderr}");
    assert!(lines[0].contains("cannot connect to PostgreSQL"), "{stderr}");
    assert!(!stderr.contains("secret"), "the password must not be printed: {stderr}");
}

#[test]
fn seeding_the_demo_twice_into_a_new_data_folder_works_and_deleting_it_starts_over() {
    let data = DataDir::new();
    for _ in 0..2 {
        let out = data.run(&["seed-demo"], &[]);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        assert!(data.0.join("ranselpost.db").exists());
    }
    std::fs::remove_dir_all(&data.0).unwrap();
    assert!(data.run(&["migrate"], &[]).status.success());
    assert!(
        data.0.join("ranselpost.db").exists(),
        "deleting data/ and starting again recreates it"
    );
}

#[test]
fn an_operator_configures_a_municipalitys_identity_provider_with_the_secret_from_the_environment() {
    let dir = DataDir::new();
    let run = |args: &[&str]| dir.run(args, &[("BERGEN_IDPORTEN_SECRET", "s3cret-value")]);
    assert!(run(&["seed-demo"]).status.success());
    let ok = run(&[
        "idp-set",
        "--municipality",
        "4601",
        "--audience",
        "guardian",
        "--issuer",
        "https://test.idporten.no",
        "--client-id",
        "bergen-ranselpost",
        "--client-secret-env",
        "BERGEN_IDPORTEN_SECRET",
    ]);
    assert!(ok.status.success(), "{}", String::from_utf8_lossy(&ok.stderr));
    assert!(!String::from_utf8_lossy(&ok.stdout).contains("s3cret-value"));

    let bad = run(&[
        "idp-set",
        "--municipality",
        "9999",
        "--audience",
        "guardian",
        "--issuer",
        "https://test.idporten.no",
        "--client-id",
        "x",
        "--client-secret-env",
        "BERGEN_IDPORTEN_SECRET",
    ]);
    assert!(!bad.status.success());
    assert!(
        String::from_utf8_lossy(&bad.stderr).contains("municipality 9999 is not in the database")
    );
    let plain_http = run(&[
        "idp-set",
        "--municipality",
        "4601",
        "--audience",
        "staff",
        "--issuer",
        "http://idp.example",
        "--client-id",
        "x",
        "--client-secret-env",
        "BERGEN_IDPORTEN_SECRET",
    ]);
    assert!(String::from_utf8_lossy(&plain_http.stderr).contains("--issuer must be an https URL"));
}

#[test]
fn sync_registers_follows_the_feed_once_and_without_a_register_says_so() {
    let dir = DataDir::new();
    let freg = dir.0.join("freg");
    std::fs::create_dir_all(freg.join("personer")).unwrap();
    std::fs::write(
        freg.join("feed.json"),
        r#"[{"sekvensnummer":1,"hendelse":{"folkeregisteridentifikator":"12848510058","hendelsestype":"endringINavn"}}]"#,
    )
    .unwrap();
    let freg_arg = freg.display().to_string();
    let run = |with_register: bool| match with_register {
        true => dir.run(&["sync-registers", "--folkeregister-fixture-dir", &freg_arg], &[]),
        false => dir.run(&["sync-registers"], &[]),
    };
    let without = run(false);
    assert!(!without.status.success());
    assert!(String::from_utf8_lossy(&without.stderr).contains("no Folkeregisteret configured"));
    let with = run(true);
    assert!(with.status.success(), "{}", String::from_utf8_lossy(&with.stderr));
    assert!(String::from_utf8_lossy(&with.stdout).contains("read=1"));
    let again = run(true);
    assert!(String::from_utf8_lossy(&again.stdout).contains("read=0"), "the feed pointer is kept");
}

#[test]
fn an_operator_sets_the_day_a_municipalitys_sfo_comes_into_use() {
    let dir = DataDir::new();
    let run = |args: &[&str]| dir.run(args, &[]);
    assert!(run(&["seed-demo"]).status.success());
    let ok = run(&["sfo-start", "--municipality", "4601", "--date", "2026-08-17"]);
    assert!(ok.status.success(), "{}", String::from_utf8_lossy(&ok.stderr));
    assert!(String::from_utf8_lossy(&ok.stdout).contains("units=1"));
    let bad = run(&["sfo-start", "--municipality", "4601", "--date", "1. januar"]);
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("is not a date"));
}

#[test]
fn check_text_prints_the_guards_findings_as_json_with_character_offsets() {
    use std::io::Write;
    let mut child = ranselpost()
        .args(["check-text", "--lang", "en", "--other-names", "Lise Hansen, Mathias Berg"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all("Åse: Lise er slem. Han har ADHD. Fnr 229115 50060.".as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    let findings: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    let summary: Vec<(String, u64, u64)> = findings
        .iter()
        .map(|f| {
            (
                f["category"].as_str().unwrap().to_owned(),
                f["start"].as_u64().unwrap(),
                f["end"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            ("other_child".to_owned(), 5, 9),
            ("health".to_owned(), 27, 31),
            ("national_id".to_owned(), 37, 49),
        ]
    );
    assert_eq!(
        findings[1]["message"],
        "Health information: a diagnosis, condition, medication or health service"
    );

    let clean = ranselpost()
        .args(["check-text", "--lang", "nb"])
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    assert!(clean.status.success());
    assert_eq!(String::from_utf8_lossy(&clean.stdout).trim(), "[]");

    let bad = ranselpost().args(["check-text", "--lang", "de"]).output().unwrap();
    assert!(!bad.status.success());
}

#[test]
fn check_text_with_repeat_prints_the_time_of_one_check_and_the_same_json() {
    use std::io::Write;
    let run = |args: &[&str]| {
        let mut child = ranselpost()
            .args(args)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        child.stdin.take().unwrap().write_all("Han har ADHD.".as_bytes()).unwrap();
        child.wait_with_output().unwrap()
    };
    let plain = run(&["check-text"]);
    let timed = run(&["check-text", "--repeat", "20"]);
    assert!(timed.status.success());
    assert_eq!(plain.stdout, timed.stdout);
    let stderr = String::from_utf8_lossy(&timed.stderr);
    assert!(stderr.contains("20 runs: p50") && stderr.contains("p99"), "{stderr}");
    assert!(!run(&["check-text", "--repeat", "1000000"]).status.success());
}
