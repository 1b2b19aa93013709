// The parts of autocannon's API the benchmarks use (the package ships no types).
declare module 'autocannon' {
  interface Histogram {
    average: number
    p50: number
    p99: number
    total: number
  }
  interface RawRequest {
    method?: string
    path?: string
    headers?: Record<string, string>
    body?: Buffer | string
  }
  export interface Options {
    url: string
    connections?: number
    duration?: number
    amount?: number
    method?: string
    headers?: Record<string, string>
    body?: string
    requests?: Array<
      {
        /** Builds each request; `context` belongs to the connection until its answer. */
        setupRequest?: (request: RawRequest, context: Record<string, unknown>) => RawRequest
        /** Called with each answer, before the connection builds its next request. */
        onResponse?: (status: number, body: string, context: Record<string, unknown>) => void
      } & RawRequest
    >
    timeout?: number
  }
  export interface Result {
    requests: Histogram
    latency: Histogram
    duration: number
    errors: number
    timeouts: number
    non2xx: number
    '2xx': number
    statusCodeStats: Record<string, { count: number }>
  }
  function autocannon(options: Options): Promise<Result>
  export default autocannon
}
