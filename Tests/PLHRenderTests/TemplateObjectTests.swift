import Testing
@testable import PLHRender

/// A template object looks its fields up as the dictionary it replaced did: by name, whatever their order.
struct TemplateObjectTests {
    @Test func fieldsAreFoundByNameAndObjectsCompareWithoutOrder() {
        var object: TemplateObject = ["nom": .text("CALL"), "a_objectif": .flag(true), "lignes": .list([])]
        #expect(object["nom"] == .text("CALL"))
        #expect(object["a_objectif"] == .flag(true))
        #expect(object["absent"] == nil)
        #expect(object["Nom"] == nil, "names are case-sensitive")
        object["nom"] = .text("Lens-Liévin")
        object["code"] = .text("200033")
        #expect(object["nom"] == .text("Lens-Liévin") && object.count == 4)
        object["lignes"] = nil
        #expect(object["lignes"] == nil && object.count == 3)
        let same = TemplateObject(["code": .text("200033"), "a_objectif": .flag(true), "nom": .text("Lens-Liévin")])
        #expect(object == same)
        #expect(object.hashValue == same.hashValue)
        #expect(object != ["code": .text("200033"), "a_objectif": .flag(false), "nom": .text("Lens-Liévin")])
        #expect(object != ["code": .text("200033"), "nom": .text("Lens-Liévin")])
    }

    @Test func addingKeepsOwnFieldsOnAConflict() {
        let own: TemplateObject = ["titre": .text("Bilan"), "couleur_principale": .text("#000000")]
        let added = own.adding(["couleur_principale": .text("#123456"), "couleur_claire": .text("#abcdef")])
        #expect(added["couleur_principale"] == .text("#000000"))
        #expect(added["couleur_claire"] == .text("#abcdef"))
        #expect(added.names == ["titre", "couleur_principale", "couleur_claire"])
    }

    @Test func aTemplatePathIsLookedUpThroughItsHashes() {
        let path = CompiledTemplates.Path("document.couleur_principale")
        #expect(path.names == ["document", "couleur_principale"])
        #expect(path.hashes == path.names.map(TemplateObject.hash))
        #expect(CompiledTemplates.Path(".").names == ["."])
        // Names of the same length and close bytes get different hashes (FNV-1a).
        #expect(Set(["aa", "ab", "ba", "taux_plan", "taux_a_date"].map(TemplateObject.hash)).count == 5)
    }
}
