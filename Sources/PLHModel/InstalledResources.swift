import Foundation

/// PLH Bilan's own files (default templates, web pages, reference data), found from the running program.
///
/// They are SwiftPM resource bundles (`PLHBilan_<Target>.resources`). `Bundle.module` would stop the program
/// when a bundle is missing, and falls back to the build machine's folders, which would hide a broken
/// installation; this looks in two places only, then says in French what is missing:
/// - beside the executable: a build folder (`.build/release/`), or the test runner's;
/// - `../share/plh-bilan/` from the executable's folder: the installed program (`/usr/bin/plh-bilan` finds
///   `/usr/share/plh-bilan/`), whatever the working directory.
public enum InstalledResources {
    /// The folder of the running executable, symbolic links resolved.
    public static let executableFolder: URL? = {
        #if os(Linux)
        if let path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            return URL(fileURLWithPath: path).deletingLastPathComponent()
        }
        #endif
        return Bundle.main.executableURL?.resolvingSymlinksInPath().deletingLastPathComponent()
    }()

    /// Where the installed program's bundles are, relative to the executable's folder.
    public static let sharedFolder = "../share/plh-bilan"

    /// The folders searched for bundles, in order.
    public static var searchedFolders: [URL] {
        guard let folder = executableFolder else { return [] }
        return [folder, folder.appendingPathComponent(sharedFolder).standardizedFileURL]
    }

    /// `resource` (a folder) inside the bundle of `target` (`PLHTemplates`, `PLHImport`).
    public static func folder(_ resource: String, of target: String) throws(BilanError) -> URL {
        let bundle = "PLHBilan_\(target).resources"
        for base in searchedFolders {
            let candidate = base.appendingPathComponent(bundle).appendingPathComponent(resource)
            var isFolder: ObjCBool = false
            if FileManager.default.fileExists(atPath: candidate.path, isDirectory: &isFolder), isFolder.boolValue {
                return candidate
            }
        }
        let looked = searchedFolders.map { $0.appendingPathComponent(bundle).path }
        throw BilanError(.installation, at: nil, "installation incomplète : dossier « \(resource) » de PLH Bilan introuvable"
                         + (looked.isEmpty ? "" : " (cherché dans \(frenchEnumeration(looked, conjunction: "et dans")))"),
                         hint: "réinstallez le paquet plh-bilan, ou, depuis les sources, lancez le programme construit "
                             + "(.build/release/plh-bilan) sans le séparer du dossier \(bundle) placé à côté de lui")
    }
}
