//! The hash chain: each row's hash covers the previous row's hash and the
//! row's own canonical content, so editing or deleting any row breaks every
//! hash after it.

use sha2::{Digest, Sha256};

/// The `prev_hash` of the first row.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// A stable, unambiguous serialisation of a row's content: a JSON array, so
/// no field can bleed into the next.
#[allow(clippy::too_many_arguments)]
pub fn canonical_content(
    id: i64,
    at: i64,
    actor_id: Option<i64>,
    actor: &str,
    action: &str,
    target: &str,
    outcome: &str,
    ip: &str,
    details: &str,
) -> String {
    serde_json::json!([id, at, actor_id, actor, action, target, outcome, ip, details]).to_string()
}

pub fn chain_hash(prev_hash: &str, canonical: &str) -> String {
    let mut h = Sha256::new();
    h.update(prev_hash.as_bytes());
    h.update(b"\n");
    h.update(canonical.as_bytes());
    hex::encode(h.finalize())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn any_field_change_changes_the_hash() {
        let base = canonical_content(1, 2, Some(3), "a", "b", "c", "success", "ip", "{}");
        let h = chain_hash(GENESIS_HASH, &base);
        for other in [
            canonical_content(2, 2, Some(3), "a", "b", "c", "success", "ip", "{}"),
            canonical_content(1, 2, None, "a", "b", "c", "success", "ip", "{}"),
            canonical_content(1, 2, Some(3), "ab", "", "c", "success", "ip", "{}"),
            canonical_content(1, 2, Some(3), "a", "b", "c", "failure", "ip", "{}"),
        ] {
            assert_ne!(h, chain_hash(GENESIS_HASH, &other));
        }
        assert_ne!(h, chain_hash(&"1".repeat(64), &base));
        assert_eq!(h, chain_hash(GENESIS_HASH, &base));
    }
}
