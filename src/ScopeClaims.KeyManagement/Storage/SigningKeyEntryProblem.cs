namespace ScopeClaims.KeyManagement;

/// <summary>Why a key store entry was refused.</summary>
public enum SigningKeyEntryProblem
{
    /// <summary>The entry is not a well-formed managed-key entry: truncated, not JSON, a member missing or of the wrong type, a generation or key id that does not match, or impossible times.</summary>
    Malformed,

    /// <summary>Data Protection could not decrypt the entry: another key ring (an application name or key directory that differs), a key that was revoked or lost, or damaged ciphertext.</summary>
    Undecryptable,

    /// <summary>The entry holds a key of an algorithm, type or size that managed keys do not use (RS256, PS256 with RSA 2048 or more, ES256 with P-256).</summary>
    KeyNotAllowed,

    /// <summary>The entry of a generation changed after it was read; entries are written once, so the store was tampered with or damaged.</summary>
    Modified,
}
