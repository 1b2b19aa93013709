import type Stripe from 'stripe'

/**
 * Stripe's processing fee of a payment, in the payment's own currency (minor units), from the
 * balance transaction of its charge. A balance transaction in another currency (the platform
 * settles in its own) is converted back at the exchange rate Stripe used, rounded half-up.
 *
 * Throws while Stripe has no balance transaction for the charge yet: the sale's event is then
 * not applied, and Stripe's retry books it once the fee is known.
 */
export async function feeOfPayment(
  stripe: Stripe,
  paymentIntentId: string,
  currency: string,
): Promise<number> {
  const intent = await stripe.paymentIntents.retrieve(paymentIntentId, {
    expand: ['latest_charge.balance_transaction'],
  })
  const charge = intent.latest_charge
  const transaction =
    charge && typeof charge === 'object' && typeof charge.balance_transaction === 'object'
      ? charge.balance_transaction
      : null
  if (!transaction || !Number.isSafeInteger(transaction.fee) || transaction.fee < 0) {
    throw new Error(
      `Stripe has no balance transaction for the charge of ${paymentIntentId} yet; the retry books the sale with its fee`,
    )
  }
  const rate = transaction.exchange_rate
  if (transaction.currency.toLowerCase() === currency || !rate || rate <= 0) {
    return transaction.fee
  }
  // exchange_rate converts the payment's currency into the settlement currency.
  return Math.round(transaction.fee / rate)
}
