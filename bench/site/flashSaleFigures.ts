/**
 * What the flash sale left in the database, read through Payload after the deliveries: tickets
 * by status, sold-out refunds asked of Stripe, the sale entries and what the running totals say.
 * Prints one JSON line.
 */
import { getPayload } from 'payload'

import config from '../../dev/payload.config.js'
import { statementLines } from '../../src/ledger/totals.js'

const streamId = String(process.env.FLASH_STREAM_ID)
const payload = await getPayload({ config })
const tickets = await payload.db.find<{
  id: number | string
  status: string
  refundReason?: null | string
}>({
  collection: 'tickets',
  where: { liveStream: { equals: streamId } },
  limit: 0,
  pagination: false,
})
const byStatus: Record<string, number> = {}
for (const t of tickets.docs) {
  byStatus[t.status] = (byStatus[t.status] ?? 0) + 1
}
const entries = await payload.db.find<{
  kind: string
  grossAmount: number
  commissionAmount: number
  feeAmount: number
}>({
  collection: 'revenue-tracking',
  where: { liveStream: { equals: streamId } },
  limit: 0,
  pagination: false,
})
const sales = entries.docs.filter((e) => e.kind === 'sale')
const lines = await statementLines(payload, {})
console.log(
  JSON.stringify({
    tickets: byStatus,
    soldOut: tickets.docs.filter((t) => t.refundReason === 'sold_out').length,
    sales: sales.length,
    gross: sales.reduce((a, e) => a + e.grossAmount, 0),
    commission: sales.reduce((a, e) => a + e.commissionAmount, 0),
    fee: sales.reduce((a, e) => a + e.feeAmount, 0),
    totals: {
      entries: lines.reduce((a, l) => a + l.entries, 0),
      gross: lines.reduce((a, l) => a + l.gross, 0),
      commission: lines.reduce((a, l) => a + l.commission, 0),
      fee: lines.reduce((a, l) => a + l.fee, 0),
    },
  }),
)
process.exit(0)
