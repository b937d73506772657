//! Secrets: random tokens, their SHA-256 at rest, constant-time comparison, argon2id password hashes.

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use rand::RngCore;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

/// The fewest characters a password may have.
pub const MIN_PASSWORD_CHARS: usize = 10;

/// `bytes` random bytes from the operating system's generator as lowercase hex.
pub fn random_hex(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    rand::rng().fill_bytes(&mut buf);
    buf.iter().map(|b| format!("{b:02x}")).collect()
}

/// A 校验码: 16 characters from an alphabet without look-alikes (0/O, 1/I/L), 80 bits.
pub fn check_code() -> String {
    const ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";
    let mut buf = [0u8; 16];
    rand::rng().fill_bytes(&mut buf);
    buf.iter()
        .map(|b| char::from(ALPHABET[usize::from(*b) % ALPHABET.len()]))
        .collect()
}

/// The SHA-256 of `text`.
pub fn sha256(text: &str) -> Vec<u8> {
    Sha256::digest(text.as_bytes()).to_vec()
}

/// Whether `a` and `b` are equal, in time that does not depend on where they differ.
pub fn same(a: &[u8], b: &[u8]) -> bool {
    a.ct_eq(b).into()
}

/// Whether a password is long enough.
pub fn password_ok(password: &str) -> bool {
    password.chars().count() >= MIN_PASSWORD_CHARS
}

/// An argon2id hash of `password` (PHC string, salt included).
///
/// # Errors
/// Only when the hasher itself fails, as a message.
pub fn hash_password(password: &str) -> Result<String, String> {
    let salt = SaltString::encode_b64(random_hex(16).as_bytes()).map_err(|e| e.to_string())?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| e.to_string())
}

/// Whether `password` matches the stored `hash`. A malformed hash matches nothing.
pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|h| Argon2::default().verify_password(password.as_bytes(), &h).is_ok())
}

/// A hash that no password matches, verified against for unknown logins so they take as long as wrong passwords.
pub fn decoy_hash() -> &'static str {
    "$argon2id$v=19$m=19456,t=2,p=1$ZGVjb3lkZWNveWRlY295$0Z0hG0dC3QkP3fJmD0cR5sQ8u1J1k8p7x2Yp8sRk0cE"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_hash_with_argon2id_and_verify() {
        let h = hash_password("correct horse battery").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password("correct horse battery", &h));
        assert!(!verify_password("wrong horse battery", &h));
        assert!(!verify_password("anything", "not a hash"));
        assert!(!verify_password("anything", decoy_hash()));
    }

    #[test]
    fn check_codes_avoid_look_alikes() {
        let c = check_code();
        assert_eq!(c.len(), 16);
        assert!(!c.contains(['0', 'O', '1', 'I', 'L']));
        assert_ne!(check_code(), c);
        assert!(same(&sha256(&c), &sha256(&c)) && !same(&sha256(&c), &sha256("x")));
    }
}
