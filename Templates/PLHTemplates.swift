import Foundation

/// The default templates shipped with PLH Bilan (the `defaut/` folder beside this file).
public enum DefaultTemplates {
    /// The folder holding the default `.mustache` files.
    public static var directory: URL {
        Bundle.module.url(forResource: "defaut", withExtension: nil)!
    }
}

/// The web application's page templates and static files (the `web/` folder beside this file).
public enum WebTemplates {
    /// The folder holding the pages' `.mustache` files and `site.css`.
    public static var directory: URL {
        Bundle.module.url(forResource: "web", withExtension: nil)!
    }
}
