/**
 * Requests whose caller may read LiveKit's and Stripe's own error texts: moderators of the stream
 * (hosts, co-hosts) and admins, marked once their role is known. Those texts name internal
 * addresses, key names and account details; everyone else gets the code and a plain sentence.
 */
const upstreamReaders = new WeakSet<object>()

/** Lets this request's answer carry LiveKit's and Stripe's error texts. */
export function showUpstreamErrors(req: object): void {
  upstreamReaders.add(req)
}

/** Whether {@link showUpstreamErrors} marked this request. */
export function readsUpstreamErrors(req: object): boolean {
  return upstreamReaders.has(req)
}
