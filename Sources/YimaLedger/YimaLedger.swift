// YimaLedger: RFC 9162 Merkle tree, proofs, C2SP checkpoints and signed notes.
