/**
 * An open-loop load: requests start at a steady rate, whatever the server's speed, over a
 * fixed set of keep-alive connections. autocannon's rate option sends each second's quota in a
 * burst at the start of the second, which measures a burst, not a rate. Latency is counted
 * from when a request was due to start, so time spent queued for a free connection counts
 * (no coordinated omission).
 */
import { Pool } from 'undici';
import * as hdr from 'hdr-histogram-js';

export interface PacedRequest {
  method: 'GET' | 'POST';
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

export interface PacedResult {
  /** Requests completed per second. */
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
}

export async function pacedLoad(options: { url: string; connections: number; rate: number; seconds: number; next: () => PacedRequest }): Promise<PacedResult> {
  const pool = new Pool(options.url, { connections: options.connections, pipelining: 1 });
  const histogram = hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 120_000, numberOfSignificantValueDigits: 3 });
  const total = Math.round(options.rate * options.seconds);
  const interval = 1000 / options.rate;
  let non2xx = 0;
  let errors = 0;
  const inFlight: Promise<void>[] = [];
  // Open every connection first, so connection set-up is not counted as latency.
  await Promise.all(
    Array.from({ length: options.connections }, async () => {
      const req = options.next();
      const res = await pool.request({ method: req.method, path: req.path, headers: req.headers, body: req.body });
      await res.body.dump();
    }),
  );
  const start = performance.now();

  const send = (due: number) => {
    const req = options.next();
    inFlight.push(
      pool
        .request({ method: req.method, path: req.path, headers: req.headers, body: req.body })
        .then(async (res) => {
          await res.body.dump();
          if (res.statusCode < 200 || res.statusCode >= 300) non2xx++;
          else histogram.recordValue(Math.max(1, Math.round(performance.now() - due)));
        })
        .catch(() => {
          errors++;
        }),
    );
  };

  // Every millisecond or so, start the requests that have fallen due since the last tick.
  let sent = 0;
  await new Promise<void>((resolve) => {
    const tick = () => {
      const now = performance.now();
      while (sent < total && start + sent * interval <= now) send(start + sent++ * interval);
      if (sent < total) setTimeout(tick, 1);
      else resolve();
    };
    tick();
  });
  await Promise.all(inFlight);
  const elapsed = (performance.now() - start) / 1000;
  await pool.close();
  return { rps: (total - errors) / elapsed, p50: histogram.getValueAtPercentile(50), p99: histogram.getValueAtPercentile(99), non2xx, errors };
}
