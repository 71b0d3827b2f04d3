import FuzzDriver
import FuzzSupport
import PromKit

/// The text format's parser under libFuzzer, with FuzzCheck's invariants.
@_cdecl("FuzzText_main")
func entry(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    FuzzDriver.main(argc, argv) { data, size in
        FuzzCheck.run(data, size, format: .text)
        return 0
    }
}
