import FuzzDriver
import FuzzSupport

/// `diff` under libFuzzer, with RoundTripCheck's invariants (each input read as each format).
@_cdecl("FuzzDiff_main")
func entry(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    FuzzDriver.main(argc, argv) { data, size in
        RoundTripCheck.run(data, size, kind: .diff)
        return 0
    }
}
