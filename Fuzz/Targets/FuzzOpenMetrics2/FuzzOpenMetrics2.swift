import FuzzDriver
import FuzzSupport
import PromKit

/// The openMetrics2 format's parser under libFuzzer, with FuzzCheck's invariants.
@_cdecl("FuzzOpenMetrics2_main")
func entry(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    FuzzDriver.main(argc, argv) { data, size in
        FuzzCheck.run(data, size, format: .openMetrics2)
        return 0
    }
}
