/** Helpers shared by the benchmarks in bench/. Not part of the test suite. */

/** Deterministic PRNG (mulberry32). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A random odd 61-bit label ID (some above 2^53). */
export function randomId(r: () => number): bigint {
  return (BigInt(Math.floor(r() * 2 ** 29)) << 32n) | BigInt(Math.floor(r() * 2 ** 32)) | 1n;
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** A fetch that counts response body bytes into `counter.bytes`. */
export function countingFetch(counter: { bytes: number }): typeof fetch {
  return (async (input: RequestInfo | URL, init?: RequestInit) => {
    const res = await fetch(input, init);
    if (!res.body) return res;
    const count = new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        counter.bytes += chunk.length;
        controller.enqueue(chunk);
      },
    });
    return new Response(res.body.pipeThrough(count), { status: res.status, statusText: res.statusText, headers: res.headers });
  }) as typeof fetch;
}

/**
 * Runs `fn` against DVID_URL if set, else against a throwaway DVID v1.0.0 on 127.0.0.1
 * (test/support/dvid-server.ts) that is stopped afterwards.
 */
export async function withDvid<T>(fn: (url: string) => Promise<T>): Promise<T> {
  if (process.env.DVID_URL) return fn(process.env.DVID_URL);
  const { startDvid } = await import('../test/support/dvid-server.js');
  const dvid = await startDvid();
  try {
    return await fn(dvid.url);
  } finally {
    await dvid.stop();
  }
}
