import Foundation
import PLHCLI

exit(CommandLineTool().run(Array(CommandLine.arguments.dropFirst())))
