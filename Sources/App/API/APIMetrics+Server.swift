import HTTPServing

/// The connection and memory guards' figures on the metrics page.
extension APIMetrics {
    static func serverLines(connections: ConnectionRegistry, budgets: APIBudgets) -> [String] {
        let counts = connections.counters
        return [
            "# HELP intent_http_connections Connections open now.", "# TYPE intent_http_connections gauge",
            "intent_http_connections \(counts.open)",
            "# HELP intent_http_connections_max Connections open at once, at most (idle ones are closed to make room).",
            "# TYPE intent_http_connections_max gauge", "intent_http_connections_max \(connections.maxConnections)",
            "# HELP intent_http_connections_opened_total Connections accepted.", "# TYPE intent_http_connections_opened_total counter",
            "intent_http_connections_opened_total \(counts.opened)",
            "# HELP intent_http_connections_evicted_total Idle connections closed to make room under the cap.",
            "# TYPE intent_http_connections_evicted_total counter", "intent_http_connections_evicted_total \(counts.evicted)",
            "# HELP intent_http_connections_timed_out_total Connections closed by a read timeout (idle, head or body).",
            "# TYPE intent_http_connections_timed_out_total counter", "intent_http_connections_timed_out_total \(counts.timedOut)",
            "# HELP intent_http_requests_refused_total Requests refused before routing (408, 414, 431, 400 for a malformed head).",
            "# TYPE intent_http_requests_refused_total counter", "intent_http_requests_refused_total \(counts.refusedHeads)",
            "# HELP intent_http_in_flight_bytes Bytes of request bodies and of answers held now, by budget.",
            "# TYPE intent_http_in_flight_bytes gauge",
            "intent_http_in_flight_bytes{budget=\"bodies\"} \(budgets.bodies.inUse)",
            "intent_http_in_flight_bytes{budget=\"answers\"} \(budgets.responses.inUse)",
            "# HELP intent_http_in_flight_refusals_total Requests answered 503 because a budget was spent, by budget.",
            "# TYPE intent_http_in_flight_refusals_total counter",
            "intent_http_in_flight_refusals_total{budget=\"bodies\"} \(budgets.bodies.refused)",
            "intent_http_in_flight_refusals_total{budget=\"answers\"} \(budgets.responses.refused)",
        ]
    }
}
