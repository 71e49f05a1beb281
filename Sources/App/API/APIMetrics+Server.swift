import HTTPServing

/// The connection and memory guards' figures on the metrics page.
extension APIMetrics {
    static func writeServer(connections: ConnectionRegistry, budgets: APIBudgets, to text: inout PrometheusText) {
        let counts = connections.counters
        text.family("intent_http_connections", help: "Connections open now.", kind: .gauge, value: counts.open)
        text.family("intent_http_connections_max", help: "Connections open at once, at most (idle ones are closed to make room).", kind: .gauge, value: connections.maxConnections)
        text.family("intent_http_connections_opened_total", help: "Connections accepted.", kind: .counter, value: counts.opened)
        text.family("intent_http_connections_evicted_total", help: "Idle connections closed to make room under the cap.", kind: .counter, value: counts.evicted)
        text.family("intent_http_connections_timed_out_total", help: "Connections closed by a read timeout (idle, head or body).", kind: .counter, value: counts.timedOut)
        text.family("intent_http_requests_refused_total",
                    help: "Requests refused before routing (408, 414, 431, 400 for a malformed head).", kind: .counter, value: counts.refusedHeads)
        text.family("intent_http_in_flight_bytes", help: "Bytes of request bodies and of answers held now, by budget.", kind: .gauge)
        text.sample("intent_http_in_flight_bytes", labels: [("budget", "bodies")], budgets.bodies.inUse)
        text.sample("intent_http_in_flight_bytes", labels: [("budget", "answers")], budgets.responses.inUse)
        text.family("intent_http_in_flight_refusals_total", help: "Requests answered 503 because a budget was spent, by budget.", kind: .counter)
        text.sample("intent_http_in_flight_refusals_total", labels: [("budget", "bodies")], budgets.bodies.refused)
        text.sample("intent_http_in_flight_refusals_total", labels: [("budget", "answers")], budgets.responses.refused)
    }
}
