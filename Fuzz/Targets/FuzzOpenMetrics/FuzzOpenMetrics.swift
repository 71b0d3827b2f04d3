import FuzzDriver
import FuzzSupport
import PromKit

/// The openMetrics format's parser under libFuzzer, with FuzzCheck's invariants.
@_cdecl("FuzzOpenMetrics_main")
func entry(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    FuzzDriver.main(argc, argv) { data, size in
        FuzzCheck.run(data, size, format: .openMetrics)
        return 0
    }
}
