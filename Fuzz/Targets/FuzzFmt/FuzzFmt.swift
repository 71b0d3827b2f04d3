import FuzzDriver
import FuzzSupport

/// `fmt` under libFuzzer, with RoundTripCheck's invariants (each input read as each format).
@_cdecl("FuzzFmt_main")
func entry(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    FuzzDriver.main(argc, argv) { data, size in
        RoundTripCheck.run(data, size, kind: .fmt)
        return 0
    }
}
