//! Content packs through the real `quire` binary: a publisher's key, a signed build from
//! a `pack.toml`, `verify`, and `pack install/list/remove` with `search`, `read` and
//! `bookmarks` seeing the installed pack, in a temporary data directory.

mod common;

use std::fs;
use std::path::Path;

use common::Env;

/// Copies the repository's example pack into `to`, at `version`.
fn pack_source(to: &Path, version: u64) {
    let from = Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tests/fixtures/pack-clinic"
    ));
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let text = fs::read_to_string(entry.path()).unwrap();
        let text = if entry.file_name() == "pack.toml" {
            text.replace("version = 1", &format!("version = {version}"))
        } else {
            text
        };
        fs::write(to.join(entry.file_name()), text).unwrap();
    }
}

#[test]
fn a_publisher_signs_a_pack_and_a_reader_installs_searches_and_removes_it() {
    let env = Env::new();
    let key = env.path("publisher.key");
    let made = env
        .run(&["key", "new", "-o", key.to_str().unwrap()])
        .success("key new");
    let public = made
        .stdout
        .lines()
        .find_map(|l| l.strip_prefix("public key:"))
        .unwrap()
        .trim()
        .to_string();
    let fingerprint = made
        .stdout
        .lines()
        .find_map(|l| l.strip_prefix("fingerprint:"))
        .unwrap()
        .trim()
        .to_string();
    assert_eq!(public.len(), 64);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            fs::metadata(&key).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }
    // Never over an existing key.
    let again = env.run(&["key", "new", "-o", key.to_str().unwrap()]);
    assert!(!again.ok);

    let src = env.path("clinic");
    // `quire build <src> -o <out> --sign <key>`.
    let build_signed = |out: &Path| {
        env.run(&[
            "build",
            src.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
            "--sign",
            key.to_str().unwrap(),
        ])
    };
    pack_source(&src, 1);
    let v1 = env.path("clinic-v1.quire");
    let built = build_signed(&v1).success("build --sign");
    assert!(
        built
            .stdout
            .contains(&format!("signed by publisher {fingerprint}")),
        "{}",
        built.stdout
    );
    let verified = env.run(&["verify", v1.to_str().unwrap()]).success("verify");
    for expected in [
        "every checksum matches",
        "pack: Example Clinic (org.example.clinic), version 1, language en",
        "signature: valid",
        &format!("publisher key: {public}"),
    ] {
        assert!(
            verified.stdout.contains(expected),
            "{expected}: {}",
            verified.stdout
        );
    }
    // --sign needs a pack.toml.
    fs::remove_file(src.join("pack.toml")).unwrap();
    let refused = build_signed(&env.path("x.quire"));
    assert!(
        refused
            .one_line_failure("sign without pack.toml")
            .contains("no pack.toml")
    );

    // A tampered copy: verify names the signature.
    let mut bytes = fs::read(&v1).unwrap();
    let n = bytes.len();
    bytes[n - 50] ^= 1;
    let tampered = env.path("tampered.quire");
    fs::write(&tampered, &bytes).unwrap();
    let bad = env.run(&["verify", tampered.to_str().unwrap()]);
    assert!(
        bad.one_line_failure("verify tampered")
            .contains("bad pack signature")
    );

    // A new publisher: the fingerprint is shown and nothing is installed without --trust.
    let asked = env.user(&["pack", "install", v1.to_str().unwrap()]);
    let why = asked.one_line_failure("install untrusted");
    assert!(
        why.contains(&fingerprint) && why.contains("--trust"),
        "{why}"
    );
    assert!(!env.data.join("packs/org.example.clinic.quire").exists());
    env.user(&["pack", "install", v1.to_str().unwrap(), "--trust"])
        .success("pack install --trust");
    let listed = env
        .user(&["pack", "list", "--json"])
        .success("pack list")
        .json();
    let ids: Vec<&str> = listed["packs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["quire-builtin", "org.example.clinic"]);
    assert_eq!(listed["packs"][1]["publisher"], fingerprint.as_str());

    let reference = "org.example.clinic/emergency-contraception";
    // The query comes last (it takes every word after it), so the data directory first.
    let data = env.data.to_str().unwrap().to_string();
    let found = env
        .run(&["search", "--data-dir", &data, "--json", "copper", "coil"])
        .success("search")
        .json();
    assert_eq!(found["hits"][0]["id"], reference, "{found}");
    assert_eq!(found["hits"][0]["pack"], "org.example.clinic");
    let only_builtin = env
        .run(&[
            "search",
            "--data-dir",
            &data,
            "--json",
            "--pack",
            "quire-builtin",
            "copper",
            "coil",
        ])
        .success("search --pack")
        .json();
    assert!(
        only_builtin["hits"]
            .as_array()
            .unwrap()
            .iter()
            .all(|h| h["pack"] == "quire-builtin")
    );
    let read = env.user(&["read", "--plain", reference]).success("read");
    assert!(read.stdout.starts_with("Emergency contraception"));
    let list = env.user(&["list"]).success("list");
    assert!(list.stdout.contains(reference) && list.stdout.contains("consent-is-a-process"));
    env.user(&["bookmark", "add", reference, "--note", "ask the pharmacist"])
        .success("bookmark add");

    // An update from the same publisher: no question; an older file needs --force.
    pack_source(&src, 2);
    let v2 = env.path("clinic-v2.quire");
    build_signed(&v2).success("build v2");
    let updated = env
        .user(&["pack", "install", v2.to_str().unwrap()])
        .success("update");
    assert!(
        updated.stdout.starts_with("updated from version 1"),
        "{}",
        updated.stdout
    );
    let older = env.user(&["pack", "install", v1.to_str().unwrap()]);
    assert!(older.one_line_failure("downgrade").contains("--force"));

    // Removed: the bookmark stays, named as in a pack that is not installed.
    env.user(&["pack", "remove", "org.example.clinic"])
        .success("pack remove");
    let marks = env.user(&["bookmarks"]).success("bookmarks");
    assert!(
        marks
            .stdout
            .contains("its pack org.example.clinic is not installed"),
        "{}",
        marks.stdout
    );
    assert!(marks.stdout.contains("ask the pharmacist"));
    let gone = env.user(&["pack", "remove", "org.example.clinic"]);
    assert!(
        gone.one_line_failure("remove twice")
            .contains("no pack with id")
    );
    let builtin = env.user(&["pack", "remove", "quire-builtin"]);
    assert!(
        builtin
            .one_line_failure("remove builtin")
            .contains("always present")
    );
}
