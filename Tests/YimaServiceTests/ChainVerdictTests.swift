import Foundation
import Testing
import YimaCodes
import YimaService
import YimaTestSupport

/// What `chain(for:)` says about codes that look like issued ones but are not.
@Suite struct ChainVerdictTests {
    @Test func alteredKeyIDIsForgedEvenWithTheIssuedSignature() throws {
        let farm = try Farm()
        let code = try #require(farm.issue(1).first)
        #expect(try farm.resolver.chain(for: code.uri).verdict == .genuine(keyID: farm.coop.id.hex, party: Farm.coopID))
        let altered = UnitCode(stem: code.stem, gtin: code.gtin, lot: code.lot, serial: code.serial,
                               keyHint: code.keyHint ^ 1, signature: code.signature)
        #expect(try farm.resolver.chain(for: altered.uri).verdict == .forged)
    }

    @Test func otherSerialsAndSignaturesAreNotIssued() throws {
        let farm = try Farm()
        let code = try #require(farm.issue(1).first)
        // Signed by the right key, but never issued into the store.
        let unissued = try UnitCodeIssuer(key: farm.coop, base: ResolverBase(code.stem))
            .issue(gtin: code.gtin, lot: code.lot, serial: "UNISSUED1")
        #expect(try farm.resolver.chain(for: unissued.uri).verdict == .notIssued)
        // The issued serial with another signature.
        var signature = code.signature
        signature[5] ^= 0x40
        let tampered = UnitCode(stem: code.stem, gtin: code.gtin, lot: code.lot, serial: code.serial,
                                keyHint: code.keyHint, signature: signature)
        #expect(try farm.resolver.chain(for: tampered.uri).verdict == .forged)
    }
}
