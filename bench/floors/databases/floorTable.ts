/** What every floor database offers (see ../floorDatabase.ts), and the webhook floor's table. */

/** A verified LiveKit delivery as the webhook floor keeps it. */
export interface FloorEvent {
  id: string
  room: null | string
  /** The body as it came. */
  raw: string
  /** The same, parsed (what a document database stores). */
  json: unknown
}

export interface FloorDatabase {
  /** The room of the stream with this id, by one indexed read; null when there is none. */
  roomOf: (streamId: string) => Promise<null | string>
  /**
   * Stores the event with one insert into the floor's own table (made on first use), once per
   * event id: the unique key is work the plugin's inbox cannot skip either.
   */
  storeEvent: (event: FloorEvent) => Promise<void>
  /** How many events of `room` the floor stored (what the benchmark checks it by). */
  storedEvents: (room: string) => Promise<number>
  close: () => Promise<void>
}

/** The floor's table (collection on MongoDB); apart from the plugin's, so neither sees the other. */
export const FLOOR_EVENTS = 'bench_webhook_floor'

/** Runs `make` once per process, however many requests arrive while it runs. */
export function once(make: () => Promise<unknown>): () => Promise<unknown> {
  let made: Promise<unknown> | undefined
  return () => (made ??= make())
}
