//! Publisher signatures: the 128-byte trailer after the manifest, the Ed25519 keys that
//! make and check it, and their fingerprints.
//!
//! ```text
//! [bundle: header … manifest][trailer: "QSIG" 1 0 0 0 | SHA-256 (32) | signature (64) | zeros (24)]
//! ```
//!
//! The SHA-256 covers every byte of the file before the trailer, so with the CRC-32 of
//! each block it pins the whole file; the signature is Ed25519 over [`DOMAIN`] followed by
//! that digest, made with the key the manifest's `pack.publisher_key` names. A bundle
//! without a trailer is unsigned; anything else after the manifest is damage.

use std::fmt;
use std::io::Write;
use std::path::Path;

use ed25519_dalek::Signer;
use sha2::{Digest, Sha256};

use crate::{Error, Result};

/// Size of the signature trailer.
pub const TRAILER_LEN: usize = 128;
/// First bytes of the trailer.
pub const TRAILER_MAGIC: [u8; 4] = *b"QSIG";
/// Version of the trailer layout this code writes and reads.
pub const TRAILER_VERSION: u8 = 1;
/// What is signed is this prefix followed by the digest, so that a Quire signature can
/// never be replayed as a signature of anything else.
pub const DOMAIN: &[u8] = b"quire pack v1\0";

/// The signature trailer of a bundle.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Trailer {
    /// SHA-256 of every byte before the trailer.
    pub digest: [u8; 32],
    /// Ed25519 signature of [`DOMAIN`] + `digest`.
    pub signature: [u8; 64],
}

impl fmt::Debug for Trailer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Trailer")
            .field("digest", &hex(&self.digest))
            .finish_non_exhaustive()
    }
}

impl Trailer {
    /// The trailer's bytes.
    pub fn encode(&self) -> [u8; TRAILER_LEN] {
        let mut t = [0u8; TRAILER_LEN];
        t[..4].copy_from_slice(&TRAILER_MAGIC);
        t[4] = TRAILER_VERSION;
        t[8..40].copy_from_slice(&self.digest);
        t[40..104].copy_from_slice(&self.signature);
        t
    }

    /// Reads the bytes that follow a bundle's manifest: none (`None`, unsigned), or
    /// exactly one trailer; anything else is damage.
    pub fn decode(after_manifest: &[u8]) -> Result<Option<Trailer>> {
        if after_manifest.is_empty() {
            return Ok(None);
        }
        let damaged = |detail: String| Err(Error::damaged("signature", detail));
        if after_manifest.len() != TRAILER_LEN || after_manifest[..4] != TRAILER_MAGIC {
            return damaged(format!(
                "{} unexpected bytes after the manifest",
                after_manifest.len()
            ));
        }
        if after_manifest[4] != TRAILER_VERSION {
            return damaged(format!(
                "signature trailer version {} is not known (this build reads {TRAILER_VERSION})",
                after_manifest[4]
            ));
        }
        if after_manifest[5..8]
            .iter()
            .chain(&after_manifest[104..])
            .any(|&b| b != 0)
        {
            return damaged("reserved bytes of the signature trailer are not zero".into());
        }
        Ok(Some(Trailer {
            digest: after_manifest[8..40].try_into().expect("32 bytes"),
            signature: after_manifest[40..104].try_into().expect("64 bytes"),
        }))
    }
}

/// SHA-256 of `bytes`.
pub fn digest(bytes: &[u8]) -> [u8; 32] {
    Sha256::digest(bytes).into()
}

/// A publisher's public key (Ed25519, 32 bytes), written as 64 hex digits.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PublisherKey([u8; 32]);

impl fmt::Debug for PublisherKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PublisherKey({})", self.fingerprint())
    }
}

impl fmt::Display for PublisherKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&hex(&self.0))
    }
}

impl PublisherKey {
    /// The key from its 32 bytes.
    pub fn from_bytes(bytes: [u8; 32]) -> PublisherKey {
        PublisherKey(bytes)
    }

    /// The key written as 64 hex digits (any case).
    pub fn parse(text: &str) -> Result<PublisherKey> {
        let bytes = unhex::<32>(text.trim()).ok_or_else(|| {
            Error::InvalidArgument("a publisher key is 64 hex digits".to_string())
        })?;
        Ok(PublisherKey(bytes))
    }

    /// Its 32 bytes.
    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// What a reader compares when asked to trust a publisher: the first 16 bytes of the
    /// SHA-256 of the key, as eight groups of four hex digits (`3f2a 9c01 …`).
    pub fn fingerprint(&self) -> String {
        let d = digest(&self.0);
        let h = hex(&d[..16]);
        let groups: Vec<&str> = (0..8).map(|i| &h[i * 4..i * 4 + 4]).collect();
        groups.join(" ")
    }

    /// Checks `trailer` against this key: the signature must be this key's, over the
    /// trailer's digest.
    pub fn verify(&self, trailer: &Trailer) -> Result<()> {
        let key = ed25519_dalek::VerifyingKey::from_bytes(&self.0).map_err(|_| {
            Error::BadSignature("the publisher key is not a valid Ed25519 key".into())
        })?;
        let signature = ed25519_dalek::Signature::from_bytes(&trailer.signature);
        key.verify_strict(&signed_message(&trailer.digest), &signature)
            .map_err(|_| {
                Error::BadSignature(
                    "the signature was not made by the publisher key the pack names".into(),
                )
            })
    }
}

/// A publisher's secret key. Its bytes never leave this type except into the key file.
#[derive(Clone)]
pub struct SigningKey(ed25519_dalek::SigningKey);

impl fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SigningKey(public {})", self.public().fingerprint())
    }
}

impl SigningKey {
    /// The key of a 32-byte seed.
    pub fn from_seed(seed: [u8; 32]) -> SigningKey {
        SigningKey(ed25519_dalek::SigningKey::from_bytes(&seed))
    }

    /// A new key from the operating system's random source.
    pub fn generate() -> Result<SigningKey> {
        let mut seed = [0u8; 32];
        getrandom::fill(&mut seed)
            .map_err(|e| Error::Internal(format!("no random numbers from the system: {e}")))?;
        Ok(SigningKey::from_seed(seed))
    }

    /// Its public key, which the manifest of every pack it signs names.
    pub fn public(&self) -> PublisherKey {
        PublisherKey(self.0.verifying_key().to_bytes())
    }

    /// The trailer that signs a bundle whose bytes before the trailer are `bundle`.
    pub fn sign(&self, bundle: &[u8]) -> Trailer {
        self.sign_digest(digest(bundle))
    }

    /// The trailer that signs a bundle whose bytes before the trailer have this SHA-256.
    pub fn sign_digest(&self, digest: [u8; 32]) -> Trailer {
        Trailer {
            digest,
            signature: self.0.sign(&signed_message(&digest)).to_bytes(),
        }
    }

    /// Reads a key file written by [`SigningKey::write_new`]: one line of 64 hex digits.
    pub fn read(path: &Path) -> Result<SigningKey> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| Error::io(format!("reading the key {}", path.display()), e))?;
        let seed = unhex::<32>(text.trim()).ok_or_else(|| {
            Error::InvalidArgument(format!(
                "{} is not a Quire key file (one line of 64 hex digits)",
                path.display()
            ))
        })?;
        Ok(SigningKey::from_seed(seed))
    }

    /// Writes the key to a new file at `path`, readable and writable by its owner only
    /// (created with that mode, never over an existing file), and synced.
    pub fn write_new(&self, path: &Path) -> Result<()> {
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let mut file = options
            .open(path)
            .map_err(|e| Error::io(format!("creating the key file {}", path.display()), e))?;
        let line = format!("{}\n", hex(self.0.as_bytes()));
        file.write_all(line.as_bytes())
            .and_then(|()| file.sync_all())
            .map_err(|e| Error::io(format!("writing the key file {}", path.display()), e))
    }
}

fn signed_message(digest: &[u8; 32]) -> Vec<u8> {
    let mut m = Vec::with_capacity(DOMAIN.len() + 32);
    m.extend_from_slice(DOMAIN);
    m.extend_from_slice(digest);
    m
}

/// Lower-case hex of `bytes`.
pub(crate) fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(s, "{b:02x}");
    }
    s
}

fn unhex<const N: usize>(text: &str) -> Option<[u8; N]> {
    if text.len() != N * 2 || !text.is_ascii() {
        return None;
    }
    let mut out = [0u8; N];
    for (i, byte) in out.iter_mut().enumerate() {
        *byte = u8::from_str_radix(&text[i * 2..i * 2 + 2], 16).ok()?;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_trailer_round_trips_and_checks_against_its_key_only() {
        let key = SigningKey::from_seed([7; 32]);
        let other = SigningKey::from_seed([8; 32]);
        let trailer = key.sign(b"the bundle");
        assert_eq!(trailer.digest, digest(b"the bundle"));
        let bytes = trailer.encode();
        assert_eq!(Trailer::decode(&bytes).unwrap(), Some(trailer));
        key.public().verify(&trailer).unwrap();
        assert!(matches!(
            other.public().verify(&trailer),
            Err(Error::BadSignature(_))
        ));
        // Any flipped bit of digest or signature fails the check.
        for bit in (8 * 8)..(104 * 8) {
            let mut b = bytes;
            b[bit / 8] ^= 1 << (bit % 8);
            let t = Trailer::decode(&b).unwrap().unwrap();
            assert!(key.public().verify(&t).is_err(), "bit {bit}");
        }
    }

    #[test]
    fn stray_bytes_after_the_manifest_are_damage() {
        assert_eq!(Trailer::decode(&[]).unwrap(), None);
        let good = SigningKey::from_seed([1; 32]).sign(b"x").encode();
        for bad in [
            &good[..127],
            &[0u8; 128][..],
            &[good.as_slice(), b"!"].concat()[..],
        ] {
            assert!(matches!(
                Trailer::decode(bad),
                Err(Error::DamagedBundle { section, .. }) if section == "signature"
            ));
        }
        let mut reserved = good;
        reserved[120] = 1;
        assert!(Trailer::decode(&reserved).is_err());
        let mut version = good;
        version[4] = 2;
        assert!(Trailer::decode(&version).is_err());
    }

    #[test]
    fn keys_print_parse_and_fingerprint() {
        let key = SigningKey::from_seed([9; 32]).public();
        assert_eq!(PublisherKey::parse(&key.to_string()).unwrap(), key);
        assert_eq!(
            PublisherKey::parse(&key.to_string().to_uppercase()).unwrap(),
            key
        );
        assert!(PublisherKey::parse("abc").is_err());
        assert!(PublisherKey::parse(&"zz".repeat(32)).is_err());
        let f = key.fingerprint();
        assert_eq!(f.len(), 8 * 4 + 7, "{f}");
        assert_ne!(f, SigningKey::from_seed([10; 32]).public().fingerprint());
    }

    #[test]
    fn a_key_file_is_private_new_and_read_back() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("publisher.key");
        let key = SigningKey::generate().unwrap();
        key.write_new(&path).unwrap();
        assert_eq!(SigningKey::read(&path).unwrap().public(), key.public());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        // Never over an existing file.
        assert!(SigningKey::generate().unwrap().write_new(&path).is_err());
        assert_eq!(SigningKey::read(&path).unwrap().public(), key.public());
        std::fs::write(dir.path().join("bad.key"), "not a key").unwrap();
        assert!(matches!(
            SigningKey::read(&dir.path().join("bad.key")),
            Err(Error::InvalidArgument(_))
        ));
    }
}
