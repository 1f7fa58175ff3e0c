-- Warden's own SSH key pair: one row, made at first start. The private key is
-- sealed (XChaCha20-Poly1305) under the master key, which lives outside the
-- database (WARDEN_MASTER_KEY_FILE); only the public half is readable here.
CREATE TABLE ssh_identity (
    id                 INTEGER PRIMARY KEY CHECK (id = 1),
    public_key         TEXT    NOT NULL,
    fingerprint        TEXT    NOT NULL,
    private_key_sealed TEXT    NOT NULL,
    created_at         INTEGER NOT NULL
);
