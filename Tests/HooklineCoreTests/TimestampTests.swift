import Testing
@testable import HooklineCore

@Suite struct TimestampTests {
    @Test(arguments: [
        ("2019-03-28T00:05:00.000Z", "2019-03-28T00:05:00.000Z"),
        ("2019-03-28T00:05:00Z", "2019-03-28T00:05:00.000Z"),
        ("2019-03-28T03:05:00.5+03:00", "2019-03-28T00:05:00.500Z"),
        ("2019-02-19 00:00:00", "2019-02-19T00:00:00.000Z"),
        ("2020-02-29T23:59:59.999-01:30", "2020-03-01T01:29:59.999Z"),
        ("1969-12-31T23:59:59.000Z", "1969-12-31T23:59:59.000Z"),
        ("2019-03-28T00:05:00.1234Z", "2019-03-28T00:05:00.123Z"),
        ("2019-03-28T00:05:00.664813Z", "2019-03-28T00:05:00.664Z"),
        ("2019-03-28T00:05:00.123456789Z", "2019-03-28T00:05:00.123Z"),
        ("2019-03-28T00:05:00.123456789012+00:00", "2019-03-28T00:05:00.123Z"),
    ])
    func normalizesToUTC(text: String, expected: String) throws {
        #expect(try #require(Timestamp(parsing: text)).iso8601 == expected)
    }

    @Test(arguments: ["2019-13-01T00:00:00Z", "2019-02-29T00:00:00Z", "2019-03-28T00:05:00", "yesterday", "2019-03-28T25:00:00Z", "2019-03-28T00:05:00.Z"])
    func refusesMalformedTimes(text: String) {
        #expect(Timestamp(parsing: text) == nil)
    }

    @Test func formatsTheRoistatWay() throws {
        #expect(try #require(Timestamp(parsing: "2015-06-28T09:12:54.123Z")).spaced == "2015-06-28 09:12:54")
    }
}
