// `yima-bench ops OP COUNT [--alg ed25519|p256|sm2]`: one operation COUNT times on one
// thread, all inside `measuredOperations`, so that
//   valgrind --tool=callgrind --collect-atstart=no --toggle-collect='*measuredOperations*'
// counts the instructions of those operations alone (scripts/bench-instructions.sh):
// a figure that does not drift with the load of a shared machine, set beside the same
// count for OpenSSL's own sign and verify (scripts/bench/openssl-ops.c).
//   sign      a unit code: signed message, signature, URI (UnitCodeBatchSigner.issue)
//   verify    a printed code: parse, key by hint, signature (UnitCodeVerifier.verify)
//   envelope  a record envelope: canonical JSON decode, then its signature (Envelope.verify)
import Foundation
import YimaCodes
import YimaCrypto
import YimaRecords

func runInstructionBench(_ arguments: [String]) throws {
    guard arguments.count >= 2, let count = Int(arguments[1]) else {
        fatalError("usage: yima-bench ops sign|verify|envelope COUNT [--alg ed25519|p256|sm2]")
    }
    let algorithm = arguments.count >= 4 && arguments[2] == "--alg" ? SignatureAlgorithm(rawValue: arguments[3]) ?? .ed25519 : .ed25519
    let key = try PrivateKey.generate(algorithm)
    let issuer = UnitCodeIssuer(key: key, base: try ResolverBase("https://YIMA.EXAMPLE.COM"))
    let signer = try UnitCodeBatchSigner(issuer: issuer, gtin: "09506000134352", lot: "ABCDE12345")
    let serials = UnitCodeAlphabet.randomSerialValues(count).map { UnitCodeAlphabet.serial(from: $0) }
    var done = 0
    switch arguments[0] {
    case "sign":
        done = measuredOperations { for serial in serials { _ = try! signer.issue(serial: serial) }; return serials.count }
    case "verify":
        let codes = try serials.map { try signer.issue(serial: $0) }
        let verifier = UnitCodeVerifier(trusted: TrustedKeys([key.publicKey]))
        let context = Verifier()
        done = measuredOperations { codes.filter { verifier.verify($0, using: context).verdict.isGenuine }.count }
    case "envelope":
        let envelopes = try serials.map { serial in
            try Envelope.sign(payload: CanonicalJSON.encode(.object(["serial": .string(serial), "v": 1])), with: key).encoded
        }
        done = measuredOperations {
            envelopes.filter { bytes in (try? Envelope(encoded: bytes))?.verify(with: key.publicKey).isValid == true }.count
        }
    default:
        fatalError("unknown operation \(arguments[0]): sign, verify or envelope")
    }
    precondition(done == count, "only \(done) of \(count) operations succeeded")
    print("\(arguments[0]) × \(count) (\(algorithm.rawValue)): done")
}

/// The region callgrind counts (by this name); kept out of line so that it exists.
@inline(never)
func measuredOperations(_ body: () -> Int) -> Int {
    body()
}
