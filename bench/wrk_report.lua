-- wrk report as one JSON line (p95 is not in wrk's own --latency output)
done = function(summary, latency, requests)
   local non2xx = summary.errors.status
   io.write(string.format(
      '{"requests": %d, "seconds": %.3f, "rps": %.2f, "p50_us": %d, "p95_us": %d, "p99_us": %d, "non2xx": %d, ' ..
      '"socket_errors": %d}\n',
      summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
      latency:percentile(50), latency:percentile(95), latency:percentile(99), non2xx,
      summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
