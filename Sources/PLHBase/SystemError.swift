import Foundation

/// A system error (errno, Foundation's file errors) worded in French with the path it concerns:
/// `permission refusée sur « output/projet »`. Never Foundation's English `localizedDescription`.
public func systemErrorText(_ error: Error, path: String) -> String {
    let shown = "« \(path) »"
    if let code = posixCode(of: error) { return posixText(code, shown) }
    if let cocoa = error as? CocoaError {
        switch cocoa.code {
        case .fileNoSuchFile, .fileReadNoSuchFile: return posixText(ENOENT, shown)
        case .fileReadNoPermission, .fileWriteNoPermission: return posixText(EACCES, shown)
        case .fileWriteOutOfSpace: return posixText(ENOSPC, shown)
        case .fileWriteVolumeReadOnly: return posixText(EROFS, shown)
        case .fileWriteFileExists: return posixText(EEXIST, shown)
        case .fileWriteInvalidFileName, .fileReadInvalidFileName: return "nom de fichier invalide : \(shown)"
        case .fileReadCorruptFile: return "fichier illisible (contenu altéré) : \(shown)"
        case .fileReadTooLarge: return "fichier trop grand pour être lu : \(shown)"
        case .fileReadInapplicableStringEncoding, .fileWriteInapplicableStringEncoding:
            return "encodage de caractères inadapté pour \(shown)"
        case .fileLocking: return "\(shown) est verrouillé"
        case .fileReadUnknown: return "lecture impossible de \(shown) (cause inconnue)"
        case .fileWriteUnknown: return "écriture impossible dans \(shown) (cause inconnue)"
        default: return "erreur de fichier n° \(cocoa.code.rawValue) sur \(shown)"
        }
    }
    let ns = error as NSError
    return "erreur système (\(ns.domain), n° \(ns.code)) sur \(shown)"
}

/// The errno behind an error: a `POSIXError`, an `NSPOSIXErrorDomain` error, or one underlying a Foundation error.
func posixCode(of error: Error) -> Int32? {
    if let posix = error as? POSIXError { return posix.code.rawValue }
    let ns = error as NSError
    if ns.domain == NSPOSIXErrorDomain { return Int32(ns.code) }
    if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? Error { return posixCode(of: underlying) }
    return nil
}

/// The French wording of one errno, about `shown` (the path in guillemets).
func posixText(_ code: Int32, _ shown: String) -> String {
    switch code {
    case ENOENT: return "\(shown) n'existe pas (ni le fichier ni l'un des dossiers du chemin)"
    case EACCES, EPERM: return "permission refusée sur \(shown)"
    case ENOSPC: return "plus de place sur le disque pour \(shown)"
    case EDQUOT: return "quota de disque dépassé pour \(shown)"
    case EROFS: return "\(shown) est sur un volume en lecture seule"
    case EEXIST: return "\(shown) existe déjà"
    case ENOTDIR: return "un élément du chemin \(shown) n'est pas un dossier"
    case EISDIR: return "\(shown) est un dossier, pas un fichier"
    case ENOTEMPTY: return "le dossier \(shown) n'est pas vide"
    case ENAMETOOLONG: return "nom trop long : \(shown)"
    case ELOOP: return "trop de liens symboliques dans le chemin \(shown)"
    case EMFILE, ENFILE: return "trop de fichiers ouverts pour ouvrir \(shown)"
    case EIO: return "erreur d'entrée-sortie du disque sur \(shown)"
    case EBUSY, ETXTBSY: return "\(shown) est occupé par un autre programme"
    case EXDEV: return "\(shown) est sur un autre volume"
    case EFBIG: return "fichier trop grand : \(shown)"
    case ENOMEM: return "mémoire insuffisante pour \(shown)"
    case ENOEXEC: return "\(shown) n'est pas un programme exécutable"
    case EINVAL: return "opération invalide sur \(shown)"
    default: return "erreur système n° \(code) sur \(shown)"
    }
}
