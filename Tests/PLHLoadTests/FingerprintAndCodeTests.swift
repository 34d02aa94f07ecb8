import PLHModel
import Testing

/// Two small functions every EPCI of a batch goes through, rewritten on bytes: they give what their plain
/// definitions give.
struct FingerprintAndCodeTests {
    @Test func hexIsBothLanesInLowerCaseHexadecimal() {
        // FNV-1a's offset basis and the second lane's seed, as the digits the index has always stored.
        #expect(Fingerprint().hex == "cbf29ce4842223256c62272e07bb0142", "the two seeds")
        var hash = Fingerprint()
        for field in ["200000001", "CA du Pays Ajaccien", "", "Ajaccio", "2A004"] {
            hash.add(field)
            #expect(hash.hex.count == 32)
            #expect(hash.hex.allSatisfy { $0.isHexDigit && !$0.isUppercase })
        }
        // A word with leading zero nibbles in a lane: the digits are padded, not dropped.
        var small = Fingerprint()
        small.add(word: 0)
        #expect(small.hex.count == 32)
        #expect(Set(["200000001", "x", ""].map { field -> String in var h = Fingerprint(); h.add(field); return h.hex }).count == 3)
    }

    @Test(arguments: ["62498", "97101", "97611", "2A004", "2b033", "01001", "", "9", "97", "9a", "é1234", "62\u{301}498", "\r\n123"])
    func departmentIsTheCodesFirstCharacters(_ code: String) {
        #expect(CommuneCode.department(of: code) == String(code.prefix(code.hasPrefix("97") ? 3 : 2)))
    }
}
