import ArgumentParser
import Foundation
import YimaCrypto
import YimaRecords
import YimaService
import YimaText

/// `--data DIR`: the Yima data folder (default `$YIMA_DATA`, else `./yima-data`).
public struct DataOptions: ParsableArguments {
    @Option(name: .customLong("data"), help: "Data folder (default $YIMA_DATA, else ./yima-data).")
    var path: String?
    @Option(name: .customLong("database"),
            help: "PostgreSQL store, postgres://USER@HOST:PORT/DB (default $YIMA_DATABASE; password from the URL, PGPASSWORD or ~/.pgpass). Without it, the SQLite store in the data folder.")
    var database: String?

    public init() {}

    public var directory: DataDirectory { DataDirectory.resolve(path, database: database) }

    /// The use cases over the data folder.
    func useCases() throws(ServiceError) -> UseCases { try directory.useCases() }
}

/// `--key KEY [--passphrase-file F]`: the signer.
struct SignerOptions: ParsableArguments {
    @Option(help: "The signing party's private key (PEM).")
    var key: String
    @Option(help: "Passphrase file for an encrypted key.")
    var passphraseFile: String?

    func load() throws(ServiceError) -> PrivateKey {
        try KeyGeneration.loadPrivateKey(key, passphraseFile: passphraseFile)
    }
}

enum JSONInput {
    /// Reads a JSON file ('-' for standard input) into a value, leniently (whitespace allowed).
    static func read(_ path: String) throws(ServiceError) -> JSONValue {
        let data: Data?
        if path == "-" {
            data = FileHandle.standardInput.readDataToEndOfFile()
        } else {
            data = FileManager.default.contents(atPath: path)
        }
        guard let data else { throw .input(.cannotRead, ["path": path]) }
        do {
            return try CanonicalJSON.parse(Array(data))
        } catch {
            throw .input(.notJSON, ["path": path, "reason": error])
        }
    }

    /// Replaces `public_keys` entries given as paths to `.pub` files (relative to
    /// the JSON file) by their `{alg, kid, spki}` objects.
    static func resolvingKeyFiles(_ value: JSONValue, relativeTo file: String) throws(ServiceError) -> JSONValue {
        guard case .object(var fields) = value, case .array(let keys)? = fields["public_keys"] else { return value }
        let folder = PathNames.folder(of: file)
        var resolved: [JSONValue] = []
        for entry in keys {
            guard case .string(let path) = entry else { resolved.append(entry); continue }
            let full = path.hasPrefix("/") || folder.isEmpty ? path : (folder as NSString).appendingPathComponent(path)
            let key: PublicKey
            do { key = try KeyFile.loadPublic(full) } catch { throw ServiceError.wrap(error) }
            resolved.append(.object(["alg": .string(key.algorithm.rawValue), "kid": .string(key.id.hex),
                                     "spki": .string(Base64.encode(key.subjectPublicKeyInfo))]))
        }
        fields["public_keys"] = .array(resolved)
        return .object(fields)
    }
}

extension Console {
    /// Exit status of a record refused by a domain rule (docs/cli.md).
    static let ruleViolationStatus: Int32 = 3

    /// Runs a command body that throws `ServiceError`s, printing them in `language`.
    static func service(_ language: Language, _ body: () throws -> Void) throws {
        try run {
            do {
                try body()
            } catch let failure as Failure {
                throw failure
            } catch {
                let error = ServiceError.wrap(error)
                if case .rule = error { throw error.failure(language, status: ruleViolationStatus) }
                throw error.failure(language)
            }
        }
    }

    static func printJSON(_ value: JSONValue) {
        print(String(decoding: CanonicalJSON.encode(value), as: UTF8.self))
    }
}
