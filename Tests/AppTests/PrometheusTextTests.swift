import HTTPServing
import Testing

@Suite("Prometheus text format: the one writer both servers use")
struct PrometheusTextTests {
    @Test("a histogram's buckets are cumulative, +Inf counts everything, label values are escaped")
    func histogram() {
        var histogram = PrometheusHistogram(bounds: [0.5, 1, 5])
        for value in [0.1, 0.5, 0.7, 3, 9] { histogram.observe(value) }
        var text = PrometheusText()
        text.family("x_seconds", help: "Test.", kind: .histogram)
        text.histogram("x_seconds", labels: [("stage", "a\"b\\c\nd")], histogram)
        let label = #"stage="a\"b\\c\nd""#
        #expect(text.text == """
            # HELP x_seconds Test.
            # TYPE x_seconds histogram
            x_seconds_bucket{\(label),le="0.5"} 2
            x_seconds_bucket{\(label),le="1"} 3
            x_seconds_bucket{\(label),le="5"} 4
            x_seconds_bucket{\(label),le="+Inf"} 5
            x_seconds_sum{\(label)} 13.3
            x_seconds_count{\(label)} 5

            """)
    }

    @Test("samples without labels, whole and fractional values")
    func samples() {
        var text = PrometheusText()
        text.family("up", help: "One.", kind: .gauge)
        text.sample("up", 1)
        text.sample("ratio", labels: [("a", "b")], 0.25)
        #expect(text.text.hasSuffix("up 1\nratio{a=\"b\"} 0.25\n"))
        #expect(PrometheusText().text.isEmpty)
        var single = PrometheusText()
        single.family("open", help: "Open now.", kind: .gauge, value: 3)
        #expect(single.text == "# HELP open Open now.\n# TYPE open gauge\nopen 3\n")
    }
}
