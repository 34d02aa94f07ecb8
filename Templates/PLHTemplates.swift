import PLHModel
import Foundation

/// The default templates shipped with PLH Bilan (the `defaut/` folder beside this file).
public enum DefaultTemplates {
    /// The folder holding the default `.mustache` files; a French error when the installation lacks it.
    public static func directory() throws(BilanError) -> URL {
        try InstalledResources.folder("defaut", of: "PLHTemplates")
    }
}

/// The web application's page templates and static files (the `web/` folder beside this file).
public enum WebTemplates {
    /// The folder holding the pages' `.mustache` files and `site.css`; a French error when it is missing.
    public static func directory() throws(BilanError) -> URL {
        try InstalledResources.folder("web", of: "PLHTemplates")
    }
}
