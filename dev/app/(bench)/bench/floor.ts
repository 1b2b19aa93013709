/*
 * Floors for `npm run bench`: bare route handlers that show what Next.js itself costs. They live
 * in the demo site's own build, beside the plugin's routes, so the benchmark compares handlers
 * served by the same `next start` process with the same config, and the ratio measures the
 * handler, not a different app. They answer 404 unless the site runs with BENCH_FLOORS=1 (only the
 * benchmark sets it), so the demo site exposes nothing of them; the package never contains them.
 */
export const floorsEnabled = () => process.env.BENCH_FLOORS === '1'

export const notFound = () => new Response(null, { status: 404 })
