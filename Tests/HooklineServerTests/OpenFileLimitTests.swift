#if canImport(Glibc)
import Glibc
#endif
import Testing
@testable import HooklineServer

@Suite struct OpenFileLimitTests {
    /// A soft limit below the hard one is raised to it at start.
    @Test func theSoftLimitIsRaisedToTheHardOne() throws {
        let resource = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
        var limit = rlimit()
        try #require(getrlimit(resource, &limit) == 0)
        let hard = min(limit.rlim_max, OpenFileLimit.largestRequest)
        // Lowered first (the test process may well run at its hard limit), by little enough that
        // the other tests running meanwhile keep plenty.
        if hard > 4096 {
            var lowered = limit
            lowered.rlim_cur = 4096
            try #require(setrlimit(resource, &lowered) == 0)
        }
        let answered = OpenFileLimit.raise()
        try #require(getrlimit(resource, &limit) == 0)
        #expect(limit.rlim_cur == hard)
        #expect(answered == Int(clamping: hard))
    }

    @Test func tooFewOpenFilesForTheConcurrencyAreNamedInAWarning() {
        let warning = OpenFileLimit.warning(concurrency: 1024, limit: 1024)
        #expect(warning?.contains("open-file limit is 1024") == true)
        #expect(warning?.contains("HOOKLINE_CONCURRENCY") == true)
        #expect(warning?.contains("about 1280") == true)
        #expect(OpenFileLimit.warning(concurrency: 1024, limit: 1280) == nil)
        #expect(OpenFileLimit.warning(concurrency: 256, limit: 20000) == nil)
    }
}
