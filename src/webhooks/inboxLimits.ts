/* The inbox's limits, shared by every implementation of its store. */

/** How long an instance may hold claimed events before another may take them over. */
export const CLAIM_SECONDS = 30

/** Most events one claim takes, and most deliveries one insert stores. */
export const BATCH_LIMIT = 500

/** Applied events are pruned in rounds of this many rows, so no delete holds locks for long. */
export const PRUNE_ROUND = 5_000
