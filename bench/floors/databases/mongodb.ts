import { MongoClient, ObjectId } from 'mongodb'

import { FLOOR_EVENTS, type FloorDatabase } from './floorTable.js'

/** MongoDB's duplicate key error: the event id is stored already. */
const DUPLICATE_KEY = 11000

/**
 * The floors on MongoDB (FerretDB in the test world), through the `mongodb` driver with its
 * default pool, as Payload's adapter (mongoose) opens it. The collection is made by its first
 * insert; the event id is its `_id`, the one unique index a collection always has.
 */
export function mongoFloor(uri: string): FloorDatabase {
  const client = new MongoClient(uri)
  const db = client.db()
  // The adapter names a collection after its slug (already a plural here).
  const streams = db.collection('live-streams')
  const events = db.collection<{ _id: string; roomName: null | string; body: unknown }>(
    FLOOR_EVENTS,
  )
  return {
    roomOf: async (streamId) => {
      // ObjectIds: anything else is no stream, as the plugin answers it without a query.
      if (!/^[0-9a-f]{24}$/i.test(streamId)) {
        return null
      }
      const stream = await streams.findOne(
        { _id: new ObjectId(streamId) },
        { projection: { roomName: 1 } },
      )
      return stream ? String(stream.roomName) : null
    },
    storeEvent: async ({ id, room, json }) => {
      try {
        await events.insertOne({ _id: id, roomName: room, body: json })
      } catch (error) {
        if ((error as { code?: unknown }).code !== DUPLICATE_KEY) {
          throw error
        }
      }
    },
    storedEvents: (room) => events.countDocuments({ roomName: room }),
    close: () => client.close(),
  }
}
