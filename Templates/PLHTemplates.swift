import Foundation

/// The default templates shipped with PLH Bilan (the `defaut/` folder beside this file).
public enum DefaultTemplates {
    /// The folder holding the default `.mustache` files.
    public static var directory: URL {
        Bundle.module.url(forResource: "defaut", withExtension: nil)!
    }
}
